package configfix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envOf(goos string, vars map[string]string) Env {
	return Env{GOOS: goos, Getenv: func(k string) string { return vars[k] }, Glob: filepath.Glob}
}

func TestCandidates(t *testing.T) {
	local := t.TempDir()
	for _, d := range []string{"Claude_pzs8sxrjxfjjc", "Claude_other", "NotClaude_x"} {
		if err := os.MkdirAll(filepath.Join(local, "Packages", d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		env  Env
		want []string
	}{
		{"macOS", envOf("darwin", map[string]string{"HOME": "/Users/sam"}),
			[]string{"/Users/sam/Library/Application Support/Claude/claude_desktop_config.json"}},
		{"Linux default", envOf("linux", map[string]string{"HOME": "/home/sam"}),
			[]string{"/home/sam/.config/Claude/claude_desktop_config.json"}},
		{"Linux XDG", envOf("linux", map[string]string{"HOME": "/home/sam", "XDG_CONFIG_HOME": "/xdg"}),
			[]string{"/xdg/Claude/claude_desktop_config.json"}},
		{"Windows both installs", envOf("windows", map[string]string{"APPDATA": "/appdata", "LOCALAPPDATA": local}),
			[]string{
				"/appdata/Claude/claude_desktop_config.json",
				filepath.Join(local, "Packages/Claude_other/LocalCache/Roaming/Claude/claude_desktop_config.json"),
				filepath.Join(local, "Packages/Claude_pzs8sxrjxfjjc/LocalCache/Roaming/Claude/claude_desktop_config.json"),
			}},
		{"Windows from USERPROFILE", envOf("windows", map[string]string{"USERPROFILE": "/u"}),
			[]string{"/u/AppData/Roaming/Claude/claude_desktop_config.json"}},
		{"no home", envOf("linux", map[string]string{}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Candidates(tt.env)
			got = onlyClaudeDesktop(got)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d candidates %+v, want %v", len(got), got, tt.want)
			}
			for i, c := range got {
				if c.Path != tt.want[i] || c.Client != ClaudeDesktop || c.Where == "" {
					t.Errorf("candidate %d = %+v, want path %s", i, c, tt.want[i])
				}
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json")
	if err := os.WriteFile(real, []byte(`{"mcpServers": {}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	c := Load(link, ClaudeDesktop)
	if !c.Exists || !c.ParseOK() || c.Path != link || c.Target != real {
		t.Errorf("symlink: %+v", c)
	}
	if c := Load(filepath.Join(dir, "none.json"), ClaudeDesktop); c.Exists || c.ReadErr != nil {
		t.Errorf("missing file: exists=%v err=%v", c.Exists, c.ReadErr)
	}
	if c := Load(dir, ClaudeDesktop); !c.Exists || c.ReadErr == nil {
		t.Errorf("a directory must be a read error, got %+v", c.ReadErr)
	}
	dangling := filepath.Join(dir, "dangling.json")
	_ = os.Symlink(filepath.Join(dir, "gone"), dangling)
	if c := Load(dangling, ClaudeDesktop); c.ReadErr == nil {
		t.Errorf("a dangling symlink must be a read error")
	}
	rel := Load("testdata-does-not-exist.json", ClaudeDesktop)
	if !filepath.IsAbs(rel.Path) {
		t.Errorf("path %q is not absolute", rel.Path)
	}
}

func onlyClaudeDesktop(cs []Candidate) []Candidate {
	var out []Candidate
	for _, c := range cs {
		if c.Client == ClaudeDesktop {
			out = append(out, c)
		}
	}
	return out
}

func TestCandidatesOfOtherClients(t *testing.T) {
	got := map[string]string{}
	for _, c := range Candidates(envOf("linux", map[string]string{"HOME": "/home/sam"})) {
		if c.Client != ClaudeDesktop {
			got[c.Client] = c.Path
		}
	}
	want := map[string]string{
		Cursor:     "/home/sam/.cursor/mcp.json",
		Windsurf:   "/home/sam/.codeium/windsurf/mcp_config.json",
		VSCode:     "/home/sam/.config/Code/User/mcp.json",
		ClaudeCode: "/home/sam/.claude.json",
		Gemini:     "/home/sam/.gemini/settings.json",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	for _, c := range Candidates(envOf("windows", map[string]string{"USERPROFILE": `C:\Users\sam`, "APPDATA": `C:\Users\sam\AppData\Roaming`})) {
		if c.Client == Cursor && !strings.Contains(c.Path, `C:\Users\sam`) {
			t.Errorf("Cursor on Windows lives under %%USERPROFILE%%, got %s", c.Path)
		}
	}
	ps := ProjectCandidates("/src/app")
	if len(ps) != 4 || !ps[0].Project || ps[1].Path != "/src/app/.vscode/mcp.json" {
		t.Errorf("project candidates = %+v", ps)
	}
}

func TestGuessClient(t *testing.T) {
	for _, c := range []struct{ path, src, want string }{
		{"/x/claude_desktop_config.json", `{}`, ClaudeDesktop},
		{"/p/.vscode/mcp.json", `{}`, VSCode},
		{"/x/any.json", `{"servers": {}, "inputs": []}`, VSCode},
		{"/x/any.json", `{"projects": {"/a": {}}}`, ClaudeCode},
		{"/home/u/.claude.json", `{}`, ClaudeCode},
		{"/p/.mcp.json", `{}`, ClaudeCode},
		{"/home/u/.cursor/mcp.json", `{}`, Cursor},
		{"/home/u/.codeium/windsurf/mcp_config.json", `{}`, Windsurf},
		{"/home/u/.gemini/settings.json", `{}`, Gemini},
		{"/x/any.json", `{"mcpServers": {}}`, ClaudeDesktop},
	} {
		root, _ := ParseTolerant([]byte(c.src))
		if got := GuessClient(c.path, root); got != c.want {
			t.Errorf("GuessClient(%s, %s) = %s, want %s", c.path, c.src, got, c.want)
		}
	}
}
