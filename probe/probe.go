// Package probe starts an MCP server over stdio the way a desktop client
// does, performs the handshake (initialize, notifications/initialized,
// tools/list, ping) under a hard deadline, and explains every way that
// fails as a list of diagnoses. It cleans up after itself: the server's
// whole process group is gone before Run returns. A process that left the
// group (setsid) cannot be reached that way; it is diagnosed as
// escaped-processes when it still holds the server's output.
package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/proc"
)

// Defaults for Options fields left zero.
const (
	DefaultTimeout         = 10 * time.Second
	DefaultProtocolVersion = "2025-11-25"
	DefaultMaxLine         = 8 << 20
	DefaultStderrTail      = 64 << 10
	DefaultSlowStart       = 3 * time.Second
)

// The shutdown sequence: close stdin, wait, SIGTERM the group, wait,
// SIGKILL the group.
const (
	eofWait  = time.Second
	termWait = time.Second
	// exitGrace is how long stdout is still read after the server exited,
	// for an answer written just before the exit.
	exitGrace = 200 * time.Millisecond
	// pingWait bounds the ping, whose failure is only a warning.
	pingWait = 2 * time.Second
	// eofExitWait is how long a server that closed its stdout gets to exit.
	eofExitWait = time.Second
	// escapeGrace is how long stdout and stderr may stay open after the
	// server's group is gone before a process outside it is blamed.
	escapeGrace = 200 * time.Millisecond
	// minEOFWait is the least wait after closing stdin that can tell a
	// server ignoring the end of its input from one given no time.
	minEOFWait = 100 * time.Millisecond
)

// Bounds on what the probe takes from a server.
const (
	// sendQueue is how many lines may wait to be written to the server's
	// stdin; a server that reads nothing while it writes fills it, and
	// what does not fit is dropped.
	sendQueue = 256
	// maxToolPages and maxTools end a tools/list that hands out new
	// cursors without end.
	maxToolPages = 1000
	// upcomingIDs is how many ids past the last one sent a response may
	// name and still be taken as an answer to a request not sent yet,
	// rather than an answer with a wrong id.
	upcomingIDs = 3
	maxTools    = 100_000
)

// knownVersions are the MCP protocol revisions clients speak.
var knownVersions = []string{"2024-10-07", "2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"}

// Options say what to start and how to judge it.
type Options struct {
	Command string
	Args    []string
	// Env is the complete environment of the server; nil means ours.
	// BaseEnv builds what a desktop client would pass.
	Env []string
	Dir string
	// Timeout bounds the whole probe, shutdown included.
	Timeout         time.Duration
	ProtocolVersion string
	// Redact is applied to every text taken from the server's output, and
	// to the command and arguments, before it is stored in the Result.
	// A secret cut in two may escape it, so it is applied to whole lines
	// (up to 4 KiB) before they are shortened.
	Redact func(string) string
	// Server is the entry's name, for the report.
	Server string
	// MaxLine caps one stdout line in memory; a longer line is diagnosed
	// and discarded.
	MaxLine int
	// StderrTail is the size of the ring that keeps the end of stderr.
	StderrTail int
	// SlowStart is the initialize answer time past which slow-start warns.
	SlowStart time.Duration
	// ClientVersion goes into clientInfo; default "dev".
	ClientVersion string
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ProtocolVersion == "" {
		o.ProtocolVersion = DefaultProtocolVersion
	}
	if o.Redact == nil {
		o.Redact = func(s string) string { return s }
	}
	if o.MaxLine <= 0 {
		o.MaxLine = DefaultMaxLine
	}
	if o.StderrTail <= 0 {
		o.StderrTail = DefaultStderrTail
	}
	if o.SlowStart <= 0 {
		o.SlowStart = DefaultSlowStart
	}
	if o.ClientVersion == "" {
		o.ClientVersion = "dev"
	}
	if o.Env == nil {
		o.Env = os.Environ()
	}
	return o
}

// Run probes the server described by opt. It returns within opt.Timeout
// plus a few milliseconds, or sooner when ctx is cancelled, and never
// leaves a process of the server's group behind on Unix.
// TODO: on Windows only the direct child is stopped (see internal/proc);
// a server started through npx.cmd can leave node running there.
func Run(ctx context.Context, opt Options) *Result {
	opt = opt.withDefaults()
	p := &prober{opt: opt, r: newResult(opt), start: time.Now(),
		outside: maskOutside(opt.Redact), sentAt: map[int]time.Time{}, answeredIDs: map[int]bool{}}
	p.hard = p.start.Add(opt.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(p.hard) {
		p.hard = d
	}
	reserve := min(eofWait+termWait+300*time.Millisecond, p.hard.Sub(p.start)/2)
	p.handshakeEnd = p.hard.Add(-reserve)

	if p.spawn(ctx) {
		p.handshake(ctx)
		p.shutdown()
		p.collect()
	}
	p.finish()
	return p.r
}

type prober struct {
	opt          Options
	r            *Result
	start        time.Time
	hard         time.Time // the probe returns by then
	handshakeEnd time.Time // requests stop by then, leaving time to shut down

	cmd        *exec.Cmd
	stdin      *os.File
	own        chan []byte   // our requests and notifications, for the stdin writer
	replies    chan []byte   // our answers to the server's requests
	stopWriter chan struct{} // closed to stop the stdin writer
	writerDone chan struct{}
	dropped    int // answers that did not fit in the queue
	outside    func(string) string
	stdoutR    *os.File
	stderrR    *os.File
	lines      chan stdoutLine
	done       chan struct{} // closed to stop the stdout reader
	readers    sync.WaitGroup
	stderrDone chan struct{}
	exited     chan struct{} // closed when Wait returned
	stderr     *ring

	exitSeen    bool
	exitAt      time.Time
	stdoutEOF   bool
	stdoutEOFAt time.Time
	nextID      int
	sentAt      map[int]time.Time // when each request was queued
	answeredIDs map[int]bool
	duplicates  int
	premature   []string // ids answered before their request was sent
	initialized bool     // notifications/initialized was sent
	answered    bool     // initialize was answered
	interrupted bool

	multi      [][]byte // lines of a message spread over several lines
	multiSize  int
	notJSON    int
	firstBad   string
	badIsJSON  bool
	earlyNotes []string
	unsolicit  []string
	earlyExit  string // phase during which the server exited by itself
}

// spawn resolves the command against the server's PATH and starts it in
// its own process group. It reports whether the server is running.
func (p *prober) spawn(ctx context.Context) bool {
	t0 := time.Now()
	if ctx.Err() != nil {
		p.interrupt(ctx, PhaseSpawn, t0)
		return false
	}

	pathValue, _ := envValue(p.opt.Env, "PATH")
	p.r.PATH = pathValue
	name := p.opt.Command
	if p.opt.Dir != "" && strings.ContainsRune(name, filepath.Separator) && !filepath.IsAbs(name) {
		name = filepath.Join(p.opt.Dir, name)
	}
	resolved, elsewhere, err := LookPath(name, pathValue)
	if err != nil {
		p.r.setPhase(PhaseSpawn, StatusFail, time.Since(t0))
		p.notFound(err, pathValue, elsewhere)
		return false
	}

	// The safety net: should anything below overrun, exec kills the group
	// at the hard deadline.
	if !time.Now().Before(p.hard) {
		p.r.setPhase(PhaseSpawn, StatusTimeout, time.Since(t0))
		p.r.TimedOut = true
		p.r.add(CodeNoResponse, SeverityFail,
			fmt.Sprintf("The deadline (%s) passed before the server could be started.", round(p.opt.Timeout)),
			"Give the probe more time (--timeout 10s, or 60s for a cold npx install).")
		return false
	}
	killCtx, cancel := context.WithDeadline(context.Background(), p.hard)
	cmd := exec.CommandContext(killCtx, resolved, p.opt.Args...)
	cmd.Args[0] = p.opt.Command
	cmd.Env = p.opt.Env
	cmd.Dir = p.opt.Dir
	proc.Prepare(cmd)

	pipes, err := newPipes()
	if err != nil {
		cancel()
		p.r.setPhase(PhaseSpawn, StatusFail, time.Since(t0))
		p.r.add(CodeSpawnFailed, SeverityFail, fmt.Sprintf("could not create pipes: %v", err),
			"Check the system's limit on open files (ulimit -n) and try again.")
		return false
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pipes[0], pipes[3], pipes[5]
	err = cmd.Start()
	// The child has its own copies now; ours would hide the end of output.
	pipes[0].Close()
	pipes[3].Close()
	pipes[5].Close()
	if err != nil {
		cancel()
		pipes[1].Close()
		pipes[2].Close()
		pipes[4].Close()
		if errors.Is(killCtx.Err(), context.DeadlineExceeded) {
			p.r.setPhase(PhaseSpawn, StatusTimeout, time.Since(t0))
			p.r.TimedOut = true
			p.r.add(CodeNoResponse, SeverityFail,
				fmt.Sprintf("The deadline (%s) passed while the server was being started.",
					round(p.opt.Timeout)),
				"Give the probe more time (--timeout 10s, or 60s for a cold npx install).")
			return false
		}
		p.r.setPhase(PhaseSpawn, StatusFail, time.Since(t0))
		detail, fix := startFailure(resolved, err)
		p.r.add(CodeSpawnFailed, SeverityFail, p.opt.Redact(detail), fix)
		return false
	}
	p.cmd, p.stdin, p.stdoutR, p.stderrR = cmd, pipes[1], pipes[2], pipes[4]
	p.r.PID = cmd.Process.Pid
	p.r.setPhase(PhaseSpawn, StatusOK, time.Since(t0))

	p.own = make(chan []byte, sendQueue)
	p.replies = make(chan []byte, sendQueue)
	p.stopWriter = make(chan struct{})
	p.writerDone = make(chan struct{})
	go p.writeStdin()

	p.stderr = newRing(p.opt.StderrTail)
	p.lines = make(chan stdoutLine, 16)
	p.done = make(chan struct{})
	p.exited = make(chan struct{})
	p.stderrDone = make(chan struct{})
	p.readers.Add(2)
	go func() {
		defer p.readers.Done()
		readLines(p.stdoutR, p.opt.MaxLine, p.lines, p.done)
	}()
	go func() {
		defer p.readers.Done()
		defer close(p.stderrDone)
		buf := make([]byte, 32<<10)
		for {
			n, err := p.stderrR.Read(buf)
			p.stderr.Write(buf[:n])
			if err != nil {
				p.stderr.flush()
				return
			}
		}
	}()
	go func() {
		defer cancel()
		cmd.Wait()
		close(p.exited)
	}()
	return true
}

// newPipes returns stdin (read, write), stdout (read, write) and stderr
// (read, write). The child gets *os.File ends, so exec starts no copying
// goroutines and Wait returns as soon as the child exits, even while a
// grandchild holds a pipe open.
func newPipes() ([6]*os.File, error) {
	var f [6]*os.File
	for i := 0; i < 6; i += 2 {
		r, w, err := os.Pipe()
		if err != nil {
			for _, g := range f[:i] {
				g.Close()
			}
			return f, err
		}
		f[i], f[i+1] = r, w
	}
	// stdin is (read: child, write: us); stdout and stderr the other way.
	return f, nil
}

func (p *prober) notFound(err error, pathValue string, elsewhere []string) {
	cmd := p.opt.Redact(p.opt.Command)
	if !errors.Is(err, ErrNotFound) {
		name := p.opt.Command
		if p.opt.Dir != "" && !filepath.IsAbs(name) {
			name = filepath.Join(p.opt.Dir, name)
		}
		fi, serr := os.Stat(name)
		switch {
		case serr == nil && fi.IsDir():
			p.r.add(CodeCommandNotFound, SeverityFail, fmt.Sprintf("%s is a directory, not a program.", cmd),
				"Put the path of the program itself in \"command\".")
		case serr == nil:
			p.r.add(CodeCommandNotFound, SeverityFail, fmt.Sprintf("%s exists but is not executable.", cmd),
				fmt.Sprintf("Make it executable (chmod +x %s), or start it through its interpreter "+
					"(\"command\": \"node\", \"args\": [the file]).", cmd))
		default:
			p.r.add(CodeCommandNotFound, SeverityFail, fmt.Sprintf("%s does not exist.", cmd),
				"Correct the path in \"command\", or use the bare command name if it is on PATH.")
		}
		return
	}
	detail := fmt.Sprintf("%q is not on the server's PATH (%s).", cmd, pathValue)
	if pathValue == "" {
		detail = fmt.Sprintf("%q cannot be found: the server's environment has no PATH.", cmd)
	}
	fix := "Install it, or put its absolute path in \"command\"."
	if p.opt.Command == "npx" || p.opt.Command == "node" {
		fix = "Install Node.js (https://nodejs.org), or put its absolute path in \"command\"."
	}
	if len(elsewhere) > 0 {
		detail += " It exists at " + strings.Join(elsewhere, ", ") + "."
		newPath := filepath.Dir(elsewhere[0]) + string(filepath.ListSeparator) + pathValue
		if pathValue == "" {
			newPath = filepath.Dir(elsewhere[0])
		}
		fix = fmt.Sprintf("Add \"PATH\": %q to the entry's \"env\" (an absolute \"command\" "+
			"alone is not enough for npx, which finds node through PATH).", newPath)
	}
	p.r.add(CodeCommandNotFound, SeverityFail, detail, fix)
}

// handshake runs initialize, notifications/initialized, tools/list and
// ping, stopping at the first failure.
func (p *prober) handshake(ctx context.Context) {
	params := map[string]any{
		"protocolVersion": p.opt.ProtocolVersion,
		"capabilities":    map[string]any{},
		"clientInfo":      map[string]any{"name": "auth0mcp", "version": p.opt.ClientVersion},
	}
	t0 := time.Now()
	res, ok := p.call(ctx, PhaseInitialize, "initialize", params, p.handshakeEnd, SeverityFail)
	if !ok {
		return
	}
	p.answered = true
	if took := time.Since(p.start); took > p.opt.SlowStart {
		p.r.add(CodeSlowStart, SeverityWarn,
			fmt.Sprintf("The server answered initialize %s after it was started.", round(took)),
			"A cold \"npx -y\" download is the usual cause; pin the package version and install it "+
				"once, or run it with node directly. Clients wait about 60 s.")
	}
	hasTools, ok := p.checkInitialize(res)
	if !ok {
		p.r.setPhase(PhaseInitialize, StatusFail, time.Since(t0))
		return
	}

	t0 = time.Now()
	p.send(notification("notifications/initialized"))
	p.initialized = true
	p.r.setPhase(PhaseInitialized, StatusOK, time.Since(t0))

	if hasTools && !p.listTools(ctx) {
		return
	}

	pingEnd := time.Now().Add(pingWait)
	if pingEnd.After(p.handshakeEnd) {
		pingEnd = p.handshakeEnd
	}
	p.call(ctx, PhasePing, "ping", nil, pingEnd, SeverityWarn)
}

// checkInitialize reads the initialize result into the Result and judges
// the protocol version.
func (p *prober) checkInitialize(res json.RawMessage) (hasTools, ok bool) {
	var ir struct {
		ProtocolVersion *string                    `json:"protocolVersion"`
		Capabilities    map[string]json.RawMessage `json:"capabilities"`
		ServerInfo      *ServerInfo                `json:"serverInfo"`
	}
	if err := json.Unmarshal(res, &ir); err != nil {
		p.r.add(CodeBadResponse, SeverityFail, "The initialize result is not an object with "+
			"protocolVersion, capabilities and serverInfo: "+excerpt(p.outside, res, 200),
			"Report it to the server's maintainers; clients reject this answer.")
		return false, false
	}
	var missing []string
	if ir.ProtocolVersion == nil {
		missing = append(missing, "protocolVersion")
	}
	if ir.Capabilities == nil {
		missing = append(missing, "capabilities")
	}
	if ir.ServerInfo == nil {
		missing = append(missing, "serverInfo")
	} else {
		p.r.ServerInfo = &ServerInfo{
			Name:    p.opt.Redact(ir.ServerInfo.Name),
			Version: p.opt.Redact(ir.ServerInfo.Version),
		}
	}
	if len(missing) > 0 {
		p.r.add(CodeBadResponse, SeverityFail,
			"The initialize result lacks "+strings.Join(missing, ", ")+".",
			"Report it to the server's maintainers; clients reject this answer.")
		return false, false
	}

	got := *ir.ProtocolVersion
	p.r.ProtocolVersion = p.opt.Redact(got)
	switch {
	case got == p.opt.ProtocolVersion:
	case contains(knownVersions, got):
		p.r.add(CodeProtocolMismatch, SeverityInfo,
			fmt.Sprintf("Asked for protocol %s; the server chose %s, which clients also speak.",
				p.opt.ProtocolVersion, got),
			"Nothing to do; a newer server version may support the newer protocol.")
	default:
		p.r.add(CodeProtocolMismatch, SeverityFail,
			fmt.Sprintf("Asked for protocol %s; the server chose %q, which no client knows (known: %s).",
				p.opt.ProtocolVersion, p.r.ProtocolVersion, strings.Join(knownVersions, ", ")),
			"Clients disconnect from this server; update it, or report it to its maintainers.")
		return false, false
	}

	if _, ok := ir.Capabilities["tools"]; !ok {
		p.r.add(CodeNoToolsCapability, SeverityWarn,
			"The server does not declare the tools capability; clients will not list its tools.",
			"Check the server's arguments (for the Auth0 server, --tools) and its version.")
		return false, true
	}
	return true, true
}

// listTools follows nextCursor to the end of the tool list.
func (p *prober) listTools(ctx context.Context) bool {
	t0 := time.Now()
	var cursor string
	seen := map[string]bool{}
	for page := 1; ; page++ {
		params := map[string]any{}
		if cursor != "" {
			params["cursor"] = cursor
		}
		res, ok := p.call(ctx, PhaseToolsList, "tools/list", params, p.handshakeEnd, SeverityFail)
		if !ok {
			return false
		}
		var tl struct {
			Tools []struct {
				Name string `json:"name"`
			} `json:"tools"`
			NextCursor *string `json:"nextCursor"`
		}
		if err := json.Unmarshal(res, &tl); err != nil || tl.Tools == nil {
			p.r.setPhase(PhaseToolsList, StatusFail, time.Since(t0))
			p.r.add(CodeBadResponse, SeverityFail,
				"The tools/list result has no \"tools\" array: "+excerpt(p.outside, res, 200),
				"Report it to the server's maintainers; clients show no tools for it.")
			return false
		}
		for _, t := range tl.Tools {
			p.r.ToolNames = append(p.r.ToolNames, p.opt.Redact(t.Name))
		}
		p.r.Tools = len(p.r.ToolNames)
		if tl.NextCursor == nil || *tl.NextCursor == "" {
			break
		}
		cursor = *tl.NextCursor
		if seen[cursor] {
			p.r.setPhase(PhaseToolsList, StatusFail, time.Since(t0))
			p.r.add(CodeBadResponse, SeverityFail,
				"tools/list returned a nextCursor it had returned before; the list never ends.",
				"Report it to the server's maintainers.")
			return false
		}
		seen[cursor] = true
		if page >= maxToolPages || p.r.Tools >= maxTools {
			p.r.setPhase(PhaseToolsList, StatusFail, time.Since(t0))
			p.r.add(CodeBadResponse, SeverityFail,
				fmt.Sprintf("tools/list was still handing out new cursors after %d pages and %d tools; "+
					"the probe stopped there.", page, p.r.Tools),
				"A client would keep asking; report it to the server's maintainers.")
			return false
		}
	}
	p.r.setPhase(PhaseToolsList, StatusOK, time.Since(t0))
	return true
}

// call sends one request and waits until deadline for its answer, handling
// everything else the server writes meanwhile. Failures are diagnosed with
// severity sev (warn for ping) and end the phase.
func (p *prober) call(ctx context.Context, phase, method string, params map[string]any,
	deadline time.Time, sev string) (json.RawMessage, bool) {
	id := p.nextID
	p.nextID++
	t0 := time.Now()
	if phase == PhaseToolsList {
		// All pages of tools/list count as one phase.
		t0 = t0.Add(-time.Duration(p.r.Phase(phase).DurationMS) * time.Millisecond)
	}
	p.sentAt[id] = time.Now()
	if params == nil {
		p.send(request(id, method, nil))
	} else {
		p.send(request(id, method, params))
	}

	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	var grace <-chan time.Time
	graceOver := false
	for {
		if p.exitSeen && (p.stdoutEOF || graceOver) {
			p.r.setPhase(phase, StatusFail, time.Since(t0))
			p.earlyExit = phase
			return nil, false
		}
		if p.stdoutEOF && !p.exitSeen && time.Since(p.stdoutEOFAt) > eofExitWait {
			p.r.setPhase(phase, StatusFail, time.Since(t0))
			p.r.add(CodeNoResponse, sev,
				fmt.Sprintf("The server closed its stdout without answering %s (phase %s) and kept running.",
					method, phase),
				"Check the server's stderr below; it must keep stdout open until its stdin closes.")
			return nil, false
		}
		lines := p.lines
		if p.stdoutEOF {
			lines = nil
		}
		exited := p.exited
		if p.exitSeen {
			exited = nil
		}
		var eofTick <-chan time.Time
		if p.stdoutEOF && !p.exitSeen {
			eofTick = time.After(eofExitWait - time.Since(p.stdoutEOFAt) + time.Millisecond)
		}

		select {
		case l := <-lines:
			res, verdict := p.handleLine(l, phase, id, sev)
			switch verdict {
			case lineAnswer:
				p.r.setPhase(phase, StatusOK, time.Since(t0))
				return res, true
			case lineFatal:
				p.r.setPhase(phase, StatusFail, time.Since(t0))
				return nil, false
			}
		case <-exited:
			p.exitSeen = true
			p.exitAt = time.Now()
			grace = time.After(exitGrace)
		case <-grace:
			graceOver = true
		case <-eofTick:
		case <-timer.C:
			p.r.setPhase(phase, StatusTimeout, time.Since(t0))
			p.noResponse(phase, method, deadline, sev)
			return nil, false
		case <-ctx.Done():
			p.interrupt(ctx, phase, t0)
			return nil, false
		}
	}
}

func (p *prober) interrupt(ctx context.Context, phase string, t0 time.Time) {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		p.r.setPhase(phase, StatusTimeout, time.Since(t0))
		p.r.TimedOut = true
		p.r.add(CodeNoResponse, SeverityFail,
			fmt.Sprintf("The caller's deadline passed during %s.", phase),
			"Give the probe more time (--timeout 60s for a cold npx install).")
		return
	}
	p.r.setPhase(phase, StatusFail, time.Since(t0))
	p.interrupted = true
	p.r.Interrupted = true
	p.r.add(CodeInterrupted, SeverityFail, fmt.Sprintf("The probe was interrupted during %s.", phase),
		"Run it again and let it finish.")
}

func (p *prober) noResponse(phase, method string, deadline time.Time, sev string) {
	if sev == SeverityFail {
		p.r.TimedOut = true
	}
	detail := fmt.Sprintf("No answer to %s (phase %s) within %s.", method, phase,
		round(deadline.Sub(p.start)))
	fix := "Check the stderr tail. If the server downloads itself with npx, give it more time " +
		"(--timeout 60s); otherwise it may be waiting for input it never gets."
	if len(p.multi) > 0 {
		detail += fmt.Sprintf(" A JSON value began on stdout and was still unfinished after %d lines.",
			len(p.multi))
		fix = "The server must write each message on one line; desktop clients reject anything else."
	} else if p.notJSON > 0 {
		detail += " Its stdout held only lines that are not JSON-RPC messages (see stdout-not-json)."
	}
	p.r.add(CodeNoResponse, sev, detail, fix)
}

// Outcomes of one stdout line for the request being waited for.
const (
	lineOther  = iota // not the answer; keep waiting
	lineAnswer        // the answer, with a result
	lineFatal         // the phase failed (diagnosed)
)

func (p *prober) handleLine(l stdoutLine, phase string, id int, sev string) (json.RawMessage, int) {
	switch {
	case l.eof:
		p.stdoutEOF = true
		p.stdoutEOFAt = time.Now()
		return nil, lineOther
	case l.tooLong:
		p.r.add(CodeLineTooLong, SeverityFail,
			fmt.Sprintf("During %s a line on stdout passed %d bytes without a newline; it began: %s",
				phase, p.opt.MaxLine, excerpt(p.outside, l.text, 120)),
			"The server must write only single-line JSON-RPC messages to stdout. If its messages "+
				"really are this large, probe again with a larger line cap.")
		return nil, lineFatal
	}

	if len(p.multi) > 0 {
		return p.continueMulti(l.text, phase, sev)
	}
	kind, m := classify(l.text)
	switch kind {
	case kindIncomplete:
		p.multi = [][]byte{l.text}
		p.multiSize = len(l.text)
		return nil, lineOther
	case kindNotJSON, kindNotJSONRPC:
		if len(strings.TrimSpace(string(l.text))) > 0 {
			p.noteNotJSON(l.text, kind == kindNotJSONRPC)
		}
		return nil, lineOther
	case kindNotification:
		if !p.answered {
			p.earlyNotes = append(p.earlyNotes, m.Method)
		}
		return nil, lineOther
	case kindRequest:
		p.reply(reply(m))
		if m.Method != "ping" {
			when := "after initialization"
			if !p.initialized {
				when = "before notifications/initialized"
			}
			p.unsolicit = append(p.unsolicit, fmt.Sprintf("%s (%s)", p.opt.Redact(m.Method), when))
		}
		return nil, lineOther
	}
	return p.checkResponse(m, l.at, phase, id, sev)
}

func (p *prober) checkResponse(m *message, at time.Time, phase string, id int,
	sev string) (json.RawMessage, int) {
	const fix = "Report it to the server's maintainers; clients drop or reject this answer."
	// Answers to requests already answered, or not sent yet when the line
	// was read, are noted and ignored: the real answer may still come.
	if n, ok := intID(m.ID); ok && n < p.nextID {
		if p.answeredIDs[n] {
			p.duplicates++
			return nil, lineOther
		}
		if sent, ok := p.sentAt[n]; !ok || at.Before(sent) {
			p.premature = append(p.premature, strconv.Itoa(n))
			return nil, lineOther
		}
	} else if ok && n < p.nextID+upcomingIDs {
		// The id of a request we are about to send (tools/list, ping).
		p.premature = append(p.premature, strconv.Itoa(n))
		return nil, lineOther
	}
	switch {
	case !isID(m.ID, id):
		p.r.add(CodeBadResponse, sev,
			fmt.Sprintf("During %s the server answered id %s; the request had id %d.",
				phase, excerpt(p.outside, []byte(idString(m.ID)), 40), id), fix)
	case m.JSONRPC == nil || *m.JSONRPC != "2.0":
		p.r.add(CodeBadResponse, sev,
			fmt.Sprintf("The answer to %s lacks \"jsonrpc\": \"2.0\".", phase), fix)
	case m.Error != nil:
		p.r.add(CodeRPCError, sev,
			fmt.Sprintf("The server answered %s with error %d: %s", phase, m.Error.Code,
				excerpt(p.outside, []byte(m.Error.Message), 300)),
			"Read the error and the stderr tail; for the Auth0 server, check its arguments and credentials.")
	case m.Result == nil || string(m.Result) == "null":
		p.r.add(CodeBadResponse, sev, fmt.Sprintf("The answer to %s has no result.", phase), fix)
	default:
		p.answeredIDs[id] = true
		return m.Result, lineAnswer
	}
	p.answeredIDs[id] = true
	return nil, lineFatal
}

// continueMulti adds a line to a JSON value that began on an earlier line.
func (p *prober) continueMulti(text []byte, phase, sev string) (json.RawMessage, int) {
	p.multi = append(p.multi, text)
	p.multiSize += len(text) + 1
	joined := []byte(string(joinLines(p.multi)))
	kind, m := classify(joined)
	if kind == kindIncomplete && p.multiSize <= p.opt.MaxLine {
		return nil, lineOther
	}
	n := len(p.multi)
	first := p.multi[0]
	p.multi, p.multiSize = nil, 0
	switch kind {
	case kindResponse, kindRequest, kindNotification:
		what := "a message"
		if kind == kindResponse {
			what = "the answer to " + phase
		}
		p.r.add(CodeMultilineJSON, SeverityFail,
			fmt.Sprintf("The server wrote %s as pretty-printed JSON over %d lines; desktop clients "+
				"read one message per line and reject it.", what, n),
			"The server must serialize each message on a single line (JSON.stringify without "+
				"indentation); report it to its maintainers.")
		if m != nil && m.Method != "" {
			// A multi-line request or notification is also diagnosed, but the
			// answer may still come.
			return nil, lineOther
		}
		return nil, lineFatal
	}
	p.noteNotJSON(first, false)
	return nil, lineOther
}

func joinLines(lines [][]byte) []byte {
	var b []byte
	for i, l := range lines {
		if i > 0 {
			b = append(b, '\n')
		}
		b = append(b, l...)
	}
	return b
}

func (p *prober) noteNotJSON(text []byte, isJSON bool) {
	p.notJSON++
	if p.notJSON == 1 {
		p.firstBad = excerpt(p.outside, text, 200)
		p.badIsJSON = isJSON
	}
}

// send queues one of our own requests or notifications for the server's
// stdin. Neither it nor reply blocks: a server that writes without reading
// would otherwise leave us stuck writing while it is stuck writing to us.
// A server that exited or stopped reading shows up elsewhere, so write
// errors are not diagnosed.
func (p *prober) send(b []byte) {
	select {
	case p.own <- b:
	default:
		// The handshake sends a few lines at a time; the queue holds many.
	}
}

// reply queues our answer to a request of the server's. An answer that
// does not fit, because the server floods requests without reading, is
// dropped and counted.
func (p *prober) reply(b []byte) {
	select {
	case p.replies <- b:
	default:
		p.dropped++
	}
}

// writeStdin writes the queued lines to the server's stdin, our own before
// answers to the server's, until stopWriter closes; a write blocked on a
// full pipe ends when shutdown closes stdin.
func (p *prober) writeStdin() {
	defer close(p.writerDone)
	p.stdin.SetWriteDeadline(p.hard)
	for {
		var b []byte
		select {
		case b = <-p.own:
		default:
			select {
			case b = <-p.own:
			case b = <-p.replies:
			case <-p.stopWriter:
				return
			}
		}
		if _, err := p.stdin.Write(b); err != nil {
			return
		}
	}
}

// shutdown closes stdin, waits, SIGTERMs the group, waits, SIGKILLs the
// group, and records which step ended it.
func (p *prober) shutdown() {
	t0 := time.Now()
	select {
	case <-p.exited:
		if !p.exitSeen {
			p.exitSeen, p.exitAt = true, t0
		}
	default:
	}
	exitedBefore := p.exitSeen
	if exitedBefore && p.earlyExit == "" && !p.interrupted {
		p.earlyExit = "the probe, before its stdin was closed"
	}
	close(p.stopWriter)
	p.stdin.Close() // also ends a write blocked on a full pipe
	<-p.writerDone

	// Share what time is left between the two waits, keeping some for SIGKILL.
	left := time.Until(p.hard)
	left -= min(300*time.Millisecond, left/4)
	first := min(eofWait, max(left/2, 0))
	second := min(termWait, max(left-first, 0))
	if p.interrupted {
		first, second = min(first, 100*time.Millisecond), min(second, 500*time.Millisecond)
	}

	endedBy := EndedByEOF
	if exitedBefore {
		endedBy = EndedByExited
	}
	// Whether only processes the server left behind were running when it
	// had to be signalled: the server itself had exited.
	leftovers := false
	if !p.waitGone(first) {
		leftovers = p.exitSeen
		proc.Terminate(p.cmd)
		endedBy = EndedBySIGTERM
		if !p.waitGone(second) {
			leftovers = leftovers || p.exitSeen && proc.GroupRunning(p.cmd)
			proc.KillGroup(p.cmd)
			endedBy = EndedBySIGKILL
			// With no time left, claim only what is still true now.
			if !p.waitGone(time.Until(p.hard)) && proc.GroupRunning(p.cmd) {
				p.r.add(CodeProcessesLeftRunning, SeverityFail,
					fmt.Sprintf("Processes of group %d were still running after SIGKILL.", p.cmd.Process.Pid),
					fmt.Sprintf("Look at them with: ps -o pid,stat,cmd -g %d", p.cmd.Process.Pid))
			}
		}
	}

	status := StatusOK
	if endedBy == EndedBySIGTERM || endedBy == EndedBySIGKILL {
		status = StatusTimeout
		// A wait too short to tell (the handshake used the time up) proves
		// nothing about the server.
		if !p.interrupted && first >= minEOFWait {
			p.ignoresEOF(endedBy, first, second, leftovers)
		}
	}
	p.r.setPhase(PhaseShutdown, status, time.Since(t0))

	ex := &Exit{Code: -1, EndedBy: endedBy}
	if p.exitSeen {
		ps := p.cmd.ProcessState
		ex.Code = ps.ExitCode()
		ex.Signal = exitSignal(ps)
	}
	p.r.Exit = ex
}

// ignoresEOF diagnoses a server, or what it left behind, that needed a
// signal after its stdin closed.
func (p *prober) ignoresEOF(endedBy string, first, second time.Duration, leftovers bool) {
	how := "SIGTERM to its process group ended it."
	if endedBy == EndedBySIGKILL {
		how = fmt.Sprintf("It ignored SIGTERM for %s too; SIGKILL ended it.", round(second))
	}
	detail := fmt.Sprintf("The server was still running %s after its stdin closed. %s", round(first), how)
	fix := "Clients stop a server by closing its stdin and may not wait for it, so such a " +
		"server lingers after the client quits. It should exit when stdin ends; " +
		"report it to its maintainers."
	if leftovers {
		how = "SIGTERM to the process group ended them."
		if endedBy == EndedBySIGKILL {
			how = fmt.Sprintf("They ignored SIGTERM for %s too; SIGKILL ended them.", round(second))
		}
		detail = fmt.Sprintf("The server itself had exited, but processes it started (in its "+
			"process group) were still running %s after its stdin closed. %s", round(first), how)
		fix = "Clients do not kill what a server leaves behind, so these processes outlive it. " +
			"A server should stop its children before it exits; report it to its maintainers."
	}
	p.r.add(CodeIgnoresEOF, SeverityWarn, detail, fix)
}

// waitGone waits up to d for the direct child to exit and no process of
// its group to be left running, reading and dropping stdout meanwhile so
// that a server flushing output on its way out is not blocked.
func (p *prober) waitGone(d time.Duration) bool {
	end := time.Now().Add(d)
	for {
		if p.exitSeen && !proc.GroupRunning(p.cmd) {
			return true
		}
		left := time.Until(end)
		if left <= 0 {
			// One last look: the server may have exited meanwhile.
			if p.exitSeen {
				return false
			}
			select {
			case <-p.exited:
				p.exitSeen, p.exitAt = true, time.Now()
				return !proc.GroupRunning(p.cmd)
			default:
				return false
			}
		}
		var tick <-chan time.Time
		exited := p.exited
		if p.exitSeen {
			// Only grandchildren are left; poll for them.
			exited = nil
			tick = time.After(min(left, 10*time.Millisecond))
		} else {
			tick = time.After(left)
		}
		lines := p.lines
		if p.stdoutEOF {
			lines = nil
		}
		select {
		case <-exited:
			p.exitSeen, p.exitAt = true, time.Now()
		case l := <-lines:
			if l.eof {
				p.stdoutEOF = true
			}
		case <-tick:
		}
	}
}

// collect stops the readers and keeps what stderr said. The group is gone
// by now, so stdout and stderr end by themselves unless a process that
// left the group (setsid) still holds them; that is diagnosed, since
// signals to the group do not reach it.
func (p *prober) collect() {
	grace := max(min(escapeGrace, time.Until(p.hard)), 0)
	timer := time.NewTimer(grace)
	defer timer.Stop()
	stderrEnded := false
	for !(p.stdoutEOF && stderrEnded) {
		lines, stderrDone := p.lines, p.stderrDone
		if p.stdoutEOF {
			lines = nil
		}
		if stderrEnded {
			stderrDone = nil
		}
		select {
		case l := <-lines:
			p.stdoutEOF = p.stdoutEOF || l.eof
			continue
		case <-stderrDone:
			stderrEnded = true
			continue
		case <-timer.C:
		}
		break
	}
	held := !(p.stdoutEOF && stderrEnded)
	if held && grace >= escapeGrace/2 && !p.r.Has(CodeProcessesLeftRunning) && !proc.GroupRunning(p.cmd) {
		var what []string
		if !p.stdoutEOF {
			what = append(what, "stdout")
		}
		if !stderrEnded {
			what = append(what, "stderr")
		}
		p.r.add(CodeEscapedProcesses, SeverityWarn,
			fmt.Sprintf("After the server's process group was gone, its %s stayed open: a process "+
				"that left the group (setsid, a daemon) still holds it and may keep running. "+
				"Signals to the group do not reach it, so neither the probe nor a client stops it.",
				strings.Join(what, " and ")),
			"Find it with: ps -eo pid,pgid,sid,cmd | grep -v grep (look for the server's name), "+
				"and report to the server's maintainers that it leaves a daemon behind.")
	}

	close(p.done)
	p.stdoutR.Close()
	p.stderrR.Close()
	p.readers.Wait()
	p.r.StderrTail = p.outside(p.stderr.tail())
}

// finish adds the diagnoses that need the whole run, and decides ok.
func (p *prober) finish() {
	r := p.r
	if p.earlyExit != "" && r.Exit != nil {
		p.exitedEarly()
	}
	if p.notJSON > 0 {
		what := "is not JSON"
		if p.badIsJSON {
			what = "is JSON but not a JSON-RPC message"
		}
		detail := fmt.Sprintf("The server wrote %d line(s) to stdout that clients cannot read; "+
			"the first %s: %s", p.notJSON, what, p.firstBad)
		r.add(CodeStdoutNotJSON, SeverityWarn, detail,
			"Everything but JSON-RPC messages must go to stderr (console.error, not console.log); "+
				"clients log an error for each such line, and some drop the connection.")
	}
	if len(p.earlyNotes) > 0 {
		r.add(CodeEarlyNotification, SeverityInfo,
			fmt.Sprintf("Before answering initialize the server sent: %s.",
				p.opt.Redact(strings.Join(dedupe(p.earlyNotes), ", "))),
			"Nothing to do; clients accept these.")
	}
	if len(p.premature) > 0 {
		r.add(CodeBadResponse, SeverityFail,
			fmt.Sprintf("The server wrote an answer to a request not sent yet (id %s); it was ignored.",
				strings.Join(dedupe(p.premature), ", ")),
			"A server must answer only the requests it has read; report it to its maintainers.")
	}
	if p.duplicates > 0 {
		r.add(CodeBadResponse, SeverityWarn,
			fmt.Sprintf("The server sent a duplicate response %d time(s): an answer to a request "+
				"it had answered already; it was ignored.", p.duplicates),
			"Clients log an error for each one; report it to the server's maintainers.")
	}
	if p.dropped > 0 {
		r.add(CodeStdinNotRead, SeverityWarn,
			fmt.Sprintf("The server did not read its stdin while it sent requests; %d of our "+
				"messages did not fit in the %d-line queue and were dropped.", p.dropped, sendQueue),
			"A server must keep reading its stdin while it writes; one that floods requests "+
				"first can deadlock a client. Report it to its maintainers.")
	}
	for _, u := range dedupe(p.unsolicit) {
		r.add(CodeUnsolicitedRequest, SeverityWarn,
			fmt.Sprintf("The server sent the request %s, though we declared no client capabilities; "+
				"it was answered so the server is not stuck.", u),
			"Clients that lack the capability answer with an error; a server that depends on it "+
				"may not work there. Report it to the server's maintainers.")
	}

	r.OK = r.Phase(PhaseInitialize).Status == StatusOK && !r.TimedOut && !r.Interrupted
	for _, d := range r.Diagnoses {
		if d.Severity == SeverityFail {
			r.OK = false
		}
	}
	r.DurationMS = time.Since(p.start).Milliseconds()
}

// exitedEarly diagnoses a server that exited by itself, and explains
// why when its stderr tells.
func (p *prober) exitedEarly() {
	r := p.r
	ex := r.Exit
	how := fmt.Sprintf("with code %d", ex.Code)
	if ex.Signal != "" {
		how = "by " + ex.Signal
	}
	detail := fmt.Sprintf("The server exited %s %s after it was started, during %s.",
		how, round(p.exitAt.Sub(p.start)), p.earlyExit)
	if tail := lastLines(r.StderrTail, 3); tail != "" {
		detail += " Its stderr ends: " + excerpt(func(s string) string { return s }, []byte(tail), 400)
	} else {
		detail += " It wrote nothing to stderr."
	}
	r.add(CodeExitedEarly, SeverityFail, detail,
		"Run the same command in a terminal to see why, or read the stderr tail.")

	g := p.stderr
	if g.seen("No valid authorization token", "AUTH0_DOMAIN is required", "Invalid Auth0 configuration") {
		d := "The Auth0 server found no usable credentials"
		switch {
		case g.seen("AUTH0_DOMAIN is required"):
			d += ": AUTH0_TOKEN is set but AUTH0_DOMAIN is not."
		case g.seen("Invalid Auth0 configuration"):
			d += ": the stored token has expired or the domain is invalid."
		default:
			d += ": no token in the keychain or in AUTH0_TOKEN."
		}
		r.add(CodeAuthFailed, SeverityFail, d,
			"Run: npx @auth0/auth0-mcp-server init — then restart the client. Tokens last about "+
				"24 hours and are not refreshed.")
	}

	sev := SeverityFail
	switch {
	case g.seen("Failed to load keytar native addon", "libsecret-1.so"):
		r.add(CodeKeychainUnavailable, sev,
			"The server could not load its keychain library (keytar needs libsecret on Linux).",
			"Install libsecret: sudo apt-get install libsecret-1-0 (Debian, Ubuntu) or "+
				"sudo dnf install libsecret (Fedora).")
	case g.seen("Cannot autolaunch D-Bus", "org.freedesktop.secrets", "Error retrieving AUTH0_TOKEN from keychain"):
		r.add(CodeKeychainUnavailable, sev,
			"The server could not read the keychain: no D-Bus session or no Secret Service running.",
			"Run the client inside a desktop session with a keyring (gnome-keyring, KWallet), or "+
				"pass AUTH0_TOKEN and AUTH0_DOMAIN through a launcher that sets them.")
	case r.Has(CodeAuthFailed) && runtime.GOOS == "linux" && !hasVar(p.opt.Env, "DBUS_SESSION_BUS_ADDRESS") &&
		!hasVar(p.opt.Env, "AUTH0_TOKEN"):
		r.add(CodeKeychainUnavailable, SeverityWarn,
			"The server's environment has no DBUS_SESSION_BUS_ADDRESS, so it probably could not "+
				"reach the keychain at all; DEBUG=auth0-mcp in its env shows the real cause.",
			"Probe from inside the desktop session, or pass DBUS_SESSION_BUS_ADDRESS through.")
	}
	if g.seen("npx canceled due to missing packages") {
		r.add(CodeNpxCanceled, SeverityFail,
			"npx would have to install the package but may not ask, so it gave up.",
			"Add \"-y\" as the first argument to npx in the entry, or install the package once "+
				"with: npm install -g <package>.")
	}
}

func hasVar(env []string, name string) bool {
	v, ok := envValue(env, name)
	return ok && v != ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// round shortens a duration for a sentence: 1.2s, 350ms.
func round(d time.Duration) string {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}
