package configfix

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzFix rewrites arbitrary JSON documents, and documents built around
// fuzzed names and values with planted secrets: the result always parses,
// holds no removed secret, changes only planned places (verify checks
// that, so an error here is a failure), and a second run is a no-op.
func FuzzFix(f *testing.F) {
	files, _ := filepath.Glob("../testdata/cases/*.json")
	for _, p := range files {
		if strings.HasSuffix(p, ".expect.json") {
			continue
		}
		b, _ := os.ReadFile(p)
		f.Add(b, "auth0", "AUTH0_TOKEN", "-y")
	}
	f.Add([]byte(`{"mcpServers":{"a.b":{"command":"npx","args":[]}}}`), "a/b~c", "API_KEY", "--token")
	f.Add([]byte(`[]`), "x", "", "")
	f.Fuzz(func(t *testing.T, doc []byte, name, key, arg string) {
		check(t, doc, true)
		// The same doc with a planted Auth0 entry and another server.
		entry := map[string]any{
			"command": "npx",
			"args":    []string{"-y", "@auth0/auth0-mcp-server", arg, "--api-key", "sk-ant-api03-" + strings.Repeat("Zq8W", 10)},
			"env": map[string]string{
				"AUTH0_TOKEN": "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL3guYXV0aDAuY29tLyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
				key:           "ghp_" + strings.Repeat("aB3d", 9),
			},
		}
		planted, _ := json.MarshalIndent(map[string]any{"mcpServers": map[string]any{name: entry, "auth0": entry}, "other": json.RawMessage(validOr(doc))}, "", "\t")
		check(t, planted, false)
	})
}

func validOr(doc []byte) []byte {
	if _, err := ParseStrict(doc); err == nil {
		return doc
	}
	return []byte("null")
}

func check(t *testing.T, doc []byte, mayFail bool) {
	c := &Config{Client: ClaudeDesktop, Path: "/fuzz.json", Exists: true}
	c.Parse(doc)
	for _, all := range []bool{false, true} {
		plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, All: all, Now: testNow})
		if err != nil {
			if mayFail && (c.Strict != nil || c.Root == nil || c.Root.Kind != Object) {
				continue
			}
			t.Fatalf("plan failed on a strict JSON object: %v\n%s", err, doc)
		}
		if _, perr := ParseStrict(plan.After); perr != nil {
			t.Fatalf("result does not parse: %v", perr)
		}
		for _, r := range plan.Removed {
			if bytes.Contains(plan.After, []byte(r.Secret())) {
				t.Fatalf("removed secret at %s still in the result", r.Pointer)
			}
		}
		again := &Config{Client: ClaudeDesktop, Path: "/fuzz.json", Exists: true}
		again.Parse(plan.After)
		p2, err := again.PlanFix(FixOptions{Launcher: testLauncher, All: all, Now: testNow})
		if err != nil {
			t.Fatalf("second run failed: %v", err)
		}
		if p2.Changed() {
			t.Fatalf("second run changed the file again: %+v\n%s", p2.Edits, plan.After)
		}
	}
}
