//go:build unix

package probe

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/proc"
)

// assertGroupGone checks that no process of group pgid runs once Run has
// returned, and that the group disappears entirely (kill(-pgid, 0) gives
// ESRCH) once init has reaped the zombies, which on some machines it does
// only every second or so.
func assertGroupGone(t *testing.T, pgid int) {
	t.Helper()
	if pgid == 0 {
		return
	}
	p, err := os.FindProcess(pgid)
	if err != nil {
		t.Fatal(err)
	}
	if proc.GroupRunning(&exec.Cmd{Process: p}) {
		t.Errorf("process group %d still has running processes after Run returned", pgid)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := syscall.Kill(-pgid, 0)
		if errors.Is(err, syscall.ESRCH) {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("kill(-%d, 0) = %v 5s after Run returned; want ESRCH", pgid, err)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
