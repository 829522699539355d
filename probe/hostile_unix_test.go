//go:build unix

package probe

// Servers written as shell scripts, for what the test binary cannot easily
// act out: floods before reading, answers before questions, escaping the
// process group.

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Shell snippets that answer our requests by method; ids are ours: 0
// initialize, 1 tools/list, 2 ping.
const (
	shInit  = `printf '%s\n' '{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"sh","version":"1"}}}'`
	shTools = `printf '%s\n' '{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"a"},{"name":"b"}]}}'`
	shPing  = `printf '%s\n' '{"jsonrpc":"2.0","id":2,"result":{}}'`
	// shServe answers each request it reads, ignoring everything else.
	shServe = `while read -r l; do case $l in
  *'"method":"initialize"'*) ` + shInit + `;;
  *'"method":"tools/list"'*) ` + shTools + `;;
  *'"method":"ping"'*) ` + shPing + `;;
esac; done`
)

// script writes an executable shell script and returns its path.
func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "server.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func runScript(t *testing.T, body string, opt Options) *Result {
	t.Helper()
	opt.Command = script(t, body)
	if opt.Env == nil {
		opt.Env = BaseEnv(os.Environ(), "linux", nil)
	}
	if opt.Timeout == 0 {
		opt.Timeout = 10 * time.Second
	}
	start := time.Now()
	r := Run(context.Background(), opt)
	if took := time.Since(start); took > opt.Timeout+time.Second {
		t.Errorf("Run took %s with a timeout of %s", took, opt.Timeout)
	}
	assertGroupGone(t, r.PID)
	return r
}

func detailOf(r *Result, code string) string {
	if d := r.Diagnosis(code); d != nil {
		return d.Detail
	}
	return ""
}

// A secret in stderr must not show, neither where the 64 KiB ring cut
// through it nor folded over lines.
func TestStderrSecretPieces(t *testing.T) {
	secret := "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2NhbmFyeS5ldS5hdXRoMC5jb20vIn0.Q0FOQVJZc2lnbmF0dXJlU0VDUkVU"
	opaque := "opaqueCANARY0a1b2c3d4e5f6g7h8i9j"
	env := append(BaseEnv(os.Environ(), "linux", nil), "AUTH0_TOKEN="+secret, "AUTH0_CLIENT_SECRET="+opaque)
	for name, body := range map[string]string{
		"ring cut":            `printf '%s' "$AUTH0_TOKEN" >&2; head -c 65500 /dev/zero | tr '\0' X >&2; exit 1`,
		"ring cut with lines": `printf 'a\n%s' "$AUTH0_TOKEN" >&2; head -c 65500 /dev/zero | tr '\0' X >&2; echo >&2; exit 1`,
		"folded": `echo "token was:" >&2; printf '%s\n' "$AUTH0_TOKEN" | fold -w 30 >&2
printf 'Authorization: Bearer %s\n' "$AUTH0_CLIENT_SECRET" >&2; printf 'no header %s\n' "$AUTH0_CLIENT_SECRET" | fold -w 14 >&2; exit 1`,
	} {
		t.Run(name, func(t *testing.T) {
			r := runScript(t, body, Options{Env: env, Redact: RedactorFor(env)})
			b, _ := json.Marshal(r)
			for _, s := range []string{secret, opaque} {
				for i := 0; i+12 <= len(s); i++ {
					if strings.Contains(string(b), s[i:i+12]) {
						t.Fatalf("piece %q of a secret shows:\n%s", s[i:i+12], dump(r))
					}
				}
			}
		})
	}
}

// An opaque secret after a flag that takes one is shown as its preview.
func TestArgsSecretAfterFlag(t *testing.T) {
	args := []string{"--client-secret", "opaqueCANARYsecret77", "--password", "hunter2CANARYpw",
		"--api-key=CANARYkey123456", "--tools", "auth0_list_*", "-y"}
	r := Run(context.Background(), Options{Command: "/nonexistent/server", Args: args,
		Redact: RedactorFor(nil)})
	got := strings.Join(r.Target.Args, " ")
	if strings.Contains(got, "CANARY") {
		t.Errorf("args show a secret: %s", got)
	}
	if !strings.Contains(got, "--tools auth0_list_* -y") || !strings.Contains(got, "--client-secret") {
		t.Errorf("args lost what is not secret: %s", got)
	}
}

// A server that floods requests before it reads stdin must not deadlock
// the probe: our answers queue, and what does not fit is dropped.
func TestFloodBeforeReading(t *testing.T) {
	r := runScript(t, `seq 5000 | sed 's/.*/{"jsonrpc":"2.0","id":&,"method":"roots\/list"}/'
`+shServe, Options{Timeout: 8 * time.Second})
	if !r.OK || r.Tools != 2 || !r.Has(CodeStdinNotRead) {
		t.Errorf("flood: %v\n%s", codes(r), dump(r))
	}
	if r.Has(CodeProcessesLeftRunning) || r.Has(CodeIgnoresEOF) {
		t.Errorf("false shutdown diagnoses: %v", codes(r))
	}
	if r.DurationMS > 4000 {
		t.Errorf("took %d ms", r.DurationMS)
	}
}

// Answers written before the request was sent are not answers.
func TestAnswerBeforeRequest(t *testing.T) {
	r := runScript(t, `printf '%s\n' '{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"fake"}]}}'
`+shServe, Options{})
	d := r.Diagnosis(CodeBadResponse)
	if d == nil || !strings.Contains(d.Detail, "not sent yet") || r.OK {
		t.Errorf("early answer: %v\n%s", codes(r), dump(r))
	}
	if r.Tools != 2 {
		t.Errorf("tools = %v, want the real answer's", r.ToolNames)
	}
}

func TestDuplicateResponse(t *testing.T) {
	r := runScript(t, `while read -r l; do case $l in
  *'"method":"initialize"'*) `+shInit+`; `+shInit+`; `+shInit+`;;
  *'"method":"tools/list"'*) `+shTools+`;;
  *'"method":"ping"'*) `+shPing+`;;
esac; done`, Options{})
	if !strings.Contains(detailOf(r, CodeBadResponse), "duplicate response") || r.Tools != 2 {
		t.Errorf("duplicates: %v\n%s", codes(r), dump(r))
	}
}

// New cursors without end: the probe stops at a page limit and says so.
func TestEndlessPagination(t *testing.T) {
	r := runScript(t, `n=0; while read -r l; do case $l in
  *'"method":"initialize"'*) `+shInit+`;;
  *'"method":"tools/list"'*) n=$((n+1)); id=${l#*'"id":'}; id=${id%%,*}; id=${id%%\}*}
    printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"t%s"}],"nextCursor":"c%s"}}\n' "$id" "$n" "$n";;
esac; done`, Options{Timeout: 20 * time.Second})
	if !strings.Contains(detailOf(r, CodeBadResponse), "new cursors") || r.Has(CodeNoResponse) {
		t.Errorf("pagination: %v\n%s", codes(r), dump(r))
	}
}

// A 5 MB tools/list answer on one line is a large tool list, not an error.
func TestLargeToolsLine(t *testing.T) {
	r := runScript(t, `while read -r l; do case $l in
  *'"method":"initialize"'*) `+shInit+`;;
  *'"method":"tools/list"'*) printf '{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"big","description":"'
    head -c 5000000 /dev/zero | tr '\0' d; printf '"}]}}\n';;
  *'"method":"ping"'*) `+shPing+`;;
esac; done`, Options{})
	if !r.OK || r.Tools != 1 {
		t.Errorf("5 MB line: %v\n%s", codes(r), dump(r))
	}
}

func TestSpawnExplains(t *testing.T) {
	dir := t.TempDir()
	badInterp := filepath.Join(dir, "bad-interp")
	os.WriteFile(badInterp, []byte("#!/nonexistent/interp\n"), 0o755)
	noShebang := filepath.Join(dir, "no-shebang")
	os.WriteFile(noShebang, []byte("not a script at all"), 0o755)
	notExec := filepath.Join(dir, "not-exec")
	os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644)
	for _, tt := range []struct{ command, code, want string }{
		{badInterp, CodeSpawnFailed, "names the interpreter /nonexistent/interp, which does not exist"},
		{noShebang, CodeSpawnFailed, "neither a program nor a script"},
		{dir, CodeCommandNotFound, "is a directory"},
		{notExec, CodeCommandNotFound, "is not executable"},
	} {
		r := Run(context.Background(), Options{Command: tt.command})
		if !strings.Contains(detailOf(r, tt.code), tt.want) {
			t.Errorf("%s: want %s %q:\n%s", tt.command, tt.code, tt.want, dump(r))
		}
	}
	r := Run(context.Background(), Options{Command: "/bin/sh", Timeout: time.Nanosecond})
	if r.ExitCode() != 124 || r.Has(CodeSpawnFailed) {
		t.Errorf("1ns timeout: exit %d, %v", r.ExitCode(), codes(r))
	}
}

// A process that left the group (setsid) and holds the server's output is
// reported: no signal to the group reaches it.
func TestEscapedProcess(t *testing.T) {
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("no setsid command")
	}
	pidFile := filepath.Join(t.TempDir(), "pid")
	t.Cleanup(func() {
		if b, err := os.ReadFile(pidFile); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 1 {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	r := runScript(t, `setsid sh -c 'echo $$ > `+pidFile+`; exec sleep 30' </dev/null &
`+shServe, Options{})
	if d := r.Diagnosis(CodeEscapedProcesses); d == nil || d.Severity != SeverityWarn {
		t.Errorf("escaped: %v\n%s", codes(r), dump(r))
	}
}

// A server that exits at once and leaves a child that ignores SIGTERM: the
// diagnosis blames what it left, not the server.
func TestLeftoverIgnoresEOF(t *testing.T) {
	r := runScript(t, `(trap '' TERM; exec sleep 30) >/dev/null 2>&1 &
exit 0`, Options{Timeout: 5 * time.Second})
	d := r.Diagnosis(CodeIgnoresEOF)
	if !r.Has(CodeExitedEarly) || d == nil || !strings.Contains(d.Detail, "processes it started") {
		t.Errorf("leftover: %v\n%s", codes(r), dump(r))
	}
}
