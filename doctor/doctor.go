// Package doctor audits a machine against the auth0mcp design: every
// client config it can find, the Auth0 MCP server entries in them, and the
// secrets stored where they should not be. It returns a Report; the
// command line renders it.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/internal/fault"
	"github.com/auth0mcp/auth0mcp/internal/guipath"
	"github.com/auth0mcp/auth0mcp/internal/ui"
)

// Options say what doctor looks at and how long it may take.
type Options struct {
	Env     configfix.Env
	Configs []string // --config paths; none means discover
	// Client forces the client rules of --config files, or limits
	// discovery to these clients.
	Clients []string
	// Projects are project folders whose client files are audited too;
	// their servers are never started unless ProbeProject.
	Projects     []string
	ProbeProject bool
	// Contents replaces what is read from these --config paths: doctor
	// then checks a planned rewrite before it is written.
	Contents map[string][]byte
	Offline  bool     // no network, no handshake
	Only     []string // run only these check ids

	Timeout      time.Duration // the whole run (default 30s)
	CheckTimeout time.Duration // each check (default 10s)

	Now func() time.Time
	// Self is the path of the running auth0mcp, for the commands a fix names.
	Self string
	// Extra checks, for tests of the runner.
	Extra []Check
}

// Result is one line of the report.
type Result struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Status     ui.Status `json:"status"`
	Config     string    `json:"config,omitempty"`
	Server     string    `json:"server,omitempty"`
	DurationMS int64     `json:"duration_ms"`
	Detail     string    `json:"detail"`
	Fix        string    `json:"fix,omitempty"`
}

// ConfigReport says what was found at one config path.
type ConfigReport struct {
	Client  string      `json:"client"`
	Path    string      `json:"path"`
	Target  string      `json:"target,omitempty"`
	Where   string      `json:"where,omitempty"`
	Given   bool        `json:"given"`
	Project bool        `json:"project,omitempty"`
	Exists  bool        `json:"exists"`
	Parse   string      `json:"parse"` // ok, error, or missing
	Error   *ParseError `json:"error,omitempty"`
}

// ParseError is where a config stops being strict JSON.
type ParseError struct {
	Kind    string `json:"kind"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	Excerpt string `json:"excerpt,omitempty"`
}

// Summary counts results by status. A timeout counts as a failure in Fail
// as well as in Timeout.
type Summary struct {
	OK      int `json:"ok"`
	Warn    int `json:"warn"`
	Fail    int `json:"fail"`
	Skip    int `json:"skip"`
	Timeout int `json:"timeout"`
}

// Report is the whole outcome of a doctor run.
type Report struct {
	Version  int                 `json:"version"`
	OK       bool                `json:"ok"`
	TimedOut bool                `json:"timed_out"`
	Configs  []ConfigReport      `json:"configs"`
	Checks   []Result            `json:"checks"`
	Findings []configfix.Finding `json:"findings"`
	Summary  Summary             `json:"summary"`
}

// ExitCode is 0 when no check failed, 1 when one did, 124 when the whole
// run was cut short by its timeout.
func (r *Report) ExitCode() int {
	switch {
	case r.TimedOut:
		return 124
	case !r.OK:
		return 1
	}
	return 0
}

// state is what the checks share: the configs, loaded once.
type state struct {
	opt     Options
	now     time.Time
	configs []*configfix.Config
	paths   guipath.Env
	audits  map[*configfix.Config]*configfix.Audit
}

// Run runs the checks and returns the report. It returns when every check
// has finished or timed out, and no later than opt.Timeout.
func Run(ctx context.Context, opt Options) *Report {
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.CheckTimeout <= 0 {
		opt.CheckTimeout = 10 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Env.Getenv == nil {
		opt.Env = configfix.OSEnv()
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()

	rep := &Report{Version: 1, Findings: []configfix.Finding{}, Checks: []Result{}}
	st := &state{
		opt:    opt,
		now:    opt.Now(),
		paths:  guipath.Env{GOOS: opt.Env.GOOS, Getenv: opt.Env.Getenv, Glob: opt.Env.Glob},
		audits: map[*configfix.Config]*configfix.Audit{},
	}

	// Load every config first; a file system that hangs counts against
	// the whole run's timeout.
	loaded := make(chan struct{})
	go func() {
		if fault.At(ctx, "doctor-load") == nil {
			st.load()
		}
		close(loaded)
	}()
	select {
	case <-loaded:
	case <-ctx.Done():
		rep.TimedOut = ctx.Err() == context.DeadlineExceeded
		rep.Checks = append(rep.Checks, Result{ID: "discover", Title: "Find client configs",
			Status: ui.StatusTimeout, Detail: "reading the config files did not finish in time"})
		rep.finish()
		return rep
	}
	rep.Configs = st.configReports()
	for _, c := range st.configs {
		if a := st.audits[c]; a != nil {
			rep.Findings = append(rep.Findings, a.Findings...)
		}
	}

	checks := selected(opt)
	results := make([][]Result, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		if c.Network && opt.Offline {
			results[i] = []Result{{ID: c.ID, Title: c.Title, Status: ui.StatusSkip, Detail: "skipped: --offline"}}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = st.runCheck(ctx, c)
		}()
	}
	wg.Wait()
	if ctx.Err() == context.DeadlineExceeded {
		rep.TimedOut = true
	}
	for _, r := range results {
		rep.Checks = append(rep.Checks, r...)
	}
	rep.scrub(st)
	rep.finish()
	return rep
}

// scrub is the last net under the report: every secret any audit found is
// replaced by its preview in every text of the report, whatever check
// built the text (a server name that is a token, a key in a message).
func (r *Report) scrub(st *state) {
	var audits []*configfix.Audit
	for _, a := range st.audits {
		audits = append(audits, a)
	}
	rp := configfix.Scrubber(audits...)
	for i := range r.Checks {
		c := &r.Checks[i]
		c.Detail, c.Fix, c.Server = rp.Replace(c.Detail), rp.Replace(c.Fix), rp.Replace(c.Server)
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Server, f.Pointer = rp.Replace(f.Server), rp.Replace(f.Pointer)
	}
	for i := range r.Configs {
		if e := r.Configs[i].Error; e != nil {
			e.Message, e.Excerpt = rp.Replace(e.Message), rp.Replace(e.Excerpt)
		}
	}
}

// checkGrace is how long doctor waits, after a check's deadline, for a
// check that started processes to stop them.
const checkGrace = 3 * time.Second

// runCheck runs one check under its own deadline. A check that overruns
// is reported as timed out; its goroutine is left to finish on its own,
// since a blocked read cannot be cancelled.
func (st *state) runCheck(ctx context.Context, c Check) []Result {
	cctx, cancel := context.WithTimeout(ctx, st.opt.CheckTimeout)
	defer cancel()
	start := time.Now()
	done := make(chan []Result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- []Result{{Status: ui.StatusFail, Detail: fmt.Sprintf("the check crashed: %v", p),
					Fix: "Please report this with the output of auth0mcp --version."}}
			}
		}()
		if err := fault.At(cctx, "check-"+c.ID); err != nil {
			<-cctx.Done()
		}
		done <- c.Run(cctx, st)
	}()
	var out []Result
	select {
	case out = <-done:
	case <-cctx.Done():
		// A check that starts processes stops them when its context ends;
		// give it a moment to do so, so that nothing outlives doctor.
		if c.Network {
			select {
			case <-done:
			case <-time.After(checkGrace):
			}
		}
		d := st.opt.CheckTimeout
		switch {
		case errors.Is(ctx.Err(), context.Canceled):
			out = []Result{{Status: ui.StatusTimeout, Detail: "interrupted before it finished"}}
		case ctx.Err() != nil:
			out = []Result{{Status: ui.StatusTimeout, Detail: "did not finish before the run's --timeout"}}
		default:
			out = []Result{{Status: ui.StatusTimeout, Detail: fmt.Sprintf("did not finish within %s", d)}}
		}
	}
	elapsed := time.Since(start).Milliseconds()
	for i := range out {
		out[i].ID, out[i].Title = c.ID, c.Title
		if out[i].DurationMS == 0 {
			out[i].DurationMS = elapsed
		}
	}
	return out
}

func (r *Report) finish() {
	r.Summary = Summary{}
	for _, c := range r.Checks {
		switch c.Status {
		case ui.StatusOK:
			r.Summary.OK++
		case ui.StatusWarn:
			r.Summary.Warn++
		case ui.StatusFail:
			r.Summary.Fail++
		case ui.StatusSkip:
			r.Summary.Skip++
		case ui.StatusTimeout:
			r.Summary.Timeout++
			r.Summary.Fail++
		}
	}
	r.OK = r.Summary.Fail == 0 && !r.TimedOut
}

func selected(opt Options) []Check {
	all := append(Checks(), opt.Extra...)
	if len(opt.Only) == 0 {
		return all
	}
	want := map[string]bool{}
	for _, id := range opt.Only {
		want[id] = true
	}
	var out []Check
	for _, c := range all {
		if want[c.ID] {
			out = append(out, c)
		}
	}
	return out
}

// UnknownChecks returns the ids in ids that name no check.
func UnknownChecks(ids []string) []string {
	known := map[string]bool{}
	for _, c := range Checks() {
		known[c.ID] = true
	}
	var out []string
	for _, id := range ids {
		if !known[id] {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// load reads every config doctor looks at and audits it.
func (st *state) load() {
	force := ""
	if len(st.opt.Clients) == 1 {
		force = st.opt.Clients[0]
	}
	wanted := func(client string) bool {
		if len(st.opt.Clients) == 0 {
			return true
		}
		for _, c := range st.opt.Clients {
			if c == client {
				return true
			}
		}
		return false
	}
	var cands []configfix.Candidate
	if len(st.opt.Configs) == 0 {
		cands = configfix.Candidates(st.opt.Env)
	}
	for _, dir := range st.opt.Projects {
		cands = append(cands, configfix.ProjectCandidates(dir)...)
	}
	for _, p := range st.opt.Configs {
		var c *configfix.Config
		if raw, ok := st.opt.Contents[p]; ok {
			c = configfix.LoadBytes(p, force, raw)
		} else {
			c = configfix.Load(p, force)
		}
		c.Given = true
		st.configs = append(st.configs, c)
	}
	for _, cand := range cands {
		if !wanted(cand.Client) {
			continue
		}
		c := configfix.Load(cand.Path, cand.Client)
		c.Where, c.Project = cand.Where, cand.Project
		st.configs = append(st.configs, c)
	}
	for _, c := range st.configs {
		if c.Root != nil {
			st.audits[c] = c.Audit(st.now)
		}
	}
}

func (st *state) configReports() []ConfigReport {
	out := []ConfigReport{}
	for _, c := range st.configs {
		r := ConfigReport{Client: c.Client, Path: c.Path, Target: c.Target, Where: c.Where,
			Given: c.Given, Project: c.Project, Exists: c.Exists, Parse: "missing"}
		switch {
		case !c.Exists:
		case c.ReadErr != nil:
			r.Parse = "error"
			r.Error = &ParseError{Kind: "read", Message: c.ReadErr.Error()}
		case !c.ParseOK():
			r.Parse = "error"
			r.Error = parseError(c.Strict)
		default:
			r.Parse = "ok"
		}
		out = append(out, r)
	}
	return out
}

// launchable returns the configs whose servers doctor may start: not a
// project's, unless the user asked for that.
func (st *state) launchable() []*configfix.Config {
	var out []*configfix.Config
	for _, c := range st.existing() {
		if !c.Project || st.opt.ProbeProject {
			out = append(out, c)
		}
	}
	return out
}

// existing returns the configs that exist and could be read.
func (st *state) existing() []*configfix.Config {
	var out []*configfix.Config
	for _, c := range st.configs {
		if c.Exists && c.ReadErr == nil {
			out = append(out, c)
		}
	}
	return out
}

func self() string {
	p, err := os.Executable()
	if err != nil {
		return "auth0mcp"
	}
	return p
}
