package doctor

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/internal/ui"
)

func fakeEnv(vars map[string]string) configfix.Env {
	return configfix.Env{GOOS: runtime.GOOS, Getenv: func(k string) string { return vars[k] },
		Glob: func(string) ([]string, error) { return nil, nil }}
}

func loadOne(t *testing.T, path string) configfix.Server {
	t.Helper()
	c := configfix.Load(path, configfix.ClaudeDesktop)
	s := c.Servers()
	if len(s) != 1 {
		t.Fatalf("%d servers in %s", len(s), path)
	}
	return s[0]
}

// The token check asks the methods as the launcher would see them under
// the app: the entry's env (here a token command and a domain), and never
// prints the token.
func TestTokenCheckLauncherEntry(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the token command is a shell command")
	}
	cfg := writeConfig(t, `{"mcpServers": {"auth0": {"command": "/usr/local/bin/auth0mcp",
		"args": ["run", "--no-cache", "--", "npx", "-y", "@auth0/auth0-mcp-server", "run"],
		"env": {"AUTH0_DOMAIN": "tenant.eu.auth0.com", "AUTH0MCP_TOKEN_COMMAND": "echo cmdTOKEN0123456789"}}}}`)
	rep := Run(context.Background(), Options{Configs: []string{cfg}, Only: []string{"token"},
		Env: fakeEnv(map[string]string{"HOME": t.TempDir(), "PATH": "/usr/bin:/bin"})})
	lines := checkLines(rep, "token")
	if len(lines) != 1 || lines[0].Status != ui.StatusOK ||
		!strings.HasPrefix(lines[0].Detail, "token for tenant.eu.auth0.com from command in ") {
		t.Fatalf("got %+v", lines)
	}
	if !strings.Contains(lines[0].Detail, "\nenv: missing") {
		t.Errorf("the other methods are not listed: %q", lines[0].Detail)
	}
	for _, l := range rep.Checks {
		if strings.Contains(l.Detail+l.Fix, "cmdTOKEN") {
			t.Errorf("the token reached the report: %q", l.Detail)
		}
	}
}

// A token stored in the entry works, but is a warning: it belongs in no file.
func TestTokenCheckStoredToken(t *testing.T) {
	cfg := writeConfig(t, `{"mcpServers": {"auth0": {"command": "npx",
		"env": {"AUTH0_DOMAIN": "tenant.eu.auth0.com", "AUTH0_TOKEN": "storedTOKEN0123456789"}}}}`)
	rep := Run(context.Background(), Options{Configs: []string{cfg}, Only: []string{"token"},
		Env: fakeEnv(map[string]string{"HOME": t.TempDir()})})
	lines := checkLines(rep, "token")
	if len(lines) != 1 || lines[0].Status != ui.StatusWarn || !strings.Contains(lines[0].Detail, "from env") ||
		!strings.Contains(lines[0].Fix, "fix-config") {
		t.Fatalf("got %+v", lines)
	}
}

// A hanging token command is cut at the method's deadline, which fits in
// the check's, and reported with what it costs.
func TestTokenCheckHangingCommand(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the token command is a shell command")
	}
	cfg := writeConfig(t, `{"mcpServers": {"auth0": {"command": "npx",
		"env": {"AUTH0_DOMAIN": "t.auth0.com", "AUTH0MCP_TOKEN_COMMAND": "sleep 20"}}}}`)
	rep := Run(context.Background(), Options{Configs: []string{cfg}, Only: []string{"token"},
		CheckTimeout: 1500 * 1e6, Env: fakeEnv(map[string]string{"HOME": t.TempDir()})})
	var sawWarn, sawFail bool
	for _, l := range checkLines(rep, "token") {
		sawWarn = sawWarn || l.Status == ui.StatusWarn && strings.Contains(l.Detail, "token method command did not answer within")
		sawFail = sawFail || l.Status == ui.StatusFail
	}
	if !sawWarn || !sawFail || rep.Summary.Timeout != 0 {
		t.Errorf("want a failure and a warning for the hanging command, got %+v", rep.Checks)
	}
}

func TestHangCauses(t *testing.T) {
	for _, tc := range []struct {
		config string
		want   ui.Status
	}{
		{`{"mcpServers": {"auth0": {"command": "sh", "args": ["-c", "AUTH0_TOKEN=$(auth0 api get clients) npx x"]}}}`, ui.StatusFail},
		{`{"mcpServers": {"auth0": {"command": "/usr/local/bin/auth0", "args": ["api", "get", "x"]}}}`, ui.StatusFail},
		{`{"mcpServers": {"auth0": {"command": "auth0mcp", "args": ["run", "--token-command", "auth0 api get x | jq -r .t", "--", "npx"]}}}`, ui.StatusWarn},
		{`{"mcpServers": {"auth0": {"command": "npx", "env": {"AUTH0MCP_TOKEN_COMMAND": "auth0.exe api post x"}}}}`, ui.StatusWarn},
		{`{"mcpServers": {"auth0": {"command": "npx", "args": ["-y", "@auth0/auth0-mcp-server", "run"]}}}`, ""},
		{`{"mcpServers": {"auth0": {"command": "myauth0 apis"}}}`, ""},
	} {
		path := writeConfig(t, tc.config)
		c := configfix.Load(path, configfix.ClaudeDesktop)
		got := hangCauses(c, c.Servers()[0])
		switch {
		case tc.want == "" && len(got) != 0:
			t.Errorf("%s: unexpected %+v", tc.config, got)
		case tc.want != "" && (len(got) != 1 || got[0].Status != tc.want):
			t.Errorf("%s: got %+v, want one %s", tc.config, got, tc.want)
		}
	}
}

func TestLauncherFlag(t *testing.T) {
	path := writeConfig(t, `{"mcpServers": {"auth0": {"command": "/x/auth0mcp",
		"args": ["run", "--token-url=http://127.0.0.1:9/oauth/token", "--no-cache", "--token-command", "get-token", "--", "npx", "--token-command", "no"]}}}`)
	s := loadOne(t, path)
	if got := launcherFlag(s, "token-url"); got != "http://127.0.0.1:9/oauth/token" {
		t.Errorf("token-url %q", got)
	}
	if got := launcherFlag(s, "token-command"); got != "get-token" {
		t.Errorf("token-command %q", got)
	}
	if !launcherHas(s, "no-cache") {
		t.Error("no-cache not seen")
	}
}
