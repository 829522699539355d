package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/auth0mcp/auth0mcp/internal/exitcode"
	"github.com/auth0mcp/auth0mcp/internal/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// app holds what every command shares: the streams and global flags.
type app struct {
	in      io.Reader
	out     io.Writer
	errw    io.Writer
	noColor bool
}

func (a *app) stdout() *ui.Stream { return ui.NewStream(a.out, a.noColor) }
func (a *app) stderr() *ui.Stream { return ui.NewStream(a.errw, a.noColor) }

// run executes the command line and returns the exit code.
func run(args []string, in io.Reader, out, errw io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	a := &app{in: in, out: out, errw: errw}
	root := newRoot(a)
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errw)
	err := root.ExecuteContext(ctx)
	if ctx.Err() != nil {
		fmt.Fprintln(errw, "auth0mcp: interrupted")
		return exitcode.Interrupted
	}
	if err == nil {
		return exitcode.OK
	}
	var e *exitcode.Error
	if !errors.As(err, &e) {
		// Errors cobra raises itself are about the command line.
		if isUsageError(err) {
			fmt.Fprintf(errw, "auth0mcp: %v\nRun 'auth0mcp --help' for usage.\n", err)
			return exitcode.Usage
		}
		fmt.Fprintf(errw, "auth0mcp: %v\n", err)
		return exitcode.Failed
	}
	if e.Err != nil {
		fmt.Fprintf(errw, "auth0mcp: %v\n", e.Err)
		if e.Code == exitcode.Usage {
			fmt.Fprintln(errw, "Run 'auth0mcp --help' for usage.")
		}
	}
	return e.Code
}

func isUsageError(err error) bool {
	msg := err.Error()
	for _, s := range []string{"unknown command", "unknown flag", "unknown shorthand flag",
		"invalid argument", "flag needs an argument", "accepts ", "requires at least", "if any flags in the group"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func usageErr(format string, args ...any) error {
	return exitcode.Wrap(exitcode.Usage, fmt.Errorf(format, args...))
}

func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "auth0mcp",
		Short: "Diagnose and repair the connection between MCP clients and the Auth0 MCP server",
		Long: `auth0mcp checks a machine's MCP client configs (Claude Desktop first) against a simple
design: tokens are fetched when they are needed, with hard timeouts and fallbacks, kept only
in memory, and never stored in a config file. It finds what breaks that design and fixes it.`,
		Example: `  auth0mcp doctor
  auth0mcp doctor --config ./claude_desktop_config.json --offline --json
  auth0mcp help exit-codes`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("auth0mcp {{.Version}}\n")
	root.PersistentFlags().BoolVar(&a.noColor, "no-color", false, "plain output without colour or symbols (also: NO_COLOR=1)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return exitcode.Wrap(exitcode.Usage, err)
	})
	root.AddCommand(newDoctor(a))
	root.AddCommand(newFixConfig(a))
	root.AddCommand(newSecrets(a))
	root.AddCommand(newProbe(a))
	root.AddCommand(newToken(a))
	root.AddCommand(newRun(a))
	root.AddCommand(exitCodesTopic())
	return root
}

func exitCodesTopic() *cobra.Command {
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "What auth0mcp's exit codes mean",
		Long: `Every auth0mcp command uses the same exit codes:

  0    success; for doctor, no check failed
  1    a problem was found, or the command failed
  2    usage error: an unknown flag, command or check
  4    no valid token could be had (token, token bench, run)
  124  a deadline was reached (--timeout)
  130  interrupted (Ctrl-C)

Warnings do not change the exit code. A check that times out counts as a failure
(exit 1); 124 means the whole run was cut short by --timeout.`,
		Run: func(cmd *cobra.Command, _ []string) { _ = cmd.Help() },
		// A help topic, not a command: it has no Run of its own in the list.
		Annotations: map[string]string{"topic": "true"},
	}
}
