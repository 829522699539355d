package main

import (
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes the test binary double as the auth0mcp binary, so the
// scripts run the real command line, exit codes included.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"auth0mcp":   func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		"fakeserver": func() { os.Exit(fakeServer()) },
		"envnames":   func() { os.Exit(envNames()) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script. Each script
// gets HOME, APPDATA, LOCALAPPDATA and XDG_CONFIG_HOME inside its own work
// folder, so discovery never sees this machine's real configs, and the
// repository's case files under $CASES.
func TestScripts(t *testing.T) {
	cases, err := filepath.Abs("../../testdata/cases")
	if err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.Abs("../..")
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			home := filepath.Join(e.WorkDir, "home")
			e.Setenv("HOME", home)
			e.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			e.Setenv("APPDATA", filepath.Join(home, "AppData", "Roaming"))
			e.Setenv("LOCALAPPDATA", filepath.Join(home, "AppData", "Local"))
			e.Setenv("CASES", cases)
			e.Setenv("ROOT", root)
			e.Setenv("NO_COLOR", "")
			// A name of our own for the desktop app's process, so that a
			// real or another test's "claude-desktop" cannot interfere.
			e.Setenv("AUTH0MCP_DESKTOP_PROCESS", fmt.Sprintf("cdt%08x", crc32.ChecksumIEEE([]byte(e.WorkDir))))
			return os.MkdirAll(home, 0o755)
		},
	})
}
