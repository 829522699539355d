package doctor

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/internal/guipath"
	"github.com/auth0mcp/auth0mcp/internal/proc"
	"github.com/auth0mcp/auth0mcp/internal/secrets"
	"github.com/auth0mcp/auth0mcp/internal/ui"
)

// auth0Entries returns the Auth0 MCP server entries of a config that the
// app would use, plus shadowed copies.
func auth0Entries(c *configfix.Config) []configfix.Server {
	var out []configfix.Server
	for _, s := range c.Servers() {
		if s.Node.Kind == configfix.Object && s.MaybeAuth0() {
			out = append(out, s)
		}
	}
	return out
}

// launcherCommand splits an entry that starts through "auth0mcp run": it
// returns the server command after "--" and true.
func launcherCommand(s configfix.Server) ([]string, bool) {
	if configfix.CommandBase(s.Command) != "auth0mcp" || len(s.Args) == 0 || s.Args[0] != "run" {
		return nil, false
	}
	for i, a := range s.Args {
		if a == "--" {
			return s.Args[i+1:], true
		}
	}
	return s.Args[1:], true
}

func checkAuth0Entry(_ context.Context, st *state) []Result {
	var out []Result
	for _, c := range st.existing() {
		if c.Root == nil {
			continue
		}
		entries := auth0Entries(c)
		if len(entries) == 0 {
			out = append(out, Result{Config: c.Path, Status: ui.StatusWarn,
				Detail: "the Auth0 MCP server is not configured in this file",
				Fix:    initFix(c)})
			continue
		}
		for _, s := range entries {
			out = append(out, st.auth0Credentials(c, s)...)
		}
	}
	return out
}

func (st *state) auth0Credentials(c *configfix.Config, s configfix.Server) []Result {
	res := func(status ui.Status, detail, fix string) Result {
		return Result{Config: c.Path, Server: s.Name, Status: status, Detail: detail, Fix: fix}
	}
	var out []Result
	token, hasToken := s.LookupEnv("AUTH0_TOKEN")
	if syntax, ok := secrets.Reference(token); ok && hasToken {
		// A reference is not a stored token: the references check says
		// whether this client expands it.
		hasToken, token = false, ""
		if c.Rules().ExpandsRef(syntax) {
			out = append(out, res(ui.StatusOK, fmt.Sprintf("%q takes AUTH0_TOKEN from a reference %s expands, not from this file", s.Name, c.Rules().Title), ""))
		}
	}
	domain, hasDomain := s.LookupEnv("AUTH0_DOMAIN")
	fixCmd := "auth0mcp fix-config --config " + ui.ShellQuote(c.Path)

	if inner, ok := launcherCommand(s); ok {
		if _, err := exec.LookPath(s.Command); err != nil || !filepath.IsAbs(s.Command) {
			out = append(out, res(ui.StatusFail,
				fmt.Sprintf("%q starts through the launcher %s, which does not exist or is not an absolute path: the app cannot start the server", s.Name, s.Command),
				fmt.Sprintf("Install auth0mcp at a lasting place and run: auth0mcp fix-config --config %s --launcher /path/to/auth0mcp", ui.ShellQuote(c.Path))))
		} else {
			out = append(out, res(ui.StatusOK,
				fmt.Sprintf("%q starts through the launcher %s, which fetches a token when the server starts (server: %s)", s.Name, s.Command, strings.Join(inner, " ")), ""))
		}
	}

	if hasToken && token != "" && !hasDomain {
		out = append(out, res(ui.StatusFail,
			fmt.Sprintf("%q sets AUTH0_TOKEN without AUTH0_DOMAIN: since 0.1.0-beta.17 the server refuses to start (\"AUTH0_DOMAIN is required\")", s.Name),
			"Run "+fixCmd+", which removes the token and sets AUTH0_DOMAIN from its issuer."))
	}
	if hasToken && token != "" {
		if j, ok := secrets.DecodeJWT(token, st.now); ok {
			switch {
			case hasDomain && j.Domain != "" && !strings.EqualFold(j.Domain, domain):
				out = append(out, res(ui.StatusFail,
					fmt.Sprintf("%q: the stored token was issued by %s but AUTH0_DOMAIN is %s: every call would fail", s.Name, j.Domain, domain),
					"Run "+fixCmd+" and let the launcher fetch a token for "+domain+"."))
			case j.Expired:
				out = append(out, res(ui.StatusFail,
					fmt.Sprintf("%q: the token the server would use expired at %s; the server refuses to start (\"Invalid Auth0 configuration\")", s.Name, j.ExpiresAt.UTC().Format(time.RFC3339)),
					"Run "+fixCmd+"; tokens are then fetched when the server starts."))
			}
		}
	}
	_, hasID := s.LookupEnv("AUTH0_CLIENT_ID")
	_, hasSecret := s.LookupEnv("AUTH0_CLIENT_SECRET")
	if (hasID || hasSecret) && !hasToken {
		if _, ok := launcherCommand(s); !ok {
			out = append(out, res(ui.StatusWarn,
				fmt.Sprintf("%q passes AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET, which the Auth0 MCP server does not read: it only takes AUTH0_TOKEN and AUTH0_DOMAIN, or its own keychain", s.Name),
				"Run "+fixCmd+": the launcher uses client credentials to fetch a token, and the secret leaves the file."))
		}
	}
	if len(out) == 0 {
		src := "its own keychain (written by `npx @auth0/auth0-mcp-server init`)"
		if hasToken && token != "" {
			src = "AUTH0_TOKEN stored in this file (see Stored secrets)"
		}
		out = append(out, res(ui.StatusOK, fmt.Sprintf("%q runs the Auth0 MCP server; its token comes from %s", s.Name, src), ""))
	}
	return out
}

func checkAuth0Version(_ context.Context, st *state) []Result {
	var out []Result
	for _, c := range st.existing() {
		if c.Root == nil {
			continue
		}
		for _, s := range auth0Entries(c) {
			out = append(out, auth0Version(c, s))
		}
	}
	return out
}

func auth0Version(c *configfix.Config, s configfix.Server) Result {
	r := Result{Config: c.Path, Server: s.Name}
	i := s.PackageArg()
	if i < 0 {
		r.Status = ui.StatusSkip
		r.Detail = fmt.Sprintf("%q does not name the npm package in its arguments, so its version is not visible here", s.Name)
		return r
	}
	v := configfix.ParseVersion(s.Args[i])
	pin := fmt.Sprintf("Pin it: replace %q with \"%s@%s\" in args.", s.Args[i], configfix.Auth0Package, configfix.KnownGoodVersion)
	_, envToken := s.LookupEnv("AUTH0_TOKEN")
	_, launched := launcherCommand(s)
	switch {
	case !v.Pinned:
		r.Status = ui.StatusWarn
		what := "no version"
		if v.Raw != "" {
			what = fmt.Sprintf("%q, not an exact version", v.Raw)
		}
		r.Detail = fmt.Sprintf("%q runs %s with %s: npx runs whatever is newest, and a release can change behaviour under you", s.Name, configfix.Auth0Package, what)
		r.Fix = pin
	case v.Beta >= 0 && v.Beta < 13 && (envToken || launched):
		r.Status = ui.StatusFail
		r.Detail = fmt.Sprintf("%q pins %s, older than 0.1.0-beta.13, which ignores AUTH0_TOKEN and AUTH0_DOMAIN in the environment", s.Name, v.Raw)
		r.Fix = pin
	case v.Beta >= 0 && v.Beta < 14:
		r.Status = ui.StatusWarn
		r.Detail = fmt.Sprintf("%q pins %s, older than 0.1.0-beta.14: it writes a message to stdout before the handshake, which some clients reject", s.Name, v.Raw)
		r.Fix = pin
	default:
		r.Status = ui.StatusOK
		r.Detail = fmt.Sprintf("%q pins %s@%s", s.Name, configfix.Auth0Package, v.Raw)
	}
	return r
}

func checkAuth0Command(ctx context.Context, st *state) []Result {
	var out []Result
	for _, c := range st.existing() {
		if c.Root == nil {
			continue
		}
		for _, s := range auth0Entries(c) {
			out = append(out, st.auth0Command(ctx, c, s)...)
		}
	}
	return out
}

func (st *state) auth0Command(ctx context.Context, c *configfix.Config, s configfix.Server) []Result {
	res := func(status ui.Status, detail, fix string) Result {
		return Result{Config: c.Path, Server: s.Name, Status: status, Detail: detail, Fix: fix}
	}
	var out []Result
	argv := append([]string{s.Command}, s.Args...)
	inner, launched := launcherCommand(s)
	if launched {
		argv = inner
	}
	if len(argv) == 0 || argv[0] == "" {
		return []Result{res(ui.StatusSkip, fmt.Sprintf("%q has no command to check", s.Name), "")}
	}
	cmd, args := argv[0], argv[1:]

	if configfix.CommandBase(cmd) == "npx" {
		pkg := -1
		for i, a := range args {
			if a == configfix.Auth0Package || strings.HasPrefix(a, configfix.Auth0Package+"@") {
				pkg = i
				break
			}
		}
		yes := false
		for i, a := range args {
			if pkg >= 0 && i >= pkg {
				break
			}
			if a == "-y" || a == "--yes" {
				yes = true
			}
		}
		if !yes {
			out = append(out, res(ui.StatusWarn,
				fmt.Sprintf("%q runs npx without -y: depending on npm's \"yes\" setting npx cancels (\"npx canceled due to missing packages\") or waits at a prompt nobody sees", s.Name),
				"Add \"-y\" as the first argument."))
		}
	}
	for _, a := range args {
		if a == "--" {
			out = append(out, res(ui.StatusWarn,
				fmt.Sprintf("%q has a \"--\" among its arguments: npx and the server read the arguments after it differently from what it looks like", s.Name),
				"Remove the \"--\" argument."))
			break
		}
	}

	out = append(out, st.resolution(ctx, c, s, cmd, launched)...)
	return out
}

// resolution says what the app would start for cmd and which Node runs it.
func (st *state) resolution(ctx context.Context, c *configfix.Config, s configfix.Server, cmd string, launched bool) []Result {
	res := func(status ui.Status, detail, fix string) Result {
		return Result{Config: c.Path, Server: s.Name, Status: status, Detail: detail, Fix: fix}
	}
	appPath, pathFrom := st.paths.AppPath(), "the app's PATH"
	if !c.Rules().GUI {
		appPath, pathFrom = st.paths.Getenv("PATH"), "your shell's PATH"
	}
	if p, ok := s.LookupEnv("PATH"); ok {
		appPath, pathFrom = p, "the PATH set in the entry's env"
	}
	termPath := st.paths.Getenv("PATH")

	found, err := st.paths.Look(cmd, appPath)
	if err != nil {
		if launched {
			// The launcher searches further itself.
			if alt := st.paths.Elsewhere(cmd, appPath); len(alt) > 0 {
				return []Result{res(ui.StatusOK, fmt.Sprintf("%q: the launcher will find %s at %s", s.Name, cmd, alt[0]), "")}
			}
		}
		detail := fmt.Sprintf("%q: the app cannot find %q with %s (%s); it will fail with \"spawn %s ENOENT\"", s.Name, cmd, pathFrom, appPath, cmd)
		if t, err := st.paths.Look(cmd, termPath); err == nil {
			detail += fmt.Sprintf(". Your terminal finds it at %s", t)
		} else if alt := st.paths.Elsewhere(cmd, appPath); len(alt) > 0 {
			detail += fmt.Sprintf(". It exists at %s", strings.Join(alt, ", "))
		}
		return []Result{res(ui.StatusFail, detail, commandFix(s, cmd, c))}
	}

	starts := "the app starts"
	if launched {
		starts = "the launcher starts"
	}
	if !guipath.RunsOnNode(found) {
		return []Result{res(ui.StatusOK, fmt.Sprintf("%q: %s %s", s.Name, starts, found), "")}
	}
	node, err := st.paths.NodeFor(appPath)
	if err != nil {
		return []Result{res(ui.StatusFail,
			fmt.Sprintf("%q: %s is found at %s, but it starts node through PATH and %s has no node", s.Name, cmd, found, pathFrom),
			commandFix(s, cmd, c))}
	}
	// A project's file can come from anyone: never run what it points to.
	run := !c.Project || st.opt.ProbeProject
	ver := "of a version not checked (a project's file: nothing it names is run)"
	if run {
		ver = nodeVersion(ctx, node)
	}
	detail := fmt.Sprintf("%q: %s %s with Node %s (%s)", s.Name, starts, found, ver, node)
	if tnode, err := st.paths.NodeFor(termPath); run && err == nil && filepath.Clean(tnode) != filepath.Clean(node) {
		tver := nodeVersion(ctx, tnode)
		if tver != ver {
			return []Result{res(ui.StatusWarn,
				detail+fmt.Sprintf("; your terminal runs Node %s (%s), so tests from a shell do not show what the app does", tver, tnode),
				commandFix(s, cmd, c))}
		}
	}
	if major := nodeMajor(ver); major > 0 && major < minNodeMajor {
		return []Result{res(ui.StatusFail,
			detail+fmt.Sprintf("; the Auth0 MCP server needs Node %d or newer", minNodeMajor),
			commandFix(s, cmd, c))}
	}
	return []Result{res(ui.StatusOK, detail, "")}
}

// minNodeMajor is the oldest Node major version the server runs on.
const minNodeMajor = 18

func commandFix(s configfix.Server, cmd string, c *configfix.Config) string {
	return fmt.Sprintf("Either give the absolute path of node and the server's script as command and args, or set \"PATH\" in the entry's env to the folder of the node you want first, or run auth0mcp fix-config --config %s (its launcher finds node itself).", ui.ShellQuote(c.Path))
}

// nodeVersion runs node --version under a short deadline.
func nodeVersion(ctx context.Context, node string) string {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--version")
	proc.Prepare(cmd)
	out, err := cmd.Output()
	if err != nil {
		return "of unknown version"
	}
	return strings.TrimSpace(string(out))
}

func nodeMajor(v string) int {
	v = strings.TrimPrefix(v, "v")
	n, err := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	if err != nil {
		return 0
	}
	return n
}

// initFix says how to add the Auth0 MCP server for a config's client: its
// own init writes Claude Desktop's, Cursor's, Windsurf's and Gemini's files;
// for the others the entry is added by hand.
func initFix(c *configfix.Config) string {
	pkg := configfix.Auth0Package + "@" + configfix.KnownGoodVersion
	switch c.Client {
	case configfix.ClaudeDesktop:
		return "Add it with: npx -y " + pkg + " init"
	case configfix.Cursor, configfix.Windsurf, configfix.Gemini:
		return fmt.Sprintf("Add it with: npx -y %s init --client %s", pkg, c.Client)
	case configfix.ClaudeCode:
		return "Add it with: claude mcp add auth0 -- npx -y " + pkg + " run"
	}
	return fmt.Sprintf(`Add an entry to %q: "auth0": {"command": "npx", "args": ["-y", %q, "run"]}`, c.Rules().RootKey, pkg)
}
