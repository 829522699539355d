package main

// Programs the tests start as children: a small MCP server with a few ways
// to misbehave, and a server stand-in that shows what it was given. Both
// are this test binary, started under another name (see TestMain).

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// fakeServer is an MCP server over stdio. Its first argument is the mode:
//
//	good       answers initialize, tools/list (3 tools) and ping; exits at EOF
//	auth-fail  writes the Auth0 server's credential error to stderr, exits 1
//	leak       writes AUTH0_TOKEN's value to stdout and stderr, then exits 1
//	silent     reads its input and never answers
func fakeServer() int {
	mode := "good"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	switch mode {
	case "auth-fail":
		fmt.Fprintln(os.Stderr, "[ERROR:auth0-mcp] No valid authorization token found")
		return 1
	case "leak":
		tok := os.Getenv("AUTH0_TOKEN")
		fmt.Println("starting with token " + tok)
		fmt.Fprintln(os.Stderr, "debug: using token "+tok+" for "+os.Getenv("AUTH0_DOMAIN"))
		time.Sleep(100 * time.Millisecond)
		return 1
	}

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		if mode == "silent" {
			continue
		}
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params struct {
				ProtocolVersion string `json:"protocolVersion"`
			} `json:"params"`
		}
		if json.Unmarshal(in.Bytes(), &req) != nil || req.ID == nil {
			continue
		}
		var result any
		switch req.Method {
		case "initialize":
			result = map[string]any{
				"protocolVersion": req.Params.ProtocolVersion,
				"capabilities":    map[string]any{"tools": map[string]any{}},
				"serverInfo":      map[string]any{"name": "fake", "version": "1.0"},
			}
		case "tools/list":
			var tools []any
			names := []string{"echo", "add", "time"}
			if mode == "envtools" {
				// One tool per environment variable, named after it: a probe
				// shows which variables the server got, never their values.
				names = nil
				for _, kv := range os.Environ() {
					name, _, _ := strings.Cut(kv, "=")
					names = append(names, "env_"+name)
				}
				sort.Strings(names)
			}
			for _, name := range names {
				tools = append(tools, map[string]any{"name": name,
					"inputSchema": map[string]any{"type": "object"}})
			}
			result = map[string]any{"tools": tools}
		default:
			result = map[string]any{}
		}
		_ = out.Encode(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": result})
	}
	return 0
}

// envNames prints its argv, the names (never the values) of its
// environment variables, AUTH0_DOMAIN, and whether AUTH0_TOKEN equals
// WANT_TOKEN.
func envNames() int {
	fmt.Println("argv: " + strings.Join(os.Args, " "))
	var names []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Println("env: " + strings.Join(names, " "))
	fmt.Println("domain: " + os.Getenv("AUTH0_DOMAIN"))
	if want, ok := os.LookupEnv("WANT_TOKEN"); ok {
		if os.Getenv("AUTH0_TOKEN") == want {
			fmt.Println("token: match")
		} else {
			fmt.Println("token: differ")
		}
	}
	fmt.Println("path: " + os.Getenv("PATH"))
	return 0
}
