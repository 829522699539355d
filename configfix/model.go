package configfix

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Server is one entry under mcpServers.
type Server struct {
	Name    string
	Pointer string // JSON Pointer of the entry
	Node    *Node
	// Shadowed is true for an entry that a later key of the same name (or a
	// later mcpServers object) replaces when JavaScript parses the file.
	Shadowed bool

	Command    string
	HasCommand bool
	Args       []string // the string elements of args, in order
	Env        []EnvVar // every env member, duplicates included
	URL        string
}

// EnvVar is one member of a server's env object.
type EnvVar struct {
	Name     string
	Value    string
	IsString bool
	Pointer  string
}

// LookupEnv returns the value JavaScript would see for name.
func (s *Server) LookupEnv(name string) (string, bool) {
	for i := len(s.Env) - 1; i >= 0; i-- {
		if s.Env[i].Name == name && s.Env[i].IsString {
			return s.Env[i].Value, true
		}
	}
	return "", false
}

// Servers returns every server entry of every object of entries in the
// file (mcpServers, or servers for VS Code, and Claude Code's per-project
// ones), in source order, duplicates included.
func (c *Config) Servers() []Server {
	var out []Server
	for _, r := range c.serverRoots() {
		for si, e := range r.node.Members {
			s := Server{
				Name:     e.Key,
				Pointer:  Pointer(r.pointer, e.Key),
				Node:     e.Value,
				Shadowed: !r.last || si != lastIndex(r.node, e.Key),
			}
			s.fill()
			out = append(out, s)
		}
	}
	return out
}

func lastIndex(obj *Node, key string) int {
	for i := len(obj.Members) - 1; i >= 0; i-- {
		if obj.Members[i].Key == key {
			return i
		}
	}
	return -1
}

func (s *Server) fill() {
	n := s.Node
	if n.Kind != Object {
		return
	}
	if v := n.Get("command"); v != nil && v.Kind == String {
		s.Command, s.HasCommand = v.Str, true
	}
	if v := n.Get("args"); v != nil && v.Kind == Array {
		for _, a := range v.Elems {
			if a.Kind == String {
				s.Args = append(s.Args, a.Str)
			}
		}
	}
	if v := n.Get("env"); v != nil && v.Kind == Object {
		for _, m := range v.Members {
			s.Env = append(s.Env, EnvVar{
				Name:     m.Key,
				Value:    m.Value.Str,
				IsString: m.Value.Kind == String,
				Pointer:  Pointer(s.Pointer+"/env", m.Key),
			})
		}
	}
	for _, k := range []string{"url", "serverUrl", "httpUrl"} {
		if v := n.Get(k); v != nil && v.Kind == String {
			s.URL = v.Str
		}
	}
}

// Auth0Package is the npm name of the Auth0 MCP server.
const Auth0Package = "@auth0/auth0-mcp-server"

// IsAuth0 reports whether the entry runs the Auth0 MCP server: its command
// is the server's binary or a wrapper named after it (auth0-mcp*), or an
// argument names the npm package or a path into it. Neither the entry's
// name nor AUTH0_* variables are enough: other Auth0 apps use those too,
// and a rewrite would hand them a Management API token.
func (s *Server) IsAuth0() bool {
	if strings.Contains(CommandBase(s.Command), "auth0-mcp") {
		return true
	}
	for _, a := range s.Args {
		if strings.Contains(a, "auth0-mcp-server") {
			return true
		}
	}
	return false
}

// IsLauncher reports whether the entry starts through "auth0mcp run".
func (s *Server) IsLauncher() bool {
	return CommandBase(s.Command) == "auth0mcp" && len(s.Args) > 0 && s.Args[0] == "run"
}

// MaybeAuth0 is IsAuth0, or an entry that starts through the launcher or is
// named after Auth0: good enough to pick what to probe or check, never to
// decide what to rewrite.
func (s *Server) MaybeAuth0() bool {
	return s.IsAuth0() || s.IsLauncher() && !containsArg(s.Args, "--no-token") ||
		strings.Contains(strings.ToLower(s.Name), "auth0")
}

// PackageArg returns the index of the argument that names the Auth0 MCP
// server's npm package (with or without a version), or -1.
func (s *Server) PackageArg() int {
	for i, a := range s.Args {
		if a == Auth0Package || strings.HasPrefix(a, Auth0Package+"@") {
			return i
		}
	}
	return -1
}

// Version is a version of the Auth0 MCP server as named in a config.
type Version struct {
	Raw    string // what follows "@" in the argument, "" when unpinned
	Pinned bool   // an exact version, not a tag or a range
	Beta   int    // N of 0.1.0-beta.N, or -1 when the version has another shape
	Newer  bool   // a release past the 0.1.0 betas
}

var betaRe = regexp.MustCompile(`^0\.1\.0-beta\.(\d+)$`)
var exactRe = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)

// ParseVersion reads the version part of an "@auth0/auth0-mcp-server@V"
// argument.
func ParseVersion(arg string) Version {
	v := Version{Beta: -1}
	if !strings.HasPrefix(arg, Auth0Package+"@") {
		return v
	}
	v.Raw = strings.TrimPrefix(arg, Auth0Package+"@")
	v.Pinned = exactRe.MatchString(v.Raw)
	if m := betaRe.FindStringSubmatch(v.Raw); m != nil {
		v.Beta, _ = strconv.Atoi(m[1])
	} else if v.Pinned && !strings.HasPrefix(v.Raw, "0.") {
		v.Newer = true
	}
	return v
}

// CommandBase is the program name of a command, without folder or a
// Windows extension, in lower case.
func CommandBase(cmd string) string {
	b := filepath.Base(strings.ReplaceAll(cmd, `\`, "/"))
	b = strings.ToLower(b)
	for _, ext := range []string{".exe", ".cmd", ".bat", ".ps1"} {
		b = strings.TrimSuffix(b, ext)
	}
	return b
}
