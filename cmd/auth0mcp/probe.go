package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/internal/exitcode"
	"github.com/auth0mcp/auth0mcp/internal/ui"
	"github.com/auth0mcp/auth0mcp/probe"
)

type probeOptions struct {
	config          string
	server          string
	envNames        []string
	inheritEnv      bool
	path            string
	timeout         time.Duration
	protocolVersion string
	json            bool
	verbose         bool
}

func newProbe(a *app) *cobra.Command {
	o := &probeOptions{}
	cmd := &cobra.Command{
		Use:   "probe [flags] [-- CMD [ARG...]]",
		Short: "Start an MCP server the way a client does and time its handshake",
		Long: `probe starts an MCP server over stdio as a desktop client would, performs the
handshake (initialize, notifications/initialized, tools/list, ping) under a hard deadline,
times each phase, and explains every way it fails, with a fix. The server's whole process
group is gone before probe returns. A process that leaves the group (setsid, a daemon) is
out of reach of signals to the group; when it still holds the server's output, probe
reports it as escaped-processes.

Without a command it probes the Auth0 MCP server entry of the Claude Desktop config (the
first one found, or --config, and --server to pick another entry). After "--" it probes
the command given. The server gets what a client gives it: HOME, USER, LOGNAME, PATH,
SHELL, TERM (on Linux also DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR), then the
entry's own env. --env NAME passes one more variable through by name, so a secret never
has to go on the command line; --inherit-env passes everything; --path sets PATH to
reproduce what a desktop app sees (an entry's own PATH still wins, as in the app).
Everything shown from the server's output is redacted.

Exit codes: 0 the handshake and tools/list succeeded, 1 they did not, 124 the --timeout
ended the probe, 130 interrupted. The diagnosis codes are listed by --list-codes.`,
		Example: `  auth0mcp probe
  auth0mcp probe --config ./claude_desktop_config.json --server auth0 -v
  auth0mcp probe --timeout 60s --json | jq '.diagnoses'
  auth0mcp probe --env AUTH0_TOKEN --env AUTH0_DOMAIN -- npx -y @auth0/auth0-mcp-server run
  auth0mcp probe --path /usr/bin:/bin -- npx -y @auth0/auth0-mcp-server run`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if list, _ := cmd.Flags().GetBool("list-codes"); list {
				return listCodes(a, o)
			}
			if o.timeout <= 0 {
				return usageErr("--timeout must be positive")
			}
			if len(args) > 0 && (o.config != "" || o.server != "") {
				return usageErr("give either a command after -- or --config/--server, not both")
			}
			return runProbe(cmd, a, o, args)
		},
	}
	// Everything after the first argument belongs to the server.
	cmd.Flags().SetInterspersed(false)
	f := cmd.Flags()
	f.StringVar(&o.config, "config", "", "the Claude Desktop config to read (default: the one found)")
	f.StringVar(&o.server, "server", "", "the entry to probe (default: the Auth0 MCP server entry)")
	f.StringArrayVar(&o.envNames, "env", nil, "pass this variable from our environment to the server, by name (repeatable)")
	f.BoolVar(&o.inheritEnv, "inherit-env", false, "pass our whole environment to the server")
	f.StringVar(&o.path, "path", "", "PATH for the server, e.g. what a desktop app gives it")
	f.DurationVar(&o.timeout, "timeout", probe.DefaultTimeout, "bound on the whole probe, cleanup included (60s for a cold npx)")
	f.StringVar(&o.protocolVersion, "protocol-version", probe.DefaultProtocolVersion, "the MCP protocol version to ask for")
	f.BoolVar(&o.json, "json", false, "print the result as one JSON object")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "list the tools by name")
	f.Bool("list-codes", false, "list the diagnosis codes and exit")
	_ = cmd.MarkFlagFilename("config", "json")
	return cmd
}

// probeTarget is what the probe starts and with which environment.
type probeTarget struct {
	server  string
	command string
	args    []string
	env     []string // the entry's own env, NAME=value
	config  string   // the config file the entry came from, or ""
}

func runProbe(cmd *cobra.Command, a *app, o *probeOptions, args []string) error {
	errs := a.stderr()
	var t probeTarget
	if len(args) > 0 {
		t = probeTarget{command: args[0], args: args[1:]}
	} else {
		var err error
		if t, err = entryTarget(errs, o); err != nil {
			return err
		}
	}

	env := probeEnv(errs, o, t.env)
	r := probe.Run(cmd.Context(), probe.Options{
		Command:         t.command,
		Args:            t.args,
		Env:             env,
		Timeout:         o.timeout,
		ProtocolVersion: o.protocolVersion,
		Redact:          probe.RedactorFor(env),
		Server:          t.server,
		ClientVersion:   version,
	})

	if o.json {
		if err := writeJSON(a.out, r); err != nil {
			return err
		}
	} else {
		renderProbe(a.stdout(), r, t, o.verbose)
	}
	return exitcode.Silent(r.ExitCode())
}

// entryTarget finds the server entry to probe in a Claude Desktop config.
func entryTarget(errs *ui.Stream, o *probeOptions) (probeTarget, error) {
	path := o.config
	if path == "" {
		var tried []string
		for _, c := range configfix.Candidates(configfix.OSEnv()) {
			tried = append(tried, c.Path)
			if _, err := os.Stat(c.Path); err == nil {
				path = c.Path
				break
			}
		}
		if path == "" {
			return probeTarget{}, exitcode.Wrap(exitcode.Failed, fmt.Errorf(
				"no Claude Desktop config found (looked at %s); name one with --config, "+
					"or probe a command: auth0mcp probe -- CMD [ARG...]", strings.Join(tried, ", ")))
		}
	}

	c := configfix.Load(path, "")
	switch {
	case !c.Exists:
		return probeTarget{}, exitcode.Wrap(exitcode.Failed, fmt.Errorf(
			"%s does not exist; check the path given to --config", c.Path))
	case c.ReadErr != nil:
		return probeTarget{}, exitcode.Wrap(exitcode.Failed, c.ReadErr)
	case c.Root == nil:
		return probeTarget{}, exitcode.Wrap(exitcode.Failed, fmt.Errorf(
			"%s is not JSON, so there is no entry to probe; see: auth0mcp doctor --config %s",
			c.Path, c.Path))
	case c.Strict != nil:
		fmt.Fprintf(errs, "auth0mcp probe: warning: %s is not strict JSON (line %d): Claude Desktop "+
			"cannot load it and starts none of its servers; probing the entry anyway\n",
			c.Path, c.Strict.Line)
	}

	s, err := pickEntry(errs, c, o.server)
	if err != nil {
		return probeTarget{}, err
	}
	if !s.HasCommand || s.Command == "" {
		return probeTarget{}, exitcode.Wrap(exitcode.Failed, fmt.Errorf(
			"entry %q in %s has no \"command\" (a remote entry?), so there is nothing to start",
			s.Name, c.Path))
	}
	t := probeTarget{server: s.Name, command: s.Command, args: s.Args, config: c.Path}
	for _, e := range s.Env {
		if e.IsString {
			t.env = append(t.env, e.Name+"="+e.Value)
		} else {
			fmt.Fprintf(errs, "auth0mcp probe: warning: env %s of %q is not a string; Claude Desktop "+
				"rejects such an entry; left out\n", e.Name, s.Name)
		}
	}
	return t, nil
}

// pickEntry returns the entry named name, or the Auth0 MCP server's entry.
// Shadowed copies (an earlier duplicate key) are never picked: the app
// does not see them.
func pickEntry(errs *ui.Stream, c *configfix.Config, name string) (configfix.Server, error) {
	var names, auth0 []string
	var found []configfix.Server
	for _, s := range c.Servers() {
		if s.Shadowed {
			continue
		}
		names = append(names, s.Name)
		if name != "" && s.Name == name || name == "" && s.MaybeAuth0() {
			found = append(found, s)
			auth0 = append(auth0, s.Name)
		}
	}
	if len(found) == 0 {
		what := "no Auth0 MCP server entry"
		if name != "" {
			what = fmt.Sprintf("no entry named %q", name)
		}
		known := "it has no entries"
		if len(names) > 0 {
			known = "its entries: " + strings.Join(names, ", ")
		}
		return configfix.Server{}, exitcode.Wrap(exitcode.Failed, fmt.Errorf(
			"%s in %s (%s); pick one with --server NAME", what, c.Path, known))
	}
	if len(found) > 1 {
		fmt.Fprintf(errs, "auth0mcp probe: %d Auth0 entries (%s); probing %q, pick another with --server\n",
			len(found), strings.Join(auth0, ", "), found[0].Name)
	}
	return found[0], nil
}

// probeEnv builds the server's environment: the base a client passes (or
// ours with --inherit-env), --path, then the entry's own env on top.
func probeEnv(errs *ui.Stream, o *probeOptions, entry []string) []string {
	for _, name := range o.envNames {
		if _, ok := os.LookupEnv(name); !ok {
			fmt.Fprintf(errs, "auth0mcp probe: warning: --env %s: not set here, so not passed\n", name)
		}
	}
	var env []string
	if o.inheritEnv {
		env = os.Environ()
	} else {
		env = probe.BaseEnv(os.Environ(), runtime.GOOS, o.envNames)
	}
	if o.path != "" {
		env = setVar(env, "PATH", o.path)
	}
	for _, kv := range entry {
		name, value, _ := strings.Cut(kv, "=")
		env = setVar(env, name, value)
	}
	return env
}

// setVar sets name in env, replacing earlier assignments.
func setVar(env []string, name, value string) []string {
	out := env[:0:0]
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if k == name || runtime.GOOS == "windows" && strings.EqualFold(k, name) {
			continue
		}
		out = append(out, kv)
	}
	return append(out, name+"="+value)
}

// renderProbe prints the timeline, what the server is, and the diagnoses.
// Every text that came from the server or the config goes through
// printable first: a server name or a stderr line could otherwise move the
// cursor, clear the screen or set the terminal's title.
func renderProbe(s *ui.Stream, r *probe.Result, t probeTarget, verbose bool) {
	argv := printable(strings.Join(append([]string{r.Target.Command}, r.Target.Args...), " "))
	head := "Probing " + argv
	if t.server != "" {
		head = fmt.Sprintf("Probing %q (%s)", t.server, argv)
	}
	fmt.Fprintln(s, s.Bold(head))
	if t.config != "" {
		fmt.Fprintf(s, "  from %s\n", printable(t.config))
	}
	if r.Has(probe.CodeCommandNotFound) || r.Has(probe.CodeSpawnFailed) {
		pathShown := r.PATH
		if pathShown == "" {
			pathShown = "(not set)"
		}
		fmt.Fprintf(s, "  PATH used: %s\n", printable(pathShown))
	}
	fmt.Fprintln(s)

	for _, p := range r.Phases {
		line := fmt.Sprintf("  %s %-12s %6d ms", s.Mark(phaseStatus(p.Status)), p.Name, p.DurationMS)
		if p.Name == probe.PhaseShutdown && r.Exit != nil {
			line += "  " + s.Faint(exitWords(r.Exit))
		}
		fmt.Fprintln(s, line)
	}
	fmt.Fprintln(s)

	var info []string
	if r.ServerInfo != nil {
		info = append(info, fmt.Sprintf("Server:   %s %s", printable(r.ServerInfo.Name),
			printable(r.ServerInfo.Version)))
	}
	if r.ProtocolVersion != "" {
		info = append(info, "Protocol: "+printable(r.ProtocolVersion))
	}
	if r.Phase(probe.PhaseToolsList).Status == probe.StatusOK {
		info = append(info, fmt.Sprintf("Tools:    %d", r.Tools))
		if verbose {
			for _, name := range r.ToolNames {
				info = append(info, "  "+printable(name))
			}
		}
	}
	for _, l := range info {
		fmt.Fprintln(s, l)
	}
	if len(info) > 0 {
		fmt.Fprintln(s)
	}

	if len(r.Diagnoses) > 0 {
		indent := "    "
		if !s.Styled() {
			indent = "          "
		}
		for _, d := range r.Diagnoses {
			st := diagnosisStatus(d.Severity)
			fmt.Fprintf(s, "  %s %s: %s\n", s.Mark(st), s.Bold(d.Code), printable(d.Detail))
			if d.Fix != "" {
				fmt.Fprintf(s, "%s%s %s\n", indent, s.Color(st, "fix:"), printable(d.Fix))
			}
		}
		fmt.Fprintln(s)
	}
	if verbose && r.StderrTail != "" && !r.OK {
		fmt.Fprintln(s, s.Faint("stderr (end):"))
		for _, l := range strings.Split(strings.TrimRight(r.StderrTail, "\n"), "\n") {
			fmt.Fprintln(s, "  "+s.Faint(printableLine(l)))
		}
		fmt.Fprintln(s)
	}

	took := time.Duration(r.DurationMS) * time.Millisecond
	switch {
	case r.Interrupted:
		fmt.Fprintf(s, "%s after %s\n", s.Color(ui.StatusFail, "interrupted"), took)
	case r.TimedOut:
		fmt.Fprintf(s, "%s: the deadline ended the probe after %s; try a longer --timeout\n",
			s.Color(ui.StatusTimeout, "timeout"), took)
	case r.OK && r.Phase(probe.PhaseToolsList).Status != probe.StatusOK:
		fmt.Fprintf(s, "%s: the handshake succeeded in %s; tools/list was skipped (the server "+
			"declares no tools)\n", s.Color(ui.StatusOK, "ok"), took)
	case r.OK:
		fmt.Fprintf(s, "%s: handshake and tools/list succeeded in %s\n", s.Color(ui.StatusOK, "ok"), took)
	default:
		fmt.Fprintf(s, "%s: the server does not work as a client needs (%s)\n",
			s.Color(ui.StatusFail, "failed"), took)
	}
}

// printable escapes what a terminal would act on rather than show: control
// characters (ESC, BEL, CR, NUL and the C1 range), newlines and tabs
// included, and the bidirectional overrides that reorder text, as \x1b or
// \u202e.
func printable(text string) string {
	return escapeControls(text, false)
}

// printableLine is printable for one line of a multi-line text: tabs stay.
func printableLine(text string) string {
	return escapeControls(text, true)
}

func escapeControls(text string, keepTab bool) string {
	if !strings.ContainsFunc(text, func(r rune) bool { return needsEscape(r, keepTab) }) {
		return text
	}
	var b strings.Builder
	for _, r := range text {
		switch {
		case !needsEscape(r, keepTab):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

func needsEscape(r rune, keepTab bool) bool {
	switch {
	case r == '\t':
		return !keepTab
	case unicode.IsControl(r):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

func phaseStatus(st string) ui.Status {
	switch st {
	case probe.StatusOK:
		return ui.StatusOK
	case probe.StatusFail:
		return ui.StatusFail
	case probe.StatusTimeout:
		return ui.StatusTimeout
	}
	return ui.StatusSkip
}

func diagnosisStatus(sev string) ui.Status {
	switch sev {
	case probe.SeverityFail:
		return ui.StatusFail
	case probe.SeverityWarn:
		return ui.StatusWarn
	}
	return ui.StatusInfo
}

func exitWords(e *probe.Exit) string {
	how := fmt.Sprintf("exit code %d", e.Code)
	if e.Signal != "" {
		how = "ended by " + e.Signal
	}
	switch e.EndedBy {
	case probe.EndedByEOF:
		return how + " after its stdin closed"
	case probe.EndedBySIGTERM:
		return "closing stdin was not enough: needed SIGTERM"
	case probe.EndedBySIGKILL:
		return "closing stdin and SIGTERM were not enough: needed SIGKILL"
	case probe.EndedByExited:
		return how + ", on its own"
	}
	return how
}

func listCodes(a *app, o *probeOptions) error {
	if o.json {
		return writeJSON(a.out, map[string]any{"version": 1, "codes": probe.Codes})
	}
	s := a.stdout()
	for _, c := range probe.Codes {
		fmt.Fprintf(s, "%s %-5s %s\n", s.Bold(fmt.Sprintf("%-24s", c.Code)), c.Severity, c.Summary)
	}
	return nil
}
