// Package exitcode holds the exit codes every auth0mcp command shares, and
// an error type that carries one.
package exitcode

import (
	"errors"
	"fmt"
)

// The exit codes. They are documented in `auth0mcp help exit-codes`.
const (
	OK          = 0   // success; for doctor: no check failed
	Failed      = 1   // a problem was found, or the command failed
	Usage       = 2   // the command line was wrong
	NoToken     = 4   // no valid token could be had
	Timeout     = 124 // a deadline ended the command
	Interrupted = 130 // Ctrl-C or SIGINT
)

// Error is an error that decides the exit code. A nil Err means the
// command has already said everything it had to say.
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Silent returns an error that only sets the exit code.
func Silent(code int) error { return &Error{Code: code} }

// Wrap returns err with an exit code.
func Wrap(code int, err error) error { return &Error{Code: code, Err: err} }

// Of returns the exit code err asks for: 0 for nil, Failed for an error
// that names none.
func Of(err error) int {
	if err == nil {
		return OK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Failed
}
