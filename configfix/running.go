package configfix

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/proc"
)

// desktopProcessNames are the exact process names of the Claude Desktop
// app per OS. "claude" alone is Claude Code, a command-line tool that does
// not rewrite this file, so it is not among them.
var desktopProcessNames = map[string][]string{
	"darwin":  {"Claude"},
	"windows": {"Claude.exe"},
	"linux":   {"claude-desktop", "Claude"},
}

// ClientRunning reports whether Claude Desktop is running, and the name it
// was found under. The app keeps its config in memory and writes it back,
// which would undo a rewrite.
//
// AUTH0MCP_DESKTOP_PROCESS, a comma-separated list of exact process names,
// replaces the built-in names (for a community build named otherwise).
func ClientRunning(ctx context.Context) (bool, string) {
	names := desktopProcessNames[runtime.GOOS]
	if v := os.Getenv("AUTH0MCP_DESKTOP_PROCESS"); v != "" {
		names = strings.Split(v, ",")
	}
	switch runtime.GOOS {
	case "linux":
		return procRunning(names)
	case "darwin":
		for _, n := range names {
			if out, ok := runQuick(ctx, "pgrep", "-x", n); ok && strings.TrimSpace(out) != "" {
				return true, n
			}
		}
	case "windows":
		for _, n := range names {
			out, ok := runQuick(ctx, "tasklist", "/FI", "IMAGENAME eq "+n, "/NH")
			if ok && strings.Contains(strings.ToLower(out), strings.ToLower(n)) {
				return true, n
			}
		}
	}
	return false, ""
}

// procRunning scans /proc for a live process whose name is one of names.
// A zombie (exited, not yet reaped) does not count.
func procRunning(names []string) (bool, string) {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ...; comm may hold spaces and parentheses.
		open, close := strings.IndexByte(string(b), '('), strings.LastIndexByte(string(b), ')')
		if open < 0 || close < open || close+2 >= len(b) {
			continue
		}
		comm, state := string(b[open+1:close]), b[close+2]
		if state == 'Z' || state == 'X' {
			continue
		}
		for _, n := range names {
			if comm == n {
				return true, n
			}
		}
	}
	return false, ""
}

func runQuick(ctx context.Context, name string, args ...string) (string, bool) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	proc.Prepare(cmd)
	out, err := cmd.Output()
	return string(out), err == nil
}
