//go:build unix

package proc

import (
	"context"
	"os/exec"
	"testing"
	"time"
)

// A grandchild that outlives its parent keeps the group running until it
// is killed; once it is dead, GroupRunning says so even while init has not
// reaped the zombie yet.
func TestGroupRunningAfterKill(t *testing.T) {
	cmd := exec.CommandContext(context.Background(), "sh", "-c", "sleep 30 & exit 0")
	Prepare(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if !GroupRunning(cmd) {
		t.Fatal("GroupRunning = false while the grandchild sleeps")
	}

	if err := KillGroup(cmd); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for GroupRunning(cmd) {
		if time.Now().After(deadline) {
			t.Fatal("group still running 2s after SIGKILL")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestGroupRunningUnstarted(t *testing.T) {
	if GroupRunning(exec.Command("true")) {
		t.Fatal("an unstarted command has no running group")
	}
}
