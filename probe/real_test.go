package probe

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Tests against real servers installed by npm into .cache/npm at the
// repository root ("make test" installs them).

const installHint = "run make test, or: npm install --prefix .cache/npm " +
	"@auth0/auth0-mcp-server@0.1.0-beta.19 @modelcontextprotocol/server-everything@2026.8.31"

// npmPackage returns the folder of an installed package, or skips.
func npmPackage(t *testing.T, name string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("real servers are skipped in -short mode")
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
	pkg := filepath.Join(dir, ".cache", "npm", "node_modules", filepath.FromSlash(name))
	if _, err := os.Stat(filepath.Join(pkg, "package.json")); err != nil {
		t.Skipf("%s is not installed in .cache/npm: %s", name, installHint)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	return pkg
}

// realEnv is what a desktop client would pass, plus vars.
func realEnv(vars ...string) []string {
	return append(BaseEnv(os.Environ(), runtime.GOOS, nil), vars...)
}

func runReal(t *testing.T, opt Options) *Result {
	t.Helper()
	opt.Timeout = 20 * time.Second
	start := time.Now()
	r := Run(context.Background(), opt)
	if took := time.Since(start); took > opt.Timeout+time.Second {
		t.Errorf("Run took %s", took)
	}
	assertGroupGone(t, r.PID)
	t.Logf("%s %v: exit %d, %d tools, %dms, diagnoses %v, ended by %s", opt.Command, opt.Args,
		r.ExitCode(), r.Tools, r.DurationMS, codes(r), r.Exit.EndedBy)
	return r
}

func TestRealAuth0(t *testing.T) {
	pkg := npmPackage(t, "@auth0/auth0-mcp-server")
	entry := filepath.Join(pkg, "dist", "index.js")
	bin := filepath.Join(pkg, "..", "..", ".bin", "auth0-mcp")
	creds := []string{"AUTH0_TOKEN=not-a-real-token", "AUTH0_DOMAIN=127.0.0.1"}

	tests := []struct {
		name    string
		command string
		args    []string
		env     []string
		tools   int
	}{
		{"node", "node", []string{entry, "run"}, realEnv(creds...), 23},
		{"bin", bin, []string{"run"}, realEnv(creds...), 23},
		{"read-only", "node", []string{entry, "run", "--read-only"}, realEnv(creds...), 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runReal(t, Options{Command: tt.command, Args: tt.args, Env: tt.env, Server: "auth0"})
			if !r.OK || r.Tools != tt.tools {
				t.Fatalf("want ok with %d tools:\n%s", tt.tools, dump(r))
			}
			if r.ServerInfo == nil || r.ServerInfo.Name != "auth0" || r.ServerInfo.Version != "0.1.0-beta.19" {
				t.Errorf("server_info = %+v", r.ServerInfo)
			}
			// It keeps running for about 5 s after stdin closes (a timer it
			// never clears), so the probe must end it and say so.
			if !r.Has(CodeIgnoresEOF) {
				t.Logf("no ignores-eof: the server now exits on end of input (ended by %s)", r.Exit.EndedBy)
			}
		})
	}

	t.Run("no-credentials", func(t *testing.T) {
		t.Parallel()
		// A fresh HOME and no D-Bus session: no keychain, no token.
		env := []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
		r := runReal(t, Options{Command: "node", Args: []string{entry, "run"}, Env: env})
		if !r.Has(CodeExitedEarly) || !r.Has(CodeAuthFailed) || r.ExitCode() != 1 {
			t.Fatalf("want exited-early and auth-failed:\n%s", dump(r))
		}
	})

	t.Run("no-credentials-debug", func(t *testing.T) {
		t.Parallel()
		if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" || runtime.GOOS != "linux" {
			t.Skip("checks the message of a Linux machine without a D-Bus session")
		}
		env := []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH"), "DEBUG=auth0-mcp"}
		r := runReal(t, Options{Command: "node", Args: []string{entry, "run"}, Env: env})
		d := r.Diagnosis(CodeKeychainUnavailable)
		if !r.Has(CodeAuthFailed) || d == nil || d.Severity != SeverityFail {
			t.Fatalf("want auth-failed and keychain-unavailable/fail:\n%s", dump(r))
		}
	})

	t.Run("domain-missing", func(t *testing.T) {
		t.Parallel()
		r := runReal(t, Options{Command: "node", Args: []string{entry, "run"},
			Env: realEnv("AUTH0_TOKEN=not-a-real-token")})
		d := r.Diagnosis(CodeAuthFailed)
		if !r.Has(CodeExitedEarly) || d == nil || !strings.Contains(d.Detail, "AUTH0_DOMAIN") {
			t.Fatalf("want exited-early and auth-failed naming AUTH0_DOMAIN:\n%s", dump(r))
		}
	})
}

func TestRealServerEverything(t *testing.T) {
	pkg := npmPackage(t, "@modelcontextprotocol/server-everything")
	entry := filepath.Join(pkg, "dist", "index.js")
	r := runReal(t, Options{Command: "node", Args: []string{entry, "stdio"}, Env: realEnv()})
	if !r.OK || r.Tools == 0 || r.ExitCode() != 0 {
		t.Fatalf("want ok with tools:\n%s", dump(r))
	}
	if !contains(r.ToolNames, "echo") {
		t.Errorf("tool names %v lack echo", r.ToolNames)
	}
}
