//go:build unix

package token

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCommandSource(t *testing.T) {
	ctx := ctxT(t)
	live := makeJWT(t, "a.auth0.com", time.Now().Add(time.Hour))
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(live+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, command string
		want          Status
		detail        string
	}{
		{"succeeds", "cat " + tokenFile, StatusOK, ""},
		{"fails", "echo 'login required: run auth0 login' >&2; exit 3", StatusError,
			"login required: run auth0 login"},
		{"prints nothing", "true", StatusMissing, "printed nothing"},
		{"prints two words", "echo one two", StatusError, "only the token"},
		{"reads stdin", "cat; cat " + tokenFile, StatusOK, ""},
		{"wrong tenant", "cat " + tokenFile, StatusWrongDomain, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Query{Domain: "a.auth0.com"}
			if tt.want == StatusWrongDomain {
				q.Domain = "b.auth0.com"
			}
			src := &CommandSource{Command: tt.command, Deadline: 3 * time.Second}
			a := try(ctx, src, q, 0)
			err := a.Err
			wantStatus(t, err, tt.want)
			if tt.want == StatusOK && a.Token.Value() != live {
				t.Errorf("token = %v", a.Token)
			}
			if tt.detail != "" && !strings.Contains(a.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", a.Detail, tt.detail)
			}
			if err != nil && strings.Contains(err.Error(), live) {
				t.Error("error shows the token")
			}
		})
	}
}

// TestCommandGetsDomainInEnv checks the documented contract: the script
// learns the tenant from AUTH0_DOMAIN, and its argv holds nothing else than
// sh -c and the command.
func TestCommandGetsDomainInEnv(t *testing.T) {
	dir := t.TempDir()
	script := `printf %s "$AUTH0_DOMAIN" > ` + dir + `/domain; ` +
		`tr '\0' ' ' < /proc/$$/cmdline > ` + dir + `/argv; echo opaque-token-for-a`
	src := &CommandSource{Command: script, Env: []string{"PATH=" + os.Getenv("PATH"),
		"AUTH0_DOMAIN=wrong.auth0.com"}}
	tok, err := src.Fetch(ctxT(t), Query{Domain: "a.auth0.com"})
	if err != nil || tok.Domain != "a.auth0.com" {
		t.Fatalf("Fetch = %v, %v", tok, err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "domain"))
	if string(got) != "a.auth0.com" {
		t.Errorf("script saw AUTH0_DOMAIN=%q", got)
	}
	argv, _ := os.ReadFile(filepath.Join(dir, "argv"))
	if !strings.HasPrefix(string(argv), "sh -c ") {
		t.Errorf("argv = %q", argv)
	}
}

// TestCommandHangs runs a script that starts a child holding stdout and
// never finishes: the source must return at the deadline plus a small
// margin, and leave no process of the group running.
func TestCommandHangs(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	scripts := map[string]string{
		"hangs with child": `echo $$ > ` + pidFile + `; sleep 30 & echo partial; sleep 30`,
		"exits, child holds stdout": `echo $$ > ` + pidFile + `; ` +
			`(sleep 30; echo late) & echo opaque-token-value; exit 0`,
	}
	for name, script := range scripts {
		t.Run(name, func(t *testing.T) {
			os.Remove(pidFile)
			const deadline = 500 * time.Millisecond
			src := &CommandSource{Command: script, Deadline: deadline}
			start := time.Now()
			a := try(ctxT(t), src, Query{}, 0)
			took := time.Since(start)
			t.Logf("%s: %s after %v: %s", name, a.Status, took.Round(time.Millisecond), a.Detail)
			if took > deadline+700*time.Millisecond {
				t.Errorf("took %v, want at most the deadline %v plus 700ms", took, deadline)
			}
			if strings.HasPrefix(name, "hangs") {
				wantStatus(t, a.Err, StatusTimeout)
			} else {
				wantStatus(t, a.Err, StatusOK)
			}
			waitGone(t, readPID(t, pidFile))
		})
	}
}
