package doctor

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auth0mcp/auth0mcp/configfix"
)

// canary is a GitHub-shaped token planted wherever a fuzzed config says
// CANARY. It must never appear in any rendering of the report.
const canary = "ghp_Zq8WmN3kP5tR7vX9yB2dF4hJ6lQ0sU1wE3gI"

// FuzzDoctor runs the parser, the audit and every offline check except the
// one that starts node on fuzzed configs: no panic, and no secret the audit
// found (nor the canary) in the plain, styled or JSON report.
func FuzzDoctor(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/cases/*.json")
	for _, s := range seeds {
		if strings.HasSuffix(s, ".expect.json") {
			continue
		}
		b, _ := os.ReadFile(s)
		f.Add(b)
	}
	f.Add([]byte(`{"mcpServers":{"x":{"command":"npx","args":["--token","CANARY"],"env":{"T":"CANARY"}}}}`))
	f.Add([]byte(`{"mcpServers":{"x":{"command":"npx","args":["https://u:CANARY@h/p?token=CANARY"]}},}`))
	f.Add([]byte("{\"a\": \"CANARY\" // x\n}"))
	f.Add([]byte("{\"a\": \"CANARY\n\"}"))

	var only []string
	for _, c := range Checks() {
		if c.ID != "auth0-command" {
			only = append(only, c.ID)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		b = bytes.ReplaceAll(b, []byte("CANARY"), []byte(canary))
		path := filepath.Join(dir, "config.json")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		rep := Run(context.Background(), Options{Configs: []string{path}, Offline: true, Only: only,
			Now: func() time.Time { return fixedNow }, CheckTimeout: 5 * time.Second})
		if d := time.Since(start); d > 2*time.Second || rep.Summary.Timeout > 0 {
			t.Fatalf("doctor took %s on a %d-byte config (%d timeouts)", d, len(b), rep.Summary.Timeout)
		}
		c := configfix.Load(path, configfix.ClaudeDesktop)
		var found []string
		if c.Root != nil {
			for _, f := range c.Audit(fixedNow).Findings {
				found = append(found, f.Secret())
				if f.Secret() == "" {
					t.Fatalf("finding without a secret: %+v", f)
				}
			}
		}
		if bytes.Contains(b, []byte(canary)) && c.Root != nil && len(found) == 0 {
			// The canary is only guaranteed to be found inside a string.
			if strings.Contains(stringValues(c.Root), canary) {
				t.Fatalf("planted canary not found by the audit")
			}
		}
		found = append(found, canary)
		assertNoSecrets(t, rep, found)
	})
}

// stringValues joins every string value and key of a parsed document.
func stringValues(n *configfix.Node) string {
	var b strings.Builder
	var walk func(n *configfix.Node)
	walk = func(n *configfix.Node) {
		switch n.Kind {
		case configfix.String:
			b.WriteString(n.Str + "\n")
		case configfix.Object:
			for _, m := range n.Members {
				walk(m.Value)
			}
		case configfix.Array:
			for _, e := range n.Elems {
				walk(e)
			}
		}
	}
	walk(n)
	return b.String()
}
