package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/doctor"
	"github.com/auth0mcp/auth0mcp/internal/exitcode"
	"github.com/auth0mcp/auth0mcp/internal/ui"
	"github.com/auth0mcp/auth0mcp/token"
)

type fixOptions struct {
	configs      []string
	client       string
	dryRun       bool
	json         bool
	mode         string
	launcher     string
	pin          string
	all          bool
	plain        bool
	allowArgv    bool
	style        string
	repair       bool
	force        bool
	noBackup     bool
	undo         bool
	purgeBackups bool
}

func newFixConfig(a *app) *cobra.Command {
	o := &fixOptions{}
	cmd := &cobra.Command{
		Use:   "fix-config",
		Short: "Take stored secrets out of a client config: backup, atomic write, undo",
		Long: `fix-config brings a config to the design: no secret stored in it, and the Auth0 MCP server
started through the launcher (auth0mcp run), which fetches a token when the server starts.
It changes nothing else: indentation, key order, line ends and every other value stay byte
for byte. It shows what it will do (--dry-run shows a diff with secrets masked), refuses
while Claude Desktop runs (the app would write its cached copy back), backs the file up
next to itself (mode 0600: the backup holds the secret), writes atomically, and verifies.

Other servers' secrets are listed and left alone unless --all. With --all each one is written
to the OS keychain (service auth0mcp, account <client>/<server>/<NAME>), read back, and only
then taken out of the file; the entry then starts through "auth0mcp run --secret …", which
puts them back into the server's environment. A secret the server takes only as an argument
stays unless --allow-argv (the launcher then puts it into the arguments at start, where other
local users can see it). --style native uses the client's own reference instead: a password
input in VS Code, ${NAME} in Claude Code. --plain removes the secrets without keeping them.
If the keychain is unavailable or a secret does not read back, the file is not touched.`,
		Example: `  auth0mcp fix-config --dry-run
  auth0mcp fix-config --config ~/.config/Claude/claude_desktop_config.json
  auth0mcp fix-config --mode keychain     # the server reads its own keychain instead
  auth0mcp fix-config --repair            # also rewrite a file that is not strict JSON
  auth0mcp fix-config --undo              # put the newest backup back
  auth0mcp fix-config --purge-backups     # delete backups that hold secrets`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.client != "" && configfix.ClientNamed(o.client) == nil {
				return usageErr("unknown client %q; known: %s", o.client, strings.Join(configfix.ClientNames(), ", "))
			}
			if o.mode != configfix.ModeLauncher && o.mode != configfix.ModeKeychain {
				return usageErr("--mode must be %q or %q", configfix.ModeLauncher, configfix.ModeKeychain)
			}
			if o.style != "launcher" && o.style != "native" {
				return usageErr("--style must be \"launcher\" or \"native\"")
			}
			if (o.plain || o.allowArgv || o.style == "native") && !o.all {
				return usageErr("--plain, --allow-argv and --style native go with --all")
			}
			if o.undo && o.purgeBackups {
				return usageErr("--undo and --purge-backups cannot be used together")
			}
			return runFixConfig(cmd, a, o)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.configs, "config", nil, "fix this config file (repeatable; default: every client config found)")
	f.StringVar(&o.client, "client", "", "read --config files with this client's rules (default: guessed from the name and content)")
	f.BoolVar(&o.dryRun, "dry-run", false, "show the edits and a diff with secrets masked; write nothing")
	f.BoolVar(&o.json, "json", false, "print the result as JSON (schema: docs/json.md)")
	f.StringVar(&o.mode, "mode", configfix.ModeLauncher, "launcher: start the Auth0 server through auth0mcp run; keychain: only remove stored secrets")
	f.StringVar(&o.launcher, "launcher", "", "absolute path of the auth0mcp the config will start (default: this binary)")
	f.StringVar(&o.pin, "pin", configfix.KnownGoodVersion, "version to pin an unpinned @auth0/auth0-mcp-server to")
	f.BoolVar(&o.all, "all", false, "also move the stored secrets of servers other than Auth0's into the OS keychain")
	f.BoolVar(&o.plain, "plain", false, "with --all: remove the secrets instead of moving them into the keychain")
	f.BoolVar(&o.allowArgv, "allow-argv", false, "with --all: also move secrets that a server takes as an argument (the launcher passes them back in argv)")
	f.StringVar(&o.style, "style", "launcher", "with --all: launcher (the keychain and auth0mcp run) or native (VS Code inputs, Claude Code ${VAR})")
	f.BoolVar(&o.repair, "repair", false, "rewrite a file that is not strict JSON (BOM, comments, trailing commas) as strict JSON")
	f.BoolVar(&o.force, "force", false, "write even while Claude Desktop is running")
	f.BoolVar(&o.noBackup, "no-backup", false, "do not keep a backup (not recommended)")
	f.BoolVar(&o.undo, "undo", false, "restore the newest backup of the config")
	f.BoolVar(&o.purgeBackups, "purge-backups", false, "delete the backups of the config that hold secrets")
	cmd.MarkFlagsMutuallyExclusive("dry-run", "undo")
	cmd.MarkFlagsMutuallyExclusive("dry-run", "purge-backups")
	_ = cmd.MarkFlagFilename("config", "json")
	return cmd
}

// fixResult is the JSON of one config.
type fixResult struct {
	Version int              `json:"version"`
	Config  string           `json:"config"`
	Changed bool             `json:"changed"`
	DryRun  bool             `json:"dry_run"`
	Backup  string           `json:"backup"`
	Edits   []configfix.Edit `json:"edits"`
	Diff    string           `json:"diff"`
	Left    []leftJSON       `json:"left,omitempty"`
	Stores  []string         `json:"keychain,omitempty"`
	Error   string           `json:"error,omitempty"`
}

type leftJSON struct {
	Server   string   `json:"server"`
	Pointers []string `json:"pointers"`
	Why      string   `json:"why,omitempty"`
}

func runFixConfig(cmd *cobra.Command, a *app, o *fixOptions) error {
	out, errs := a.stdout(), a.stderr()
	// With --config, --client names the rules the files are read with;
	// without, it limits the search to that client, as in doctor.
	type target struct{ path, client string }
	var targets []target
	for _, p := range o.configs {
		targets = append(targets, target{p, o.client})
	}
	if len(targets) == 0 {
		for _, c := range configfix.Candidates(configfix.OSEnv()) {
			if o.client != "" && c.Client != o.client {
				continue
			}
			if _, err := os.Stat(c.Path); err == nil {
				targets = append(targets, target{c.Path, c.Client})
			}
		}
		if len(targets) == 0 {
			return exitcode.Wrap(exitcode.Failed, errors.New("no client config found; name one with --config"))
		}
	}
	failed := false
	var results []fixResult
	for _, t := range targets {
		res, err := fixOne(cmd, a, o, t.path, t.client)
		if err != nil {
			failed = true
			res.Error = err.Error()
			if !o.json {
				fmt.Fprintf(errs, "%s %s: %s\n", errs.Mark(ui.StatusFail), res.Config, ui.Sanitize(err.Error()))
			}
		}
		results = append(results, res)
	}
	if o.json {
		// One object per config: indented for one, one per line (JSON
		// Lines) for several.
		for _, r := range results {
			write := writeJSON
			if len(results) > 1 {
				write = writeJSONLine
			}
			if err := write(a.out, r); err != nil {
				return err
			}
		}
	}
	_ = out
	if failed {
		return exitcode.Silent(exitcode.Failed)
	}
	return nil
}

func fixOne(cmd *cobra.Command, a *app, o *fixOptions, path, client string) (fixResult, error) {
	ctx := cmd.Context()
	out, errs := a.stdout(), a.stderr()
	res := fixResult{Version: 1, Config: path, DryRun: o.dryRun, Edits: []configfix.Edit{}}
	if abs, err := filepath.Abs(path); err == nil {
		res.Config = abs
	}

	switch {
	case o.undo:
		if err := refuseWhileRunning(cmd, a, o, client); err != nil {
			return res, err
		}
		from, saved, err := configfix.Undo(ctx, path, client)
		if err != nil {
			return res, err
		}
		res.Changed, res.Backup = saved != "", saved
		if !o.json {
			if saved == "" {
				fmt.Fprintf(out, "%s already holds what %s holds; nothing to undo.\n", res.Config, from)
				return res, nil
			}
			fmt.Fprintf(out, "Restored %s from its newest backup, %s; the file it replaced is kept as %s (--undo again puts that one back).\n", res.Config, from, saved)
			fmt.Fprintln(out, "Secrets that fix-config --all moved into the OS keychain stay there: auth0mcp secrets list, auth0mcp secrets rm ACCOUNT. Restart the client so that it reads the restored file.")
		}
		return res, nil
	case o.purgeBackups:
		deleted, kept, err := configfix.PurgeBackups(path, time.Now())
		for _, d := range deleted {
			if !o.json {
				fmt.Fprintf(out, "deleted %s (it held a stored secret)\n", d)
			}
		}
		for _, k := range kept {
			if !o.json {
				fmt.Fprintf(out, "kept %s (no stored secret in it)\n", k)
			}
		}
		if len(deleted)+len(kept) == 0 && !o.json {
			fmt.Fprintf(out, "no backup of %s to purge\n", res.Config)
		}
		res.Changed = len(deleted) > 0
		return res, err
	}

	path = res.Config
	c := configfix.Load(path, client)
	title := c.Rules().Title
	if !c.Exists {
		return res, fmt.Errorf("%s does not exist", res.Config)
	}
	launcher, note := launcherPath(o.launcher)
	plan, err := c.PlanFix(configfix.FixOptions{
		Mode: o.mode, Launcher: launcher, Version: o.pin, All: o.all, Repair: o.repair, Now: time.Now(),
		Vault: o.all && !o.plain && o.style == "launcher", AllowArgv: o.allowArgv, Native: o.style == "native",
		Repoint: o.launcher != "",
	})
	if err != nil {
		return res, err
	}
	res.Edits = append(res.Edits, plan.Edits...)
	for _, st := range plan.Stores {
		res.Stores = append(res.Stores, st.Account)
	}
	for _, l := range plan.Left {
		lj := leftJSON{Server: l.Server, Why: l.Why}
		for _, f := range l.Findings {
			lj.Pointers = append(lj.Pointers, f.Pointer)
		}
		res.Left = append(res.Left, lj)
		if !o.json {
			where := fmt.Sprintf("server %q", l.Server)
			if l.Server == "" {
				where = "values outside any server entry"
			}
			shown := lj.Pointers
			if len(shown) > 5 {
				shown = append(shown[:5:5], fmt.Sprintf("and %d more", len(lj.Pointers)-5))
			}
			if l.Why != "" {
				fmt.Fprintf(errs, "%s %s still stores %d secret(s) (%s): left in place, since %s\n",
					errs.Mark(ui.StatusWarn), ui.Sanitize(where), len(l.Findings), ui.Sanitize(strings.Join(shown, ", ")), l.Why)
				continue
			}
			fmt.Fprintf(errs, "%s %s still stores %d secret(s) (%s); auth0mcp leaves other servers' secrets unless asked. To move them into the OS keychain: auth0mcp fix-config --config %s --all\n",
				errs.Mark(ui.StatusWarn), ui.Sanitize(where), len(l.Findings), ui.Sanitize(strings.Join(shown, ", ")), ui.ShellQuote(res.Config))
		}
	}
	if !plan.Changed() {
		if !o.json {
			fmt.Fprintf(out, "Nothing to fix in %s.\n", res.Config)
		}
		return res, nil
	}
	res.Changed = true
	res.Diff = plan.Diff()
	if !o.json {
		fmt.Fprintf(out, "%s\n", out.Bold("fix-config "+res.Config))
		for _, e := range plan.Edits {
			ptr := e.Pointer
			if ptr == "" {
				ptr = "(whole file)"
			}
			fmt.Fprintf(out, "  %-8s %s\n           %s\n", e.Action, ui.Sanitize(ptr), out.Faint(ui.Sanitize(e.Reason)))
		}
		for _, l := range plan.Lacks {
			fmt.Fprintf(errs, "%s %s\n", errs.Mark(ui.StatusWarn), ui.Sanitize(l))
		}
		for _, st := range plan.Stores {
			fmt.Fprintf(out, "  %-8s %s\n           %s\n", "keychain", ui.Sanitize(st.Account),
				out.Faint(fmt.Sprintf("store the value of %s (%s) in the OS keychain, service auth0mcp", ui.Sanitize(st.Pointer), st.Preview)))
		}
	}
	if o.mode == configfix.ModeLauncher && !o.json && launcherUsed(plan) {
		if note != "" {
			fmt.Fprintf(errs, "%s %s\n", errs.Mark(ui.StatusWarn), note)
		}
		if _, err := os.Stat(launcher); err != nil {
			fmt.Fprintf(errs, "%s the launcher %s does not exist yet: install auth0mcp there (make install PREFIX=…) before you restart the client, or the server cannot start.\n", errs.Mark(ui.StatusWarn), launcher)
		}
	}
	if o.dryRun {
		if o.mode == configfix.ModeLauncher && launcherUsed(plan) && !o.json {
			warnNoToken(cmd, a, res.Config, c.Client, plan.After)
		}
		if !o.json {
			fmt.Fprintf(out, "\n%s", res.Diff)
			fmt.Fprintln(out, "\nDry run: nothing was written.")
		}
		return res, nil
	}

	if err := refuseWhileRunning(cmd, a, o, c.Client); err != nil {
		return res, err
	}
	// Secrets go into the keychain, and read back, before the file loses
	// them; any failure leaves the file as it is.
	var stored []string
	for _, st := range plan.Stores {
		if err := token.StoreSecret(ctx, st.Account, st.Value()); err != nil {
			res.Changed = false
			msg := fmt.Sprintf("%v; the file was not changed", err)
			if len(stored) > 0 {
				msg += fmt.Sprintf(". Stored before the failure, and still in the keychain: %s (auth0mcp secrets rm removes them)", strings.Join(stored, ", "))
			}
			return res, errors.New(msg)
		}
		stored = append(stored, st.Account)
	}
	if o.noBackup && !o.json {
		fmt.Fprintf(errs, "%s --no-backup: no copy of the old file is kept; if the result is not what you want, there is no --undo.\n", errs.Mark(ui.StatusWarn))
	}
	w, err := configfix.WriteConfig(ctx, path, c.Raw, plan.After, configfix.WriteOptions{NoBackup: o.noBackup})
	res.Backup = w.Backup
	if err != nil {
		res.Changed = false
		return res, err
	}
	if o.mode == configfix.ModeLauncher && launcherUsed(plan) && !o.json {
		warnNoToken(cmd, a, res.Config, c.Client, nil)
	}
	if !o.json {
		fmt.Fprintf(out, "\n%s Wrote %s.\n", out.Mark(ui.StatusOK), w.Path)
		fmt.Fprintln(out, "Next:")
		fmt.Fprintf(out, "  1. Restart %s (quit it fully) so that it starts the server from the fixed file.\n", title)
		switch {
		case plan.Auth0Token:
			fmt.Fprintln(out, "  2. Rotate what was removed: it was exposed on disk. A Management API token from client credentials cannot be revoked (it expires); rotate the client secret that issued it.")
		case len(plan.Removed) > 0:
			fmt.Fprintln(out, "  2. Rotate what was removed at each service that issued it: it was exposed on disk.")
		}
		if w.Backup != "" {
			fmt.Fprintf(out, "  %s The backup %s holds the old file, secrets included (mode 0600). Once the fixed file works: auth0mcp fix-config --config %s --purge-backups\n",
				map[bool]string{true: "3.", false: "2."}[len(plan.Removed) > 0], w.Backup, ui.ShellQuote(res.Config))
		}
		if len(plan.Stores) > 0 {
			fmt.Fprintf(out, "  %d secret(s) are now in the OS keychain (auth0mcp secrets list); --undo puts the file back but leaves them there (auth0mcp secrets rm ACCOUNT).\n", len(plan.Stores))
		}
		for _, n := range plan.Notes {
			fmt.Fprintf(out, "  Once: %s\n", ui.Sanitize(n))
		}
	}
	return res, nil
}

// warnNoToken asks the token methods, as the launcher will when the client
// starts the rewritten entries, whether they can give a token; when none
// can, the server would fail at its next start, so say so now.
func warnNoToken(cmd *cobra.Command, a *app, path, client string, content []byte) {
	opt := doctor.Options{
		Configs: []string{path}, Clients: clientList(client), Only: []string{"token"},
		Timeout: 12 * time.Second, CheckTimeout: 10 * time.Second,
	}
	if content != nil {
		opt.Contents = map[string][]byte{path: content}
	}
	rep := doctor.Run(cmd.Context(), opt)
	errs := a.stderr()
	for _, r := range rep.Checks {
		if r.Status != ui.StatusFail && r.Status != ui.StatusTimeout {
			continue
		}
		detail := strings.ReplaceAll(ui.Sanitize(r.Detail), "\n", "\n          ")
		fmt.Fprintf(errs, "%s the server would not start yet: %s\n", errs.Mark(ui.StatusWarn), detail)
		if r.Fix != "" {
			fmt.Fprintf(errs, "          fix: %s\n", ui.Sanitize(r.Fix))
		}
	}
}

func clientList(c string) []string {
	if c == "" {
		return nil
	}
	return []string{c}
}

// launcherUsed reports whether the plan makes an entry start through the
// launcher.
func launcherUsed(p *configfix.Plan) bool {
	for _, e := range p.Edits {
		if e.Action == "replace" && strings.HasSuffix(e.Pointer, "/command") {
			return true
		}
	}
	return false
}

// refuseWhileRunning stops a write while Claude Desktop runs, unless
// --force: the app writes its cached copy back and would restore the
// secrets.
func refuseWhileRunning(cmd *cobra.Command, a *app, o *fixOptions, client string) error {
	if client != "" && client != configfix.ClaudeDesktop {
		return nil // only Claude Desktop is known to write its cached copy back
	}
	running, name := configfix.ClientRunning(cmd.Context())
	if !running {
		return nil
	}
	if !o.force {
		return fmt.Errorf("Claude Desktop is running (process %q): it keeps the config in memory and writes it back, which would undo this change. Quit it and run the command again, or add --force", name)
	}
	errs := a.stderr()
	fmt.Fprintf(errs, "%s Claude Desktop is running (process %q); writing anyway (--force). Quit it right away without changing settings, or it may write the old file back.\n", errs.Mark(ui.StatusWarn), name)
	return nil
}

// launcherPath returns the absolute path of the launcher to write into a
// config, and a warning when that path looks temporary.
func launcherPath(given string) (string, string) {
	p := given
	if p == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", "cannot tell where this auth0mcp is; pass --launcher"
		}
		p = exe
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if r, err := filepath.EvalSymlinks(p); err == nil && given == "" {
		p = r
	}
	slash := filepath.ToSlash(p)
	for _, marker := range []string{"/go-build", "/Cellar/", "/nix/store/", "/node_modules/", "/.cache/", "/_npx/"} {
		if strings.Contains(slash, marker) {
			return p, fmt.Sprintf("the launcher path %s looks temporary or tied to one installed version; the config will break when it goes. Install auth0mcp at a lasting place (e.g. /usr/local/bin) and pass --launcher", p)
		}
	}
	if tmp := filepath.ToSlash(os.TempDir()); strings.HasPrefix(slash, tmp+"/") {
		return p, fmt.Sprintf("the launcher path %s is in the temporary folder; pass --launcher with a lasting path", p)
	}
	return p, ""
}
