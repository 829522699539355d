package configfix

import (
	"fmt"
	"strings"

	"github.com/auth0mcp/auth0mcp/internal/secrets"
)

// Store is a secret fix-config puts in the OS keychain before it takes it
// out of the file.
type Store struct {
	Account string // <client>/<server>/<NAME>
	Server  string
	Pointer string
	Preview string
	value   string
}

// Value returns the secret to store. Nothing may print it.
func (s *Store) Value() string { return s.value }

// ArgPlaceholder is how a launcher entry's arguments name a secret that
// "auth0mcp run --allow-argv" puts back at start.
func ArgPlaceholder(account string) string { return "${auth0mcp:" + account + "}" }

// moveToVault plans, for a server other than Auth0's: every env secret
// goes to the keychain and out of the file, and the entry starts through
// "auth0mcp run --no-token --secret ACCOUNT … --", which puts them back
// into the server's environment. Secrets in arguments stay unless
// AllowArgv; secrets of remote entries and elsewhere stay, with the reason.
func (p *Plan) moveToVault(b *builder, c *Config, s Server, fs []Finding, opt FixOptions) {
	cmd := s.Node.Get("command")
	if s.Node.Kind != Object || cmd == nil || cmd.Kind != String || entryUnderstood(s) != nil || opt.Launcher == "" {
		p.leave(s, fs, "the entry has no command the launcher could start (a remote entry, or one the client skips); "+
			"use --style native where the client has a secret reference, or the server's own credential store")
		return
	}
	if s.Shadowed {
		p.leave(s, fs, "a later entry of the same name replaces this one in the client; remove the duplicate entry first")
		return
	}
	for _, a := range s.Args {
		if strings.Contains(a, "${auth0mcp:") && !s.IsLauncher() {
			p.leave(s, fs, "an argument already holds a ${auth0mcp:…} placeholder that fix-config did not write; "+
				"remove it (a config can use it to ask the launcher for another server's secret)")
			return
		}
	}
	env, args := s.Node.Get("env"), s.Node.Get("args")
	var accounts []string
	var leftover []Finding
	argText := map[int]string{}
	for _, f := range fs {
		switch {
		case env != nil && isChild(env, f.node) && !envVarName(memberKey(env, f.node)):
			leftover = append(leftover, f)
		case env != nil && isChild(env, f.node):
			name := memberKey(env, f.node)
			acct := p.account(c, s, name)
			if !containsArg(accounts, acct) {
				// The value the client uses: the last copy of the key.
				value, _ := s.LookupEnv(name)
				accounts = append(accounts, acct)
				p.Stores = append(p.Stores, Store{Account: acct, Server: s.Name, Pointer: f.Pointer, Preview: f.Preview, value: value})
			}
			b.dropValue(env, f.node)
			p.Removed = append(p.Removed, f)
			p.edit(s, f.Pointer, "remove", fmt.Sprintf("stored %s (%s): moved to the OS keychain as %s; the launcher sets it when the server starts", name, f.Preview, acct))
		case args != nil && args.Kind == Array && isChild(args, f.node) && opt.AllowArgv:
			i := elemIndex(args, f.node)
			acct := p.account(c, s, fmt.Sprintf("%sarg%d", ArgAccountMark, i))
			if len(fs) > 1 {
				acct += "-" + f.Fingerprint
			}
			text, ok := argText[i]
			if !ok {
				text = f.node.Str
			}
			argText[i] = strings.ReplaceAll(text, f.secret, ArgPlaceholder(acct))
			accounts = append(accounts, acct)
			p.Stores = append(p.Stores, Store{Account: acct, Server: s.Name, Pointer: f.Pointer, Preview: f.Preview, value: f.secret})
			p.Removed = append(p.Removed, f)
			p.edit(s, f.Pointer, "replace", fmt.Sprintf("secret argument (%s) moved to the OS keychain as %s; the launcher puts it back into the server's arguments at start, where other local users can see it in the process list", f.Preview, acct))
		default:
			leftover = append(leftover, f)
		}
	}
	if len(leftover) > 0 {
		why := "the server takes it only as an argument (a flag, a header or a URL), or its variable's name is not a plain name; --allow-argv moves argument secrets and lets the launcher put them back into the arguments at start"
		if opt.AllowArgv {
			why = "it is not a plainly named env value or an argument, which is all the launcher can deliver"
		}
		p.leave(s, leftover, why)
	}
	if len(accounts) == 0 {
		return
	}

	// Rebuild the arguments around the original command.
	run := []string{"run", "--no-token"}
	for _, a := range accounts {
		run = append(run, "--secret", a)
	}
	if len(argText) > 0 {
		run = append(run, "--allow-argv")
	}
	var values [][]byte
	for _, r := range run {
		values = append(values, jsonString(r))
	}
	innerCmd, innerArgs := s.Command, []*Node(nil)
	if args != nil {
		innerArgs = args.Elems
	}
	if s.IsLauncher() {
		// Already launched: keep its flags and command, add ours after "run".
		values = values[:0]
		for _, r := range run[1:] {
			if r == "--no-token" && containsArg(s.Args, "--no-token") {
				continue
			}
			values = append(values, jsonString(r))
		}
		values = append([][]byte{jsonString("run")}, values...)
		innerArgs = innerArgs[1:]
	} else {
		values = append(values, jsonString("--"), jsonString(innerCmd))
		b.replaced[cmd] = jsonString(opt.Launcher)
		p.edit(s, s.Pointer+"/command", "replace", "start the server through the launcher "+opt.Launcher+", which reads its secrets from the OS keychain")
	}
	for i, e := range innerArgs {
		idx := i
		if s.IsLauncher() {
			idx = i + 1
		}
		if t, ok := argText[idx]; ok {
			values = append(values, jsonString(t))
			continue
		}
		values = append(values, b.src[e.Start:e.End])
	}
	b.setArgs(s, cmd, args, values)
	p.edit(s, s.Pointer+"/args", "replace", "run --secret … -- followed by the original command")
	if env != nil {
		b.touched = append(b.touched, s.Pointer+"/env")
	}
}

// nativeRefs plans, for a client with a secret reference of its own,
// to replace each secret by a reference the client resolves: VS Code asks
// for an input once and keeps it in its secret storage; Claude Code
// expands ${NAME} from the environment it starts with.
func (p *Plan) nativeRefs(b *builder, c *Config, s Server, fs []Finding) {
	cl := c.client()
	if cl.Name != VSCode && cl.Name != ClaudeCode {
		p.leave(s, fs, fmt.Sprintf("auth0mcp writes native references for VS Code and Claude Code only (%s's environment references need the variable in the app's own environment, which a desktop app rarely has); run without --style native to use the keychain", cl.Title))
		return
	}
	for _, f := range fs {
		parent := parentOf(s.Node, f.node)
		name := ""
		if parent != nil && parent.Kind == Object {
			name = memberKey(parent, f.node)
		}
		if name == "" || (parent != s.Node.Get("env") && parent != s.Node.Get("headers")) {
			p.leave(s, []Finding{f}, "only env and header values can be replaced by a reference")
			continue
		}
		var ref string
		if cl.Name == VSCode {
			id := p.uniqueRef(inputID(s.Name, name), f.Fingerprint, func(id string) bool { return inputExists(c, id) })
			ref = "${input:" + id + "}"
			if f.node.Str != f.secret && strings.Contains(f.node.Str, f.secret) {
				ref = strings.Replace(f.node.Str, f.secret, ref, 1) // keep "Bearer "
			}
			p.addInput(b, c, id, fmt.Sprintf("%s for %s (moved out of this file by auth0mcp)", name, s.Name))
			p.Notes = append(p.Notes, fmt.Sprintf("VS Code asks for %s (%q) the next time it starts %q, and keeps it in its secret storage.", name, id, s.Name))
		} else {
			v := envName(name)
			if prev, used := p.refs[v]; used && prev != f.Fingerprint {
				v = envName(s.Name + "_" + name)
			}
			v = p.uniqueRef(v, f.Fingerprint, func(string) bool { return false })
			ref = "${" + v + "}"
			if f.node.Str != f.secret && strings.Contains(f.node.Str, f.secret) {
				ref = strings.Replace(f.node.Str, f.secret, ref, 1)
			}
			note := fmt.Sprintf("Claude Code expands ${%s} from its environment: set %s before you start it (for example in your shell profile, read from your password manager).", v, v)
			if !containsArg(p.Notes, note) {
				p.Notes = append(p.Notes, note)
			}
		}
		b.replaced[f.node] = jsonString(ref)
		p.Removed = append(p.Removed, f)
		p.edit(s, f.Pointer, "replace", fmt.Sprintf("stored secret (%s) replaced by the reference %s", f.Preview, strings.TrimSpace(ref)))
		b.touched = append(b.touched, f.Pointer)
	}
}

// uniqueRef returns name, or name with a number after it, so that no two
// different secrets of the plan share a reference and none takes a name
// the file already uses (taken). The same secret may share one.
func (p *Plan) uniqueRef(name, fingerprint string, taken func(string) bool) string {
	if p.refs == nil {
		p.refs = map[string]string{}
	}
	candidate := name
	for i := 2; ; i++ {
		prev, used := p.refs[candidate]
		if used && prev == fingerprint {
			return candidate
		}
		if !used && !taken(candidate) {
			p.refs[candidate] = fingerprint
			return candidate
		}
		sep := "-"
		if strings.ToUpper(name) == name {
			sep = "_"
		}
		candidate = fmt.Sprintf("%s%s%d", name, sep, i)
	}
}

// inputExists reports whether a VS Code file already has an input with id.
func inputExists(c *Config, id string) bool {
	inputs := c.Root.Get("inputs")
	if inputs == nil || inputs.Kind != Array {
		return false
	}
	for _, e := range inputs.Elems {
		if v := e.Get("id"); v != nil && v.Str == id {
			return true
		}
	}
	return false
}

// addInput adds a password input to VS Code's "inputs", creating the array
// when there is none.
func (p *Plan) addInput(b *builder, c *Config, id, description string) {
	input := fmt.Sprintf(`{"type": "promptString", "id": %s, "description": %s, "password": true}`,
		jsonString(id), jsonString(description))
	inputs := c.Root.Get("inputs")
	if inputs != nil && inputs.Kind == Array {
		if _, done := b.replaced[inputs]; done {
			// A second input for the same array: rebuild it with both.
			text := b.replaced[inputs]
			b.replaced[inputs] = append(text[:len(text)-1], []byte(", "+input+"]")...)
			return
		}
		var values [][]byte
		for _, e := range inputs.Elems {
			values = append(values, b.src[e.Start:e.End])
		}
		values = append(values, []byte(input))
		b.replaced[inputs] = arrayText(b.src, inputs, indentOf(b.src, inputs.Start), values)
	} else if inputs == nil {
		ce := b.container(c.Root)
		for i, a := range ce.add {
			if a.key == "inputs" {
				ce.add[i].value = append(a.value[:len(a.value)-1], []byte(", "+input+"]")...)
				return
			}
		}
		ce.add = append(ce.add, kv{"inputs", []byte("[" + input + "]")})
	}
	b.touched = append(b.touched, "/inputs")
}

func (p *Plan) leave(s Server, fs []Finding, why string) {
	p.Left = append(p.Left, Left{Server: s.Name, Findings: fs, Why: why})
}

// ArgAccountMark starts the last part of an account that holds an
// argument's secret: '#' cannot begin a variable name, so the launcher
// never mistakes it for one.
const ArgAccountMark = "#"

// VaultAccount names the keychain item of one secret of one server. Each
// part is escaped as in a JSON Pointer, so "a/b" + "C" and "a" + "b/C"
// are different accounts.
func VaultAccount(client, server, name string) string {
	return client + "/" + PointerToken(server) + "/" + PointerToken(name)
}

// account names the item of one secret of s: the server's place in the
// file (a Claude Code project's servers included), then the name. Two
// secrets of one plan never share an account.
func (p *Plan) account(c *Config, s Server, name string) string {
	scope := s.Pointer
	for _, r := range c.serverRoots() {
		if strings.HasPrefix(scope, r.pointer+"/") {
			// "/projects/<dir>/mcpServers/x" -> "/projects/<dir>/x"
			root := r.pointer[:strings.LastIndexByte(r.pointer, '/')]
			scope = root + scope[len(r.pointer):]
			break
		}
	}
	return c.Client + scope + "/" + PointerToken(name)
}

// envVarName reports whether name can be an environment variable that
// the launcher sets: letters, digits and underscores, not starting with a
// digit, and not itself shaped like a token.
func envVarName(name string) bool {
	if name == "" || len(name) > 128 || name[0] >= '0' && name[0] <= '9' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return secrets.Redact(name) == name
}

func memberKey(obj, n *Node) string {
	for _, m := range obj.Members {
		if m.Value == n {
			return m.Key
		}
	}
	return ""
}

func elemIndex(arr, n *Node) int {
	for i, e := range arr.Elems {
		if e == n {
			return i
		}
	}
	return -1
}

func containsArg(args []string, a string) bool {
	for _, x := range args {
		if x == a {
			return true
		}
	}
	return false
}

// inputID makes a VS Code input id from a server and variable name.
func inputID(server, name string) string {
	id := strings.ToLower(server + "-" + name)
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, id)
}

// envName makes an environment variable name from a header or variable.
func envName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 32
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			return r
		}
		return '_'
	}, name)
}
