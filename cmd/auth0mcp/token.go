package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/auth0mcp/auth0mcp/internal/exitcode"
	"github.com/auth0mcp/auth0mcp/internal/ui"
	"github.com/auth0mcp/auth0mcp/token"
)

// sourceFlags are the settings of the token methods, shared by token,
// token bench and run.
type sourceFlags struct {
	command string
	url     string
	noCache bool
	timeout time.Duration
}

func (sf *sourceFlags) add(cmd *cobra.Command, persistent bool) {
	f := cmd.Flags()
	if persistent {
		f = cmd.PersistentFlags()
	}
	f.StringVar(&sf.command, "token-command", "", "a shell command that prints a token (also: "+token.EnvTokenCommand+")")
	f.StringVar(&sf.url, "token-url", "", "the client-credentials token endpoint, for testing (also: "+token.EnvTokenURL+")")
	f.BoolVar(&sf.noCache, "no-cache", false, "do not keep client-credentials tokens in the OS keychain")
	f.DurationVar(&sf.timeout, "source-timeout", token.DefaultTimeout, "deadline of each token method")
}

func (sf *sourceFlags) config() token.Config {
	return token.Config{Timeout: sf.timeout, TokenURL: sf.url, TokenCommand: sf.command, NoCache: sf.noCache}
}

func (sf *sourceFlags) chain() *token.Chain { return sf.chainFor(nil) }

// chainFor builds the chain over environ instead of this process's
// environment: run hands it the secrets --secret read from the keychain.
func (sf *sourceFlags) chainFor(environ []string) *token.Chain {
	cfg := sf.config()
	if environ != nil {
		cfg.Getenv = token.Getenv(environ)
	}
	c := token.NewChain(token.DefaultSources(cfg)...)
	c.Timeout = sf.timeout
	return c
}

const methodsHelp = `The methods, tried in this order, each under its own deadline (--source-timeout):
  env                 AUTH0_TOKEN and AUTH0_DOMAIN
  mcp-keychain        the Auth0 MCP server's own keychain items (written by its init)
  auth0-cli           the Auth0 CLI's stored login (auth0 login)
  client-credentials  AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, posted to
                      https://<domain>/oauth/token; the token is kept in the OS keychain
                      until it goes stale (--no-cache turns that off)
  command             your own command (--token-command or AUTH0MCP_TOKEN_COMMAND), run with
                      stdin from /dev/null and killed with its process group at the deadline
                      (a child that calls setsid leaves the group and is not reached)
A token with under 10 minutes left counts as expired. With a domain, a token for another
tenant is never used.`

type tokenOptions struct {
	src    sourceFlags
	domain string
}

func newToken(a *app) *cobra.Command {
	o := &tokenOptions{}
	cmd := &cobra.Command{
		Use:   "token [--domain D]",
		Short: "Print an Auth0 Management API token, fetched through the first method that works",
		Long: `token prints the first valid Auth0 Management API token on stdout and nothing else, for
scripts. When no method gives one, it prints each method's reason on stderr and exits 4.
"auth0mcp token bench" compares the methods without printing a token.

` + methodsHelp,
		Example: `  AUTH0_TOKEN=$(auth0mcp token --domain tenant.eu.auth0.com)
  auth0mcp token bench`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tok, err := o.src.chain().Get(cmd.Context(), o.wantDomain())
			if err != nil {
				if cmd.Context().Err() != nil {
					return err
				}
				return noToken(a, "token", err)
			}
			_, err = fmt.Fprintln(a.out, tok.Value())
			return err
		},
	}
	o.src.add(cmd, true)
	cmd.PersistentFlags().StringVar(&o.domain, "domain", "", "the tenant the token must be for, e.g. tenant.eu.auth0.com (default: AUTH0_DOMAIN)")
	cmd.AddCommand(newTokenBench(a, o))
	return cmd
}

// wantDomain is the tenant the token must be for: --domain, else
// AUTH0_DOMAIN, as for run, so that a script that sets AUTH0_DOMAIN never
// gets a token for another tenant.
func (o *tokenOptions) wantDomain() string {
	if o.domain != "" {
		return o.domain
	}
	return os.Getenv(token.EnvDomain)
}

// noToken writes why no token could be had and returns exit code 4.
func noToken(a *app, who string, err error) error {
	var nt *token.NoTokenError
	if errors.As(err, &nt) {
		fmt.Fprintf(a.errw, "auth0mcp %s: %v\n", who, nt)
		fmt.Fprintln(a.errw, "Set one up: log in with the Auth0 MCP server's init or \"auth0 login\", or set "+
			"AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET; \"auth0mcp token bench\" compares the methods.")
	} else {
		fmt.Fprintf(a.errw, "auth0mcp %s: %v\n", who, err)
	}
	return exitcode.Silent(exitcode.NoToken)
}

type benchOptions struct {
	runs    int
	timeout time.Duration
	read    bool
	json    bool
}

func newTokenBench(a *app, parent *tokenOptions) *cobra.Command {
	o := &benchOptions{}
	cmd := &cobra.Command{
		Use:   "bench [--runs N] [--timeout D] [--read] [--domain D] [--json]",
		Short: "Try every token method side by side and time them; never prints a token",
		Long: `bench tries every token method at once (so it takes about as long as the slowest one),
--runs times each, and prints a table: the method, its outcome, its time (min, median, max
over the runs), when its token expires, the tenant, and why it failed. The method the
chain would choose is marked with "*". A method that timed out is not tried again. Exit 4
when no method gives a valid token.

On macOS, the Auth0 MCP server's keychain items are only checked for existence, since
reading an item another program created can show an "allow" dialog; --read reads them.

` + methodsHelp,
		Example: `  auth0mcp token bench
  auth0mcp token bench --runs 5 --domain tenant.eu.auth0.com
  auth0mcp token bench --json | jq .chosen`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.runs < 1 {
				return usageErr("--runs must be at least 1")
			}
			cfg := parent.src.config()
			if cmd.Flags().Changed("timeout") {
				cfg.Timeout = o.timeout
			}
			if cfg.Timeout <= 0 {
				return usageErr("--timeout and --source-timeout must be positive")
			}
			domain := parent.wantDomain()
			res := token.BenchQuery(cmd.Context(), token.DefaultSources(cfg), o.runs,
				token.Query{Domain: domain, Read: o.read}, cfg.Timeout)
			if cmd.Context().Err() != nil {
				return cmd.Context().Err()
			}
			if o.json {
				if err := writeJSON(a.out, res); err != nil {
					return err
				}
			} else {
				renderBench(a.stdout(), res, domain)
			}
			if !res.OK() {
				if !o.json {
					fmt.Fprintln(a.errw, "auth0mcp token bench: no method gave a valid token")
				}
				return exitcode.Silent(exitcode.NoToken)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.runs, "runs", 1, "how many times to try each method")
	f.DurationVar(&o.timeout, "timeout", token.DefaultTimeout, "deadline of each method (same as --source-timeout)")
	f.BoolVar(&o.read, "read", false, "read keychain items even where that may show a dialog (macOS)")
	f.BoolVar(&o.json, "json", false, "print the result as one JSON object")
	return cmd
}

func renderBench(s *ui.Stream, res token.BenchResult, domain string) {
	tw := tabwriter.NewWriter(s, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  \tMETHOD\tOUTCOME\tMIN\tMEDIAN\tMAX\tEXPIRES IN\tDOMAIN\tDETAIL")
	for _, m := range res.Methods {
		mark := " "
		if res.Chosen != nil && *res.Chosen == m.Method {
			mark = "*"
		}
		// Padding is done by the tabwriter, so colour goes only on the
		// one cell whose width is the same styled or not.
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", mark, m.Method, m.Status,
			ms(m.MinMS()), ms(m.DurationMS), ms(m.MaxMS()), expiresIn(m.ExpiresAt),
			orDash(m.Domain), orDash(m.Detail))
	}
	tw.Flush()
	fmt.Fprintln(s)
	switch {
	case res.Chosen != nil:
		fmt.Fprintf(s, "%s: the chain uses %s\n", s.Color(ui.StatusOK, "ok"), *res.Chosen)
	case domain != "":
		fmt.Fprintf(s, "%s: no method gives a valid token for %s\n", s.Color(ui.StatusFail, "none"), domain)
	default:
		fmt.Fprintf(s, "%s: no method gives a valid token\n", s.Color(ui.StatusFail, "none"))
	}
}

func ms(v float64) string {
	switch {
	case v >= 1000:
		return fmt.Sprintf("%.2fs", v/1000)
	case v >= 10:
		return fmt.Sprintf("%.0fms", v)
	}
	return fmt.Sprintf("%.1fms", v)
}

func expiresIn(rfc3339 string) string {
	if rfc3339 == "" {
		return "-"
	}
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		return "-"
	}
	return humanDuration(time.Until(t))
}

// humanDuration shows a lifetime as "23h59m" or "12m".
func humanDuration(d time.Duration) string {
	if d <= 0 {
		return "expired"
	}
	d = d.Round(time.Minute)
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h >= 48:
		return fmt.Sprintf("%dd%dh", h/24, h%24)
	case h > 0:
		return fmt.Sprintf("%dh%02dm", h, m)
	}
	return fmt.Sprintf("%dm", m)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
