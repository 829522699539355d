//go:build unix

package main

import (
	"fmt"
	"os/signal"
	"syscall"
)

// execServer replaces this process with the server: same PID, same stdin
// and stdout, and the client's signals reach the server itself.
func execServer(prog string, argv, env []string) error {
	// Handlers do not survive exec anyway; this also undoes Ctrl-C
	// handling that would otherwise linger until the exec.
	signal.Reset()
	err := syscall.Exec(prog, argv, env)
	return fmt.Errorf("start %s: %w", prog, err)
}
