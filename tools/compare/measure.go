//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sample is one measured run of one command.
type sample struct {
	Tool   string  `json:"tool"`
	Target string  `json:"target"`
	WallMS float64 `json:"wall_ms"`
	Exit   int     `json:"exit"`                 // -1 when the harness had to kill it
	Capped bool    `json:"capped"`               // the harness's own deadline ended it
	RSSKB  int64   `json:"max_rss_kb,omitempty"` // only from peakRSS
	Left   int     `json:"left_behind"`          // processes still running when it returned
	Tail   string  `json:"tail,omitempty"`
}

// becomeSubreaper makes every orphaned descendant of this process a child
// of it instead of init's, so that what a tool leaves behind, even after
// setsid, can be found by walking down from here.
func becomeSubreaper() error {
	const prSetChildSubreaper = 36
	_, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// measure runs argv with stdin from /dev/null, stdout and stderr into a
// file (never a pipe, so that a descendant holding them cannot delay the
// wait), in its own process group, under limit. It then counts the
// processes left behind, kills them and reaps them.
func measure(tool, target string, argv, env []string, dir string, limit time.Duration) sample {
	s := sample{Tool: tool, Target: target}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		panic(err)
	}
	defer devnull.Close()
	out, err := os.Create(filepath.Join(dir, "output.txt"))
	if err != nil {
		panic(err)
	}
	defer out.Close()

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		s.Exit, s.Tail = -1, err.Error()
		return s
	}
	timer := time.AfterFunc(limit, func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	cmd.Wait()
	s.WallMS = float64(time.Since(start).Microseconds()) / 1000
	s.Capped = !timer.Stop()

	left := descendants()
	s.Left = len(left)
	s.Exit = cmd.ProcessState.ExitCode()
	if s.Exit != 0 || s.Capped {
		s.Tail = tail(out.Name(), 600)
	}
	cleanUp(left)
	return s
}

// descendants lists the live (not zombie) processes below this one.
func descendants() []int {
	parent := map[int]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 2 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		parent[pid] = ppid
	}
	self := os.Getpid()
	var out []int
	for pid := range parent {
		for p, hops := parent[pid], 0; p > 1 && hops < 64; p, hops = parent[p], hops+1 {
			if p == self {
				out = append(out, pid)
				break
			}
		}
	}
	return out
}

// cleanUp kills the given processes and reaps every exited child of this
// process (the subreaper inherits them), waiting up to two seconds.
func cleanUp(pids []int) {
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		for {
			var ws syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
		if len(descendants()) == 0 || time.Now().After(deadline) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}

// peakRSS runs argv as its child and writes the child's ru_maxrss (KB) to
// report. It exists because a process started by Go's os/exec (vfork and
// exec) inherits its parent's peak RSS into its own ru_maxrss: a small
// process in between keeps the harness's own memory out of the figure.
// The floor is then this helper's own peak, a few MB.
func peakRSS(report string, argv []string) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "compare rss:", err)
		return 127
	}
	cmd.Wait()
	var kb int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		kb = ru.Maxrss
	}
	os.WriteFile(report, []byte(strconv.FormatInt(kb, 10)), 0o600)
	if code := cmd.ProcessState.ExitCode(); code >= 0 {
		return code
	}
	return 128 + int(cmd.ProcessState.Sys().(syscall.WaitStatus).Signal())
}
