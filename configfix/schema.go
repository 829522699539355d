package configfix

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Problem is something in a config that makes the client skip or reject
// part of it.
type Problem struct {
	Pointer  string
	Server   string
	Severity string // "fail" or "warn"
	Message  string
	Fix      string
}

// Duplicate is a key that appears more than once in one object.
type Duplicate struct {
	Pointer string // pointer of the key (the same for every copy)
	Key     string
	Count   int
	Lines   []int // line of each copy
}

// Duplicates lists every key that appears more than once in an object,
// anywhere in the file.
func (c *Config) Duplicates() []Duplicate {
	var out []Duplicate
	var walk func(n *Node, path []string)
	walk = func(n *Node, path []string) {
		switch n.Kind {
		case Object:
			if hasDuplicateKeys(n) {
				seen := map[string]bool{}
				for i, m := range n.Members {
					if seen[m.Key] {
						continue
					}
					seen[m.Key] = true
					d := Duplicate{Key: m.Key}
					for _, o := range n.Members[i:] {
						if o.Key == m.Key {
							d.Count++
							d.Lines = append(d.Lines, c.Line(o.KeyStart))
						}
					}
					if d.Count > 1 {
						d.Pointer = joinPointer(append(path, m.Key))
						out = append(out, d)
					}
				}
			}
			for _, m := range n.Members {
				walk(m.Value, append(path, m.Key))
			}
		case Array:
			for i, e := range n.Elems {
				walk(e, append(path, strconv.Itoa(i)))
			}
		}
	}
	if c.Root != nil {
		walk(c.Root, make([]string, 0, 64))
	}
	return out
}

// hasDuplicateKeys reports whether any key repeats in an object. Small
// objects are compared pairwise, large ones through a set.
func hasDuplicateKeys(n *Node) bool {
	ms := n.Members
	if len(ms) <= 16 {
		for i := range ms {
			for j := i + 1; j < len(ms); j++ {
				if ms[i].Key == ms[j].Key {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]struct{}, len(ms))
	for _, m := range ms {
		if _, ok := seen[m.Key]; ok {
			return true
		}
		seen[m.Key] = struct{}{}
	}
	return false
}

// Schema checks the file against what Claude Desktop accepts: an object
// at the top, mcpServers an object of entries, each with a command, args
// an array of strings and env an object of strings, and no remote (url)
// entries. Entries elsewhere in the file are reported too: the app never
// sees them.
func (c *Config) Schema() []Problem {
	if c.Root == nil {
		return nil
	}
	if c.Root.Kind != Object {
		return []Problem{{
			Pointer: "", Severity: "fail",
			Message: fmt.Sprintf("the top level is %s, not an object: %s loads no server from it", kindPhrase(c.Root.Kind), c.client().Title),
			Fix:     `Make the file an object: {"mcpServers": {…}}.`,
		}}
	}
	cl := c.client()
	var out []Problem
	for _, m := range c.Root.Members {
		if m.Key == cl.RootKey {
			if m.Value.Kind != Object {
				out = append(out, Problem{
					Pointer: "/" + cl.RootKey, Severity: "fail",
					Message: fmt.Sprintf("%s is %s, not an object of server entries: %s loads no server from it", cl.RootKey, kindPhrase(m.Value.Kind), cl.Title),
					Fix:     fmt.Sprintf(`Make it an object that maps each server name to its entry: "%s": {"name": {"command": "…"}}.`, cl.RootKey),
				})
			}
			continue
		}
		if (cl.Projects && m.Key == "projects") || !misplaced(m) {
			continue
		}
		out = append(out, Problem{
			Pointer: Pointer("", m.Key), Severity: "warn",
			Message: fmt.Sprintf("%q looks like server entries but sits outside %s: %s ignores it", m.Key, cl.RootKey, cl.Title),
			Fix:     fmt.Sprintf("Move the entries into the %q object.", cl.RootKey),
		})
	}
	for _, s := range c.Servers() {
		out = append(out, s.schema(cl)...)
	}
	return out
}

// misplaced reports whether a top-level member outside mcpServers looks
// like a server entry or a map of them.
func misplaced(m Member) bool {
	if strings.EqualFold(m.Key, "mcpServers") || strings.EqualFold(m.Key, "mcp_servers") ||
		m.Key == "servers" || strings.EqualFold(m.Key, "mcp") {
		return m.Value.Kind == Object
	}
	if m.Value.Kind != Object {
		return false
	}
	if isEntry(m.Value) {
		return true
	}
	if len(m.Value.Members) == 0 {
		return false
	}
	for _, e := range m.Value.Members {
		if !isEntry(e.Value) {
			return false
		}
	}
	return true
}

func isEntry(n *Node) bool {
	if n.Kind != Object {
		return false
	}
	c := n.Get("command")
	return c != nil && c.Kind == String && (n.Get("args") != nil || n.Get("env") != nil)
}

func (s *Server) schema(cl *Client) []Problem {
	var out []Problem
	add := func(ptr, msg, fix string) {
		out = append(out, Problem{Pointer: ptr, Server: s.Name, Severity: "warn", Message: msg, Fix: fix})
	}
	n := s.Node
	if n.Kind != Object {
		add(s.Pointer, fmt.Sprintf("the entry is %s, not an object: %s skips it", kindPhrase(n.Kind), cl.Title),
			`Write the entry as {"command": "…", "args": […]}.`)
		return out
	}
	remote := false
	for _, k := range []string{"url", "serverUrl", "httpUrl"} {
		if n.Get(k) == nil {
			continue
		}
		if cl.IsRemoteKey(k) {
			remote = true
		} else {
			add(s.Pointer, fmt.Sprintf("a remote entry (%s): %s does not support it in this file and skips the entry", k, cl.Title),
				remoteFix(cl))
		}
	}
	if n.Get("headers") != nil && len(cl.RemoteKeys) == 0 {
		add(s.Pointer+"/headers", fmt.Sprintf("\"headers\" belongs to remote entries, which %s does not support in this file", cl.Title), remoteFix(cl))
	}
	cmd := n.Get("command")
	switch {
	case cmd == nil:
		if !remote && n.Get("url") == nil && n.Get("serverUrl") == nil && n.Get("httpUrl") == nil {
			add(s.Pointer, fmt.Sprintf("the entry has no \"command\": %s skips it", cl.Title),
				"Add \"command\" with the program to start, e.g. \"npx\".")
		}
	case cmd.Kind != String:
		add(s.Pointer+"/command", fmt.Sprintf("\"command\" is %s, not a string: %s skips the entry", kindPhrase(cmd.Kind), cl.Title),
			"Make \"command\" a string naming the program to start.")
	case strings.TrimSpace(cmd.Str) == "":
		add(s.Pointer+"/command", fmt.Sprintf("\"command\" is empty: %s cannot start the server", cl.Title),
			"Set \"command\" to the program to start.")
	}
	if a := n.Get("args"); a != nil {
		if a.Kind != Array {
			add(s.Pointer+"/args", fmt.Sprintf("\"args\" is %s, not an array of strings: %s skips the entry", kindPhrase(a.Kind), cl.Title),
				`Write the arguments as an array of strings: "args": ["-y", "package"].`)
		} else {
			for i, e := range a.Elems {
				if e.Kind != String {
					add(Pointer(s.Pointer+"/args", fmt.Sprint(i)),
						fmt.Sprintf("argument %d is %s, not a string: %s skips the entry", i, kindPhrase(e.Kind), cl.Title),
						"Quote the argument so that it is a string.")
				}
			}
		}
	}
	if e := n.Get("env"); e != nil {
		if e.Kind != Object {
			add(s.Pointer+"/env", fmt.Sprintf("\"env\" is %s, not an object: %s skips the entry", kindPhrase(e.Kind), cl.Title),
				`Write the variables as an object of strings: "env": {"NAME": "value"}.`)
		} else {
			for _, m := range e.Members {
				if m.Value.Kind != String {
					add(Pointer(s.Pointer+"/env", m.Key),
						fmt.Sprintf("%s is %s, not a string: %s skips the entry", m.Key, kindPhrase(m.Value.Kind), cl.Title),
						"Quote the value so that it is a string, e.g. \"true\" or \"8080\".")
				}
			}
		}
	}
	return out
}

func kindPhrase(k Kind) string {
	switch k {
	case Array, Object:
		return "an " + k.String()
	case Null:
		return "null"
	}
	return "a " + k.String()
}

func remoteFix(cl *Client) string {
	if cl.Name == ClaudeDesktop {
		return "Add the server under Settings → Connectors instead, or run it through a local bridge such as \"npx mcp-remote <url>\"."
	}
	return "Run the server through a local bridge such as \"npx mcp-remote <url>\"."
}

// sortProblems orders problems by pointer, for stable output.
func sortProblems(p []Problem) {
	sort.SliceStable(p, func(i, j int) bool { return p[i].Pointer < p[j].Pointer })
}
