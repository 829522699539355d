package configfix

import (
	"path/filepath"
	"strings"
)

// The clients auth0mcp knows, by the name reports use.
const (
	Cursor     = "cursor"
	Windsurf   = "windsurf"
	VSCode     = "vscode"
	ClaudeCode = "claude-code"
	Gemini     = "gemini"
)

// Client describes one MCP client's config rules.
type Client struct {
	Name  string
	Title string
	// RootKey is the key of the object that maps server names to entries.
	RootKey string
	// Comments is true when the client's parser accepts comments and
	// trailing commas (JSON with comments).
	Comments bool
	// Expands lists the reference syntaxes (as secrets.Reference names
	// them) the client replaces with a value before starting a server.
	Expands []string
	// RemoteKeys are the keys of a remote (URL) entry the client supports.
	RemoteKeys []string
	// GUI is true for desktop apps, which do not get the shell's PATH.
	GUI bool
	// Projects is true when the file keeps per-project servers under
	// "projects" (Claude Code's ~/.claude.json).
	Projects bool
}

// Clients lists every client auth0mcp knows.
var Clients = []*Client{
	{Name: ClaudeDesktop, Title: "Claude Desktop", RootKey: "mcpServers", GUI: true},
	{Name: Cursor, Title: "Cursor", RootKey: "mcpServers", GUI: true,
		Expands: []string{"env"}, RemoteKeys: []string{"url"}},
	{Name: Windsurf, Title: "Windsurf", RootKey: "mcpServers", GUI: true,
		Expands: []string{"env"}, RemoteKeys: []string{"serverUrl", "url"}},
	{Name: VSCode, Title: "VS Code", RootKey: "servers", GUI: true, Comments: true,
		Expands: []string{"env", "input"}, RemoteKeys: []string{"url"}},
	{Name: ClaudeCode, Title: "Claude Code", RootKey: "mcpServers", Projects: true,
		Expands: []string{"dollar-brace"}, RemoteKeys: []string{"url"}},
	{Name: Gemini, Title: "Gemini CLI", RootKey: "mcpServers", Comments: true,
		Expands: []string{"dollar", "dollar-brace"}, RemoteKeys: []string{"url", "httpUrl"}},
}

// ClientNamed returns the client with that name, or nil.
func ClientNamed(name string) *Client {
	for _, c := range Clients {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ClientNames lists the names of every client.
func ClientNames() []string {
	var out []string
	for _, c := range Clients {
		out = append(out, c.Name)
	}
	return out
}

// ExpandsRef reports whether the client (or auth0mcp's launcher, for its
// own ${auth0mcp:…} references) replaces a reference of that syntax with a
// value.
func (cl *Client) ExpandsRef(syntax string) bool {
	if syntax == "auth0mcp" {
		return true
	}
	for _, s := range cl.Expands {
		if s == syntax {
			return true
		}
	}
	return false
}

// IsRemoteKey reports whether key names a remote entry's URL for the client.
func (cl *Client) IsRemoteKey(key string) bool {
	for _, k := range cl.RemoteKeys {
		if k == key {
			return true
		}
	}
	return false
}

// GuessClient names the client a file belongs to from its path and
// content: VS Code for "servers" with "inputs" or a .vscode folder, Claude
// Code for a "projects" map or a .claude.json/.mcp.json name, Cursor,
// Windsurf and Gemini by their folders, and Claude Desktop otherwise.
func GuessClient(path string, root *Node) string {
	slash := filepath.ToSlash(path)
	base := filepath.Base(slash)
	switch {
	case strings.Contains(slash, "/.vscode/") || (base == "mcp.json" && strings.Contains(slash, "/Code/User/")):
		return VSCode
	case base == ".claude.json" || base == ".mcp.json":
		return ClaudeCode
	case strings.Contains(slash, "/.cursor/"):
		return Cursor
	case strings.Contains(slash, "/windsurf/") || base == "mcp_config.json":
		return Windsurf
	case strings.Contains(slash, "/.gemini/"):
		return Gemini
	case base == "claude_desktop_config.json":
		return ClaudeDesktop
	}
	if root != nil && root.Kind == Object {
		if s, i := root.Get("servers"), root.Get("inputs"); s != nil && s.Kind == Object && (i != nil || root.Get("mcpServers") == nil) {
			return VSCode
		}
		if p := root.Get("projects"); p != nil && p.Kind == Object {
			return ClaudeCode
		}
	}
	return ClaudeDesktop
}

// serverRoot is one object of server entries in a file.
type serverRoot struct {
	pointer string
	node    *Node
	last    bool // the copy JavaScript keeps when the key repeats
}

// serverRoots returns every object of server entries in the file, for the
// file's client.
func (c *Config) serverRoots() []serverRoot {
	if c.Root == nil || c.Root.Kind != Object {
		return nil
	}
	cl := c.client()
	var out []serverRoot
	collect := func(obj *Node, prefix string, lastOuter bool) {
		last := lastIndex(obj, cl.RootKey)
		for i, m := range obj.Members {
			if m.Key == cl.RootKey && m.Value.Kind == Object {
				out = append(out, serverRoot{Pointer(prefix, cl.RootKey), m.Value, lastOuter && i == last})
			}
		}
	}
	collect(c.Root, "", true)
	if cl.Projects {
		lastP := lastIndex(c.Root, "projects")
		for i, m := range c.Root.Members {
			if m.Key != "projects" || m.Value.Kind != Object {
				continue
			}
			for j, p := range m.Value.Members {
				if p.Value.Kind == Object {
					collect(p.Value, Pointer("/projects", p.Key), i == lastP && j == lastIndex(m.Value, p.Key))
				}
			}
		}
	}
	return out
}

// client returns the rules of the config's client (Claude Desktop's when
// the name is unknown).
func (c *Config) client() *Client {
	if cl := ClientNamed(c.Client); cl != nil {
		return cl
	}
	return Clients[0]
}

// Rules returns the client rules the config is read with.
func (c *Config) Rules() *Client { return c.client() }
