package main

import (
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/doctor"
	"github.com/auth0mcp/auth0mcp/internal/exitcode"
)

type doctorOptions struct {
	configs      []string
	clients      []string
	projects     []string
	probeProject bool
	offline      bool
	json         bool
	verbose      bool
	listChecks   bool
	timeout      time.Duration
	checkTimeout time.Duration
}

func newDoctor(a *app) *cobra.Command {
	o := &doctorOptions{}
	cmd := &cobra.Command{
		Use:   "doctor [CHECK...]",
		Short: "Audit client configs, the Auth0 server entry and its credentials",
		Long: `doctor finds every MCP client config on this machine — Claude Desktop, Cursor, Windsurf,
VS Code, Claude Code and Gemini CLI — (or the files given with --config, whose client is
guessed from the name and content unless --client says), checks that the client can load
it, finds secrets stored in it, and checks the Auth0 MCP server entry: how it gets its
token, which version and which Node it runs, and whether it answers the handshake. Each
problem comes with a fix to paste or follow. Name check ids to run only those
(see --list-checks).`,
		Example: `  auth0mcp doctor
  auth0mcp doctor --client cursor --project .
  auth0mcp doctor --config ~/.config/Claude/claude_desktop_config.json
  auth0mcp doctor --offline --json | jq '.findings[] | .pointer'
  auth0mcp doctor secrets parse`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			var ids []string
			for _, c := range doctor.Checks() {
				ids = append(ids, c.ID+"\t"+c.Title)
			}
			return ids, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.listChecks {
				return listChecks(a, o)
			}
			if bad := doctor.UnknownChecks(args); len(bad) > 0 {
				return usageErr("unknown check %s; see auth0mcp doctor --list-checks", strings.Join(bad, ", "))
			}
			for _, c := range o.clients {
				if configfix.ClientNamed(c) == nil {
					return usageErr("unknown client %q; known: %s", c, strings.Join(configfix.ClientNames(), ", "))
				}
			}
			if len(o.configs) > 0 && len(o.clients) > 1 {
				return usageErr("with --config, --client names the one client whose rules the files follow")
			}
			if o.timeout <= 0 || o.checkTimeout <= 0 {
				return usageErr("--timeout and --check-timeout must be positive")
			}
			rep := doctor.Run(cmd.Context(), doctor.Options{
				Configs:      o.configs,
				Clients:      o.clients,
				Projects:     o.projects,
				ProbeProject: o.probeProject,
				Offline:      o.offline,
				Only:         args,
				Timeout:      o.timeout,
				CheckTimeout: o.checkTimeout,
			})
			if o.json {
				if err := rep.WriteJSON(a.out); err != nil {
					return err
				}
			} else {
				rep.Render(a.stdout(), o.verbose)
			}
			return exitcode.Silent(rep.ExitCode())
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.configs, "config", nil, "audit this config file instead of searching (repeatable)")
	f.StringArrayVar(&o.clients, "client", nil, "only this client (repeatable); with --config, read the files with its rules: "+strings.Join(configfix.ClientNames(), ", "))
	f.StringArrayVar(&o.projects, "project", nil, "also audit this project folder's client files (.cursor/mcp.json, .vscode/mcp.json, .mcp.json, .gemini/settings.json)")
	f.BoolVar(&o.probeProject, "probe-project", false, "also start the servers of --project files (a project's config can come from anyone)")
	f.BoolVar(&o.offline, "offline", false, "no network and no handshake: audit the files only")
	f.BoolVar(&o.json, "json", false, "print the report as one JSON object (schema: docs/json.md)")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "show how long each check took")
	f.BoolVar(&o.listChecks, "list-checks", false, "list the check ids and exit")
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "bound on the whole run")
	f.DurationVar(&o.checkTimeout, "check-timeout", 10*time.Second, "bound on each check")
	_ = cmd.MarkFlagFilename("config", "json")
	return cmd
}

func listChecks(a *app, o *doctorOptions) error {
	s := a.stdout()
	for _, c := range doctor.Checks() {
		net := ""
		if c.Network {
			net = " (skipped with --offline)"
		}
		if o.json {
			continue
		}
		_, _ = s.Write([]byte(s.Bold(c.ID) + strings.Repeat(" ", max(1, 15-len(c.ID))) + c.Description + net + "\n"))
	}
	if o.json {
		return writeChecksJSON(a)
	}
	return nil
}

func writeChecksJSON(a *app) error {
	type row struct {
		ID          string `json:"id"`
		Title       string `json:"title"`
		Description string `json:"description"`
		Offline     bool   `json:"runs_offline"`
	}
	var rows []row
	for _, c := range doctor.Checks() {
		rows = append(rows, row{c.ID, c.Title, c.Description, !c.Network})
	}
	return writeJSON(a.out, map[string]any{"version": 1, "checks": rows})
}
