package doctor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/internal/ui"
)

func osEnv(goos string, vars map[string]string) configfix.Env {
	return configfix.Env{GOOS: goos, Getenv: func(k string) string { return vars[k] }, Glob: filepath.Glob}
}

func write(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// TestWindowsInstallsThatDiffer: the installer's %APPDATA% file and the
// MSIX package's file both exist and differ: doctor lists both and warns.
func TestWindowsInstallsThatDiffer(t *testing.T) {
	root := t.TempDir()
	appdata, local := filepath.Join(root, "Roaming"), filepath.Join(root, "Local")
	write(t, filepath.Join(appdata, "Claude", "claude_desktop_config.json"), `{"mcpServers": {}}`, 0o600)
	write(t, filepath.Join(local, "Packages", "Claude_pzs8sxrjxfjjc", "LocalCache", "Roaming", "Claude", "claude_desktop_config.json"),
		`{"mcpServers": {"a": {"command": "x"}}}`, 0o600)
	rep := Run(context.Background(), Options{
		Env:  osEnv("windows", map[string]string{"APPDATA": appdata, "LOCALAPPDATA": local}),
		Only: []string{"discover"}, Now: func() time.Time { return fixedNow },
	})
	if len(rep.Configs) != 2 || !rep.Configs[0].Exists || !rep.Configs[1].Exists {
		t.Fatalf("configs = %+v", rep.Configs)
	}
	if !hasResult(rep, "discover", ui.StatusWarn, "two Claude Desktop configs exist and differ") {
		t.Errorf("no warning about two differing configs:\n%s", dump(rep))
	}
	if !rep.OK {
		t.Errorf("a warning must not fail the run")
	}
}

// TestAppRunsAnOldNode: on macOS the app puts every nvm folder on its
// PATH oldest first, so npx runs under the oldest Node, not the one the
// terminal has.
func TestAppRunsAnOldNode(t *testing.T) {
	home := t.TempDir()
	fakeNode := func(dir, version string) {
		write(t, filepath.Join(dir, "node"), "#!/bin/sh\necho "+version+"\n", 0o755)
		write(t, filepath.Join(dir, "npx"), "#!/usr/bin/env node\n", 0o755)
	}
	old := filepath.Join(home, ".nvm", "versions", "node", "v16.20.0", "bin")
	cur := filepath.Join(home, ".nvm", "versions", "node", "v22.1.0", "bin")
	fakeNode(old, "v16.20.0")
	fakeNode(cur, "v22.1.0")
	cfg := filepath.Join(home, "c.json")
	write(t, cfg, `{"mcpServers": {"auth0": {"command": "npx", "args": ["-y", "@auth0/auth0-mcp-server@0.1.0-beta.19", "run"]}}}`, 0o600)
	rep := Run(context.Background(), Options{
		Env:     osEnv("darwin", map[string]string{"HOME": home, "PATH": cur + ":/usr/bin:/bin"}),
		Configs: []string{cfg}, Only: []string{"auth0-command"}, Now: func() time.Time { return fixedNow },
	})
	if !hasResult(rep, "auth0-command", ui.StatusWarn, "with Node v16.20.0 ("+filepath.Join(old, "node")+"); your terminal runs Node v22.1.0") {
		t.Errorf("want a warning naming both Nodes:\n%s", dump(rep))
	}

	// The same with only the old Node anywhere: below the server's minimum.
	os.RemoveAll(cur)
	rep = Run(context.Background(), Options{
		Env:     osEnv("darwin", map[string]string{"HOME": home, "PATH": old + ":/usr/bin:/bin"}),
		Configs: []string{cfg}, Only: []string{"auth0-command"}, Now: func() time.Time { return fixedNow },
	})
	if !hasResult(rep, "auth0-command", ui.StatusFail, "needs Node 18 or newer") {
		t.Errorf("want a failure for Node 16:\n%s", dump(rep))
	}
}

// TestCommandTheAppCannotFind: npx only on the terminal's PATH (an nvm
// folder the app does not see on Linux) is the "spawn npx ENOENT" failure.
func TestCommandTheAppCannotFind(t *testing.T) {
	home := t.TempDir()
	nvm := filepath.Join(home, ".nvm", "versions", "node", "v22.1.0", "bin")
	write(t, filepath.Join(nvm, "npx-only-here"), "#!/bin/sh\n", 0o755)
	cfg := filepath.Join(home, "c.json")
	write(t, cfg, `{"mcpServers": {"auth0": {"command": "npx-only-here", "args": ["@auth0/auth0-mcp-server", "run"]}}}`, 0o600)
	rep := Run(context.Background(), Options{
		Env:     osEnv("linux", map[string]string{"HOME": home, "PATH": nvm + ":/usr/bin"}),
		Configs: []string{cfg}, Only: []string{"auth0-command"}, Now: func() time.Time { return fixedNow },
	})
	r := findResult(rep, "auth0-command", ui.StatusFail)
	if r == nil || !strings.Contains(r.Detail, `spawn npx-only-here ENOENT`) || !strings.Contains(r.Detail, "Your terminal finds it at "+nvm) ||
		!strings.Contains(r.Fix, "absolute path of node") {
		t.Errorf("want the ENOENT failure with where it is and a fix:\n%s", dump(rep))
	}
}

func findResult(rep *Report, id string, st ui.Status) *Result {
	for i, r := range rep.Checks {
		if r.ID == id && r.Status == st {
			return &rep.Checks[i]
		}
	}
	return nil
}
