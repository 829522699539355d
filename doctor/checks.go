package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/internal/secrets"
	"github.com/auth0mcp/auth0mcp/internal/ui"
)

// Check is one thing doctor verifies. Run may return several results, one
// line each (one per config, per server or per finding).
type Check struct {
	ID          string
	Title       string
	Description string
	Network     bool // needs the network or starts servers: skipped with --offline
	Run         func(ctx context.Context, st *state) []Result
}

// Checks lists every check in the order the report shows them.
func Checks() []Check {
	return []Check{
		{ID: "discover", Title: "Client configs", Run: checkDiscover,
			Description: "Lists every place a known client (Claude Desktop, Cursor, Windsurf, VS Code, Claude Code, Gemini CLI) keeps its config, says which exist, and warns when two Claude Desktop configs differ."},
		{ID: "parse", Title: "Strict JSON", Run: checkParse,
			Description: "The file must parse the way its client parses it (strict JSON for Claude Desktop: no BOM, comments or trailing commas), or the client drops every server in it."},
		{ID: "duplicates", Title: "Duplicate keys", Run: checkDuplicates,
			Description: "A key that appears twice: JavaScript keeps the last copy, other tools may not, and every copy can hold a secret."},
		{ID: "schema", Title: "Server entries", Run: checkSchema,
			Description: "Entries the client skips or rejects: no command, args or env of the wrong type, remote entries it does not support, entries outside its server map."},
		{ID: "secrets", Title: "Stored secrets", Run: checkSecrets,
			Description: "Tokens, keys and passwords written into the config, where they leak and go stale."},
		{ID: "backups", Title: "Backups", Run: checkBackups,
			Description: "Backups fix-config left next to a config that still hold a stored secret."},
		{ID: "references", Title: "References and empty values", Run: checkReferences,
			Description: "${VAR}-style references the client does not expand (Claude Desktop expands none) and secret variables left empty."},
		{ID: "auth0-entry", Title: "Auth0 MCP server entry", Run: checkAuth0Entry,
			Description: "Whether the Auth0 MCP server is configured, and how its credentials reach it."},
		{ID: "auth0-version", Title: "Auth0 MCP server version", Run: checkAuth0Version,
			Description: "The package version: pinned, and not older than the releases that break the handshake or ignore environment credentials."},
		{ID: "auth0-command", Title: "Auth0 MCP server command", Run: checkAuth0Command,
			Description: "Whether the app can find the command with its own PATH, which Node it runs, npx without -y, and stray \"--\" arguments."},
		{ID: "handshake", Title: "MCP handshake", Run: checkHandshake, Network: true, Description: "Starts each Auth0 MCP server entry as the app would and runs the MCP handshake and tools/list under the check's deadline, with a diagnosis for each way it fails."},
		{ID: "token", Title: "Token methods", Run: checkToken, Network: true, Description: "Which token method gives the launcher a token for each Auth0 entry's tenant, how long it took and when the token expires; flags \"auth0 api\" in a command, a known hang cause. Network: it may ask Auth0 for a token and runs your token command."},
	}
}

func parseError(e *configfix.SyntaxError) *ParseError {
	return &ParseError{Kind: e.Kind, Line: e.Line, Column: e.Column, Message: e.Message,
		Excerpt: secrets.Redact(e.Excerpt)}
}

func checkDiscover(_ context.Context, st *state) []Result {
	var out []Result
	var present []*configfix.Config
	var notFound []string
	for _, c := range st.configs {
		r := Result{Config: c.Path}
		title := clientName(c.Client)
		switch {
		case !c.Exists && c.Given:
			r.Status = ui.StatusFail
			r.Detail = fmt.Sprintf("%s does not exist", c.Path)
			r.Fix = "Check the path given to --config, or run auth0mcp doctor without --config to search the usual places."
		case !c.Exists && c.Client == configfix.ClaudeDesktop && !c.Project:
			r.Status = ui.StatusSkip
			r.Detail = fmt.Sprintf("Claude Desktop config not found at %s; the Auth0 MCP server is not configured for it", c.Path)
		case !c.Exists:
			notFound = append(notFound, fmt.Sprintf("%s (%s)", title, c.Path))
			continue
		case c.ReadErr != nil:
			r.Status = ui.StatusFail
			r.Detail = fmt.Sprintf("cannot read %s: %v", c.Path, c.ReadErr)
			r.Fix = readFix(c.ReadErr)
		default:
			present = append(present, c)
			r.Status = ui.StatusOK
			r.Detail = fmt.Sprintf("found %s config %s", title, c.Path)
			if c.Where != "" {
				r.Detail += " (" + c.Where + ")"
			}
			if c.Target != "" {
				r.Detail += ", a symlink to " + c.Target
			}
			if c.Project && !st.opt.ProbeProject {
				r.Detail += "; a project's file is audited but its servers are not started (--probe-project does)"
			}
		}
		out = append(out, r)
	}
	if len(notFound) > 0 {
		out = append(out, Result{Status: ui.StatusSkip, Detail: "not found: " + strings.Join(notFound, ", ")})
	}
	if len(st.configs) == 0 {
		out = append(out, Result{Status: ui.StatusSkip, Detail: "no config location is known for this system (is HOME set?)"})
	}
	if !st.opt.Given() {
		for i := 0; i < len(present); i++ {
			for j := i + 1; j < len(present); j++ {
				a, b := present[i], present[j]
				if a.Client != configfix.ClaudeDesktop || b.Client != configfix.ClaudeDesktop {
					continue
				}
				if !bytes.Equal(a.Raw, b.Raw) {
					out = append(out, Result{Status: ui.StatusWarn,
						Detail: fmt.Sprintf("two Claude Desktop configs exist and differ: %s and %s; which one the app reads depends on how it was installed", a.Path, b.Path),
						Fix:    "Keep one: compare them, merge what you need into the one your install uses (the MSIX package folder for the Microsoft Store or winget build), and remove the other."})
				}
			}
		}
	}
	return out
}

// readFix says what to do about a config that cannot be read.
func readFix(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "Make the file readable by this user, or point --config at a readable copy."
	case errors.Is(err, syscall.ELOOP) || strings.Contains(err.Error(), "symlink"):
		return "The path is a symlink that leads nowhere or in a loop: point it at the real config file."
	case strings.Contains(err.Error(), "directory"):
		return "The path is a folder: the config is the JSON file inside it (see auth0mcp doctor without --config)."
	}
	return "Check the path and the file; auth0mcp reads regular files up to 64 MiB."
}

// Given reports whether configs were named on the command line.
func (o Options) Given() bool { return len(o.Configs) > 0 }

func checkParse(_ context.Context, st *state) []Result {
	var out []Result
	for _, c := range st.existing() {
		r := Result{Config: c.Path}
		cl := c.Rules()
		if c.Strict == nil {
			r.Status = ui.StatusOK
			r.Detail = "strict JSON"
		} else if c.ParseOK() {
			r.Status = ui.StatusOK
			r.Detail = fmt.Sprintf("JSON with comments or trailing commas, which %s accepts", cl.Title)
		} else {
			e := c.Strict
			r.Status = ui.StatusFail
			if c.Root == nil || !cl.Comments {
				r.Detail = fmt.Sprintf("not strict JSON at line %d, column %d: %s. %s will drop every server from a file like this", e.Line, e.Column, e.Message, cl.Title)
			} else {
				r.Detail = fmt.Sprintf("not JSON at line %d, column %d: %s. %s will drop every server from a file like this", e.Line, e.Column, e.Message, cl.Title)
			}
			if e.Excerpt != "" {
				r.Detail += "\n  " + secrets.Redact(e.Excerpt)
			}
			if c.Root == nil {
				r.Detail += ". The file cannot be read even leniently, so it was not audited for secrets"
			}
			r.Fix = parseFix(c, e)
		}
		out = append(out, r)
	}
	return out
}

func parseFix(c *configfix.Config, e *configfix.SyntaxError) string {
	switch e.Kind {
	case "bom":
		return "Save the file as UTF-8 without a byte order mark (in Notepad: Save As → Encoding: UTF-8)."
	case "comment":
		return fmt.Sprintf("Delete the comment at line %d; JSON has no comments.", e.Line)
	case "trailing-comma":
		return fmt.Sprintf("Delete the comma at line %d, column %d.", e.Line, e.Column)
	case "empty":
		return fmt.Sprintf("Write {\"%s\": {}} into the file, or delete it and let %s create it.", c.Rules().RootKey, c.Rules().Title)
	case "invalid-utf8":
		return "Save the file as UTF-8; a byte sequence in it is not valid UTF-8."
	}
	return fmt.Sprintf("Correct the JSON at line %d, column %d, then check it with: auth0mcp doctor --config %s", e.Line, e.Column, ui.ShellQuote(c.Path))
}

func checkDuplicates(_ context.Context, st *state) []Result {
	var out []Result
	for _, c := range st.existing() {
		if c.Root == nil {
			continue
		}
		dups := c.Duplicates()
		if len(dups) == 0 {
			out = append(out, Result{Config: c.Path, Status: ui.StatusOK, Detail: "no duplicate keys"})
			continue
		}
		for _, d := range dups {
			out = append(out, Result{Config: c.Path, Status: ui.StatusWarn,
				Detail: fmt.Sprintf("%s appears %d times (lines %s); %s uses the last one, other tools may use another", d.Pointer, d.Count, joinInts(d.Lines), c.Rules().Title),
				Fix:    fmt.Sprintf("Keep one %q and delete the others (each copy was audited for secrets).", d.Key)})
		}
	}
	return out
}

func checkSchema(_ context.Context, st *state) []Result {
	var out []Result
	for _, c := range st.existing() {
		if c.Root == nil {
			continue
		}
		probs := c.Schema()
		if !c.ParseOK() {
			out = append(out, Result{Config: c.Path, Status: ui.StatusSkip,
				Detail: fmt.Sprintf("%s loads no entry until the file parses; the entries were read leniently to look for more problems", c.Rules().Title)})
		} else if len(probs) == 0 {
			n := len(c.Servers())
			out = append(out, Result{Config: c.Path, Status: ui.StatusOK,
				Detail: fmt.Sprintf("%d server %s, each one %s can load", n, plural(n, "entry", "entries"), c.Rules().Title)})
			continue
		}
		for _, p := range probs {
			st := ui.StatusWarn
			if p.Severity == "fail" {
				st = ui.StatusFail
			}
			out = append(out, Result{Config: c.Path, Server: p.Server, Status: st,
				Detail: p.Pointer + ": " + p.Message, Fix: p.Fix})
		}
	}
	return out
}

func checkSecrets(_ context.Context, st *state) []Result {
	var out []Result
	for _, c := range st.existing() {
		a := st.audits[c]
		if a == nil {
			continue
		}
		if len(a.Findings) == 0 {
			out = append(out, Result{Config: c.Path, Status: ui.StatusOK, Detail: "no stored secret found"})
			continue
		}
		for _, f := range a.Findings {
			out = append(out, findingResult(st, c, f))
		}
	}
	return out
}

func findingResult(st *state, c *configfix.Config, f configfix.Finding) Result {
	r := Result{Config: c.Path, Server: f.Server, Status: ui.StatusFail}
	if f.Severity == "low" {
		r.Status = ui.StatusWarn
	}
	what := ruleNoun(f)
	where := f.Pointer
	if where == "" {
		where = "the top level"
	}
	r.Detail = fmt.Sprintf("%s stored at %s, line %d (%s, fingerprint %s)", what, where, f.Line, f.Preview, f.Fingerprint)
	if f.Shadowed {
		r.Detail += "; a later duplicate key hides it from the app, but it is still in the file"
	}
	rotate := "Then rotate it: it has been on disk in plain text."
	if j := f.JWT; j != nil {
		switch {
		case j.Expired:
			rotate = "It expired"
			if j.ExpiresAt != "" {
				rotate += " at " + j.ExpiresAt
			}
			rotate += ", so it no longer works, but it should not stay in the file."
		case j.ExpiresAt != "":
			rotate = "It is live until " + j.ExpiresAt + ": rotate it (a client-credentials token cannot be revoked, so rotate the client secret that issued it)."
		}
	}
	if f.Auth0 {
		repair := ""
		if !c.ParseOK() {
			repair = " --repair"
		}
		r.Fix = fmt.Sprintf("Take it out with: auth0mcp fix-config --config %s%s. %s", ui.ShellQuote(c.Path), repair, rotate)
	} else {
		r.Fix = fmt.Sprintf("Move it into the OS keychain with: auth0mcp fix-config --config %s --all (the entry then starts through the launcher, which reads it back). %s", ui.ShellQuote(c.Path), rotate)
	}
	return r
}

func ruleNoun(f configfix.Finding) string {
	if j := f.JWT; j != nil {
		kind := "JWT"
		if j.ManagementAPI {
			kind = "Auth0 Management API token"
			if j.Domain != "" {
				kind += " for " + j.Domain
			}
		}
		if j.Expired {
			return "expired " + kind + " still"
		}
		return "live " + kind
	}
	switch f.Rule {
	case "vendor-token":
		if f.Vendor != "" {
			return f.Vendor + " token"
		}
		return "token"
	case "vendor-key-id":
		return "access key id (low risk alone, but it names the key)"
	case "secret-name":
		return "secret"
	case "flag-value":
		return "secret command-line value"
	case "header-value":
		return "credential in a header"
	case "url-userinfo":
		return "password in a URL"
	case "url-query":
		return "credential in a URL query"
	case "url-path":
		return "token in a URL path"
	case "connection-string":
		return "database password"
	case "high-entropy":
		return "possible secret (random-looking value)"
	}
	return "secret"
}

func checkReferences(_ context.Context, st *state) []Result {
	var out []Result
	for _, c := range st.existing() {
		a := st.audits[c]
		if a == nil {
			continue
		}
		cl := c.Rules()
		refs := 0
		for _, n := range a.References {
			if cl.ExpandsRef(n.Syntax) {
				continue
			}
			refs++
			fix := fmt.Sprintf("%s cannot reference a secret this way: let the server read its own credential store, or start it through a launcher that sets the variable.", cl.Title)
			if len(cl.Expands) > 0 {
				fix = fmt.Sprintf("Write it in a form %s expands (%s), or start the server through a launcher that sets the variable.", cl.Title, refForms(cl))
			}
			out = append(out, Result{Config: c.Path, Server: n.Server, Status: ui.StatusWarn,
				Detail: fmt.Sprintf("%s holds a variable reference; %s does not expand it and passes the text literally", n.Pointer, cl.Title),
				Fix:    fix})
		}
		for _, n := range a.Missing {
			out = append(out, Result{Config: c.Path, Server: n.Server, Status: ui.StatusWarn,
				Detail: fmt.Sprintf("%s is empty: the server gets no %s", n.Pointer, n.Name),
				Fix:    fmt.Sprintf("Give the server %s another way, or remove the empty entry.", n.Name)})
		}
		for _, sv := range c.Servers() {
			if acct := foreignPlaceholder(sv); acct != "" {
				refs++
				out = append(out, Result{Config: c.Path, Server: sv.Name, Status: ui.StatusWarn,
					Detail: fmt.Sprintf("an argument names the keychain item %s, which this entry's launcher does not read (--secret); a config can use such a placeholder to ask for another server's secret", acct),
					Fix:    "Remove the ${auth0mcp:…} placeholder unless fix-config wrote it for this entry."})
			}
		}
		if refs == 0 && len(a.Missing) == 0 {
			out = append(out, Result{Config: c.Path, Status: ui.StatusOK, Detail: "no unexpanded references or empty secret variables"})
		}
	}
	return out
}

// foreignPlaceholder returns an account that a ${auth0mcp:…} placeholder
// in the entry's arguments names but that its launcher flags do not list
// with --secret, or "".
func foreignPlaceholder(s configfix.Server) string {
	own := map[string]bool{}
	if s.IsLauncher() {
		for i := 1; i+1 < len(s.Args) && s.Args[i] != "--"; i++ {
			if s.Args[i] == "--secret" {
				own[s.Args[i+1]] = true
			}
		}
	}
	for _, a := range s.Args {
		for {
			i := strings.Index(a, "${auth0mcp:")
			if i < 0 {
				break
			}
			j := strings.IndexByte(a[i:], '}')
			if j < 0 {
				break
			}
			if acct := a[i+len("${auth0mcp:") : i+j]; !own[acct] {
				return acct
			}
			a = a[i+j+1:]
		}
	}
	return ""
}

// refForms names the reference syntaxes a client expands.
func refForms(cl *configfix.Client) string {
	forms := map[string]string{"env": "${env:NAME}", "input": "${input:id}", "dollar-brace": "${NAME}", "dollar": "$NAME"}
	var out []string
	for _, s := range cl.Expands {
		out = append(out, forms[s])
	}
	return strings.Join(out, ", ")
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
