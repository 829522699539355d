package configfix

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestClientFixtures audits and rewrites a real-shaped file of every
// client: the findings are where they should be, and the rewritten file
// is still valid for that client (comments and trailing commas kept where
// the client allows them), and a second run is a no-op.
func TestClientFixtures(t *testing.T) {
	tests := []struct {
		file, client string
		flag         []string
		clean        []string
	}{
		{"vscode-mcp.json", VSCode,
			[]string{"/servers/auth0/env/AUTH0_TOKEN", "/servers/remote/headers/Authorization"},
			[]string{"/servers/github/env/GITHUB_PERSONAL_ACCESS_TOKEN"}},
		{"cursor-mcp.json", Cursor,
			[]string{"/mcpServers/slack/env/SLACK_BOT_TOKEN", "/mcpServers/linear/headers/Authorization"},
			[]string{"/mcpServers/github/env/GITHUB_PERSONAL_ACCESS_TOKEN", "/mcpServers/slack/env/SLACK_TEAM_ID"}},
		{"windsurf-mcp_config.json", Windsurf,
			[]string{"/mcpServers/context7/serverUrl"},
			[]string{"/mcpServers/brave/env/BRAVE_API_KEY"}},
		{"gemini-settings.json", Gemini,
			[]string{"/mcpServers/auth0/env/AUTH0_CLIENT_SECRET"},
			[]string{"/mcpServers/github/env/GITHUB_PERSONAL_ACCESS_TOKEN", "/mcpServers/auth0/env/AUTH0_CLIENT_ID"}},
		{"claude-code.json", ClaudeCode,
			[]string{"/projects/~1home~1sam~1src~1project-017/mcpServers/github/env/GITHUB_PERSONAL_ACCESS_TOKEN"},
			[]string{"/projects/~1home~1sam~1src~1project-042/mcpServers/auth0/env/AUTH0_TOKEN"}},
	}
	for _, tt := range tests {
		t.Run(tt.client, func(t *testing.T) {
			path := filepath.Join("../testdata/clients", tt.file)
			c := Load(path, "")
			if c.Client != tt.client && tt.client != Cursor && tt.client != Windsurf && tt.client != Gemini {
				t.Errorf("guessed %s, want %s", c.Client, tt.client)
			}
			c = Load(path, tt.client)
			if !c.ParseOK() {
				t.Fatalf("%s cannot load its own file: %v", tt.client, c.Strict)
			}
			got := map[string]bool{}
			for _, f := range c.Audit(testNow).Findings {
				got[f.Pointer] = true
			}
			for _, p := range tt.flag {
				if !got[p] {
					t.Errorf("%s not reported; got %v", p, got)
				}
			}
			for _, p := range tt.clean {
				if got[p] {
					t.Errorf("%s reported", p)
				}
			}

			for _, opt := range []FixOptions{
				{Launcher: testLauncher, Now: testNow},
				{Launcher: testLauncher, All: true, Vault: true, Now: testNow},
				{Launcher: testLauncher, All: true, Now: testNow},
			} {
				plan, err := c.PlanFix(opt)
				if err != nil {
					t.Fatal(err)
				}
				after := &Config{Client: tt.client, Path: path, Exists: true}
				after.Parse(plan.After)
				if !after.ParseOK() {
					t.Fatalf("the rewrite is not valid for %s: %v", tt.client, after.Strict)
				}
				if c.Strict == nil && after.Strict != nil {
					t.Errorf("a strict file became lenient")
				}
				if bytes.Contains(c.Raw, []byte("//")) && bytes.Count(plan.After, []byte("//")) < bytes.Count(c.Raw, []byte("// ")) {
					t.Errorf("comments were lost")
				}
				p2, err := after.PlanFix(opt)
				if err != nil || p2.Changed() {
					t.Errorf("second run: %v, changed %v", err, p2 != nil && p2.Changed())
				}
			}
		})
	}
}

func TestReferencesPerClient(t *testing.T) {
	src := `{"mcpServers": {"x": {"command": "npx", "env": {"A_TOKEN": "${env:A_TOKEN}", "B_TOKEN": "${B_TOKEN}"}}}}`
	for client, wantExpanded := range map[string][]string{
		ClaudeDesktop: {},
		Cursor:        {"env"},
		ClaudeCode:    {"dollar-brace"},
	} {
		c := load(t, src)
		c.Client = client
		var expanded []string
		for _, n := range c.Audit(testNow).References {
			if c.Rules().ExpandsRef(n.Syntax) {
				expanded = append(expanded, n.Syntax)
			}
		}
		if strings.Join(expanded, ",") != strings.Join(wantExpanded, ",") {
			t.Errorf("%s expands %v, want %v", client, expanded, wantExpanded)
		}
	}
}
