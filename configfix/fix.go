package configfix

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/tidwall/gjson"

	"github.com/auth0mcp/auth0mcp/internal/secrets"
)

// KnownGoodVersion is the newest release of the Auth0 MCP server known to
// work with auth0mcp; fix-config pins unpinned entries to it.
const KnownGoodVersion = "0.1.0-beta.19"

// The ways fix-config can bring an Auth0 entry to the design.
const (
	// ModeLauncher removes stored secrets and starts the server through
	// "auth0mcp run", which fetches a token when the server starts.
	ModeLauncher = "launcher"
	// ModeKeychain only removes stored secrets: the server then reads the
	// token its own `init` put in the OS keychain.
	ModeKeychain = "keychain"
)

// FixOptions say how to fix a config.
type FixOptions struct {
	Mode     string // ModeLauncher (default) or ModeKeychain
	Launcher string // absolute path of auth0mcp, for ModeLauncher
	Version  string // version to pin an unpinned Auth0 package to
	All      bool   // also remove secrets of other servers
	// Repoint makes launcher entries use Launcher even when the launcher
	// they name exists (the user named one with --launcher).
	Repoint bool
	// Vault makes --all move other servers' secrets into the OS keychain
	// (the caller stores Plan.Stores before writing) and start those
	// servers through "auth0mcp run --secret", instead of removing them.
	Vault bool
	// AllowArgv lets the launcher put a secret back into a server's
	// arguments at start, for servers that take it only that way.
	AllowArgv bool
	// Native replaces secrets with the client's own reference syntax
	// (VS Code inputs, Claude Code ${VAR}) instead of the launcher.
	Native bool
	Repair bool // rewrite a file that is not strict JSON
	Now    time.Time
}

// Edit is one change fix-config makes, for the report.
type Edit struct {
	Pointer string `json:"pointer"`
	Action  string `json:"action"` // remove, replace or set
	Reason  string `json:"reason"`
	Server  string `json:"server,omitempty"`
}

// Left is a server whose stored secrets fix-config leaves in place.
type Left struct {
	Server   string
	Findings []Finding
	Why      string // why they stay, when there is more to say than "without --all"
}

// Plan is what fix-config will do to one config, worked out on the bytes
// in memory and verified before anything is written.
type Plan struct {
	Config *Config
	Before []byte // the file as read
	After  []byte // the file as it will be written; equal to Before when nothing changes
	Edits  []Edit
	// Removed lists the secrets taken out of the file.
	Removed []Finding
	// Auth0Token is true when a removed secret is an Auth0 token or
	// client secret, which the user should rotate in Auth0.
	Auth0Token bool
	// Left lists servers whose secrets stay (without --all).
	Left []Left
	// Lacks says, per server, what it will lack after --all removed it.
	Lacks []string
	// Stores lists the secrets to put in the keychain before the file is
	// written (with FixOptions.Vault).
	Stores []Store
	// Notes are what the user must do once (native references).
	Notes []string
	// Domains lists the tenant of each rewritten Auth0 entry, when known.
	Domains map[string]string
	now     time.Time
	work    *Config           // the config the plan edits (repaired, when asked)
	after   *Config           // the result as verify parsed it
	refs    map[string]string // native references used, by name: the secret's fingerprint
	// Secrets holds every secret of the file, for redacting the diff.
	secrets []Finding
}

// Changed reports whether the plan changes the file.
func (p *Plan) Changed() bool { return !bytes.Equal(p.Before, p.After) }

// ErrNotStrict is returned for a file that is not strict JSON when
// repair was not asked for.
var ErrNotStrict = errors.New("not strict JSON")

// PlanFix works out the rewrite of c. It returns an error, and plans
// nothing, for a file it cannot fully understand.
func (c *Config) PlanFix(opt FixOptions) (*Plan, error) {
	if !c.Exists {
		return nil, fmt.Errorf("%s does not exist", c.Path)
	}
	if c.ReadErr != nil {
		return nil, c.ReadErr
	}
	if opt.Mode == "" {
		opt.Mode = ModeLauncher
	}
	if opt.Version == "" {
		opt.Version = KnownGoodVersion
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	plan := &Plan{Config: c, Before: c.Raw, Domains: map[string]string{}, now: opt.Now}

	work := c
	if c.Strict != nil && !c.ParseOK() {
		if !opt.Repair {
			return nil, fmt.Errorf("%w: %s: %v. %s drops every server from a file like this; "+
				"run again with --repair to rewrite it as strict JSON, keeping every value", ErrNotStrict, c.Path, c.Strict, c.Rules().Title)
		}
		repaired, reason, err := repair(c.Raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Path, err)
		}
		work = &Config{Client: c.Client, Path: c.Path, Target: c.Target, Exists: true}
		work.Parse(repaired)
		plan.Edits = append(plan.Edits, Edit{Pointer: "", Action: "replace", Reason: reason})
	}
	plan.work = work
	if work.Root == nil || work.Root.Kind != Object {
		return nil, fmt.Errorf("%s: the top level is not an object; fix-config does not rewrite a file like that", c.Path)
	}

	audit := work.Audit(opt.Now)
	plan.secrets = audit.Findings
	b := &builder{src: work.Raw, containers: map[*Node]*containerEdit{}, replaced: map[*Node][]byte{}}

	byServer := map[*Node][]Finding{}
	var outside []Finding
	for _, f := range audit.Findings {
		if f.serverNode == nil {
			outside = append(outside, f)
			continue
		}
		byServer[f.serverNode] = append(byServer[f.serverNode], f)
	}
	for _, s := range work.Servers() {
		fs := byServer[s.Node]
		if len(fs) == 0 {
			if s.Node.Kind == Object && s.IsLauncher() && opt.Mode == ModeLauncher {
				plan.repoint(b, s, opt)
			}
			continue
		}
		switch {
		case s.Node.Kind == Object && s.IsAuth0():
			if err := entryUnderstood(s); err != nil {
				return nil, fmt.Errorf("%s: %w; correct the entry first (auth0mcp doctor shows how), then run fix-config again", c.Path, err)
			}
			plan.fixAuth0(b, s, fs, opt)
		case opt.All && opt.Native:
			plan.nativeRefs(b, work, s, fs)
		case opt.All && opt.Vault:
			plan.moveToVault(b, work, s, fs, opt)
		case opt.All:
			plan.removeAll(b, s, fs)
		default:
			plan.Left = append(plan.Left, Left{Server: s.Name, Findings: fs})
		}
	}
	if len(outside) > 0 {
		if opt.All {
			plan.removeOutside(b, work.Root, outside)
		} else {
			plan.Left = append(plan.Left, Left{Findings: outside})
		}
	}

	seen := map[string]string{}
	for _, st := range plan.Stores {
		if v, ok := seen[st.Account]; ok && v != st.value {
			return nil, fmt.Errorf("%s: two different secrets would share the keychain account %s; nothing will be written", c.Path, st.Account)
		}
		seen[st.Account] = st.value
	}
	after, err := b.apply()
	if err != nil {
		return nil, err
	}
	plan.After = after
	if work == c && !plan.hasEdits() {
		plan.After = c.Raw
		return plan, nil
	}
	if err := plan.verify(work, b); err != nil {
		return nil, fmt.Errorf("%s: the rewrite did not pass its own check, so nothing will be written: %w", c.Path, err)
	}
	return plan, nil
}

func (p *Plan) hasEdits() bool { return len(p.Edits) > 0 }

// builder collects edits per container, so that several edits to one
// object become one consistent set of splices.
type builder struct {
	src        []byte
	containers map[*Node]*containerEdit
	replaced   map[*Node][]byte // whole values replaced by new text
	touched    []string         // pointers whose subtree may change, for verification
}

type containerEdit struct {
	node *Node
	drop map[int]bool
	add  []kv
}

func (b *builder) container(n *Node) *containerEdit {
	ce := b.containers[n]
	if ce == nil {
		ce = &containerEdit{node: n, drop: map[int]bool{}}
		b.containers[n] = ce
	}
	return ce
}

func (b *builder) apply() ([]byte, error) {
	var sp []splice
	for n, text := range b.replaced {
		sp = append(sp, splice{n.Start, n.End, text})
	}
	for _, ce := range b.containers {
		if ce.node.Kind == Object {
			sp = append(sp, editObject(b.src, ce.node, ce.drop, ce.add)...)
		} else {
			sp = append(sp, removeItems(b.src, ce.node, ce.drop)...)
		}
	}
	return applySplices(b.src, sp)
}

// setArgs replaces an entry's args (or adds them after its command) with
// values, in the array's own layout.
func (b *builder) setArgs(s Server, cmd, args *Node, values [][]byte) {
	if args != nil && args.Kind == Array {
		b.replaced[args] = arrayText(b.src, args, indentOf(b.src, args.Start), values)
	} else {
		ce := b.container(s.Node)
		ce.add = append(ce.add, kv{"args", arrayText(b.src, nil, indentOf(b.src, cmd.Start), values)})
	}
	b.touched = append(b.touched, s.Pointer+"/command", s.Pointer+"/args")
}

// dropValue schedules the removal of the member or element whose value is
// n, found under parent.
func (b *builder) dropValue(parent, n *Node) bool {
	if parent == nil {
		return false
	}
	for i, m := range parent.Members {
		if m.Value == n {
			b.container(parent).drop[i] = true
			return true
		}
	}
	for i, e := range parent.Elems {
		if e == n {
			b.container(parent).drop[i] = true
			return true
		}
	}
	return false
}

// secretArgs returns the indexes of args to drop for the findings in an
// args array: the value, and a separate flag before it (--token X).
func secretArgs(args *Node, fs []Finding) map[int]bool {
	drop := map[int]bool{}
	for _, f := range fs {
		for i, e := range args.Elems {
			if e != f.node {
				continue
			}
			drop[i] = true
			// A flag that takes this value goes with it.
			if i > 0 && args.Elems[i-1].Kind == String && secrets.TakesSecret(args.Elems[i-1].Str) {
				drop[i-1] = true
			}
		}
	}
	return drop
}

func (p *Plan) fixAuth0(b *builder, s Server, fs []Finding, opt FixOptions) {
	env := s.Node.Get("env")
	args := s.Node.Get("args")
	var argDrop map[int]bool
	var keep []string // keychain accounts the launcher reads with --secret
	domain := ""
	for _, f := range fs {
		if f.JWT != nil && f.JWT.Domain != "" && domain == "" {
			domain = f.JWT.Domain
		}
	}

	// Every value that holds a secret goes, every copy of a duplicate key.
	for _, f := range fs {
		p.Removed = append(p.Removed, f)
		p.Auth0Token = true
		switch {
		case env != nil && isChild(env, f.node) && opt.Mode == ModeLauncher && opt.Launcher != "" &&
			memberKey(env, f.node) != "AUTH0_TOKEN" && envVarName(memberKey(env, f.node)):
			// AUTH0_CLIENT_SECRET and the like: the launcher needs them to
			// fetch a token, so they move to the keychain and come back
			// through --secret.
			name := memberKey(env, f.node)
			acct := p.account(p.work, s, name)
			if !containsArg(keep, acct) {
				value, _ := s.LookupEnv(name)
				keep = append(keep, acct)
				p.Stores = append(p.Stores, Store{Account: acct, Server: s.Name, Pointer: f.Pointer, Preview: f.Preview, value: value})
			}
			b.dropValue(env, f.node)
			p.edit(s, f.Pointer, "remove", fmt.Sprintf("stored %s (%s): moved to the OS keychain as %s; the launcher reads it to fetch a token", name, f.Preview, acct))
		case env != nil && isChild(env, f.node):
			b.dropValue(env, f.node)
			p.edit(s, f.Pointer, "remove", fmt.Sprintf("stored %s (%s): %s", lastToken(f.Pointer), f.Preview, p.why(opt)))
		case args != nil && args.Kind == Array && isChild(args, f.node):
			if argDrop == nil {
				argDrop = map[int]bool{}
			}
			for i := range secretArgs(args, []Finding{f}) {
				argDrop[i] = true
			}
		default:
			p.dropAnywhere(b, s.Node, f)
			p.edit(s, f.Pointer, "remove", fmt.Sprintf("stored secret (%s)", f.Preview))
		}
	}
	if len(argDrop) > 0 {
		for _, i := range sortedKeys(argDrop) {
			p.edit(s, Pointer(s.Pointer+"/args", fmt.Sprint(i)), "remove",
				argReason(args, i, fs)+"; the launcher gives the server AUTH0_TOKEN in its environment instead")
		}
		b.touched = append(b.touched, s.Pointer+"/args")
	}

	cmd := s.Node.Get("command")
	launched := s.IsLauncher()
	if launched && opt.Mode == ModeLauncher {
		p.repoint(b, s, opt)
		if len(keep) > 0 && args != nil && args.Kind == Array && len(args.Elems) > 0 {
			values := [][]byte{b.src[args.Elems[0].Start:args.Elems[0].End]}
			for _, acct := range keep {
				values = append(values, jsonString("--secret"), jsonString(acct))
			}
			for i, e := range args.Elems[1:] {
				if !argDrop[i+1] {
					values = append(values, b.src[e.Start:e.End])
				}
			}
			b.setArgs(s, cmd, args, values)
			p.edit(s, s.Pointer+"/args", "replace", "the launcher reads the moved secrets with --secret")
			argDrop = nil
		}
	}
	if opt.Mode == ModeLauncher && cmd != nil && cmd.Kind == String && !launched && opt.Launcher != "" {
		// Rebuild args: the launcher's own, then the original command and
		// its arguments less the secret ones, with the package pinned.
		values := [][]byte{jsonString("run")}
		for _, acct := range keep {
			values = append(values, jsonString("--secret"), jsonString(acct))
		}
		values = append(values, jsonString("--"), jsonString(s.Command))
		if args != nil && args.Kind == Array {
			for i, e := range args.Elems {
				if argDrop[i] {
					continue
				}
				if e.Kind == String && e.Str == Auth0Package {
					values = append(values, jsonString(Auth0Package+"@"+opt.Version))
					p.edit(s, Pointer(s.Pointer+"/args", fmt.Sprint(i)), "replace",
						fmt.Sprintf("pin the unpinned package to %s, the newest release known to work", opt.Version))
					continue
				}
				values = append(values, b.src[e.Start:e.End])
			}
		}
		b.replaced[cmd] = jsonString(opt.Launcher)
		p.edit(s, s.Pointer+"/command", "replace", "start the server through the launcher "+opt.Launcher+", which fetches a token when the server starts")
		b.setArgs(s, cmd, args, values)
		p.edit(s, s.Pointer+"/args", "replace", "run -- followed by the original command")
		argDrop = nil
	}
	if len(argDrop) > 0 && args != nil {
		ce := b.container(args)
		for i := range argDrop {
			ce.drop[i] = true
		}
	}

	if _, ok := s.LookupEnv("AUTH0_DOMAIN"); !ok && domain != "" {
		value := jsonString(domain)
		if env != nil && env.Kind == Object {
			ce := b.container(env)
			ce.add = append(ce.add, kv{"AUTH0_DOMAIN", value})
		} else if env == nil {
			ce := b.container(s.Node)
			ce.add = append(ce.add, kv{"env", objectText(b.src, s.Node, []kv{{"AUTH0_DOMAIN", value}})})
		}
		p.edit(s, s.Pointer+"/env/AUTH0_DOMAIN", "set", "the tenant of the removed token ("+domain+"); the server needs it with an environment token")
	}
	if env != nil {
		b.touched = append(b.touched, s.Pointer+"/env")
	}
	if domain == "" {
		domain, _ = s.LookupEnv("AUTH0_DOMAIN")
	}
	p.Domains[s.Name] = domain
}

// entryUnderstood refuses to rewrite an Auth0 entry whose command or
// arguments have a shape the client would not run as they look: the
// rewrite would have to guess what they mean.
func entryUnderstood(s Server) error {
	if c := s.Node.Get("command"); c != nil && c.Kind != String {
		return fmt.Errorf("the %q entry's \"command\" is not a string", s.Name)
	}
	if a := s.Node.Get("args"); a != nil {
		if a.Kind != Array {
			return fmt.Errorf("the %q entry's \"args\" is not an array of strings", s.Name)
		}
		for _, e := range a.Elems {
			if e.Kind != String {
				return fmt.Errorf("the %q entry's \"args\" holds something other than strings", s.Name)
			}
		}
	}
	if e := s.Node.Get("env"); e != nil && e.Kind != Object {
		return fmt.Errorf("the %q entry's \"env\" is not an object", s.Name)
	}
	return nil
}

// repoint makes a launcher entry name opt.Launcher when the launcher it
// names is gone, or when the user named another one.
func (p *Plan) repoint(b *builder, s Server, opt FixOptions) {
	cmd := s.Node.Get("command")
	if opt.Launcher == "" || cmd == nil || cmd.Kind != String || s.Command == opt.Launcher {
		return
	}
	_, err := os.Stat(s.Command)
	if err == nil && !opt.Repoint {
		return
	}
	b.replaced[cmd] = jsonString(opt.Launcher)
	b.touched = append(b.touched, s.Pointer+"/command")
	reason := "use the launcher " + opt.Launcher
	if err != nil {
		reason = fmt.Sprintf("the launcher %s does not exist; use %s", s.Command, opt.Launcher)
	}
	p.edit(s, s.Pointer+"/command", "replace", reason)
}

func (p *Plan) why(opt FixOptions) string {
	if opt.Mode == ModeKeychain {
		return "the server reads its token from its own keychain instead"
	}
	return "the launcher fetches a token when the server starts"
}

// removeAll takes every stored secret out of a server entry that is not
// the Auth0 server's (--all).
func (p *Plan) removeAll(b *builder, s Server, fs []Finding) {
	var lacks []string
	args := s.Node.Get("args")
	if args != nil && args.Kind == Array {
		var inArgs []Finding
		for _, f := range fs {
			if isChild(args, f.node) {
				inArgs = append(inArgs, f)
			}
		}
		if len(inArgs) > 0 {
			ce := b.container(args)
			for _, i := range sortedKeys(secretArgs(args, inArgs)) {
				ce.drop[i] = true
				p.edit(s, Pointer(s.Pointer+"/args", fmt.Sprint(i)), "remove", argReason(args, i, fs))
			}
			b.touched = append(b.touched, s.Pointer+"/args")
			lacks = append(lacks, "an argument")
		}
	}
	for _, f := range fs {
		p.Removed = append(p.Removed, f)
		if args != nil && isChild(args, f.node) {
			continue
		}
		p.dropAnywhere(b, s.Node, f)
		p.edit(s, f.Pointer, "remove", fmt.Sprintf("stored secret (%s)", f.Preview))
		lacks = append(lacks, lastToken(f.Pointer))
	}
	p.Lacks = append(p.Lacks, fmt.Sprintf("%q will lack %s until you give it the secret another way", s.Name, strings.Join(dedupe(lacks), ", ")))
}

// removeOutside removes secrets found outside server entries (--all).
func (p *Plan) removeOutside(b *builder, root *Node, fs []Finding) {
	for _, f := range fs {
		p.Removed = append(p.Removed, f)
		p.dropAnywhere(b, root, f)
		p.edit(Server{}, f.Pointer, "remove", fmt.Sprintf("stored secret (%s) outside any server entry", f.Preview))
	}
}

// dropAnywhere removes the member or element holding f's value, searching
// from root.
func (p *Plan) dropAnywhere(b *builder, root *Node, f Finding) {
	if f.keyOf != nil {
		b.container(f.keyOf).drop[f.keyIndex] = true
		b.touched = append(b.touched, f.keyPointer)
		return
	}
	parent := parentOf(root, f.node)
	if parent != nil && b.dropValue(parent, f.node) {
		b.touched = append(b.touched, parentPointer(f.Pointer))
	}
}

func (p *Plan) edit(s Server, ptr, action, reason string) {
	p.Edits = append(p.Edits, Edit{Pointer: ptr, Action: action, Reason: reason, Server: s.Name})
}

func isChild(parent, n *Node) bool { return parentOf(parent, n) == parent }

// parentOf returns the container that holds n directly, searching from root.
func parentOf(root, n *Node) *Node {
	if root == nil || n.Start < root.Start || n.End > root.End {
		return nil
	}
	for _, m := range root.Members {
		if m.Value == n {
			return root
		}
		if p := parentOf(m.Value, n); p != nil {
			return p
		}
	}
	for _, e := range root.Elems {
		if e == n {
			return root
		}
		if p := parentOf(e, n); p != nil {
			return p
		}
	}
	return nil
}

func parentPointer(ptr string) string {
	if i := strings.LastIndexByte(ptr, '/'); i >= 0 {
		return ptr[:i]
	}
	return ""
}

func lastToken(ptr string) string {
	t := ptr[strings.LastIndexByte(ptr, '/')+1:]
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

// argReason says why an argument goes: it holds a secret, or it is the
// flag of one.
func argReason(args *Node, i int, fs []Finding) string {
	for _, f := range fs {
		if f.node == args.Elems[i] {
			return fmt.Sprintf("argument %q holds a stored secret", redactArg(args.Elems[i].Str, fs))
		}
	}
	return fmt.Sprintf("%q is the flag of the removed value", args.Elems[i].Str)
}

func sortedKeys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// redactArg shows an argument with any secret in it replaced by its preview.
func redactArg(arg string, fs []Finding) string {
	for _, f := range fs {
		if f.secret != "" {
			arg = strings.ReplaceAll(arg, f.secret, f.Preview)
		}
	}
	return arg
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// verify checks the result before anything is written: it is strict JSON
// for both our parser and gjson, no removed secret is left in it, and
// every value outside the edited places is unchanged.
func (p *Plan) verify(work *Config, b *builder) error {
	root, err := work.parseForClient(p.After)
	if err != nil {
		return fmt.Errorf("the result does not parse (%v)", err)
	}
	// Keep the parsed result: the diff redacts it without parsing again.
	p.after = &Config{Client: work.Client, Path: work.Path, Exists: true, Raw: p.After, Root: root}
	strict := work.Strict == nil
	if strict && !gjson.ValidBytes(p.After) {
		return errors.New("the result is not valid JSON for gjson")
	}
	// A removed secret may still occur where the file has the same text
	// elsewhere (a password that is also a user name), but no more often.
	for _, f := range p.Removed {
		if f.secret == "" || !bytes.Contains(p.After, []byte(f.secret)) {
			continue
		}
		sec := []byte(f.secret)
		s, e := f.span()
		want := bytes.Count(work.Raw, sec) - bytes.Count(work.Raw[s:e], sec)
		if bytes.Count(p.After, sec) > max(want, 0) {
			return fmt.Errorf("the secret at %s is still in the result", f.Pointer)
		}
	}
	touched := map[string]bool{}
	for _, t := range b.touched {
		touched[t] = true
	}
	for _, e := range p.Edits {
		touched[e.Pointer] = true
	}
	if err := sameOutside(work.Raw, p.After, work.Root, root, "", touched); err != nil {
		return err
	}
	// gjson must see the same places as our parser for what we removed
	// (for the first few, in files up to 1 MiB: each look-up reads the
	// whole file).
	for i, f := range p.Removed {
		if f.Server == "" || !strict || i >= 16 || len(p.After) > 1<<20 {
			continue
		}
		path := gjsonPath(f.Pointer)
		if r := gjson.GetBytes(p.After, path); r.Exists() && strings.Contains(r.Raw, f.secret) {
			return fmt.Errorf("gjson still finds the secret at %s", f.Pointer)
		}
	}
	return nil
}

// sameOutside checks that every value outside the touched pointers is the
// same in before and after. A subtree with nothing touched inside lies
// outside every edit, so its bytes must be equal: one comparison, no walk.
// Along the paths to touched places the two trees are walked together;
// members and elements that were removed or added must be touched ones.
func sameOutside(bsrc, asrc []byte, b, a *Node, ptr string, touched map[string]bool) error {
	if touched[ptr] {
		return nil
	}
	if !hasTouchedBelow(ptr, touched) {
		if !bytes.Equal(bsrc[b.Start:b.End], asrc[a.Start:a.End]) && !sameValue(b, a) {
			return fmt.Errorf("the value at %s would change", ptr)
		}
		return nil
	}
	if a.Kind != b.Kind {
		return fmt.Errorf("the value at %s would change type", ptr)
	}
	switch b.Kind {
	case Object:
		i, j := 0, 0
		for i < len(b.Members) || j < len(a.Members) {
			switch {
			case i < len(b.Members) && excused(Pointer(ptr, b.Members[i].Key), touched) &&
				(j >= len(a.Members) || a.Members[j].Key != b.Members[i].Key):
				i++ // removed
			case j < len(a.Members) && excused(Pointer(ptr, a.Members[j].Key), touched) &&
				(i >= len(b.Members) || a.Members[j].Key != b.Members[i].Key):
				j++ // added
			case i < len(b.Members) && j < len(a.Members) && a.Members[j].Key == b.Members[i].Key:
				if err := sameOutside(bsrc, asrc, b.Members[i].Value, a.Members[j].Value, Pointer(ptr, b.Members[i].Key), touched); err != nil {
					return err
				}
				i, j = i+1, j+1
			case i < len(b.Members):
				return fmt.Errorf("the value at %s would be lost", Pointer(ptr, b.Members[i].Key))
			default:
				return fmt.Errorf("a value would appear at %s", Pointer(ptr, a.Members[j].Key))
			}
		}
	case Array:
		if len(a.Elems) != len(b.Elems) {
			return fmt.Errorf("the array at %s would change length", ptr)
		}
		for i := range b.Elems {
			if err := sameOutside(bsrc, asrc, b.Elems[i], a.Elems[i], Pointer(ptr, strconv.Itoa(i)), touched); err != nil {
				return err
			}
		}
	}
	return nil
}

// excused reports whether a member at ptr may appear or go: it, or
// something under it, was edited.
func excused(ptr string, touched map[string]bool) bool {
	return touched[ptr] || hasTouchedBelow(ptr, touched)
}

// hasTouchedBelow reports whether a touched pointer lies under ptr.
func hasTouchedBelow(ptr string, touched map[string]bool) bool {
	for t := range touched {
		if strings.HasPrefix(t, ptr+"/") || (ptr == "" && t != "") {
			return true
		}
	}
	return false
}

// sameValue compares two values by meaning, for a subtree whose bytes
// differ only in what a repair removed (comments, trailing commas).
func sameValue(b, a *Node) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch b.Kind {
	case String:
		return a.Str == b.Str
	case Object:
		if len(a.Members) != len(b.Members) {
			return false
		}
		for i := range b.Members {
			if a.Members[i].Key != b.Members[i].Key || !sameValue(b.Members[i].Value, a.Members[i].Value) {
				return false
			}
		}
	case Array:
		if len(a.Elems) != len(b.Elems) {
			return false
		}
		for i := range b.Elems {
			if !sameValue(b.Elems[i], a.Elems[i]) {
				return false
			}
		}
	default:
		return a.End-a.Start == b.End-b.Start
	}
	return true
}

// leaves maps every pointer of a scalar value (and of every empty
// container) to its values in source order; duplicates keep every copy.
func leaves(n *Node) map[string][]string {
	out := map[string][]string{}
	var walk func(n *Node, ptr string)
	walk = func(n *Node, ptr string) {
		switch n.Kind {
		case Object:
			if len(n.Members) == 0 {
				out[ptr] = append(out[ptr], "{}")
			}
			for _, m := range n.Members {
				walk(m.Value, Pointer(ptr, m.Key))
			}
		case Array:
			if len(n.Elems) == 0 {
				out[ptr] = append(out[ptr], "[]")
			}
			for i, e := range n.Elems {
				walk(e, Pointer(ptr, fmt.Sprint(i)))
			}
		case String:
			out[ptr] = append(out[ptr], "s:"+n.Str)
		default:
			out[ptr] = append(out[ptr], fmt.Sprintf("%d:%d", n.Kind, n.End-n.Start))
		}
	}
	walk(n, "")
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// gjsonPath turns a JSON Pointer into a gjson path, escaping each token.
func gjsonPath(ptr string) string {
	var parts []string
	for _, t := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		parts = append(parts, gjson.Escape(t))
	}
	return strings.Join(parts, ".")
}

// repair removes a byte order mark, comments and trailing commas, and a
// line a comment leaves empty, and checks that every value survived.
func repair(src []byte) ([]byte, string, error) {
	root, junk, err := parseJunk(src)
	if err != nil {
		return nil, "", fmt.Errorf("cannot repair it: %v; correct it by hand (doctor shows where)", err)
	}
	var bom, comments, commas int
	var sp []splice
	for _, j := range junk {
		text := src[j.Start:j.End]
		switch {
		case bytes.HasPrefix(text, []byte("\xEF\xBB\xBF")):
			bom++
		case text[0] == ',':
			commas++
		default:
			comments++
			// A comment alone on its line takes the line with it.
			ls := bytes.LastIndexByte(src[:j.Start], '\n') + 1
			le := j.End
			for le < len(src) && (src[le] == ' ' || src[le] == '\t' || src[le] == '\r') {
				le++
			}
			if isSpace(src[ls:j.Start]) && le < len(src) && src[le] == '\n' {
				sp = append(sp, splice{ls, le + 1, nil})
				continue
			}
		}
		sp = append(sp, splice{j.Start, j.End, nil})
	}
	out, aerr := applySplices(src, mergeSpans(sp))
	if aerr != nil {
		return nil, "", aerr
	}
	fixed, serr := ParseStrict(out)
	if serr != nil {
		return nil, "", fmt.Errorf("cannot repair it: %v after removing comments and trailing commas", serr)
	}
	if !sameLeaves(leaves(root), leaves(fixed)) {
		return nil, "", errors.New("cannot repair it without changing a value")
	}
	var what []string
	if bom > 0 {
		what = append(what, "the byte order mark")
	}
	if comments > 0 {
		what = append(what, fmt.Sprintf("%d comment%s", comments, plural(comments)))
	}
	if commas > 0 {
		what = append(what, fmt.Sprintf("%d trailing comma%s", commas, plural(commas)))
	}
	return out, "rewrite as strict JSON: removed " + strings.Join(what, ", ") + "; every value kept", nil
}

// mergeSpans joins overlapping splices (two comments on one removed line).
func mergeSpans(sp []splice) []splice {
	sort.Slice(sp, func(i, j int) bool { return sp[i].start < sp[j].start })
	var out []splice
	for _, s := range sp {
		if n := len(out); n > 0 && s.start < out[n-1].end {
			if s.end > out[n-1].end {
				out[n-1].end = s.end
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

func sameLeaves(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !equalStrings(v, b[k]) {
			return false
		}
	}
	return true
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Diff returns a unified diff of the rewrite with every secret of the
// file replaced by its preview on both sides.
func (p *Plan) Diff() string {
	if !p.Changed() {
		return ""
	}
	name := p.Config.Path
	return unifiedDiff(difflib.SplitLines(p.Config.RedactedSource(p.now)),
		difflib.SplitLines(p.redact(p.After)), name, name+" (fixed)")
}

// unifiedDiff diffs only the lines between the longest common head and
// tail (an app's large preferences block is usually all tail), then moves
// the hunk headers back to the files' own line numbers.
func unifiedDiff(a, b []string, from, to string) string {
	const context = 3
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	skip := max(head-context, 0)
	keepTail := max(tail-context, 0)
	d, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: a[skip : len(a)-keepTail], B: b[skip : len(b)-keepTail],
		FromFile: from, ToFile: to, Context: context,
	})
	if err != nil || skip == 0 {
		return d
	}
	return hunkHeader.ReplaceAllStringFunc(d, func(h string) string {
		m := hunkHeader.FindStringSubmatch(h)
		a1, _ := strconv.Atoi(m[1])
		b1, _ := strconv.Atoi(m[3])
		return fmt.Sprintf("@@ -%d%s +%d%s @@", a1+skip, m[2], b1+skip, m[4])
	})
}

var hunkHeader = regexp.MustCompile(`(?m)^@@ -(\d+)((?:,\d+)?) \+(\d+)((?:,\d+)?) @@`)

func (p *Plan) redact(b []byte) string {
	c := p.after
	if c == nil || !bytes.Equal(c.Raw, b) {
		c = &Config{Client: p.Config.Client, Path: p.Config.Path, Exists: true}
		c.Parse(b)
	}
	return c.RedactedSource(p.now)
}

// PurgeBackups deletes the backups of the config at path that hold a
// stored secret, and returns the ones it deleted and the ones it kept.
func PurgeBackups(path string, now time.Time) (deleted, kept []string, err error) {
	bs, err := Backups(path)
	if err != nil {
		return nil, nil, err
	}
	for _, b := range bs {
		c := Load(b, ClaudeDesktop)
		if c.Root != nil && len(c.Audit(now).Findings) > 0 {
			if err := os.Remove(b); err != nil {
				return deleted, kept, err
			}
			deleted = append(deleted, b)
		} else {
			kept = append(kept, b)
		}
	}
	return deleted, kept, nil
}
