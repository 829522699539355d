//go:build linux

package main

import (
	"fmt"
	"github.com/auth0mcp/auth0mcp/internal/configgen"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/auth0mcp/auth0mcp/configfix"
)

// summary is what the tables show of a set of runs.
type summary struct {
	median, min, max float64
	failed           int
}

func summarize(ss []sample) summary {
	if len(ss) == 0 {
		return summary{}
	}
	ms := make([]float64, len(ss))
	var s summary
	for i, x := range ss {
		ms[i] = x.WallMS
		if x.Exit != 0 || x.Capped {
			s.failed++
		}
	}
	s.median, s.min, s.max = median(ms), slices.Min(ms), slices.Max(ms)
	return s
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func (s summary) cell() string {
	c := fmt.Sprintf("%s (%s–%s)", ms(s.median), ms(s.min), ms(s.max))
	if s.failed > 0 {
		c += fmt.Sprintf(", %d failed", s.failed)
	}
	return c
}

func ms(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func goal(met bool, what string) string {
	mark := "met"
	if !met {
		mark = "**missed**"
	}
	if what == "" {
		return mark
	}
	return what + ": " + mark
}

func codesOf(ss []sample) map[int]int {
	m := map[int]int{}
	for _, s := range ss {
		m[s.Exit]++
	}
	return m
}

func exitCodes(m map[int]int) string {
	var keys []int
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d ×%d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// runQuiet runs a short command with a deadline and returns its output.
func runQuiet(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.WaitDelay = time.Second
	timer := time.AfterFunc(10*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// configSpeed times, in this process, what doctor and fix-config do with a
// config before they print anything: read and parse it, audit it (with
// the schema and duplicate-key checks), and plan the rewrite.
func (b *bench) configSpeed() string {
	fmt.Fprintln(os.Stderr, "audit and plan")
	const n = 15
	var md strings.Builder
	fmt.Fprintf(&md, "\n### Audit and plan, in process (median of %d runs)\n\n", n)
	md.WriteString("| config | read + parse | audit | plan (`PlanFix --all`) | total | per MB | goal (5 MB < 100 ms) |\n")
	md.WriteString("|---:|---:|---:|---:|---:|---:|---|\n")
	for _, size := range []int{10 << 10, 1 << 20, 5 << 20} {
		path := filepath.Join(b.dir, fmt.Sprintf("config-%d.json", size))
		data := configgen.Generate(size)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			panic(err)
		}
		var parse, audit, plan, total []float64
		for i := 0; i < n+1; i++ {
			t0 := time.Now()
			c := configfix.Load(path, configfix.ClaudeDesktop)
			t1 := time.Now()
			c.Audit(time.Now())
			c.Schema()
			c.Duplicates()
			t2 := time.Now()
			p, err := c.PlanFix(configfix.FixOptions{All: true, Launcher: "/usr/local/bin/auth0mcp"})
			t3 := time.Now()
			if err != nil || !p.Changed() {
				panic(fmt.Sprintf("plan of the %d-byte config: changed=%v err=%v", size, p != nil && p.Changed(), err))
			}
			if i == 0 {
				continue // warm-up
			}
			parse = append(parse, msSince(t0, t1))
			audit = append(audit, msSince(t1, t2))
			plan = append(plan, msSince(t2, t3))
			total = append(total, msSince(t0, t3))
			b.samples = append(b.samples, sample{Tool: "audit+plan", Target: fmt.Sprint(len(data)), WallMS: msSince(t0, t3)})
		}
		mb := float64(len(data)) / (1 << 20)
		verdict := ""
		if size == 5<<20 {
			verdict = goal(median(total) < 100, "")
		}
		fmt.Fprintf(&md, "| %s | %s ms | %s ms | %s ms | %s ms | %.1f ms | %s |\n", human(len(data)),
			ms(median(parse)), ms(median(audit)), ms(median(plan)), ms(median(total)), median(total)/mb, verdict)
	}
	md.WriteString("\nThe plan step audits the file again (PlanFix works from its own audit), as fix-config does.\n")
	return md.String()
}

func msSince(a, b time.Time) float64 { return float64(b.Sub(a).Microseconds()) / 1000 }

func human(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
}
