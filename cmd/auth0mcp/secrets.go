package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/auth0mcp/auth0mcp/internal/exitcode"
	"github.com/auth0mcp/auth0mcp/internal/ui"
	"github.com/auth0mcp/auth0mcp/token"
)

func newSecrets(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "secrets",
		Short: "List or remove the secrets fix-config --all moved into the OS keychain",
		Long: `fix-config --all moves the secrets it takes out of client configs into the OS keychain,
under the service "auth0mcp" and the account <client>/<server>/<NAME>; "auth0mcp run --secret"
reads them when a server starts. These commands list the accounts (never the values) and
remove items you no longer need, for example after fix-config --undo.`,
		Example: `  auth0mcp secrets list
  auth0mcp secrets rm cursor/github/GITHUB_PERSONAL_ACCESS_TOKEN`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the accounts auth0mcp keeps in the OS keychain",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			accounts, err := token.ListSecrets(cmd.Context())
			if err != nil {
				return err
			}
			if len(accounts) == 0 {
				fmt.Fprintln(a.errw, "the keychain holds no auth0mcp item")
				return nil
			}
			for _, acct := range accounts {
				// One account a line: quote any that could break a line or
				// reorder text on a terminal.
				if strings.ContainsAny(acct, "\n\r") || ui.Sanitize(acct) != acct {
					acct = strconv.Quote(acct)
				}
				fmt.Fprintln(a.out, acct)
			}
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "rm ACCOUNT...",
		Short: "Remove items from the OS keychain",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			failed := false
			for _, acct := range args {
				if err := token.DeleteSecret(cmd.Context(), acct); err != nil {
					fmt.Fprintf(a.errw, "auth0mcp: %v\n", err)
					failed = true
					continue
				}
				fmt.Fprintf(a.out, "removed %s\n", ui.Sanitize(acct))
			}
			if failed {
				return exitcode.Silent(exitcode.Failed)
			}
			return nil
		},
	})
	return cmd
}
