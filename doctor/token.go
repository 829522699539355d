package doctor

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/internal/ui"
	"github.com/auth0mcp/auth0mcp/token"
)

// tokenMinMargin is kept between the token methods' deadline and the
// check's, so that a hanging method is reported as such.
const tokenMinMargin = 300 * time.Millisecond

// auth0APIRe finds a call of the Auth0 CLI's "api" command in a command
// line: "auth0 api get …", "/usr/local/bin/auth0 api …", "$(auth0 api …)".
var auth0APIRe = regexp.MustCompile(`(^|[\s/\\"'(|;&$` + "`" + `])auth0(\.exe)?\s+api(\s|$)`)

// checkToken asks every token method, the way the launcher would for each
// Auth0 entry (its AUTH0_DOMAIN, its env), which one gives a token, how
// long each took and when the token expires. Keychain items that could show
// a dialog (macOS) are only checked for existence. It is a network check:
// the client-credentials method asks Auth0 for a token and the command
// method runs the user's command, neither of which --offline may do; the
// env and keychain methods alone would be offline-safe, but a partial
// answer would say "no method works" when one does.
func checkToken(ctx context.Context, st *state) []Result {
	var jobs []job
	var out []Result
	for _, c := range st.launchable() {
		if c.Root == nil {
			continue
		}
		for _, s := range auth0Entries(c) {
			if s.Shadowed {
				continue
			}
			jobs = append(jobs, job{c, s})
			out = append(out, hangCauses(c, s)...)
		}
	}
	if len(jobs) == 0 {
		return []Result{{Status: ui.StatusSkip, Detail: "no Auth0 MCP server entry to fetch a token for"}}
	}

	timeout := token.DefaultTimeout
	if d, ok := ctx.Deadline(); ok {
		left := time.Until(d)
		timeout = min(timeout, max(left-max(tokenMinMargin, left/10), 100*time.Millisecond))
	}
	return append(out, forEach(jobs, func(j job) []Result { return st.tokenFor(ctx, j.c, j.s, timeout) })...)
}

// launcherFlag returns the value of --name in the launcher's own arguments
// (before "--"), or "".
func launcherFlag(s configfix.Server, name string) string {
	if _, ok := launcherCommand(s); !ok {
		return ""
	}
	for i := 1; i < len(s.Args); i++ {
		a := s.Args[i]
		if a == "--" || !strings.HasPrefix(a, "-") {
			break
		}
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v
		}
		if a == "--"+name && i+1 < len(s.Args) {
			return s.Args[i+1]
		}
	}
	return ""
}

func launcherHas(s configfix.Server, flag string) bool {
	if _, ok := launcherCommand(s); !ok {
		return false
	}
	for _, a := range s.Args[1:] {
		if a == "--" || !strings.HasPrefix(a, "-") {
			break
		}
		if a == "--"+flag {
			return true
		}
	}
	return false
}

// tokenFor benches the token methods as the launcher would see them when
// the app starts the entry: the client's base variables and the entry's
// env, not this terminal's environment.
func (st *state) tokenFor(ctx context.Context, c *configfix.Config, s configfix.Server,
	timeout time.Duration) []Result {
	res := func(status ui.Status, detail, fix string) Result {
		return Result{Config: c.Path, Server: s.Name, Status: status, Detail: detail, Fix: fix}
	}
	env := st.serverEnv(s)
	domain, _ := s.LookupEnv(token.EnvDomain)
	cfg := token.Config{
		Getenv:       token.Getenv(env),
		Home:         st.opt.Env.Getenv("HOME"),
		Timeout:      timeout,
		TokenURL:     launcherFlag(s, "token-url"),
		TokenCommand: launcherFlag(s, "token-command"),
		NoCache:      launcherHas(s, "no-cache"),
	}
	bench := token.BenchQuery(ctx, token.DefaultSources(cfg), 1,
		token.Query{Domain: domain}, timeout)

	tenant := "any tenant (the entry sets no AUTH0_DOMAIN)"
	if domain != "" {
		tenant = token.NormalizeDomain(domain)
	}
	var out []Result
	var others []string
	var chosen *token.BenchMethod
	for i, m := range bench.Methods {
		if bench.Chosen != nil && *bench.Chosen == m.Method && chosen == nil {
			chosen = &bench.Methods[i]
			continue
		}
		line := fmt.Sprintf("%s: %s", m.Method, m.Status)
		if m.Detail != "" {
			line += ": " + m.Detail
		}
		others = append(others, line)
		if m.Status == token.StatusTimeout {
			out = append(out, res(ui.StatusWarn,
				fmt.Sprintf("token method %s did not answer within %s for %s: each start of the server waits that long for it", m.Method, timeout, tenant),
				hangFix(m.Method)))
		}
	}

	if chosen == nil {
		head := res(ui.StatusFail,
			fmt.Sprintf("no token method gives a token for %s, as the launcher sees it when the app starts %q:\n%s",
				tenant, s.Name, strings.Join(others, "\n")),
			"Give the launcher a way: set AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET for "+
				"client credentials, log in with \"auth0 login\" or the server's init, or set "+
				"AUTH0MCP_TOKEN_COMMAND; then check with: auth0mcp token bench")
		return append([]Result{head}, out...)
	}

	detail := fmt.Sprintf("token for %s from %s in %s", tenant, chosen.Method, benchMS(chosen.DurationMS))
	if chosen.ExpiresAt != "" {
		if t, err := time.Parse(time.RFC3339, chosen.ExpiresAt); err == nil {
			detail += fmt.Sprintf(", expires in %s (%s)", time.Until(t).Round(time.Minute), chosen.ExpiresAt)
		}
	} else {
		detail += ", expiry unknown"
	}
	if chosen.Detail != "" {
		detail += "; " + chosen.Detail
	}
	head := res(ui.StatusOK, detail, "")
	if len(others) > 0 {
		head.Detail += "\n" + strings.Join(others, "\n")
	}
	if chosen.Method == token.MethodEnv {
		head.Status = ui.StatusWarn
		head.Fix = "AUTH0_TOKEN is stored in the entry's env (see Stored secrets); run auth0mcp fix-config --config " +
			ui.ShellQuote(c.Path) + " so the launcher fetches one when the server starts."
	}
	return append([]Result{head}, out...)
}

func benchMS(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.1fs", v/1000)
	}
	return fmt.Sprintf("%.0f ms", v)
}

func hangFix(method string) string {
	switch method {
	case token.MethodCommand:
		return "Make the token command faster or give it its own timeout; a command running \"auth0 api\" may be waiting for input or an expired login."
	case token.MethodMCPKeychain, token.MethodAuth0CLI:
		return "The keychain did not answer: unlock it in the desktop session (auth0mcp never unlocks it, which would show a prompt)."
	case token.MethodClientCredentials:
		return "Check the network and AUTH0_DOMAIN (the canonical tenant domain, like tenant.eu.auth0.com)."
	}
	return "Check what the method depends on, then: auth0mcp token bench"
}

// hangCauses flags the known ways an entry's token fetching hangs that can
// be seen in the config: a command line that runs "auth0 api", which reads
// all of its stdin first (under the app, stdin is the MCP pipe, which
// never closes).
func hangCauses(c *configfix.Config, s configfix.Server) []Result {
	res := func(status ui.Status, detail, fix string) Result {
		return Result{Config: c.Path, Server: s.Name, Status: status, Detail: detail, Fix: fix}
	}
	var out []Result
	argv := append([]string{s.Command}, s.Args...)
	if inner, ok := launcherCommand(s); ok {
		// The launcher's own flags (--token-command) are judged below.
		argv = inner
	}
	line := strings.Join(argv, " ")
	if auth0APIRe.MatchString(line) {
		out = append(out, res(ui.StatusFail,
			fmt.Sprintf("%q runs \"auth0 api\" in its command: the Auth0 CLI reads all of stdin before it "+
				"does anything, and under the app stdin is the MCP pipe, which never closes, so the "+
				"server never starts (an expired CLI login also waits for Enter)", s.Name),
			"Run auth0mcp fix-config --config "+ui.ShellQuote(c.Path)+": its launcher fetches the token "+
				"with stdin from /dev/null and a deadline."))
	}
	cmd, _ := s.LookupEnv(token.EnvTokenCommand)
	if f := launcherFlag(s, "token-command"); f != "" {
		cmd = f
	}
	if auth0APIRe.MatchString(cmd) {
		out = append(out, res(ui.StatusWarn,
			fmt.Sprintf("%q gets its token from a command that runs \"auth0 api\", a known hang cause: "+
				"it reads stdin (the launcher gives it /dev/null), waits for Enter on an expired login, "+
				"retries 429 answers without end, and waits up to 3 s for analytics at exit", s.Name),
			"Prefer client credentials (AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET); if you keep the command, "+
				"set AUTH0_CLI_ANALYTICS=false and keep \"auth0 login\" fresh."))
	}
	return out
}
