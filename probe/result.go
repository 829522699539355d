package probe

import "time"

// Phase names, in the order the probe runs them.
const (
	PhaseSpawn       = "spawn"
	PhaseInitialize  = "initialize"
	PhaseInitialized = "initialized"
	PhaseToolsList   = "tools/list"
	PhasePing        = "ping"
	PhaseShutdown    = "shutdown"
)

// Phase statuses.
const (
	StatusOK      = "ok"
	StatusFail    = "fail"
	StatusTimeout = "timeout"
	StatusSkip    = "skip"
)

// How the server's process ended (Exit.EndedBy).
const (
	EndedByExited  = "exited"  // it exited by itself before we closed its stdin
	EndedByEOF     = "eof"     // it exited after we closed its stdin
	EndedBySIGTERM = "sigterm" // it needed SIGTERM to the group
	EndedBySIGKILL = "sigkill" // it needed SIGKILL to the group
)

// Result is what a probe found. Its JSON form is the stable output of
// "auth0mcp probe --json"; new fields may be added, none removed.
type Result struct {
	Version         int         `json:"version"`
	OK              bool        `json:"ok"`
	Target          Target      `json:"target"`
	ProtocolVersion string      `json:"protocol_version"`
	ServerInfo      *ServerInfo `json:"server_info"` // null when initialize got no usable answer
	Tools           int         `json:"tools"`
	ToolNames       []string    `json:"tool_names"`
	Phases          []Phase     `json:"phases"`
	Diagnoses       []Diagnosis `json:"diagnoses"`
	Exit            *Exit       `json:"exit"` // null when the server never started
	StderrTail      string      `json:"stderr_tail"`
	DurationMS      int64       `json:"duration_ms"`

	// TimedOut is set when the deadline ended the probe before the
	// handshake and tools/list were done.
	TimedOut bool `json:"-"`
	// Interrupted is set when the caller's context was cancelled.
	Interrupted bool `json:"-"`
	// PID is the server's process ID, which is also its process group ID
	// on Unix; 0 when it never started.
	PID int `json:"-"`
	// PATH is the PATH value the command was resolved against.
	PATH string `json:"-"`
}

// Target names what was probed.
type Target struct {
	Server  string   `json:"server"`
	Command string   `json:"command"`
	Args    []string `json:"args"`
}

// ServerInfo is the serverInfo of the initialize answer.
type ServerInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Phase is one step of the probe and how long it took.
type Phase struct {
	Name       string `json:"name"`
	Status     string `json:"status"`
	DurationMS int64  `json:"duration_ms"`
}

// Diagnosis is one finding: what went wrong (or is worth knowing) and
// what to do about it.
type Diagnosis struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Detail   string `json:"detail"`
	Fix      string `json:"fix"`
}

// Exit describes how the server's process ended.
type Exit struct {
	Code    int    `json:"code"`   // -1 when a signal ended it
	Signal  string `json:"signal"` // e.g. "SIGTERM", empty when it exited
	EndedBy string `json:"ended_by"`
}

// ExitCode maps the result to the command's exit status: 0 when the
// handshake and tools/list succeeded with no failing diagnosis, 124 when
// the deadline ended the probe, 130 when it was interrupted, 1 otherwise.
func (r *Result) ExitCode() int {
	switch {
	case r.Interrupted:
		return 130
	case r.TimedOut:
		return 124
	case r.OK:
		return 0
	}
	return 1
}

// Has reports whether the result holds a diagnosis with the given code.
func (r *Result) Has(code string) bool {
	return r.Diagnosis(code) != nil
}

// Diagnosis returns the first diagnosis with the given code, or nil.
func (r *Result) Diagnosis(code string) *Diagnosis {
	for i := range r.Diagnoses {
		if r.Diagnoses[i].Code == code {
			return &r.Diagnoses[i]
		}
	}
	return nil
}

// Phase returns the phase with the given name; its Status is empty when
// there is none.
func (r *Result) Phase(name string) Phase {
	for _, p := range r.Phases {
		if p.Name == name {
			return p
		}
	}
	return Phase{Name: name}
}

func (r *Result) add(code, severity, detail, fix string) {
	r.Diagnoses = append(r.Diagnoses, Diagnosis{code, severity, detail, fix})
}

func (r *Result) setPhase(name, status string, d time.Duration) {
	for i := range r.Phases {
		if r.Phases[i].Name == name {
			r.Phases[i].Status = status
			r.Phases[i].DurationMS = d.Milliseconds()
			return
		}
	}
}

func newResult(opt Options) *Result {
	args := RedactArgs(opt.Args, opt.Redact)
	r := &Result{
		Version:   1,
		Target:    Target{Server: opt.Server, Command: opt.Redact(opt.Command), Args: args},
		ToolNames: []string{},
		Diagnoses: []Diagnosis{},
	}
	for _, name := range []string{PhaseSpawn, PhaseInitialize, PhaseInitialized,
		PhaseToolsList, PhasePing, PhaseShutdown} {
		r.Phases = append(r.Phases, Phase{Name: name, Status: StatusSkip})
	}
	return r
}
