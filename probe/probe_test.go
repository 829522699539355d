package probe

import (
	"context"
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// probeMode runs the probe against the test server in mode and checks the
// things every run must satisfy: back in time, and nothing left running.
func probeMode(t *testing.T, mode string, opt Options) *Result {
	t.Helper()
	opt.Command, opt.Env = serverCmd(mode)
	if opt.Timeout == 0 {
		opt.Timeout = 5 * time.Second
	}
	start := time.Now()
	r := Run(context.Background(), opt)
	took := time.Since(start)
	if took > opt.Timeout+time.Second {
		t.Errorf("Run took %s with a timeout of %s", took, opt.Timeout)
	}
	checkJSONShape(t, r)
	assertGroupGone(t, r.PID)
	return r
}

// checkJSONShape checks the JSON form has exactly the documented keys.
func checkJSONShape(t *testing.T, r *Result) {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"version", "ok", "target", "protocol_version", "server_info", "tools",
		"tool_names", "phases", "diagnoses", "exit", "stderr_tail", "duration_ms"}
	if len(m) != len(want) {
		t.Errorf("JSON has %d keys, want %d: %s", len(m), len(want), b)
	}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if len(r.Phases) != 6 {
		t.Errorf("%d phases, want 6", len(r.Phases))
	}
}

func codes(r *Result) []string {
	var out []string
	for _, d := range r.Diagnoses {
		out = append(out, d.Code+"/"+d.Severity)
	}
	return out
}

func dump(r *Result) string {
	b, _ := json.MarshalIndent(r, "", "  ")
	if len(b) > 6000 {
		b = append(b[:6000], "…"...)
	}
	return string(b)
}

func TestMisbehavingServers(t *testing.T) {
	tests := []struct {
		mode    string
		opt     Options
		want    []string // code/severity, all must be present
		notWant []string // codes that must be absent
		exit    int
		endedBy string
		tools   int
		phase   string // a phase that must have status
		status  string
	}{
		{mode: "good", exit: 0, tools: 4, endedBy: EndedByEOF},
		{mode: "banner", want: []string{"stdout-not-json/warn"}, exit: 0, tools: 4},
		{mode: "pretty", want: []string{"multiline-json/fail"}, notWant: []string{CodeNoResponse, CodeStdoutNotJSON},
			exit: 1, phase: PhaseInitialize, status: StatusFail},
		{mode: "silent", opt: Options{Timeout: 3 * time.Second},
			want: []string{"no-response/fail", "ignores-eof/warn"},
			exit: 124, endedBy: EndedBySIGKILL, phase: PhaseInitialize, status: StatusTimeout},
		{mode: "auth", want: []string{"exited-early/fail", "auth-failed/fail"}, exit: 1, endedBy: EndedByExited},
		{mode: "keytar", want: []string{"exited-early/fail", "keychain-unavailable/fail"},
			notWant: []string{CodeAuthFailed}, exit: 1},
		{mode: "npx-canceled", want: []string{"exited-early/fail", "npx-canceled/fail"}, exit: 1},
		{mode: "exit0", want: []string{"exited-early/fail"}, notWant: []string{CodeAuthFailed}, exit: 1,
			endedBy: EndedByExited},
		{mode: "wrong-id", want: []string{"bad-response/fail"}, notWant: []string{CodeNoResponse}, exit: 1},
		{mode: "no-jsonrpc", want: []string{"bad-response/fail"}, exit: 1},
		{mode: "unknown-version", want: []string{"protocol-mismatch/fail"}, exit: 1},
		{mode: "known-version", want: []string{"protocol-mismatch/info"}, exit: 0, tools: 4},
		{mode: "tools-error", want: []string{"rpc-error/fail"}, exit: 1,
			phase: PhaseToolsList, status: StatusFail},
		{mode: "paginated", exit: 0, tools: 12},
		{mode: "split", exit: 0, tools: 4, notWant: []string{CodeStdoutNotJSON, CodeMultilineJSON}},
		{mode: "notify-first", want: []string{"early-notification/info"}, exit: 0, tools: 4},
		{mode: "roots-first", want: []string{"unsolicited-request/warn"}, exit: 0, tools: 4},
		{mode: "stderr-flood", exit: 0, tools: 4},
		{mode: "long-line", want: []string{"line-too-long/fail"}, exit: 1},
		{mode: "ignore-eof", want: []string{"ignores-eof/warn"}, exit: 0, tools: 4, endedBy: EndedBySIGTERM},
		{mode: "slow", opt: Options{SlowStart: 200 * time.Millisecond}, want: []string{"slow-start/warn"},
			exit: 0, tools: 4},
		{mode: "no-tools", want: []string{"no-tools-capability/warn"}, exit: 0,
			phase: PhaseToolsList, status: StatusSkip},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			r := probeMode(t, tt.mode, tt.opt)
			got := codes(r)
			for _, w := range tt.want {
				if !contains(got, w) {
					t.Errorf("diagnoses %v lack %s", got, w)
				}
			}
			for _, nw := range tt.notWant {
				if r.Has(nw) {
					t.Errorf("diagnoses %v hold %s", got, nw)
				}
			}
			if len(tt.want) == 0 {
				for _, d := range r.Diagnoses {
					t.Errorf("unexpected diagnosis %s/%s: %s", d.Code, d.Severity, d.Detail)
				}
			}
			if r.ExitCode() != tt.exit {
				t.Errorf("ExitCode = %d, want %d", r.ExitCode(), tt.exit)
			}
			if (tt.exit == 0) != r.OK {
				t.Errorf("OK = %v with exit %d", r.OK, tt.exit)
			}
			if tt.endedBy != "" && (r.Exit == nil || r.Exit.EndedBy != tt.endedBy) {
				t.Errorf("exit = %+v, want ended_by %s", r.Exit, tt.endedBy)
			}
			if r.Tools != tt.tools || len(r.ToolNames) != tt.tools {
				t.Errorf("tools = %d (%d names), want %d", r.Tools, len(r.ToolNames), tt.tools)
			}
			if tt.phase != "" && r.Phase(tt.phase).Status != tt.status {
				t.Errorf("phase %s = %q, want %q", tt.phase, r.Phase(tt.phase).Status, tt.status)
			}
			if t.Failed() {
				t.Log(dump(r))
			}
		})
	}
}

func TestGoodServerResult(t *testing.T) {
	r := probeMode(t, "good", Options{Server: "test"})
	if !r.OK || r.ServerInfo == nil || r.ServerInfo.Name != "test-server" || r.ServerInfo.Version != "1.0.0" {
		t.Fatalf("unexpected result:\n%s", dump(r))
	}
	if r.ProtocolVersion != DefaultProtocolVersion {
		t.Errorf("protocol_version = %q", r.ProtocolVersion)
	}
	for _, ph := range r.Phases {
		if ph.Status != StatusOK {
			t.Errorf("phase %s = %s", ph.Name, ph.Status)
		}
	}
	if r.Exit.Code != 0 || r.Exit.Signal != "" || r.Exit.EndedBy != EndedByEOF {
		t.Errorf("exit = %+v", r.Exit)
	}
	if r.Target.Server != "test" {
		t.Errorf("target = %+v", r.Target)
	}
}

// The stderr ring stays bounded under a flood, and the flood does not
// block the server.
func TestStderrFloodTail(t *testing.T) {
	r := probeMode(t, "stderr-flood", Options{StderrTail: 4096})
	if !r.OK {
		t.Fatalf("not ok:\n%s", dump(r))
	}
	if len(r.StderrTail) > 4096 || !strings.HasSuffix(r.StderrTail, "flood done\n") {
		t.Errorf("stderr tail: %d bytes, ends %q", len(r.StderrTail), r.StderrTail[max(0, len(r.StderrTail)-40):])
	}
}

// A 64 MB line must not cost 64 MB: the probe keeps at most MaxLine.
func TestLongLineMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := probeMode(t, "long-line", Options{MaxLine: 1 << 20})
	runtime.ReadMemStats(&after)
	if !r.Has(CodeLineTooLong) {
		t.Fatalf("no line-too-long:\n%s", dump(r))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("the probe allocated %d MB for a 64 MB line", alloc>>20)
	}
}

func TestRedaction(t *testing.T) {
	redact := func(s string) string { return strings.ReplaceAll(s, canary, "[REDACTED]") }
	for _, mode := range []string{"leak", "tools-error"} {
		t.Run(mode, func(t *testing.T) {
			r := probeMode(t, mode, Options{Redact: redact, Args: []string{"--token", canary}})
			b, _ := json.Marshal(r)
			if strings.Contains(string(b), canary) {
				t.Errorf("the canary reached the result:\n%s", b)
			}
			if !strings.Contains(string(b), "[REDACTED]") {
				t.Errorf("nothing was redacted; did the server leak at all?\n%s", b)
			}
		})
	}
}

// Ctrl-C: the caller cancels, Run cleans up and returns at once.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	command, env := serverCmd("silent")
	start := time.Now()
	r := Run(ctx, Options{Command: command, Env: env, Timeout: 20 * time.Second})
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Run took %s after a cancel at 300ms", took)
	}
	if !r.Interrupted || r.ExitCode() != 130 || !r.Has(CodeInterrupted) || r.Has(CodeIgnoresEOF) {
		t.Errorf("unexpected result:\n%s", dump(r))
	}
	assertGroupGone(t, r.PID)
}

// A deadline in the caller's context bounds the probe like Timeout does.
func TestContextDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	command, env := serverCmd("silent")
	start := time.Now()
	r := Run(ctx, Options{Command: command, Env: env, Timeout: 20 * time.Second})
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Run took %s with a 2s context deadline", took)
	}
	if r.ExitCode() != 124 || !r.Has(CodeNoResponse) {
		t.Errorf("unexpected result:\n%s", dump(r))
	}
	assertGroupGone(t, r.PID)
}

func TestCommandNotFound(t *testing.T) {
	r := Run(context.Background(), Options{Command: "no-such-mcp-server", Env: []string{"PATH=/nonexistent/bin"}})
	d := r.Diagnosis(CodeCommandNotFound)
	if d == nil || r.ExitCode() != 1 || r.Exit != nil {
		t.Fatalf("unexpected result:\n%s", dump(r))
	}
	if !strings.Contains(d.Detail, "/nonexistent/bin") {
		t.Errorf("the detail does not show the PATH used: %s", d.Detail)
	}
	if r.Phase(PhaseSpawn).Status != StatusFail || r.Phase(PhaseInitialize).Status != StatusSkip {
		t.Errorf("phases: %+v", r.Phases)
	}
}

func TestSpawnFailed(t *testing.T) {
	dir := t.TempDir()
	f := dir + "/server"
	if err := os.WriteFile(f, []byte("not a program"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := Run(context.Background(), Options{Command: f})
	if !r.Has(CodeSpawnFailed) || r.ExitCode() != 1 {
		t.Fatalf("unexpected result:\n%s", dump(r))
	}
}

// Every code the probe can produce is documented in Codes.
func TestCodesDocumented(t *testing.T) {
	want := []string{"command-not-found", "exited-early", "auth-failed", "keychain-unavailable",
		"npx-canceled", "stdout-not-json", "multiline-json", "bad-response", "rpc-error",
		"protocol-mismatch", "no-response", "line-too-long", "ignores-eof", "slow-start",
		"unsolicited-request"}
	var have []string
	for _, c := range Codes {
		if c.Summary == "" || c.Severity == "" {
			t.Errorf("code %s lacks a summary or severity", c.Code)
		}
		have = append(have, c.Code)
	}
	for _, w := range want {
		if !contains(have, w) {
			t.Errorf("Codes lacks %s", w)
		}
	}
}
