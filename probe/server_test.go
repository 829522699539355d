package probe

// A misbehaving MCP server for the tests: the test binary itself, started
// again with TEST_MCP_SERVER naming how it should misbehave.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

const serverModeVar = "TEST_MCP_SERVER"

// canary stands for a secret the server leaks; tests check it never
// reaches a Result.
const canary = "sk_live_CANARY_0123456789abcdef"

func TestMain(m *testing.M) {
	if mode := os.Getenv(serverModeVar); mode != "" {
		os.Exit(serve(mode))
	}
	os.Exit(m.Run())
}

// serverCmd returns the command and environment that start the test
// server in mode.
func serverCmd(mode string) (string, []string) {
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	// A -race binary sleeps 1 s at exit unless told not to, which would
	// look like a server ignoring the end of its input.
	env := append(BaseEnv(os.Environ(), "linux", nil), serverModeVar+"="+mode, "GORACE=atexit_sleep_ms=0")
	return exe, env
}

type behavior struct {
	banner      string // a line of text on stdout before anything else
	pretty      bool
	wrongID     bool
	noJSONRPC   bool
	version     string // the protocolVersion to answer, default the requested one
	toolsError  bool
	pages       int
	split       bool
	notifyFirst bool
	rootsFirst  bool
	stderrFlood int
	longLine    int
	ignoreEOF   bool
	slow        time.Duration
	leak        bool
	noTools     bool
}

var modes = map[string]behavior{
	"good":            {},
	"banner":          {banner: "MCP server v1.2 starting on stdio..."},
	"pretty":          {pretty: true},
	"wrong-id":        {wrongID: true},
	"no-jsonrpc":      {noJSONRPC: true},
	"unknown-version": {version: "1999-01-01"},
	"known-version":   {version: "2024-11-05"},
	"tools-error":     {toolsError: true},
	"paginated":       {pages: 3},
	"split":           {split: true},
	"notify-first":    {notifyFirst: true},
	"roots-first":     {rootsFirst: true},
	"stderr-flood":    {stderrFlood: 10 << 20},
	"long-line":       {longLine: 64 << 20},
	"ignore-eof":      {ignoreEOF: true},
	"slow":            {slow: 600 * time.Millisecond},
	"leak":            {leak: true, banner: "token=" + canary},
	"no-tools":        {noTools: true},
}

func serve(mode string) int {
	switch mode {
	case "exit0":
		return 0
	case "auth":
		time.Sleep(50 * time.Millisecond)
		fmt.Fprintln(os.Stderr, "[INFO:auth0-mcp] Starting server")
		fmt.Fprintln(os.Stderr, "[ERROR:auth0-mcp] Authorization Error: No valid authorization token found")
		fmt.Fprintln(os.Stderr, "[ERROR:auth0-mcp] 1. Run npx @auth0/auth0-mcp-server init to authorize with Auth0")
		return 1
	case "keytar":
		fmt.Fprintln(os.Stderr, "Error: Failed to load keytar native addon: libsecret-1.so.0: cannot open shared object file")
		return 1
	case "npx-canceled":
		fmt.Fprintln(os.Stderr, `npm error npx canceled due to missing packages and no YES option: ["@auth0/auth0-mcp-server@0.1.0-beta.19"]`)
		return 1
	case "silent":
		// Ignore SIGTERM, read nothing, and leave a grandchild that holds
		// stdout open and ignores SIGTERM too.
		signal.Ignore(syscall.SIGTERM)
		exe, _ := os.Executable()
		hold := exec.Command(exe)
		hold.Env = append(os.Environ(), serverModeVar+"=hold")
		hold.Stdout = os.Stdout
		if err := hold.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		fmt.Fprintf(os.Stderr, "grandchild %d\n", hold.Process.Pid)
		time.Sleep(time.Hour)
		return 0
	case "hold":
		signal.Ignore(syscall.SIGTERM)
		time.Sleep(time.Hour)
		return 0
	}
	b, ok := modes[mode]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown mode", mode)
		return 2
	}
	return b.run()
}

func (b behavior) run() int {
	in := bufio.NewReader(os.Stdin)
	out := os.Stdout
	write := func(v map[string]any) {
		if b.noJSONRPC {
			delete(v, "jsonrpc")
		}
		var data []byte
		if b.pretty {
			data, _ = json.MarshalIndent(v, "", "  ")
		} else {
			data, _ = json.Marshal(v)
		}
		data = append(data, '\n')
		if b.split {
			for len(data) > 0 {
				n := min(len(data), 7)
				out.Write(data[:n])
				data = data[n:]
				time.Sleep(2 * time.Millisecond)
			}
			return
		}
		out.Write(data)
	}
	read := func() map[string]any {
		line, err := in.ReadBytes('\n')
		if err != nil {
			return nil
		}
		var m map[string]any
		if json.Unmarshal(line, &m) != nil {
			fmt.Fprintf(os.Stderr, "bad input: %q\n", line)
			os.Exit(3)
		}
		return m
	}

	if b.banner != "" {
		fmt.Fprintln(out, b.banner)
	}
	if b.leak {
		fmt.Fprintln(os.Stderr, "debug: using AUTH0_TOKEN="+canary)
	}
	for {
		m := read()
		if m == nil {
			if b.ignoreEOF {
				time.Sleep(time.Hour)
				return 0
			}
			return 0
		}
		id, method := m["id"], m["method"]
		answer := func(result any) {
			if b.wrongID {
				id = 99
			}
			// "result" first: keys come in any order.
			write(map[string]any{"result": result, "id": id, "jsonrpc": "2.0"})
		}
		switch method {
		case "initialize":
			b.beforeInitialize(write, read)
			params := m["params"].(map[string]any)
			version := params["protocolVersion"]
			if b.version != "" {
				version = b.version
			}
			caps := map[string]any{"tools": map[string]any{}}
			if b.noTools {
				caps = map[string]any{"prompts": map[string]any{}}
			}
			name := "test-server"
			if b.leak {
				name = "test-server " + canary
			}
			answer(map[string]any{
				"protocolVersion": version,
				"capabilities":    caps,
				"serverInfo":      map[string]any{"name": name, "version": "1.0.0"},
			})
		case "tools/list":
			if b.toolsError {
				write(map[string]any{"jsonrpc": "2.0", "id": id,
					"error": map[string]any{"code": -32603, "message": "Internal error: " + canary}})
				continue
			}
			page := 0
			if params, ok := m["params"].(map[string]any); ok {
				if c, ok := params["cursor"].(string); ok {
					fmt.Sscanf(c, "page-%d", &page)
				}
			}
			tools := []any{}
			for i := 0; i < 4; i++ {
				tools = append(tools, map[string]any{"name": fmt.Sprintf("tool_%d_%d", page, i),
					"inputSchema": map[string]any{"type": "object"}})
			}
			res := map[string]any{"tools": tools}
			if page+1 < b.pages {
				res["nextCursor"] = fmt.Sprintf("page-%d", page+1)
			}
			answer(res)
		case "ping":
			answer(map[string]any{})
		}
	}
}

func (b behavior) beforeInitialize(write func(map[string]any), read func() map[string]any) {
	if b.slow > 0 {
		time.Sleep(b.slow)
	}
	if b.notifyFirst {
		write(map[string]any{"jsonrpc": "2.0", "method": "notifications/message",
			"params": map[string]any{"level": "info", "data": "starting"}})
	}
	if b.rootsFirst {
		// Ask for roots and for sampling and insist on proper answers.
		write(map[string]any{"jsonrpc": "2.0", "id": "r1", "method": "roots/list"})
		write(map[string]any{"jsonrpc": "2.0", "id": 7, "method": "sampling/createMessage", "params": map[string]any{}})
		for range 2 {
			m := read()
			if m == nil {
				os.Exit(4)
			}
			switch m["id"] {
			case "r1":
				roots, ok := m["result"].(map[string]any)["roots"].([]any)
				if !ok || len(roots) != 0 {
					fmt.Fprintf(os.Stderr, "bad roots answer: %v\n", m)
					os.Exit(5)
				}
			case 7.0:
				e, ok := m["error"].(map[string]any)
				if !ok || e["code"] != -32601.0 {
					fmt.Fprintf(os.Stderr, "bad sampling answer: %v\n", m)
					os.Exit(5)
				}
			default:
				fmt.Fprintf(os.Stderr, "unexpected: %v\n", m)
				os.Exit(5)
			}
		}
	}
	if b.stderrFlood > 0 {
		chunk := []byte(strings.Repeat("log line that floods stderr ......................\n", 1000))
		for n := 0; n < b.stderrFlood; n += len(chunk) {
			os.Stderr.Write(chunk)
		}
		fmt.Fprintln(os.Stderr, "flood done")
	}
	if b.longLine > 0 {
		chunk := []byte(strings.Repeat("x", 1<<20))
		for n := 0; n < b.longLine; n += len(chunk) {
			os.Stdout.Write(chunk)
		}
		os.Stdout.Write([]byte("\n"))
	}
}
