package guipath

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(goos string, vars map[string]string) Env {
	return Env{GOOS: goos, Getenv: func(k string) string { return vars[k] }, Glob: filepath.Glob}
}

func mkExe(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestAppPathMacOSPutsOldestNvmFirst(t *testing.T) {
	home := t.TempDir()
	for _, v := range []string{"v20.11.0", "v9.0.0", "v18.2.0"} {
		mkExe(t, filepath.Join(home, ".nvm/versions/node", v, "bin/node"))
	}
	got := env("darwin", map[string]string{"HOME": home}).AppPath()
	dirs := strings.Split(got, ":")
	want := []string{"v9.0.0", "v18.2.0", "v20.11.0"}
	for i, v := range want {
		if !strings.Contains(dirs[i], v) {
			t.Fatalf("AppPath = %s; want nvm versions oldest first %v", got, want)
		}
	}
	if dirs[3] != "/usr/local/bin" || !strings.Contains(got, "/opt/homebrew/bin") {
		t.Errorf("AppPath = %s", got)
	}
}

func TestAppPathLinuxLeavesOutShellAdditions(t *testing.T) {
	got := env("linux", map[string]string{"HOME": "/home/u", "PATH": "/home/u/.nvm/versions/node/v20/bin:/usr/bin"}).AppPath()
	if strings.Contains(got, ".nvm") || !strings.HasPrefix(got, "/home/u/.local/bin:") || !strings.Contains(got, ":/usr/bin:") {
		t.Errorf("AppPath = %s", got)
	}
}

func TestLookAndElsewhere(t *testing.T) {
	home := t.TempDir()
	nvmNode := filepath.Join(home, ".nvm/versions/node/v22.1.0/bin/npx")
	mkExe(t, nvmNode)
	bin := filepath.Join(t.TempDir(), "bin")
	mkExe(t, filepath.Join(bin, "tool"))
	if err := os.WriteFile(filepath.Join(bin, "notexec"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := env("linux", map[string]string{"HOME": home, "PATH": bin})

	if p, err := e.Look("tool", "/nonexistent:"+bin); err != nil || p != filepath.Join(bin, "tool") {
		t.Errorf("Look(tool) = %q, %v", p, err)
	}
	if _, err := e.Look("notexec", bin); err == nil {
		t.Errorf("a file without execute permission was found")
	}
	if _, err := e.Look("npx", "/nonexistent"); err != ErrNotFound {
		t.Errorf("Look(npx) err = %v, want ErrNotFound", err)
	}
	if p, err := e.Look(filepath.Join(bin, "tool"), ""); err != nil || p != filepath.Join(bin, "tool") {
		t.Errorf("absolute Look = %q, %v", p, err)
	}
	alt := e.Elsewhere("npx", "/nonexistent")
	if len(alt) == 0 || alt[0] != nvmNode {
		t.Errorf("Elsewhere(npx) = %v, want %s first", alt, nvmNode)
	}
	if alt := e.Elsewhere("tool", bin); len(alt) != 0 {
		t.Errorf("Elsewhere lists a folder already on the PATH: %v", alt)
	}
}

func TestVersionLess(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{{"v9.0.0", "v18.0.0", true}, {"v18.2.0", "v18.10.0", true}, {"v20.0.0", "v20.0.0", false}, {"v20.1.0", "v20.0.9", false}} {
		if got := versionLess(c.a, c.b); got != c.want {
			t.Errorf("versionLess(%s, %s) = %v", c.a, c.b, got)
		}
	}
}

func TestRunsOnNode(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "server")
	other := filepath.Join(dir, "tool")
	_ = os.WriteFile(script, []byte("#!/usr/bin/env node\nconsole.log(1)\n"), 0o755)
	_ = os.WriteFile(other, []byte("#!/bin/sh\necho node\n"), 0o755)
	for path, want := range map[string]bool{
		"/usr/bin/npx": true, `C:\nodejs\npx.cmd`: true, "/usr/bin/node": false,
		script: true, other: false, filepath.Join(dir, "missing"): false,
	} {
		if got := RunsOnNode(path); got != want {
			t.Errorf("RunsOnNode(%s) = %v, want %v", path, got, want)
		}
	}
}
