package configfix

import (
	"os"
	"path/filepath"
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
