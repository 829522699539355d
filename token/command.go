package token

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/proc"
)

const (
	maxCommandStdout = 64 << 10
	stderrTailBytes  = 400
)

// CommandSource runs the user's own token command (AUTH0MCP_TOKEN_COMMAND)
// with sh -c: stdin from the null device, in a process group of its own
// that is killed, children included, at the deadline. A child that calls
// setsid leaves the group and is not reached. Its trimmed stdout is
// the token. The command gets nothing secret in its argv; when a domain is
// asked for, it is passed in the environment as AUTH0_DOMAIN, and the
// token is then taken to be for that tenant unless the JWT says otherwise.
type CommandSource struct {
	// Command is the shell command; empty means AUTH0MCP_TOKEN_COMMAND.
	Command string
	// Getenv replaces os.Getenv, for tests.
	Getenv func(string) string
	// Env replaces os.Environ() as the command's base environment.
	Env      []string
	Deadline time.Duration
	Now      func() time.Time
}

func (s *CommandSource) Name() string           { return MethodCommand }
func (s *CommandSource) Timeout() time.Duration { return s.Deadline }

// tailBuffer keeps the last bytes written to it.
type tailBuffer struct {
	buf     []byte
	max     int
	dropped bool // older bytes were dropped
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
		t.dropped = true
	}
	return len(p), nil
}

// errTooMuchOutput stops the copy of a command's stdout at the cap.
var errTooMuchOutput = errors.New("more output than the cap")

// capWriter keeps the first max bytes written to it and fails the write
// that would pass them, which ends the copy and closes the pipe, so a
// command printing without end gets SIGPIPE instead of running to the
// deadline. It has no ReadFrom method on purpose: io.Copy would use it and
// bypass the cap, as it does with an embedded bytes.Buffer.
type capWriter struct {
	buf      []byte
	max      int
	overflow bool
}

func (c *capWriter) Write(p []byte) (int, error) {
	if room := c.max - len(c.buf); len(p) > room {
		c.buf = append(c.buf, p[:max(room, 0)]...)
		c.overflow = true
		return max(room, 0), errTooMuchOutput
	}
	c.buf = append(c.buf, p...)
	return len(p), nil
}

func (s *CommandSource) Fetch(ctx context.Context, q Query) (Token, error) {
	command := s.Command
	if command == "" {
		command = getenvOr(s.Getenv)(EnvTokenCommand)
	}
	if strings.TrimSpace(command) == "" {
		return Token{}, outcome(MethodCommand, StatusMissing,
			"no token command is set ("+EnvTokenCommand+" or --token-command)", nil)
	}

	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	env := s.Env
	if env == nil {
		env = os.Environ()
	}
	if q.Domain != "" {
		env = setEnv(env, EnvDomain, NormalizeDomain(q.Domain))
	}
	cmd.Env = env
	proc.Prepare(cmd)
	stdout := &capWriter{max: maxCommandStdout}
	stderr := &tailBuffer{max: stderrTailBytes}
	cmd.Stdout, cmd.Stderr = stdout, stderr

	start := time.Now()
	err := cmd.Run()
	// A child that outlived the command (a background job holding the pipe)
	// goes with it.
	_ = proc.KillGroup(cmd)

	value := strings.TrimSpace(string(stdout.buf))
	// Whatever the command printed on stdout is hidden in its stderr, each
	// word on its own, since stdout may hold more than one.
	tail := strings.TrimSpace(string(stderr.buf))
	tail = scrubOutside(tail, append(strings.Fields(value), value)...)
	if stderr.dropped && tail != "" {
		tail = "…" + tail
	}
	if stdout.overflow {
		return Token{}, outcome(MethodCommand, StatusError, fmt.Sprintf(
			"the token command printed more than %d KiB on stdout; it must print only the token",
			maxCommandStdout>>10), nil)
	}
	if ctx.Err() != nil {
		return Token{}, outcome(MethodCommand, StatusTimeout, fmt.Sprintf(
			"the token command did not finish within %s and was killed with its children%s",
			time.Since(start).Round(10*time.Millisecond), tailNote(tail)), ctx.Err())
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return Token{}, outcome(MethodCommand, StatusError, fmt.Sprintf(
			"the token command failed (%s)%s", exitErr.ProcessState, tailNote(tail)), nil)
	}
	if err != nil && !errors.Is(err, exec.ErrWaitDelay) {
		return Token{}, outcome(MethodCommand, StatusError, "cannot run the token command", err)
	}
	if value == "" {
		return Token{}, outcome(MethodCommand, StatusMissing,
			"the token command printed nothing on stdout"+tailNote(tail), nil)
	}
	if strings.ContainsAny(value, " \t\r\n") {
		return Token{}, outcome(MethodCommand, StatusError,
			"the token command printed more than one token on stdout; it must print only the token",
			nil)
	}

	tok := Token{value: value, Source: MethodCommand, Domain: q.Domain, Origin: "sh -c"}
	return judge(tok, q, nowOr(s.Now))
}

func tailNote(tail string) string {
	if tail == "" {
		return ""
	}
	return "; its stderr ended with: " + strings.ReplaceAll(tail, "\n", " | ")
}

// setEnv returns env with key set to value, replacing every earlier entry.
func setEnv(env []string, key, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != key {
			out = append(out, kv)
		}
	}
	return append(out, key+"="+value)
}
