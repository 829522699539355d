package doctor

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/ui"
	"github.com/auth0mcp/auth0mcp/probe"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "claude_desktop_config.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func checkLines(rep *Report, id string) []Result {
	var out []Result
	for _, c := range rep.Checks {
		if c.ID == id {
			out = append(out, c)
		}
	}
	return out
}

// A server that exits with the Auth0 credential error: the handshake
// check fails with the probe's diagnoses, and a secret the server prints
// from its env is redacted.
func TestHandshakeBrokenServer(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the test server is a shell script")
	}
	cfg := writeConfig(t, `{"mcpServers": {"auth0": {"command": "sh", "args": ["-c",
		"echo \"using $AUTH0_TOKEN\" >&2; echo 'No valid authorization token found' >&2; exit 1"],
		"env": {"AUTH0_TOKEN": "opaqueCANARY0123456789", "AUTH0_DOMAIN": "t.auth0.com"}}}}`)
	rep := Run(context.Background(), Options{Configs: []string{cfg}, Only: []string{"handshake"}})
	lines := checkLines(rep, "handshake")
	if len(lines) < 3 {
		t.Fatalf("want a summary and the diagnoses, got %+v", lines)
	}
	if lines[0].Status != ui.StatusFail || !strings.Contains(lines[0].Detail, "failed the handshake at initialize") {
		t.Errorf("summary: %+v", lines[0])
	}
	var codes []string
	for _, l := range lines[1:] {
		codes = append(codes, strings.SplitN(l.Detail, ":", 2)[0])
		if l.Fix == "" {
			t.Errorf("no fix: %+v", l)
		}
	}
	if got := strings.Join(codes, " "); !strings.Contains(got, "exited-early") || !strings.Contains(got, "auth-failed") {
		t.Errorf("codes %q, want exited-early and auth-failed", got)
	}
	for _, l := range rep.Checks {
		if strings.Contains(l.Detail+l.Fix, "CANARY") {
			t.Errorf("the server's secret reached the report: %q", l.Detail)
		}
	}
	if rep.ExitCode() != 1 {
		t.Errorf("exit code %d, want 1", rep.ExitCode())
	}
}

// A server that never answers: the probe fits inside the check's deadline,
// so the check reports a failed handshake (not a check that timed out),
// returns in time, and leaves no process behind.
func TestHandshakeFitsCheckDeadline(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the test server is a shell script")
	}
	marker := "doctor-handshake-hang-" + filepath.Base(t.TempDir())
	cfg := writeConfig(t, `{"mcpServers": {"auth0": {"command": "sh", "args": ["-c",
		"trap '' TERM; sleep 30 # `+marker+`"]}}}`)
	start := time.Now()
	rep := Run(context.Background(), Options{Configs: []string{cfg}, Only: []string{"handshake"},
		CheckTimeout: 2 * time.Second})
	took := time.Since(start)
	if took > 2500*time.Millisecond {
		t.Errorf("took %s with a 2s check timeout", took)
	}
	lines := checkLines(rep, "handshake")
	if len(lines) == 0 || lines[0].Status != ui.StatusFail ||
		!strings.Contains(lines[0].Detail, "did not finish the handshake") {
		t.Fatalf("want a failed handshake, got %+v", lines)
	}
	if rep.Summary.Timeout != 0 {
		t.Errorf("the check itself timed out: %+v", rep.Summary)
	}
	if out, err := os.ReadFile("/proc/self/status"); err == nil && len(out) > 0 {
		if alive := processesMatching(marker); len(alive) > 0 {
			t.Errorf("server processes left running: %v", alive)
		}
	}
}

// processesMatching lists the /proc entries whose command line holds s
// (Linux only; elsewhere it finds nothing).
func processesMatching(s string) []string {
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var out []string
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err == nil && strings.Contains(string(b), s) {
			out = append(out, filepath.Base(filepath.Dir(d)))
		}
	}
	return out
}

// Notes join the summary line; warnings and failures get lines of their
// own; the summary names what answered.
func TestHandshakeResults(t *testing.T) {
	r := &probe.Result{OK: true, ProtocolVersion: "2025-06-18", Tools: 23,
		ServerInfo: &probe.ServerInfo{Name: "auth0", Version: "0.1.0-beta.19"},
		Diagnoses: []probe.Diagnosis{
			{Code: "protocol-mismatch", Severity: "info", Detail: "Asked for 2025-11-25."},
			{Code: "ignores-eof", Severity: "warn", Detail: "Needed SIGTERM.", Fix: "Report it."},
		}}
	got := handshakeResults("/c.json", "auth0", r, 1234*time.Millisecond)
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	want := `"auth0" answered the handshake in 1.2s: auth0 0.1.0-beta.19, protocol 2025-06-18, 23 tools` +
		"\nprotocol-mismatch: Asked for 2025-11-25."
	if got[0].Status != ui.StatusOK || got[0].Detail != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got[0].Detail, want)
	}
	if got[1].Status != ui.StatusWarn || got[1].Detail != "ignores-eof: Needed SIGTERM." || got[1].Fix != "Report it." {
		t.Errorf("warning: %+v", got[1])
	}

	r = &probe.Result{TimedOut: true, Phases: []probe.Phase{{Name: "spawn", Status: "ok"},
		{Name: "initialize", Status: "timeout"}}}
	got = handshakeResults("/c.json", "auth0", r, 9*time.Second)
	if got[0].Status != ui.StatusFail || !strings.Contains(got[0].Detail, "did not finish the handshake within 9s (stopped at initialize)") ||
		!strings.Contains(got[0].Fix, "--timeout 60s") {
		t.Errorf("timeout: %+v", got[0])
	}
}

// The server gets the client's base variables and the entry's env on top,
// not the rest of this process's environment.
func TestServerEnv(t *testing.T) {
	env := map[string]string{"HOME": "/home/u", "PATH": "/usr/bin", "AUTH0_CLIENT_SECRET": "s3cr3t-from-shell"}
	st := &state{opt: Options{Env: fakeEnv(env)}}
	cfg := writeConfig(t, `{"mcpServers": {"auth0": {"command": "x", "env": {"PATH": "/opt/node/bin", "DEBUG": "auth0-mcp"}}}}`)
	rep := loadOne(t, cfg)
	got := strings.Join(st.serverEnv(rep), " ")
	for _, want := range []string{"HOME=/home/u", "PATH=/opt/node/bin", "DEBUG=auth0-mcp"} {
		if !strings.Contains(got, want) {
			t.Errorf("env %q lacks %s", got, want)
		}
	}
	if strings.Contains(got, "s3cr3t") || strings.Contains(got, "PATH=/usr/bin") {
		t.Errorf("env %q has what the client would not pass", got)
	}
}
