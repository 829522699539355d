//go:build windows

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
)

// execServer starts the server with our stdin, stdout and stderr and exits
// with its exit code, the closest Windows has to exec.
// TODO: the server is not put in a Job Object, so should this process be
// killed, the server keeps running until its stdin closes.
func execServer(prog string, argv, env []string) error {
	cmd := exec.Command(prog, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// Ctrl-C reaches the server through the console; we only wait for it.
	signal.Ignore(os.Interrupt)
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		os.Exit(ee.ExitCode())
	}
	if err != nil {
		return fmt.Errorf("start %s: %w", prog, err)
	}
	os.Exit(0)
	return nil
}
