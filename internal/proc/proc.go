// Package proc starts child processes the way auth0mcp needs them: in a
// process group of their own, with stdin from the null device unless the
// caller wires it, and with a way to signal the whole group so that no
// grandchild outlives the command that started it.
package proc

import (
	"os/exec"
	"time"
)

// DefaultWaitDelay bounds how long Wait keeps copying output after the
// child has exited, for the case where a grandchild still holds the pipe.
const DefaultWaitDelay = 300 * time.Millisecond

// Prepare puts cmd into a new process group, makes context cancellation
// kill that whole group rather than only the direct child, and sets
// WaitDelay when the caller left it zero. Call it before cmd.Start.
// Stdin stays as the caller set it: a nil Stdin reads from the null device.
func Prepare(cmd *exec.Cmd) {
	setGroup(cmd)
	cmd.Cancel = func() error { return KillGroup(cmd) }
	if cmd.WaitDelay == 0 {
		cmd.WaitDelay = DefaultWaitDelay
	}
}
