//go:build unix

package proc

import (
	"errors"
	"os/exec"
	"syscall"
)

func setGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

// SignalGroup sends sig to the process group of a started cmd. A group
// that is already gone is not an error.
func SignalGroup(cmd *exec.Cmd, sig syscall.Signal) error {
	if cmd.Process == nil {
		return nil
	}
	err := syscall.Kill(-cmd.Process.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// Terminate asks the whole group to stop (SIGTERM).
func Terminate(cmd *exec.Cmd) error { return SignalGroup(cmd, syscall.SIGTERM) }

// KillGroup kills the whole group (SIGKILL).
func KillGroup(cmd *exec.Cmd) error { return SignalGroup(cmd, syscall.SIGKILL) }

// GroupAlive reports whether any process of cmd's group still exists,
// counting zombies (exited processes their parent has not reaped yet).
func GroupAlive(cmd *exec.Cmd) bool {
	if cmd.Process == nil {
		return false
	}
	return syscall.Kill(-cmd.Process.Pid, 0) == nil
}

// GroupRunning reports whether any process of cmd's group is still
// running. Unlike GroupAlive it does not count zombies: an orphaned
// grandchild that has exited stays a zombie until init reaps it, which
// some init processes do only every second or so, yet it holds no pipe
// and needs no signal.
func GroupRunning(cmd *exec.Cmd) bool {
	if !GroupAlive(cmd) {
		return false
	}
	return groupHasRunning(cmd.Process.Pid)
}
