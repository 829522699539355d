package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/internal/ui"
)

// fixedNow is the clock of every test: some case tokens expired before it,
// others live until 2031.
var fixedNow = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

type expectation struct {
	Flag  []string `json:"flag"`
	Clean []string `json:"clean"`
	Parse string   `json:"parse"`
}

// extra says, per case, which check results the case's notes call for.
var extra = map[string][]struct {
	id     string
	status ui.Status
	detail string
}{
	"01-auth0-init":             {{"auth0-version", ui.StatusWarn, "no version"}},
	"02-auth0-stored-token":     {{"secrets", ui.StatusFail, "expired Auth0 Management API token for acme-dev.us.auth0.com"}},
	"03-token-without-domain":   {{"auth0-entry", ui.StatusFail, "without AUTH0_DOMAIN"}, {"secrets", ui.StatusFail, "live Auth0 Management API token"}},
	"04-wrapper-token-arg":      {{"auth0-version", ui.StatusSkip, "version is not visible"}},
	"05-many-servers-crlf":      {{"references", ui.StatusWarn, "/mcpServers/gitlab/env/GITLAB_PERSONAL_ACCESS_TOKEN holds a variable reference"}, {"references", ui.StatusWarn, "/mcpServers/brave-search/env/BRAVE_API_KEY is empty"}},
	"06-trailing-comma":         {{"parse", ui.StatusFail, "line 7"}, {"parse", ui.StatusFail, "trailing comma"}},
	"07-bom":                    {{"parse", ui.StatusFail, "byte order mark"}},
	"08-tabs-client-secret":     {{"auth0-entry", ui.StatusWarn, "does not read"}},
	"09-url-secrets":            {{"schema", ui.StatusWarn, "/mcpServers/zapier: a remote entry"}},
	"10-duplicate-keys":         {{"duplicates", ui.StatusWarn, "/mcpServers/auth0/env/AUTH0_TOKEN appears 2 times"}},
	"11-empty-object":           {{"auth0-entry", ui.StatusWarn, "not configured"}},
	"12-zero-bytes":             {{"parse", ui.StatusFail, "empty"}},
	"13-auth0-dotted-name-crlf": {{"auth0-version", ui.StatusOK, "0.1.0-beta.19"}},
}

func TestCases(t *testing.T) {
	files, _ := filepath.Glob("../testdata/cases/*.expect.json")
	if len(files) != len(extra) {
		t.Fatalf("found %d cases, the table knows %d", len(files), len(extra))
	}
	for _, ef := range files {
		name := strings.TrimSuffix(filepath.Base(ef), ".expect.json")
		t.Run(name, func(t *testing.T) {
			var want expectation
			raw, err := os.ReadFile(ef)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			path, _ := filepath.Abs(filepath.Join("../testdata/cases", name+".json"))
			rep := Run(context.Background(), Options{Configs: []string{path}, Offline: true, Now: func() time.Time { return fixedNow }})

			if len(rep.Configs) != 1 || rep.Configs[0].Parse != want.Parse || rep.Configs[0].Path != path {
				t.Fatalf("configs = %+v, want parse %q at %s", rep.Configs, want.Parse, path)
			}
			got := map[string]bool{}
			for _, f := range rep.Findings {
				got[f.Pointer] = true
				if f.Config != path {
					t.Errorf("finding config = %q, want %q", f.Config, path)
				}
			}
			for _, p := range want.Flag {
				if !got[p] {
					t.Errorf("flagged pointer %s not reported; findings: %v", p, pointers(rep.Findings))
				}
			}
			for _, p := range want.Clean {
				if got[p] {
					t.Errorf("clean pointer %s reported", p)
				}
			}
			for _, x := range extra[name] {
				if !hasResult(rep, x.id, x.status, x.detail) {
					t.Errorf("no %s result with status %s mentioning %q; results:\n%s", x.id, x.status, x.detail, dump(rep))
				}
			}
			if len(want.Flag) > 0 && rep.OK {
				t.Errorf("a stored secret must fail the run")
			}
			assertNoSecrets(t, rep, secretsOf(t, path))
		})
	}
}

func pointers(fs []configfix.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Pointer+" ("+f.Rule+")")
	}
	return out
}

func hasResult(rep *Report, id string, st ui.Status, detail string) bool {
	for _, r := range rep.Checks {
		if r.ID == id && r.Status == st && strings.Contains(r.Detail, detail) {
			return true
		}
	}
	return false
}

func dump(rep *Report) string {
	var b bytes.Buffer
	rep.Render(ui.Plain(&b), false)
	return b.String()
}

// secretsOf returns the secret part of every finding in the file.
func secretsOf(t *testing.T, path string) []string {
	t.Helper()
	c := configfix.Load(path, configfix.ClaudeDesktop)
	var out []string
	for _, f := range c.Audit(fixedNow).Findings {
		out = append(out, f.Secret())
	}
	return out
}

// assertNoSecrets renders the report every way doctor can and checks that
// no piece of a secret longer than its preview shows up.
func assertNoSecrets(t *testing.T, rep *Report, secrets []string) {
	t.Helper()
	var plain, styled, js bytes.Buffer
	rep.Render(ui.Plain(&plain), true)
	rep.Render(ui.Styled(&styled), true)
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for _, out := range []struct{ name, text string }{{"plain", plain.String()}, {"styled", styled.String()}, {"json", js.String()}} {
		for _, s := range secrets {
			if leak := leakedPiece(out.text, s); leak != "" {
				t.Errorf("%s output contains a piece of a secret: %q", out.name, leak)
			}
		}
	}
}

// leakedPiece returns a 10-character piece of secret, beyond its first 4
// characters or vendor prefix, that occurs in text.
func leakedPiece(text, secret string) string {
	const n = 10
	start := 4
	if i := strings.IndexAny(secret, "_-"); i >= 0 && i < 12 {
		start = i + 1
	}
	for i := start; i+n <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+n]) {
			return secret[i : i+n]
		}
	}
	return ""
}
