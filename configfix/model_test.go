package configfix

import (
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, src string) *Config {
	t.Helper()
	c := &Config{Client: ClaudeDesktop, Path: "/x.json", Exists: true}
	c.Parse([]byte(src))
	if c.Root == nil {
		t.Fatalf("unparsable test input: %v", c.Loose)
	}
	return c
}

func TestSchemaProblems(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // pointer: message fragment
	}{
		{"ok", `{"mcpServers": {"a": {"command": "npx", "args": ["-y"], "env": {"A": "b"}}}}`, nil},
		{"top level array", `[]`, []string{": the top level is an array"}},
		{"mcpServers array", `{"mcpServers": []}`, []string{"/mcpServers: mcpServers is an array"}},
		{"no command", `{"mcpServers": {"a": {"args": []}}}`, []string{"/mcpServers/a: the entry has no \"command\""}},
		{"command number", `{"mcpServers": {"a": {"command": 1}}}`, []string{"/mcpServers/a/command: \"command\" is a number"}},
		{"args string", `{"mcpServers": {"a": {"command": "x", "args": "-y pkg"}}}`, []string{"/mcpServers/a/args: \"args\" is a string"}},
		{"arg number", `{"mcpServers": {"a": {"command": "x", "args": ["a", 3]}}}`, []string{"/mcpServers/a/args/1: argument 1 is a number"}},
		{"env value bool", `{"mcpServers": {"a": {"command": "x", "env": {"READ_ONLY": true}}}}`, []string{"/mcpServers/a/env/READ_ONLY: READ_ONLY is a boolean"}},
		{"env null", `{"mcpServers": {"a": {"command": "x", "env": null}}}`, []string{"/mcpServers/a/env: \"env\" is null"}},
		{"remote", `{"mcpServers": {"z": {"url": "https://x/mcp"}}}`, []string{"/mcpServers/z: a remote entry"}},
		{"outside", `{"servers": {"a": {"command": "x"}}, "auth0": {"command": "npx", "args": []}}`,
			[]string{"/servers: \"servers\" looks like server entries", "/auth0: \"auth0\" looks like server entries"}},
		{"preferences are not entries", `{"preferences": {"a": 1}, "mcpServers": {}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := load(t, tt.src).Schema()
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems %+v, want %d", len(got), got, len(tt.want))
			}
			for i, p := range got {
				line := p.Pointer + ": " + p.Message
				if !strings.HasPrefix(line, tt.want[i]) || p.Fix == "" {
					t.Errorf("problem %d = %q (fix %q), want prefix %q", i, line, p.Fix, tt.want[i])
				}
			}
		})
	}
}

func TestServersShadowedAndAuth0(t *testing.T) {
	c := load(t, `{"mcpServers": {"a": {"command": "x"}, "auth0": {"command": "npx", "args": ["-y", "@auth0/auth0-mcp-server@0.1.0-beta.12"]}, "a": {"command": "y"}},
		"x": 1}`)
	s := c.Servers()
	if len(s) != 3 || !s[0].Shadowed || s[1].Shadowed || s[2].Shadowed || s[2].Command != "y" {
		t.Fatalf("servers = %+v", s)
	}
	if !s[1].IsAuth0() || s[0].IsAuth0() {
		t.Errorf("IsAuth0 wrong")
	}
	v := ParseVersion(s[1].Args[s[1].PackageArg()])
	if !v.Pinned || v.Beta != 12 {
		t.Errorf("version = %+v", v)
	}
	for arg, want := range map[string]Version{
		"@auth0/auth0-mcp-server":        {Beta: -1},
		"@auth0/auth0-mcp-server@latest": {Raw: "latest", Beta: -1},
		"@auth0/auth0-mcp-server@^0.1.0": {Raw: "^0.1.0", Beta: -1},
		"@auth0/auth0-mcp-server@1.2.0":  {Raw: "1.2.0", Pinned: true, Beta: -1, Newer: true},
	} {
		if got := ParseVersion(arg); got != want {
			t.Errorf("ParseVersion(%q) = %+v, want %+v", arg, got, want)
		}
	}
}

func TestAuditLocations(t *testing.T) {
	now := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	c := load(t, `{
  "mcpServers": {
    "gh": {"command": "docker", "args": ["run", "-e", "GITHUB_TOKEN=ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5"], "env": {"EMPTY_TOKEN": "", "REF": "${GH}", "ID": "T0123"}},
    "remote": {"command": "npx", "args": ["mcp-remote", "https://x.example/mcp"], "headers": {"Authorization": "Bearer abcdefghijklmnopqrstuvwxyz0123456789ABCD"}},
    "a/b": {"command": "x", "env": {"API_KEY": "sk-ant-api03-aaaaBBBBccccDDDDeeeeFFFFggggHHHH"}}
  },
  "preferences": {"someId": "f3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "k": "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ6"}
}`)
	a := c.Audit(now)
	got := map[string]string{}
	for _, f := range a.Findings {
		got[f.Pointer] = f.Rule
		if strings.Contains(f.Preview, f.Secret()) || len(f.Fingerprint) != 8 {
			t.Errorf("finding %s shows too much: %+v", f.Pointer, f)
		}
	}
	for _, p := range []string{"/mcpServers/gh/args/2", "/mcpServers/remote/headers/Authorization", "/mcpServers/a~1b/env/API_KEY", "/preferences/k"} {
		if got[p] == "" {
			t.Errorf("%s not reported; got %v", p, got)
		}
	}
	for _, p := range []string{"/preferences/someId", "/mcpServers/gh/env/ID", "/mcpServers/gh/env/REF", "/mcpServers/gh/args/1"} {
		if got[p] != "" {
			t.Errorf("%s reported as %s", p, got[p])
		}
	}
	if len(a.Missing) != 1 || a.Missing[0].Pointer != "/mcpServers/gh/env/EMPTY_TOKEN" {
		t.Errorf("missing = %+v", a.Missing)
	}
	if len(a.References) != 1 || a.References[0].Pointer != "/mcpServers/gh/env/REF" {
		t.Errorf("references = %+v", a.References)
	}
}
