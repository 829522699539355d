package doctor

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/internal/ui"
	"github.com/auth0mcp/auth0mcp/probe"
)

// handshakeMargin is kept between a probe's deadline and the check's, so
// that the probe reports its own timeout (and has cleaned up) before the
// runner gives up on the check.
const (
	handshakeMinMargin = 300 * time.Millisecond
	handshakeMinProbe  = time.Second
)

// clientEnvNames are the variables a desktop client passes from its own
// environment on any system; probe.BaseEnv picks the ones for this one.
var clientEnvNames = []string{"HOME", "USER", "LOGNAME", "PATH", "SHELL", "TERM",
	"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR",
	"APPDATA", "HOMEDRIVE", "HOMEPATH", "LOCALAPPDATA", "PROCESSOR_ARCHITECTURE",
	"SYSTEMDRIVE", "SYSTEMROOT", "TEMP", "USERNAME", "USERPROFILE", "PROGRAMFILES"}

// checkHandshake starts every Auth0 MCP server entry of every config the
// app can load, the way the app would, and folds the probe's diagnoses
// into the report. The entries are probed at the same time, each bounded
// by the check's own deadline less a margin.
// TODO: the server gets this terminal's PATH, not the app's (see the
// auth0-command check, which judges the app's PATH without starting
// anything); a command only the terminal finds passes here.
func checkHandshake(ctx context.Context, st *state) []Result {
	var jobs []job
	var out []Result
	for _, c := range st.launchable() {
		if c.Root == nil {
			continue
		}
		entries := auth0Entries(c)
		if c.Strict != nil && len(entries) > 0 {
			out = append(out, Result{Config: c.Path, Status: ui.StatusSkip,
				Detail: "not started: the app cannot load this file (see Strict JSON), so it starts none of its servers"})
			continue
		}
		for _, s := range entries {
			if s.Shadowed {
				continue
			}
			if !s.HasCommand || s.Command == "" {
				out = append(out, Result{Config: c.Path, Server: s.Name, Status: ui.StatusSkip,
					Detail: fmt.Sprintf("%q has no command to start (see Server entries)", s.Name)})
				continue
			}
			jobs = append(jobs, job{c, s})
		}
	}
	if len(jobs) == 0 && len(out) == 0 {
		return []Result{{Status: ui.StatusSkip, Detail: "no Auth0 MCP server entry to start"}}
	}

	timeout := probe.DefaultTimeout
	if d, ok := ctx.Deadline(); ok {
		left := time.Until(d)
		timeout = min(timeout, max(left-max(handshakeMinMargin, left/20), handshakeMinProbe))
	}
	return append(out, forEach(jobs, func(j job) []Result { return st.handshake(ctx, j.c, j.s, timeout) })...)
}

// job is one server entry of one config that a check works on.
type job struct {
	c *configfix.Config
	s configfix.Server
}

// forEach runs fn for every job at once and returns the results in the
// jobs' order.
func forEach(jobs []job, fn func(job) []Result) []Result {
	results := make([][]Result, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = fn(j)
		}()
	}
	wg.Wait()
	var out []Result
	for _, r := range results {
		out = append(out, r...)
	}
	return out
}

// handshake probes one entry and turns the result into report lines.
func (st *state) handshake(ctx context.Context, c *configfix.Config, s configfix.Server,
	timeout time.Duration) []Result {
	env := st.serverEnv(s)
	start := time.Now()
	r := probe.Run(ctx, probe.Options{
		Command: s.Command,
		Args:    s.Args,
		Env:     env,
		Timeout: timeout,
		Redact:  probe.RedactorFor(env),
		Server:  s.Name,
	})
	took := time.Since(start)
	return handshakeResults(c.Path, s.Name, r, took)
}

// serverEnv is what the app gives the entry's server: the client's base
// variables, then the entry's own env.
func (st *state) serverEnv(s configfix.Server) []string {
	var environ []string
	for _, name := range clientEnvNames {
		if v := st.opt.Env.Getenv(name); v != "" {
			environ = append(environ, name+"="+v)
		}
	}
	env := probe.BaseEnv(environ, st.opt.Env.GOOS, nil)
	for _, e := range s.Env {
		if !e.IsString {
			continue
		}
		kept := env[:0:0]
		for _, kv := range env {
			if k, _, _ := strings.Cut(kv, "="); k != e.Name {
				kept = append(kept, kv)
			}
		}
		env = append(kept, e.Name+"="+e.Value)
	}
	return env
}

// handshakeResults makes one summary line for the probe, then one line per
// warning or failure with its fix. Notes (info) join the summary line.
func handshakeResults(config, server string, r *probe.Result, took time.Duration) []Result {
	res := func(status ui.Status, detail, fix string) Result {
		return Result{Config: config, Server: server, Status: status, Detail: detail, Fix: fix,
			DurationMS: max(took.Milliseconds(), 1)}
	}
	var notes []string
	var lines []Result
	for _, d := range r.Diagnoses {
		switch d.Severity {
		case probe.SeverityFail:
			lines = append(lines, res(ui.StatusFail, d.Code+": "+d.Detail, d.Fix))
		case probe.SeverityWarn:
			lines = append(lines, res(ui.StatusWarn, d.Code+": "+d.Detail, d.Fix))
		default:
			notes = append(notes, d.Code+": "+d.Detail)
		}
	}

	var head Result
	if r.OK {
		what := "the server"
		if r.ServerInfo != nil {
			what = strings.TrimSpace(r.ServerInfo.Name + " " + r.ServerInfo.Version)
		}
		head = res(ui.StatusOK, fmt.Sprintf("%q answered the handshake in %s: %s, protocol %s, %d %s",
			server, shortDuration(took), what, r.ProtocolVersion, r.Tools, plural(r.Tools, "tool", "tools")), "")
	} else {
		phase := "spawn"
		for _, p := range r.Phases {
			if p.Status == probe.StatusFail || p.Status == probe.StatusTimeout {
				phase = p.Name
				break
			}
		}
		detail := fmt.Sprintf("%q failed the handshake at %s after %s", server, phase, shortDuration(took))
		if r.TimedOut {
			detail = fmt.Sprintf("%q did not finish the handshake within %s (stopped at %s)",
				server, shortDuration(took), phase)
		}
		fix := "Probe it for the whole picture: auth0mcp probe --config " + ui.ShellQuote(config) +
			" --server " + ui.ShellQuote(server)
		if r.TimedOut {
			fix += " --timeout 60s (a cold npx download can take that long; so can --check-timeout)"
		}
		head = res(ui.StatusFail, detail, fix)
	}
	if len(notes) > 0 {
		head.Detail += "\n" + strings.Join(notes, "\n")
	}
	return append([]Result{head}, lines...)
}

func shortDuration(d time.Duration) string {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}
