//go:build windows

package probe

import "os"

// exitSignal is always empty on Windows, where no signal ends a process.
func exitSignal(ps *os.ProcessState) string { return "" }
