package probe

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// baseNames are the variables an MCP client passes from its own
// environment to a server it starts, before the entry's env.
var baseNames = map[string][]string{
	"unix":    {"HOME", "USER", "LOGNAME", "PATH", "SHELL", "TERM"},
	"linux":   {"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"},
	"windows": {"APPDATA", "HOMEDRIVE", "HOMEPATH", "LOCALAPPDATA", "PATH", "PROCESSOR_ARCHITECTURE", "SYSTEMDRIVE", "SYSTEMROOT", "TEMP", "USERNAME", "USERPROFILE", "PROGRAMFILES"},
}

// BaseEnv picks from environ (NAME=value pairs, as os.Environ returns
// them) the variables a desktop client gives a server it starts: HOME,
// USER, LOGNAME, PATH, SHELL and TERM, on Linux also
// DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR, and then each name in
// extra. Variables that are not set are left out. On Windows the names are
// the ones a Windows client passes (APPDATA, PATH, SYSTEMROOT, USERPROFILE
// and so on) and match without regard to case. The caller adds the
// entry's own env on top.
func BaseEnv(environ []string, goos string, extra []string) []string {
	var names []string
	if goos == "windows" {
		names = append(names, baseNames["windows"]...)
	} else {
		names = append(names, baseNames["unix"]...)
		if goos == "linux" {
			names = append(names, baseNames["linux"]...)
		}
	}
	names = append(names, extra...)

	fold := goos == "windows"
	var out []string
	seen := map[string]bool{}
	for _, name := range names {
		key := name
		if fold {
			key = strings.ToUpper(name)
		}
		if name == "" || seen[key] {
			continue
		}
		seen[key] = true
		// The last assignment wins, as it does for getenv.
		for i := len(environ) - 1; i >= 0; i-- {
			k, _, ok := strings.Cut(environ[i], "=")
			if ok && (k == name || fold && strings.EqualFold(k, name)) {
				out = append(out, environ[i])
				break
			}
		}
	}
	return out
}

// envValue returns the value of name in env, the last one winning.
func envValue(env []string, name string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		k, v, ok := strings.Cut(env[i], "=")
		if ok && (k == name || runtime.GOOS == "windows" && strings.EqualFold(k, name)) {
			return v, true
		}
	}
	return "", false
}

// ErrNotFound is returned by LookPath when the command is on none of the
// PATH's folders.
var ErrNotFound = errors.New("not found on PATH")

// LookPath finds cmd the way the server's parent would: in the folders of
// pathValue (the PATH the server gets, not ours). A cmd containing a path
// separator is checked as given. When cmd is not found it returns
// ErrNotFound and, in elsewhere, the places cmd does exist that GUI apps
// often do not see: nvm, volta, mise, asdf and fnm folders, Homebrew and
// /usr/local/bin, and our own PATH. Relative folders in pathValue are
// skipped: they would depend on the working directory.
func LookPath(cmd, pathValue string) (path string, elsewhere []string, err error) {
	if strings.ContainsRune(cmd, '/') || runtime.GOOS == "windows" && strings.ContainsAny(cmd, `\:`) {
		if p, ok := executable(cmd); ok {
			return p, nil, nil
		}
		return "", nil, &fs.PathError{Op: "exec", Path: cmd, Err: fs.ErrNotExist}
	}
	if p, ok := searchPath(cmd, pathValue); ok {
		return p, nil, nil
	}
	home, _ := os.UserHomeDir()
	return "", findElsewhere(cmd, pathValue, home, os.Getenv("PATH")), ErrNotFound
}

func searchPath(cmd, pathValue string) (string, bool) {
	for _, dir := range filepath.SplitList(pathValue) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		if p, ok := executable(filepath.Join(dir, cmd)); ok {
			return p, true
		}
	}
	return "", false
}

// findElsewhere lists where cmd exists outside pathValue, newest nvm
// version first, without duplicates.
func findElsewhere(cmd, pathValue, home, ourPATH string) []string {
	var dirs []string
	if home != "" {
		nvm, _ := filepath.Glob(filepath.Join(home, ".nvm", "versions", "node", "*", "bin"))
		sort.Sort(sort.Reverse(sort.StringSlice(nvm)))
		dirs = append(dirs, nvm...)
		fnm, _ := filepath.Glob(filepath.Join(home, ".local", "share", "fnm", "node-versions", "*", "installation", "bin"))
		dirs = append(dirs, fnm...)
		dirs = append(dirs,
			filepath.Join(home, ".volta", "bin"),
			filepath.Join(home, ".local", "share", "mise", "shims"),
			filepath.Join(home, ".asdf", "shims"),
			filepath.Join(home, ".local", "bin"),
		)
	}
	if runtime.GOOS == "windows" {
		for _, v := range []string{"APPDATA", "ProgramFiles"} {
			if base := os.Getenv(v); base != "" {
				dirs = append(dirs, filepath.Join(base, "npm"), filepath.Join(base, "nodejs"))
			}
		}
	} else {
		dirs = append(dirs, "/opt/homebrew/bin", "/usr/local/bin", "/usr/bin", "/bin")
	}
	dirs = append(dirs, filepath.SplitList(ourPATH)...)

	onPath := map[string]bool{}
	for _, d := range filepath.SplitList(pathValue) {
		onPath[filepath.Clean(d)] = true
	}
	var found []string
	seen := map[string]bool{}
	for _, d := range dirs {
		if d == "" || !filepath.IsAbs(d) || onPath[filepath.Clean(d)] {
			continue
		}
		p, ok := executable(filepath.Join(d, cmd))
		if !ok {
			continue
		}
		// /bin is often a link to /usr/bin: show each file once.
		real, err := filepath.EvalSymlinks(filepath.Dir(p))
		if err != nil {
			real = filepath.Dir(p)
		}
		if key := filepath.Join(real, filepath.Base(p)); !seen[key] {
			seen[key] = true
			found = append(found, p)
		}
	}
	return found
}

// executable reports whether p (or, on Windows, p with one of the PATHEXT
// extensions) is a regular file we may execute.
func executable(p string) (string, bool) {
	if runtime.GOOS == "windows" {
		if filepath.Ext(p) != "" && isFile(p) {
			return p, true
		}
		exts := os.Getenv("PATHEXT")
		if exts == "" {
			exts = ".com;.exe;.bat;.cmd"
		}
		for _, ext := range strings.Split(exts, ";") {
			if ext != "" && isFile(p+strings.ToLower(ext)) {
				return p + strings.ToLower(ext), true
			}
		}
		return "", false
	}
	fi, err := os.Stat(p)
	if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", false
	}
	return p, true
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}
