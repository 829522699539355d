//go:build windows

package proc

import "os/exec"

// TODO: Windows has no process groups that a signal reaches; a Job Object
// with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE is the faithful equivalent. Until
// then only the direct child is killed, and a grandchild (npx starting node)
// can outlive it.
func setGroup(cmd *exec.Cmd) {}

// Terminate kills the direct child: Windows has no SIGTERM.
func Terminate(cmd *exec.Cmd) error { return KillGroup(cmd) }

// KillGroup kills the direct child (see the TODO on setGroup).
func KillGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return cmd.Process.Kill()
}

// GroupAlive reports whether the direct child is still running; Windows
// offers no cheap group test without a Job Object.
func GroupAlive(cmd *exec.Cmd) bool {
	return cmd.ProcessState == nil && cmd.Process != nil
}

// GroupRunning is GroupAlive on Windows, where an exited process leaves no
// zombie behind.
func GroupRunning(cmd *exec.Cmd) bool { return GroupAlive(cmd) }
