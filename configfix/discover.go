package configfix

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
)

// ClaudeDesktop is the client name of Claude Desktop in reports.
const ClaudeDesktop = "claude-desktop"

// Env is what discovery reads from the machine. Tests point it anywhere.
type Env struct {
	GOOS   string
	Getenv func(string) string
	Glob   func(pattern string) ([]string, error)
}

// OSEnv is the environment of the running process.
func OSEnv() Env {
	return Env{GOOS: runtime.GOOS, Getenv: os.Getenv, Glob: filepath.Glob}
}

// Candidate is one place where a client may keep its config.
type Candidate struct {
	Client  string
	Path    string
	Where   string // which install this path belongs to, in words
	Project bool   // a project's file: audited, never launched unless asked
}

// Candidates lists every path where a known client keeps its user-level
// config on env.GOOS: Claude Desktop's first, in the order the app is most
// likely to use them, then Cursor, Windsurf, VS Code, Claude Code and
// Gemini CLI. A path is listed whether or not it exists.
func Candidates(env Env) []Candidate {
	out := ClaudeDesktopCandidates(env)
	home := env.Getenv("HOME")
	if env.GOOS == "windows" && env.Getenv("USERPROFILE") != "" {
		home = env.Getenv("USERPROFILE")
	}
	if home == "" {
		return out
	}
	add := func(client, where string, parts ...string) {
		out = append(out, Candidate{Client: client, Path: filepath.Join(parts...), Where: where})
	}
	add(Cursor, "user", home, ".cursor", "mcp.json")
	add(Windsurf, "user", home, ".codeium", "windsurf", "mcp_config.json")
	switch env.GOOS {
	case "darwin":
		add(VSCode, "user", home, "Library", "Application Support", "Code", "User", "mcp.json")
	case "windows":
		if appdata := env.Getenv("APPDATA"); appdata != "" {
			add(VSCode, "user", appdata, "Code", "User", "mcp.json")
		}
	default:
		xdg := env.Getenv("XDG_CONFIG_HOME")
		if xdg == "" {
			xdg = filepath.Join(home, ".config")
		}
		add(VSCode, "user", xdg, "Code", "User", "mcp.json")
	}
	add(ClaudeCode, "user and per-project", home, ".claude.json")
	add(Gemini, "user", home, ".gemini", "settings.json")
	return out
}

// ProjectCandidates lists the config files a project folder may hold for
// each client. A project's config can come from anyone: they are audited
// but never launched unless the user asks.
func ProjectCandidates(dir string) []Candidate {
	var out []Candidate
	add := func(client string, parts ...string) {
		out = append(out, Candidate{Client: client, Path: filepath.Join(append([]string{dir}, parts...)...),
			Where: "project", Project: true})
	}
	add(Cursor, ".cursor", "mcp.json")
	add(VSCode, ".vscode", "mcp.json")
	add(ClaudeCode, ".mcp.json")
	add(Gemini, ".gemini", "settings.json")
	return out
}

// ClaudeDesktopCandidates lists every path where Claude Desktop may keep
// its config on env.GOOS, in the order the app is most likely to use them.
func ClaudeDesktopCandidates(env Env) []Candidate {
	home := env.Getenv("HOME")
	var out []Candidate
	add := func(where string, parts ...string) {
		out = append(out, Candidate{Client: ClaudeDesktop, Path: filepath.Join(parts...), Where: where})
	}
	switch env.GOOS {
	case "darwin":
		if home != "" {
			add("macOS", home, "Library", "Application Support", "Claude", "claude_desktop_config.json")
		}
	case "windows":
		if home == "" {
			home = env.Getenv("USERPROFILE")
		}
		appdata := env.Getenv("APPDATA")
		if appdata == "" && home != "" {
			appdata = filepath.Join(home, "AppData", "Roaming")
		}
		local := env.Getenv("LOCALAPPDATA")
		if local == "" && home != "" {
			local = filepath.Join(home, "AppData", "Local")
		}
		if appdata != "" {
			add("Windows installer, %APPDATA%", appdata, "Claude", "claude_desktop_config.json")
		}
		if local != "" {
			pkgs, _ := env.Glob(filepath.Join(local, "Packages", "Claude_*"))
			sort.Strings(pkgs)
			for _, pkg := range pkgs {
				add("Windows MSIX package "+filepath.Base(pkg),
					pkg, "LocalCache", "Roaming", "Claude", "claude_desktop_config.json")
			}
		}
	default:
		xdg := env.Getenv("XDG_CONFIG_HOME")
		if xdg == "" && home != "" {
			xdg = filepath.Join(home, ".config")
		}
		if xdg != "" {
			add("Linux, $XDG_CONFIG_HOME", xdg, "Claude", "claude_desktop_config.json")
		}
	}
	return out
}
