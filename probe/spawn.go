package probe

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
)

// startFailure explains why exec could not start path: a "#!" line naming
// an interpreter that does not exist, a file that is neither a program nor
// a script, or the error as the system gives it.
func startFailure(path string, err error) (detail, fix string) {
	detail = fmt.Sprintf("%s could not be started: %v", path, err)
	fix = "Check that the file is executable (chmod +x) and that the working directory exists."

	first := firstLine(path)
	interp := ""
	if rest, ok := strings.CutPrefix(first, "#!"); ok {
		if f := strings.Fields(rest); len(f) > 0 {
			interp = f[0]
		}
	}
	switch {
	case errors.Is(err, syscall.ENOENT) && interp != "":
		if _, serr := os.Stat(interp); serr != nil {
			return fmt.Sprintf("%s is a script whose first line names the interpreter %s, "+
					"which does not exist.", path, interp),
				fmt.Sprintf("Install %s, or correct the \"#!\" line of %s (\"#!/usr/bin/env node\" "+
					"finds node on PATH).", interp, path)
		}
	case errors.Is(err, syscall.ENOEXEC):
		return fmt.Sprintf("%s is neither a program nor a script with a \"#!\" line, so it "+
				"cannot be run by itself.", path),
			"Start it through its interpreter (\"command\": \"node\" or \"sh\", the file in \"args\"), " +
				"or give it a \"#!\" first line."
	}
	return detail, fix
}

// firstLine returns the first line of the file at path, up to 256 bytes.
func firstLine(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := io.ReadFull(f, head)
	line, _, _ := bytes.Cut(head[:n], []byte("\n"))
	return strings.TrimRight(string(line), "\r")
}
