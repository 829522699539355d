package configfix

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pmezard/go-difflib/difflib"
)

var testNow = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

const testLauncher = "/usr/local/bin/auth0mcp"

type caseExpect struct {
	Flag  []string `json:"flag"`
	Parse string   `json:"parse"`
}

func loadCase(t *testing.T, name string) (*Config, caseExpect) {
	t.Helper()
	var want caseExpect
	raw, err := os.ReadFile(filepath.Join("../testdata/cases", name+".expect.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	return Load(filepath.Join("../testdata/cases", name+".json"), ClaudeDesktop), want
}

func caseNames(t *testing.T) []string {
	files, _ := filepath.Glob("../testdata/cases/*.expect.json")
	if len(files) == 0 {
		t.Fatal("no cases")
	}
	var out []string
	for _, f := range files {
		out = append(out, strings.TrimSuffix(filepath.Base(f), ".expect.json"))
	}
	return out
}

// TestFixCases runs the rewrite on every shared case, with and without
// --all, and checks what the cases README asks of fix-config.
func TestFixCases(t *testing.T) {
	for _, name := range caseNames(t) {
		for _, all := range []bool{false, true} {
			t.Run(name+map[bool]string{false: "", true: "/all"}[all], func(t *testing.T) {
				c, want := loadCase(t, name)
				plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, All: all, Repair: true, Now: testNow})
				if name == "12-zero-bytes" {
					if err == nil {
						t.Fatal("an empty file must be refused: there is nothing to keep")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				after := plan.After
				if _, err := ParseStrict(after); err != nil {
					t.Fatalf("result is not strict JSON: %v", err)
				}

				// Every flagged value of an Auth0 entry is gone (with --all:
				// every flagged value), and no other value is.
				audit := c.Audit(testNow)
				for _, f := range audit.Findings {
					if !contains(want.Flag, f.Pointer) {
						continue
					}
					gone := !bytes.Contains(after, []byte(f.Secret()))
					if (f.Auth0 || all) && !gone {
						t.Errorf("flagged value at %s survived the rewrite", f.Pointer)
					}
					if !f.Auth0 && !all && gone {
						t.Errorf("value at %s of a non-Auth0 server was removed without --all", f.Pointer)
					}
				}

				assertLocalEdits(t, c, plan)
				if bytes.Contains(c.Raw, []byte("\r\n")) && bytes.Count(after, []byte("\n")) != bytes.Count(after, []byte("\r\n")) {
					t.Errorf("a CRLF file got a bare LF")
				}
				if bytes.HasSuffix(c.Raw, []byte("\n")) != bytes.HasSuffix(after, []byte("\n")) && plan.Changed() {
					t.Errorf("the final newline changed")
				}

				// A second run finds nothing to do.
				again := &Config{Client: ClaudeDesktop, Path: c.Path, Exists: true}
				again.Parse(after)
				p2, err := again.PlanFix(FixOptions{Launcher: testLauncher, All: all, Now: testNow})
				if err != nil {
					t.Fatalf("second run: %v", err)
				}
				if p2.Changed() || len(p2.Edits) > 0 {
					t.Errorf("second run is not a no-op: %+v", p2.Edits)
				}
			})
		}
	}
}

// assertLocalEdits checks that every line the rewrite changed or removed
// lies inside a server entry it edited (or holds a repaired character), so
// every other line stays byte for byte.
func assertLocalEdits(t *testing.T, c *Config, plan *Plan) {
	t.Helper()
	type span struct{ from, to int }
	var allowed []span
	for _, s := range c.Servers() {
		for _, e := range plan.Edits {
			if e.Server == s.Name && s.Node != nil {
				allowed = append(allowed, span{c.Line(s.Node.Start), c.Line(s.Node.End)})
				break
			}
		}
	}
	for _, e := range plan.Edits {
		if e.Server == "" && e.Pointer != "" {
			allowed = append(allowed, span{1, 1 << 30}) // outside servers: checked by verify
		}
	}
	_, junk, _ := parseJunk(c.Raw)
	for _, j := range junk {
		allowed = append(allowed, span{c.Line(j.Start), c.Line(j.End)})
	}
	a := difflib.SplitLines(string(c.Raw))
	b := difflib.SplitLines(string(plan.After))
	for _, op := range difflib.NewMatcher(a, b).GetOpCodes() {
		if op.Tag == 'e' || op.Tag == 'i' {
			continue
		}
		for line := op.I1 + 1; line <= op.I2; line++ {
			ok := false
			for _, s := range allowed {
				if line >= s.from && line <= s.to {
					ok = true
				}
			}
			if !ok {
				t.Errorf("line %d changed outside the edited entries: %q", line, a[line-1])
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestFixRefusesNotStrictWithoutRepair(t *testing.T) {
	c, _ := loadCase(t, "06-trailing-comma")
	_, err := c.PlanFix(FixOptions{Launcher: testLauncher, Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "--repair") || !strings.Contains(err.Error(), "line 7") {
		t.Fatalf("err = %v, want a refusal naming line 7 and --repair", err)
	}
}

func TestFixKeychainModeOnlyRemoves(t *testing.T) {
	c, _ := loadCase(t, "02-auth0-stored-token")
	plan, err := c.PlanFix(FixOptions{Mode: ModeKeychain, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Edits) != 1 || plan.Edits[0].Action != "remove" {
		t.Fatalf("edits = %+v, want one removal", plan.Edits)
	}
	if !bytes.Contains(plan.After, []byte(`"command": "npx"`)) || !bytes.Contains(plan.After, []byte(`"DEBUG": "auth0-mcp"`)) {
		t.Errorf("keychain mode changed more than the secret:\n%s", plan.After)
	}
}

func TestFixSetsDomainFromIssuer(t *testing.T) {
	c, _ := loadCase(t, "03-token-without-domain")
	plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	root, _ := ParseStrict(plan.After)
	s := root.Get("mcpServers").Get("auth0")
	if got := s.Get("env").Get("AUTH0_DOMAIN").Str; got != "beta-corp.eu.auth0.com" {
		t.Errorf("AUTH0_DOMAIN = %q", got)
	}
	if got := s.Get("command").Str; got != testLauncher {
		t.Errorf("command = %q", got)
	}
	var args []string
	for _, e := range s.Get("args").Elems {
		args = append(args, e.Str)
	}
	want := "run -- /usr/local/bin/npx -y @auth0/auth0-mcp-server@0.1.0-beta.19 run"
	if strings.Join(args, " ") != want {
		t.Errorf("args = %q, want %q", strings.Join(args, " "), want)
	}
}

func TestFixLeavesOtherServers(t *testing.T) {
	c, _ := loadCase(t, "05-many-servers-crlf")
	plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Changed() || len(plan.Left) != 5 {
		t.Errorf("changed=%v left=%d, want no change and 5 servers left", plan.Changed(), len(plan.Left))
	}
	plan, _ = c.PlanFix(FixOptions{Launcher: testLauncher, All: true, Now: testNow})
	if len(plan.Lacks) != 5 {
		t.Errorf("lacks = %v", plan.Lacks)
	}
}

func TestDryRunDiffMasksSecrets(t *testing.T) {
	for _, name := range caseNames(t) {
		c, _ := loadCase(t, name)
		plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, All: true, Repair: true, Now: testNow})
		if err != nil {
			continue
		}
		d := plan.Diff()
		for _, f := range c.Audit(testNow).Findings {
			if strings.Contains(d, f.Secret()) {
				t.Errorf("%s: the diff shows the secret at %s", name, f.Pointer)
			}
		}
		if plan.Changed() && !strings.Contains(d, "+++ ") {
			t.Errorf("%s: no diff for a change", name)
		}
	}
}

func TestFixRefusesEntriesItCannotRead(t *testing.T) {
	// args as one string: not read as the Auth0 entry, so left as it is.
	c := load(t, `{"mcpServers": {"auth0": {"command": "npx", "args": "-y @auth0/auth0-mcp-server run --token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"}}}`)
	if plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, Now: testNow}); err != nil || plan.Changed() {
		t.Errorf("an entry with args as a string was rewritten (err %v)", err)
	}
	for _, src := range []string{
		`{"mcpServers": {"auth0": {"command": "npx", "args": ["-y", "@auth0/auth0-mcp-server", 3], "env": {"AUTH0_TOKEN": "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"}}}}`,
		`{"mcpServers": {"auth0": {"command": "npx", "args": ["-y", "@auth0/auth0-mcp-server"], "env": ["AUTH0_TOKEN=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"]}}}`,
	} {
		c := load(t, src)
		if _, err := c.PlanFix(FixOptions{Launcher: testLauncher, Now: testNow}); err == nil || !strings.Contains(err.Error(), "correct the entry first") {
			t.Errorf("err = %v for %s", err, src)
		}
	}
}

func TestFixLeavesOtherAuth0Apps(t *testing.T) {
	// AUTH0_* variables and a name are not enough to call an entry the
	// Auth0 MCP server: wrapping it would hand it a Management API token.
	c := load(t, `{"mcpServers": {"my-auth0-api": {"command": "node", "args": ["/x/mcp.js"], "env": {"AUTH0_AUDIENCE": "https://api.x", "OPENAI_API_KEY": "sk-proj-Zq8WmN3kP5tR7vX9yB2dF4hJ6lQ0sU1wE3gIZq8WmN3k"}}}}`)
	plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Changed() || len(plan.Left) != 1 {
		t.Errorf("changed=%v left=%v: another app's entry was rewritten", plan.Changed(), plan.Left)
	}
}

func TestDiffMasksEscapedSecrets(t *testing.T) {
	c := load(t, "{\n  \"mcpServers\": {\n    \"aws\": {\n      \"command\": \"uvx\",\n      \"env\": {\n        \"AWS_SECRET_ACCESS_KEY\": \"wJalrXUtnFEMI\\/K7MDENG\\/bPxRfiCYzzAMPLEKEY\",\n        \"GH\": \"\\u0067hp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\"\n      }\n    }\n  }\n}\n")
	plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, All: true, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	d := plan.Diff()
	for _, piece := range []string{"K7MDENG", "bPxRfiCY", "aB3dE5fG7h"} {
		if strings.Contains(d, piece) {
			t.Errorf("the diff shows %q:\n%s", piece, d)
		}
	}
}

func TestSecretKeysAreFoundAndNeverShown(t *testing.T) {
	c := load(t, `{"mcpServers": {"github": {"command": "npx", "env": {"ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5": "x"}}}, "preferences": {"ghp_Zq8WmN3kP5tR7vX9yB2dF4hJ6lQ0sU1wE3gI": true}}`)
	a := c.Audit(testNow)
	if len(a.Findings) != 2 {
		t.Fatalf("findings = %d, want both keys", len(a.Findings))
	}
	for _, f := range a.Findings {
		if strings.Contains(f.Pointer, "aB3dE5fG7h") || strings.Contains(f.Pointer, "Zq8WmN3kP5") {
			t.Errorf("pointer shows the secret: %s", f.Pointer)
		}
	}
	plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, All: true, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plan.After, []byte("aB3dE5fG7h")) || bytes.Contains(plan.After, []byte("Zq8WmN3kP5")) {
		t.Errorf("--all left a secret key:\n%s", plan.After)
	}
}

func TestSyntaxErrorsNeverShowSecrets(t *testing.T) {
	for _, src := range []string{
		`{"mcpServers":{"github":{"command":"npx","env":{"ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5" "x"}}}}`,
		`{"a": "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3guYXV0aDAuY29tLyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtc2lnbmF0dXJl" // x` + strings.Repeat(" ", 200) + "\n}",
	} {
		_, err := ParseStrict([]byte(src))
		if err == nil {
			t.Fatalf("parsed: %s", src)
		}
		text := err.Error() + err.Excerpt
		for _, piece := range []string{"aB3dE5fG7h", "c2lnbmF0dXJlLXNp", "eyJpc3MiOiJodHRw"} {
			if strings.Contains(text, piece) {
				t.Errorf("%q shows %q", text, piece)
			}
		}
	}
}

// TestFixMovesTheClientSecret: the launcher needs AUTH0_CLIENT_SECRET to
// fetch a token with client credentials, so it moves to the keychain and
// comes back through --secret, rather than being thrown away.
func TestFixMovesTheClientSecret(t *testing.T) {
	c, _ := loadCase(t, "08-tabs-client-secret")
	plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Stores) != 1 || plan.Stores[0].Account != "claude-desktop/auth0/AUTH0_CLIENT_SECRET" ||
		!strings.HasPrefix(plan.Stores[0].Value(), "Lb6rNPfS") {
		t.Fatalf("stores = %+v", plan.Stores)
	}
	if !bytes.Contains(plan.After, []byte("\"--secret\",\n\t\t\t\t\"claude-desktop/auth0/AUTH0_CLIENT_SECRET\"")) {
		t.Errorf("the launcher does not read the moved secret:\n%s", plan.After)
	}
	// In keychain mode the server reads its own keychain: the secret goes.
	plan, _ = c.PlanFix(FixOptions{Mode: ModeKeychain, Now: testNow})
	if len(plan.Stores) != 0 || bytes.Contains(plan.After, []byte("Lb6rNPfS")) {
		t.Errorf("keychain mode: stores %v", plan.Stores)
	}
}
