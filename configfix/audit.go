package configfix

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/secrets"
)

// Finding is one stored secret: where it is and what it looks like, never
// the value itself.
type Finding struct {
	Config      string   `json:"config"`
	Target      string   `json:"config_target,omitempty"`
	Server      string   `json:"server,omitempty"`
	Pointer     string   `json:"pointer"`
	Rule        string   `json:"rule"`
	Severity    string   `json:"severity"`
	Vendor      string   `json:"vendor,omitempty"`
	Preview     string   `json:"preview"`
	Fingerprint string   `json:"fingerprint"`
	Line        int      `json:"line"`
	JWT         *JWTInfo `json:"jwt,omitempty"`
	// Shadowed is true when the value sits under a key that a later copy
	// of the same key replaces: the client never uses it, but it leaks.
	Shadowed bool `json:"shadowed,omitempty"`
	Auth0    bool `json:"auth0_entry,omitempty"`

	secret     string
	node       *Node  // the string value that holds the secret, or nil for a key
	serverNode *Node  // the server entry it sits in, or nil
	keyOf      *Node  // for a secret that is a key: the object that holds it
	keyIndex   int    // and the member's index in it
	keyPointer string // and the member's real pointer (Pointer shows a preview)
	pos        int    // where it starts in the file, for ordering
}

// JWTInfo is what a stored JWT says about itself, unverified.
type JWTInfo struct {
	Issuer        string   `json:"issuer,omitempty"`
	Audience      []string `json:"audience,omitempty"`
	ExpiresAt     string   `json:"expires_at,omitempty"`
	Expired       bool     `json:"expired"`
	ManagementAPI bool     `json:"management_api"`
	Domain        string   `json:"domain,omitempty"`
}

// Note is a value worth a word that is not a stored secret: an empty
// secret variable, or a reference the client may not expand.
type Note struct {
	Server  string
	Pointer string
	Name    string
	Syntax  string // for references: which syntax
}

// Audit is what the secret audit found in one config.
type Audit struct {
	Findings   []Finding
	Missing    []Note // secret-named values that are empty
	References []Note // values that reference a variable instead of holding a secret

	keys []secrets.Hit // secrets used as keys
}

// Audit scans every string value of the file for stored secrets. Values
// inside server entries are read with their place in mind (env, args, url,
// headers); values elsewhere only by their shape, because an app's own
// preferences hold many long identifiers.
//
// The result is kept: auditing the same config for the same time again
// returns it. Callers must not modify it.
func (c *Config) Audit(now time.Time) *Audit {
	if c.audit != nil && c.auditFor.Equal(now) {
		return c.audit
	}
	a := c.audit0(now)
	c.audit, c.auditFor = a, now
	return a
}

func (c *Config) audit0(now time.Time) *Audit {
	a := &Audit{}
	if c.Root == nil {
		return a
	}
	for _, s := range c.Servers() {
		c.auditServer(a, s, now)
	}
	roots := map[*Node]bool{}
	for _, r := range c.serverRoots() {
		roots[r.node] = true // every entry in it was audited as a server
	}
	// The walks append to one path buffer: a child's path reuses the
	// parent's storage, and only a hit copies it (joinPointer).
	c.walkOther(a, c.Root, make([]string, 0, 64), "", roots, now)
	c.auditKeys(a, c.Root, make([]string, 0, 64), now)
	a.sanitize()
	sort.SliceStable(a.Findings, func(i, j int) bool { return a.Findings[i].pos < a.Findings[j].pos })
	return a
}

// minKeySecret is the length under which a key cannot be a token of any
// shape the audit knows (the shortest, an AWS key id, has 20 characters).
const minKeySecret = 16

// auditKeys finds secrets used as keys (a token pasted where a name
// belongs). Keys are read by shape only: vendor prefixes, JWTs, URLs.
func (c *Config) auditKeys(a *Audit, n *Node, path []string, now time.Time) {
	switch n.Kind {
	case Object:
		for i, m := range n.Members {
			if len(m.Key) < minKeySecret {
				c.auditKeys(a, m.Value, append(path, m.Key), now)
				continue
			}
			for _, h := range secrets.Scan(secrets.Location{Kind: secrets.Other, Value: m.Key}, now) {
				a.Findings = append(a.Findings, Finding{
					Config: c.Path, Target: c.Target, Pointer: joinPointer(append(path, m.Key)),
					Rule: h.Rule, Severity: string(h.Severity), Vendor: h.Vendor,
					Preview: h.Preview(), Fingerprint: secrets.Fingerprint(h.Secret),
					Line: c.Line(m.KeyStart), secret: h.Secret, keyOf: n, keyIndex: i, pos: m.KeyStart,
					keyPointer: joinPointer(append(path, m.Key)),
				})
				a.keys = append(a.keys, h)
			}
			c.auditKeys(a, m.Value, append(path, m.Key), now)
		}
	case Array:
		for i, e := range n.Elems {
			c.auditKeys(a, e, append(path, strconv.Itoa(i)), now)
		}
	}
}

// sanitize replaces every secret found in a key by its preview wherever a
// finding or a note names that key: in pointers and server names.
func (a *Audit) sanitize() {
	if len(a.keys) == 0 {
		return
	}
	var pairs []string
	for _, h := range a.keys {
		pairs = append(pairs, h.Secret, "<"+h.Preview()+">", PointerToken(h.Secret), "<"+h.Preview()+">")
	}
	r := strings.NewReplacer(pairs...)
	for i := range a.Findings {
		a.Findings[i].Pointer = r.Replace(a.Findings[i].Pointer)
		a.Findings[i].Server = r.Replace(a.Findings[i].Server)
	}
	for _, notes := range [][]Note{a.Missing, a.References} {
		for i := range notes {
			notes[i].Pointer = r.Replace(notes[i].Pointer)
			notes[i].Server = r.Replace(notes[i].Server)
			notes[i].Name = r.Replace(notes[i].Name)
		}
	}
}

// Scrubber returns a replacer that hides every secret the audits found
// behind its preview, for any text built from the files' keys and values.
func Scrubber(audits ...*Audit) *strings.Replacer {
	var fs []Finding
	for _, a := range audits {
		if a != nil {
			fs = append(fs, a.Findings...)
		}
	}
	sort.Slice(fs, func(i, j int) bool { return len(fs[i].secret) > len(fs[j].secret) })
	var pairs []string
	seen := map[string]bool{}
	for _, f := range fs {
		if len(f.secret) < 6 || seen[f.secret] {
			continue
		}
		seen[f.secret] = true
		pairs = append(pairs, f.secret, f.Preview)
	}
	return strings.NewReplacer(pairs...)
}

func (c *Config) auditServer(a *Audit, s Server, now time.Time) {
	if s.Node.Kind != Object {
		c.walkServerOther(a, s, s.Node, s.Pointer, s.Name, now)
		return
	}
	for _, m := range s.Node.Members {
		ptr := Pointer(s.Pointer, m.Key)
		v := m.Value
		switch {
		case m.Key == "env" && v.Kind == Object:
			for i, e := range v.Members {
				p := Pointer(ptr, e.Key)
				if e.Value.Kind != String {
					c.walkServerOther(a, s, e.Value, p, e.Key, now)
					continue
				}
				es := s
				es.Shadowed = s.Shadowed || lastIndex(v, e.Key) != i
				c.scan(a, es, p, e.Value, secrets.Location{Kind: secrets.EnvValue, Name: e.Key, Value: e.Value.Str, InServer: true}, now)
				c.noteValue(a, s, p, e.Key, e.Value.Str)
			}
		case m.Key == "args" && v.Kind == Array:
			prev := ""
			launcherFlagsEnd := 0
			if s.IsLauncher() {
				launcherFlagsEnd = len(v.Elems)
				for i, e := range v.Elems {
					if e.Str == "--" {
						launcherFlagsEnd = i
						break
					}
				}
			}
			for i, e := range v.Elems {
				p := Pointer(ptr, fmt.Sprint(i))
				if e.Kind != String {
					c.walkServerOther(a, s, e, p, prev, now)
					prev = ""
					continue
				}
				if i < launcherFlagsEnd {
					// The launcher's own flags name keychain items and
					// commands; only a value shaped like a token counts.
					c.scan(a, s, p, e, secrets.Location{Kind: secrets.Other, Value: e.Str}, now)
					continue
				}
				c.scan(a, s, p, e, secrets.Location{Kind: secrets.Arg, Value: e.Str, PrevArg: prev, InServer: true}, now)
				c.noteValue(a, s, p, "", e.Str)
				prev = e.Str
			}
		case (m.Key == "url" || m.Key == "serverUrl" || m.Key == "httpUrl") && v.Kind == String:
			c.scan(a, s, ptr, v, secrets.Location{Kind: secrets.URLField, Name: m.Key, Value: v.Str, InServer: true}, now)
		case m.Key == "headers" && v.Kind == Object:
			for _, h := range v.Members {
				p := Pointer(ptr, h.Key)
				if h.Value.Kind != String {
					c.walkServerOther(a, s, h.Value, p, h.Key, now)
					continue
				}
				c.scan(a, s, p, h.Value, secrets.Location{Kind: secrets.HeaderValue, Name: h.Key, Value: h.Value.Str, InServer: true}, now)
				c.noteValue(a, s, p, h.Key, h.Value.Str)
			}
		default:
			c.walkServerOther(a, s, v, ptr, m.Key, now)
		}
	}
}

// walkServerOther scans any other value inside a server entry.
func (c *Config) walkServerOther(a *Audit, s Server, n *Node, ptr, name string, now time.Time) {
	switch n.Kind {
	case String:
		c.scan(a, s, ptr, n, secrets.Location{Kind: secrets.Other, Name: name, Value: n.Str, InServer: true}, now)
	case Object:
		for _, m := range n.Members {
			c.walkServerOther(a, s, m.Value, Pointer(ptr, m.Key), m.Key, now)
		}
	case Array:
		for i, e := range n.Elems {
			c.walkServerOther(a, s, e, Pointer(ptr, fmt.Sprint(i)), name, now)
		}
	}
}

// walkOther scans values outside server entries by their shape only. It
// keeps the path as a stack of tokens and builds a pointer only for a hit:
// an app's preferences can hold hundreds of thousands of values.
func (c *Config) walkOther(a *Audit, n *Node, path []string, name string, roots map[*Node]bool, now time.Time) {
	switch n.Kind {
	case String:
		c.scanLazy(a, Server{}, func() string { return joinPointer(path) }, n,
			secrets.Location{Kind: secrets.Other, Name: name, Value: n.Str}, now)
	case Object:
		if roots[n] {
			return
		}
		for _, m := range n.Members {
			c.walkOther(a, m.Value, append(path, m.Key), m.Key, roots, now)
		}
	case Array:
		for i, e := range n.Elems {
			c.walkOther(a, e, append(path, strconv.Itoa(i)), name, roots, now)
		}
	}
}

// joinPointer builds a JSON Pointer from unescaped tokens.
func joinPointer(path []string) string {
	var b strings.Builder
	for _, t := range path {
		b.WriteByte('/')
		b.WriteString(PointerToken(t))
	}
	return b.String()
}

func (c *Config) scan(a *Audit, s Server, ptr string, n *Node, loc secrets.Location, now time.Time) {
	c.scanLazy(a, s, func() string { return ptr }, n, loc, now)
}

func (c *Config) scanLazy(a *Audit, s Server, ptr func() string, n *Node, loc secrets.Location, now time.Time) {
	for _, h := range secrets.Scan(loc, now) {
		f := Finding{
			Config:      c.Path,
			Target:      c.Target,
			Server:      s.Name,
			Pointer:     ptr(),
			Rule:        h.Rule,
			Severity:    string(h.Severity),
			Vendor:      h.Vendor,
			Preview:     h.Preview(),
			Fingerprint: secrets.Fingerprint(h.Secret),
			Line:        c.Line(n.Start),
			Shadowed:    s.Shadowed,
			Auth0:       s.Node != nil && s.IsAuth0(),
			secret:      h.Secret,
			node:        n,
			serverNode:  s.Node,
			pos:         n.Start,
		}
		if j := h.JWT; j != nil {
			f.JWT = &JWTInfo{
				Issuer: j.Issuer, Audience: j.Audience, Expired: j.Expired,
				ManagementAPI: j.ManagementAPI, Domain: j.Domain,
			}
			if !j.ExpiresAt.IsZero() {
				f.JWT.ExpiresAt = j.ExpiresAt.UTC().Format(time.RFC3339)
			}
		}
		a.Findings = append(a.Findings, f)
	}
}

// noteValue records empty secret variables and references.
func (c *Config) noteValue(a *Audit, s Server, ptr, name, value string) {
	if value == "" {
		if name != "" && secrets.IsSecretName(name) {
			a.Missing = append(a.Missing, Note{Server: s.Name, Pointer: ptr, Name: name})
		}
		return
	}
	if syntax, ok := secrets.Reference(value); ok {
		a.References = append(a.References, Note{Server: s.Name, Pointer: ptr, Name: name, Syntax: syntax})
	}
}

// span returns the byte range of the JSON string (value or key) that
// holds the secret.
func (f *Finding) span() (int, int) {
	if f.node != nil {
		return f.node.Start, f.node.End
	}
	m := f.keyOf.Members[f.keyIndex]
	return m.KeyStart, m.KeyEnd
}

// RedactedSource returns the config's bytes with every secret the audit
// finds replaced by its preview. It works on the byte ranges of the
// strings that hold them, so a secret written with JSON escapes (\/ or
// \u0067) is hidden as well as a plain one.
func (c *Config) RedactedSource(now time.Time) string {
	if c.Root == nil {
		return secrets.Redact(string(c.Raw))
	}
	type group struct {
		start, end int
		fs         []Finding
	}
	byStart := map[int]*group{}
	var order []*group
	for _, f := range c.Audit(now).Findings {
		s, e := f.span()
		g := byStart[s]
		if g == nil {
			g = &group{start: s, end: e}
			byStart[s] = g
			order = append(order, g)
		}
		g.fs = append(g.fs, f)
	}
	var sp []splice
	for _, g := range order {
		raw := string(c.Raw[g.start:g.end])
		whole := false
		var previews []string
		for _, f := range g.fs {
			previews = append(previews, f.Preview)
			if strings.Contains(raw, f.secret) {
				raw = strings.ReplaceAll(raw, f.secret, "<"+f.Preview+">")
			} else {
				whole = true
			}
		}
		if whole {
			raw = string(jsonString("<" + strings.Join(previews, ", ") + ">"))
		}
		sp = append(sp, splice{g.start, g.end, []byte(raw)})
	}
	out, err := applySplices(c.Raw, sp)
	if err != nil {
		return secrets.Redact(string(c.Raw))
	}
	return string(out)
}

// Secret returns the secret part of the value a finding points at. It is
// for the rewrite and the redacted diff; nothing may print it.
func (f *Finding) Secret() string { return f.secret }
