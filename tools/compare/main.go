//go:build linux

// Command compare measures auth0mcp against the tools people use instead,
// side by side on the same machine and servers, and writes a Markdown
// table (and the raw figures as JSON). make compare runs it; see
// docs/benchmarks.md for what each figure means.
//
//	compare [-runs 15] [-deadline-runs 5] [-out compare.md] [-raw compare.json]
//
// The same binary is also the comparison's test servers ("compare serve
// fast|silent|noterm|grandchild|longline"), its bare MCP client
// ("compare bare -- CMD ARGS") and its peak-RSS meter ("compare rss FILE
// -- CMD ARGS").
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"github.com/auth0mcp/auth0mcp/internal/configgen"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "serve" {
		os.Exit(serve(os.Args[2]))
	}
	if len(os.Args) > 4 && os.Args[1] == "rss" && os.Args[3] == "--" {
		os.Exit(peakRSS(os.Args[2], os.Args[4:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "bare" {
		argv := os.Args[2:]
		if len(argv) > 0 && argv[0] == "--" {
			argv = argv[1:]
		}
		if err := bareHandshake(argv); err != nil {
			fmt.Fprintln(os.Stderr, "compare bare:", err)
			os.Exit(1)
		}
		return
	}

	var o options
	flag.StringVar(&o.bin, "bin", "bin/auth0mcp", "the auth0mcp binary to measure")
	flag.StringVar(&o.npm, "npm", ".cache/npm", "where scripts/test-deps.sh installed the npm packages")
	flag.IntVar(&o.runs, "runs", 15, "alternating runs per tool and server in the handshake comparison")
	flag.IntVar(&o.deadlineRuns, "deadline-runs", 5, "runs per tool and server in the deadline comparison")
	flag.StringVar(&o.out, "out", "compare.md", "write the Markdown table here too")
	flag.StringVar(&o.raw, "raw", "compare.json", "write every measured run here, as JSON")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

type options struct {
	bin, npm, out, raw string
	runs, deadlineRuns int
}

// target is a server the tools are run against.
type target struct {
	name string
	argv []string
	env  []string // NAME=VALUE the server needs
}

// bench holds the paths and the environment every run shares.
type bench struct {
	self, bin, node, inspector, dir string
	env                             []string
	samples                         []sample
}

func run(o options) error {
	b := &bench{}
	var err error
	if b.self, err = os.Executable(); err != nil {
		return err
	}
	if b.bin, err = filepath.Abs(o.bin); err != nil {
		return err
	}
	if _, err := os.Stat(b.bin); err != nil {
		return fmt.Errorf("%w; run make build first", err)
	}
	npm, _ := filepath.Abs(o.npm)
	b.inspector = filepath.Join(npm, "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js")
	everything := filepath.Join(npm, "node_modules/@modelcontextprotocol/server-everything/dist/index.js")
	auth0 := filepath.Join(npm, "node_modules/@auth0/auth0-mcp-server/dist/index.js")
	for _, p := range []string{b.inspector, everything, auth0} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%w; run make deps first", err)
		}
	}
	if b.node, err = lookPath("node"); err != nil {
		return err
	}
	if err := becomeSubreaper(); err != nil {
		return fmt.Errorf("become a subreaper: %w", err)
	}
	if b.dir, err = os.MkdirTemp("", "auth0mcp-compare-"); err != nil {
		return err
	}
	defer os.RemoveAll(b.dir)
	home := filepath.Join(b.dir, "home")
	os.Mkdir(home, 0o700)
	b.env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "NO_COLOR=1", "LANG=C.UTF-8"}

	var md strings.Builder
	m := machine()
	md.WriteString(m.markdown())

	servers := []target{
		{name: "fast local (Go)", argv: []string{b.self, "serve", "fast"}},
		{name: "server-everything", argv: []string{b.node, everything, "stdio"}},
		{name: "auth0-mcp-server", argv: []string{b.node, auth0, "run"},
			env: []string{"AUTH0_TOKEN=compare-not-a-real-token", "AUTH0_DOMAIN=127.0.0.1"}},
	}
	md.WriteString(b.handshakes(servers, o.runs))
	md.WriteString(b.deadlines(o.deadlineRuns))
	md.WriteString(b.memory())
	md.WriteString(b.configSpeed())
	md.WriteString(b.tokenBench())
	md.WriteString(b.startup())
	m.LoadAfter = loadavg()
	fmt.Fprintf(&md, "\nLoad average (1, 5, 15 min) at the start: %s; at the end: %s.\n", m.LoadBefore, m.LoadAfter)

	fmt.Print(md.String())
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(md.String()), 0o644); err != nil {
			return err
		}
	}
	if o.raw != "" {
		raw, _ := json.MarshalIndent(map[string]any{"machine": m, "runs": b.samples}, "", " ")
		if err := os.WriteFile(o.raw, raw, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "compare: wrote %s and %s\n", o.out, o.raw)
	return nil
}

// do measures one run and keeps it.
func (b *bench) do(tool, target string, argv, extraEnv []string, limit time.Duration) sample {
	env := append(slices.Clone(b.env), extraEnv...)
	s := measure(tool, target, argv, env, b.dir, limit)
	b.samples = append(b.samples, s)
	status := "ok"
	if s.Exit != 0 || s.Capped {
		status = fmt.Sprintf("exit %d capped=%v", s.Exit, s.Capped)
	}
	fmt.Fprintf(os.Stderr, "  %-10s %-22s %9.1f ms  left %d  %s\n", tool, target, s.WallMS, s.Left, status)
	return s
}

// doRSS measures one run through the peak-RSS meter.
func (b *bench) doRSS(tool, target string, argv []string) sample {
	report := filepath.Join(b.dir, "rss.txt")
	os.Remove(report)
	s := b.do(tool, target, append([]string{b.self, "rss", report, "--"}, argv...), nil, 60*time.Second)
	kb, err := os.ReadFile(report)
	if err == nil {
		s.RSSKB, _ = strconv.ParseInt(string(kb), 10, 64)
	}
	b.samples[len(b.samples)-1] = s
	return s
}

func (b *bench) probeArgv(t target, timeout string) []string {
	a := []string{b.bin, "probe", "--timeout", timeout}
	for _, kv := range t.env {
		a = append(a, "--env", strings.SplitN(kv, "=", 2)[0])
	}
	return append(append(a, "--"), t.argv...)
}

func (b *bench) inspectorArgv(t target, extra ...string) []string {
	a := append([]string{b.node, b.inspector, "--cli"}, extra...)
	for _, kv := range t.env {
		a = append(a, "-e", kv)
	}
	a = append(a, t.argv...)
	return append(a, "--method", "tools/list")
}

func (b *bench) bareArgv(t target) []string {
	return append([]string{b.self, "bare", "--"}, t.argv...)
}

// handshakes times the three clients against each server, rotating which
// one goes first in each round so that drift hits all of them.
func (b *bench) handshakes(servers []target, runs int) string {
	tools := []string{"probe", "inspector", "bare"}
	argv := func(tool string, t target) []string {
		switch tool {
		case "probe":
			return b.probeArgv(t, "30s")
		case "inspector":
			return b.inspectorArgv(t)
		}
		return b.bareArgv(t)
	}
	got := map[string]map[string][]sample{}
	for _, t := range servers {
		got[t.name] = map[string][]sample{}
	}
	fmt.Fprintln(os.Stderr, "handshake and tools/list: one warm-up round, then", runs, "alternating rounds")
	for round := -1; round < runs; round++ {
		for _, t := range servers {
			for i := range tools {
				tool := tools[(i+max(round, 0))%len(tools)]
				s := b.do(tool, t.name, argv(tool, t), t.env, 60*time.Second)
				if round >= 0 {
					got[t.name][tool] = append(got[t.name][tool], s)
				}
			}
		}
	}

	var md strings.Builder
	fmt.Fprintf(&md, "\n### Handshake and tools/list, whole-process wall time (median of %d alternating runs)\n\n", runs)
	md.WriteString("| server | auth0mcp probe | Inspector CLI | bare handshake | probe − bare | probe / Inspector | goals |\n")
	md.WriteString("|---|---:|---:|---:|---:|---:|---|\n")
	for _, t := range servers {
		p, in, bare := summarize(got[t.name]["probe"]), summarize(got[t.name]["inspector"]), summarize(got[t.name]["bare"])
		nearBare := p.median <= max(1.10*bare.median, bare.median+15)
		fast := p.median <= 0.30*in.median
		fmt.Fprintf(&md, "| %s | %s | %s | %s | %+.0f ms (%+.0f %%) | %.2f | %s, %s |\n", t.name,
			p.cell(), in.cell(), bare.cell(), p.median-bare.median, 100*(p.median/bare.median-1),
			p.median/in.median, goal(nearBare, "near bare"), goal(fast, "≤ 0.30 × Inspector"))
	}
	md.WriteString("\nEach cell: median (min–max) in ms; a run that did not exit 0 is counted as `n failed`.\n")
	return md.String()
}

// deadlines runs both tools against servers that never answer, under a
// 2 s deadline, and counts what each leaves running.
func (b *bench) deadlines(runs int) string {
	servers := []target{
		{name: "never answers", argv: []string{b.self, "serve", "silent"}},
		{name: "ignores SIGTERM", argv: []string{b.self, "serve", "noterm"}},
		{name: "grandchild holds stdout", argv: []string{b.self, "serve", "grandchild"}},
	}
	const limit = 30 * time.Second
	fmt.Fprintln(os.Stderr, "deadlines:", runs, "alternating rounds")
	got := map[string]map[string][]sample{}
	for round := 0; round < runs; round++ {
		for _, t := range servers {
			if got[t.name] == nil {
				got[t.name] = map[string][]sample{}
			}
			order := []string{"probe", "inspector"}
			if round%2 == 1 {
				order = []string{"inspector", "probe"}
			}
			for _, tool := range order {
				argv := b.probeArgv(t, "2s")
				if tool == "inspector" {
					argv = b.inspectorArgv(t, "--connect-timeout", "2000")
				}
				got[t.name][tool] = append(got[t.name][tool], b.do(tool, t.name, argv, nil, limit))
			}
		}
	}

	var md strings.Builder
	fmt.Fprintf(&md, "\n### Hard deadlines: `probe --timeout 2s` and `inspector --cli --connect-timeout 2000` (%d runs each)\n\n", runs)
	md.WriteString("| server | tool | back after, median (max) | exit codes | processes left, per run (max) | goal: ≤ 2.3 s, none left, every run |\n")
	md.WriteString("|---|---|---:|---|---:|---|\n")
	for _, t := range servers {
		for _, tool := range []string{"probe", "inspector"} {
			ss := got[t.name][tool]
			s := summarize(ss)
			left, capped := 0, 0
			codes := map[int]int{}
			for _, x := range ss {
				left = max(left, x.Left)
				codes[x.Exit]++
				if x.Capped {
					capped++
				}
			}
			met := s.max <= 2300 && left == 0 && capped == 0
			extra := ""
			if capped > 0 {
				extra = fmt.Sprintf(", %d killed by the harness at %s", capped, limit)
			}
			name := "auth0mcp probe"
			verdict := goal(met, "")
			if tool == "inspector" {
				name, verdict = "Inspector CLI", "(no goal)"
			}
			fmt.Fprintf(&md, "| %s | %s | %.0f ms (%.0f)%s | %s | %d | %s |\n", t.name, name, s.median, s.max,
				extra, exitCodes(codes), left, verdict)
		}
	}
	return md.String()
}

// memory measures peak RSS: the binary's baseline, probe against a 64 MB
// line, doctor and fix-config on a 5 MB config.
func (b *bench) memory() string {
	fmt.Fprintln(os.Stderr, "memory")
	cfg := filepath.Join(b.dir, "claude_desktop_config.json")
	data := configgen.Generate(5 << 20)
	if err := os.WriteFile(cfg, data, 0o600); err != nil {
		panic(err)
	}
	const n = 5
	rows := []struct {
		what string
		argv []string
	}{
		{"`auth0mcp --version` (baseline)", []string{b.bin, "--version"}},
		{"`probe` against a server writing a 64 MB line", b.probeArgv(target{argv: []string{b.self, "serve", "longline"}}, "10s")},
		{"`doctor --offline` on a 5 MB config", []string{b.bin, "doctor", "--offline", "--config", cfg}},
		{"`fix-config --dry-run --all` on a 5 MB config", []string{b.bin, "fix-config", "--dry-run", "--all",
			"--launcher", "/usr/local/bin/auth0mcp", "--config", cfg}},
	}
	peaks := make([]float64, len(rows))
	var md strings.Builder
	fmt.Fprintf(&md, "\n### Peak RSS (ru_maxrss from wait4, the highest of %d runs)\n\n", n)
	md.WriteString("| command | peak RSS | wall time, median | exit | goal |\n|---|---:|---:|---:|---|\n")
	for i, r := range rows {
		var ss []sample
		for range n {
			ss = append(ss, b.doRSS("memory", r.what, r.argv))
		}
		var peak int64
		for _, s := range ss {
			peak = max(peak, s.RSSKB)
		}
		peaks[i] = float64(peak) / 1024
		verdict := ""
		switch i {
		case 0:
			verdict = "(baseline)"
		case 1:
			verdict = goal(peaks[i] < 40, "< 40 MB")
		default:
			limit := 4*float64(len(data))/(1<<20) + peaks[0]
			verdict = goal(peaks[i] < limit, fmt.Sprintf("< 4 × %.1f MB + %.1f MB = %.1f MB", float64(len(data))/(1<<20), peaks[0], limit))
		}
		fmt.Fprintf(&md, "| %s | %.1f MB | %.0f ms | %s | %s |\n", r.what, peaks[i], summarize(ss).median, exitCodes(codesOf(ss)), verdict)
	}
	md.WriteString("\nfix-config exits 0 and doctor 1 (it found the planted tokens): both as expected.\n")
	return md.String()
}

// startup times `auth0mcp --version` and reports the binary's size.
func (b *bench) startup() string {
	fmt.Fprintln(os.Stderr, "start-up")
	var ss []sample
	for range 21 {
		ss = append(ss, b.do("startup", "--version", []string{b.bin, "--version"}, nil, 10*time.Second))
	}
	fi, _ := os.Stat(b.bin)
	return fmt.Sprintf("\n### Start-up\n\n| `auth0mcp --version`, median of %d runs | binary size (`make build`: -trimpath -s -w) |\n|---:|---:|\n| %s | %.1f MB |\n",
		len(ss), summarize(ss).cell(), float64(fi.Size())/(1<<20))
}

// tokenBench times `token bench` with a token command that hangs.
func (b *bench) tokenBench() string {
	fmt.Fprintln(os.Stderr, "token bench")
	var md strings.Builder
	md.WriteString("\n### `token bench` with a token command that hangs (`sleep 30`), 5 runs each\n\n")
	md.WriteString("| --source-timeout | total time, median (max) | exit codes | processes left (max) | over the deadline |\n|---:|---:|---|---:|---:|\n")
	for _, d := range []string{"1s", "2s"} {
		var ss []sample
		for range 5 {
			ss = append(ss, b.do("token", "source-timeout "+d, []string{b.bin, "token", "bench", "--no-cache",
				"--source-timeout", d, "--token-command", "sleep 30"}, nil, 30*time.Second))
		}
		s := summarize(ss)
		left := 0
		for _, x := range ss {
			left = max(left, x.Left)
		}
		dd, _ := time.ParseDuration(d)
		fmt.Fprintf(&md, "| %s | %.0f ms (%.0f) | %s | %d | %+.0f ms |\n", d, s.median, s.max, exitCodes(codesOf(ss)), left,
			s.median-float64(dd.Milliseconds()))
	}
	md.WriteString("\nExit 4: no source gave a token, as expected (none is configured but the hanging command).\n")
	return md.String()
}

func lookPath(name string) (string, error) {
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s is not on PATH", name)
}

type machineInfo struct {
	CPU, Kernel, Go, Node string
	CPUs                  int
	LoadBefore, LoadAfter string
	Date                  string
}

func machine() machineInfo {
	m := machineInfo{CPUs: runtime.NumCPU(), Go: runtime.Version(), LoadBefore: loadavg(),
		Date: time.Now().UTC().Format("2006-01-02 15:04 UTC")}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if out, err := runQuiet("node", "--version"); err == nil {
		m.Node = out
	}
	return m
}

func (m machineInfo) markdown() string {
	return fmt.Sprintf("## auth0mcp compared, %s\n\nMachine: %d CPUs (%s), Linux %s, %s, Node.js %s. Load average at the start: %s.\n",
		m.Date, m.CPUs, m.CPU, m.Kernel, m.Go, m.Node, m.LoadBefore)
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
