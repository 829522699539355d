// Package guipath works out which program a desktop app would start for a
// command. Apps launched from a dock or a start menu do not get the PATH a
// terminal has, and npx finds node through PATH even when npx itself is
// given by absolute path, so the same config can work from a shell and
// fail, or run another Node, from the app.
package guipath

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Env is what the lookup reads from the machine.
type Env struct {
	GOOS   string
	Getenv func(string) string
	Glob   func(string) ([]string, error)
}

func (e Env) home() string {
	if h := e.Getenv("HOME"); h != "" {
		return h
	}
	return e.Getenv("USERPROFILE")
}

func (e Env) listSep() string {
	if e.GOOS == "windows" {
		return ";"
	}
	return ":"
}

// Split splits a PATH value into folders.
func (e Env) Split(path string) []string {
	var out []string
	for _, d := range strings.Split(path, e.listSep()) {
		if d != "" {
			out = append(out, d)
		}
	}
	return out
}

// Join makes a PATH value.
func (e Env) Join(dirs []string) string { return strings.Join(dirs, e.listSep()) }

// AppPath returns the PATH a desktop app gives the servers it starts, as
// far as it is known per OS:
//   - macOS: Claude Desktop builds its own, every ~/.nvm/versions/node/*/bin
//     oldest first, then the Homebrew and system folders;
//   - Linux: the session's default PATH without what shell start-up files
//     add (nvm, volta, mise), plus ~/.local/bin;
//   - Windows: the user's PATH as the terminal has it.
func (e Env) AppPath() string {
	home := e.home()
	switch e.GOOS {
	case "darwin":
		var dirs []string
		if home != "" {
			dirs = append(dirs, e.nvmBins(home)...)
		}
		dirs = append(dirs, "/usr/local/bin", "/opt/homebrew/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin")
		return e.Join(dirs)
	case "windows":
		return e.Getenv("PATH")
	default:
		dirs := []string{}
		if home != "" {
			dirs = append(dirs, filepath.Join(home, ".local", "bin"))
		}
		dirs = append(dirs, "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
		return e.Join(dirs)
	}
}

// nvmBins lists nvm's Node folders, oldest version first.
func (e Env) nvmBins(home string) []string {
	dirs, _ := e.Glob(filepath.Join(home, ".nvm", "versions", "node", "*", "bin"))
	sort.SliceStable(dirs, func(i, j int) bool {
		return versionLess(filepath.Base(filepath.Dir(dirs[i])), filepath.Base(filepath.Dir(dirs[j])))
	})
	return dirs
}

// versionLess compares "v18.2.0"-style versions numerically.
func versionLess(a, b string) bool {
	pa := strings.Split(strings.TrimPrefix(a, "v"), ".")
	pb := strings.Split(strings.TrimPrefix(b, "v"), ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, errx := strconv.Atoi(pa[i])
		y, erry := strconv.Atoi(pb[i])
		if errx != nil || erry != nil {
			if pa[i] != pb[i] {
				return pa[i] < pb[i]
			}
			continue
		}
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

// ErrNotFound is returned when no folder of the PATH holds the command.
var ErrNotFound = errors.New("not found")

// Look finds cmd the way a process started with PATH=path would. A
// command with a folder in it is checked as it is.
func (e Env) Look(cmd, path string) (string, error) {
	if strings.ContainsAny(cmd, `/\`) {
		if isExecutable(cmd, e.GOOS) {
			return cmd, nil
		}
		return "", ErrNotFound
	}
	exts := []string{""}
	if e.GOOS == "windows" && filepath.Ext(cmd) == "" {
		exts = []string{".exe", ".cmd", ".bat", ".com"}
	}
	for _, dir := range e.Split(path) {
		for _, ext := range exts {
			p := filepath.Join(dir, cmd+ext)
			if isExecutable(p, e.GOOS) {
				return p, nil
			}
		}
	}
	return "", ErrNotFound
}

// Elsewhere lists other places where cmd exists that the given PATH does
// not cover: version-manager folders and common install folders.
func (e Env) Elsewhere(cmd, path string) []string {
	home := e.home()
	var dirs []string
	if home != "" {
		dirs = append(dirs, e.nvmBins(home)...)
		dirs = append(dirs,
			filepath.Join(home, ".volta", "bin"),
			filepath.Join(home, ".local", "share", "mise", "shims"),
			filepath.Join(home, ".asdf", "shims"),
			filepath.Join(home, ".local", "bin"),
			filepath.Join(home, ".npm-global", "bin"),
		)
		fnm, _ := e.Glob(filepath.Join(home, ".local", "share", "fnm", "node-versions", "*", "installation", "bin"))
		dirs = append(dirs, fnm...)
	}
	dirs = append(dirs, "/usr/local/bin", "/opt/homebrew/bin", "/usr/bin", "/bin")
	dirs = append(dirs, e.Split(e.Getenv("PATH"))...)
	inPath := map[string]bool{}
	for _, d := range e.Split(path) {
		inPath[filepath.Clean(d)] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, d := range dirs {
		d = filepath.Clean(d)
		if inPath[d] || seen[d] {
			continue
		}
		seen[d] = true
		if p, err := e.Look(cmd, d); err == nil {
			out = append(out, p)
		}
	}
	return out
}

func isExecutable(p, goos string) bool {
	fi, err := os.Stat(p)
	if err != nil || fi.IsDir() {
		return false
	}
	if goos == "windows" {
		return true
	}
	return fi.Mode()&0o111 != 0 || errors.Is(err, fs.ErrPermission)
}

// NodeFor returns the node that a script starting with
// "#!/usr/bin/env node" (npx, npm, most package binaries) would run under
// PATH=path.
func (e Env) NodeFor(path string) (string, error) {
	return e.Look("node", path)
}

// RunsOnNode reports whether the program at path finds node through PATH:
// npx, npm and the like, and scripts whose first line is a "#!" naming
// node ("#!/usr/bin/env node"). node itself does not.
func RunsOnNode(path string) bool {
	base := strings.ToLower(filepath.Base(strings.ReplaceAll(path, `\`, "/")))
	for _, ext := range []string{".exe", ".cmd", ".bat", ".ps1"} {
		base = strings.TrimSuffix(base, ext)
	}
	switch base {
	case "node":
		return false
	case "npx", "npm", "pnpm", "pnpx", "yarn":
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 128)
	n, _ := f.Read(head)
	first, _, _ := strings.Cut(string(head[:n]), "\n")
	return strings.HasPrefix(first, "#!") && strings.Contains(first, "node")
}
