//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// The MCP stdio servers the comparison runs, all in this binary
// ("compare serve <kind>"), so that no other build step is needed.
var serverKinds = map[string]func() int{
	"fast":       serveFast,
	"silent":     serveSilent,
	"noterm":     serveNoTerm,
	"grandchild": serveGrandchild,
	"longline":   serveLongLine,
	"sleeper":    serveSleeper,
}

// longLineSize is the length of the one line the longline server writes.
const longLineSize = 64 << 20

func serve(kind string) int {
	f, ok := serverKinds[kind]
	if !ok {
		fmt.Fprintf(os.Stderr, "compare serve: unknown server %q\n", kind)
		return 2
	}
	return f()
}

// rpcIn is the part of an incoming JSON-RPC message the servers look at.
type rpcIn struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params struct {
		ProtocolVersion string `json:"protocolVersion"`
	} `json:"params"`
}

// serveFast answers initialize, tools/list and ping at once and exits when
// its stdin ends: the least a server can cost.
func serveFast() int { return serveLines(bufio.NewReaderSize(os.Stdin, 64<<10)) }

func serveLines(in *bufio.Reader) int {
	out := bufio.NewWriter(os.Stdout)
	for {
		line, err := in.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			answer(out, line)
			out.Flush()
		}
		if err != nil {
			return 0
		}
	}
}

func answer(w io.Writer, line []byte) {
	var m rpcIn
	if json.Unmarshal(line, &m) != nil || len(m.ID) == 0 {
		return // a notification or garbage: nothing to answer
	}
	var result string
	switch m.Method {
	case "initialize":
		v := m.Params.ProtocolVersion
		if v == "" {
			v = "2025-11-25"
		}
		vb, _ := json.Marshal(v)
		result = `{"protocolVersion":` + string(vb) +
			`,"capabilities":{"tools":{}},"serverInfo":{"name":"compare-fast","version":"1.0.0"}}`
	case "tools/list":
		result = `{"tools":[` + tool("echo") + `,` + tool("add") + `,` + tool("time") + `]}`
	case "ping":
		result = `{}`
	default:
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"method not found"}}`+"\n", m.ID)
		return
	}
	fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":%s}`+"\n", m.ID, result)
}

func tool(name string) string {
	return `{"name":"` + name + `","description":"the ` + name +
		` tool","inputSchema":{"type":"object","properties":{"x":{"type":"string"}}}}`
}

// serveSilent reads everything and answers nothing; it stays up after its
// stdin ends and dies on SIGTERM.
func serveSilent() int {
	io.Copy(io.Discard, os.Stdin)
	select {}
}

// serveNoTerm answers nothing, outlives its stdin and ignores SIGTERM: only
// SIGKILL ends it.
func serveNoTerm() int {
	signal.Ignore(syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT)
	io.Copy(io.Discard, os.Stdin)
	select {}
}

// serveGrandchild starts a child that inherits stdout and stderr, then
// exits without answering: the pipe stays open as long as the grandchild
// lives, as with `sh -c 'helper & exec server'` gone wrong.
func serveGrandchild() int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	cmd := exec.Command(self, "serve", "sleeper")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// serveSleeper is the grandchild: it holds its inherited descriptors for
// ten minutes.
func serveSleeper() int {
	time.Sleep(10 * time.Minute)
	return 0
}

// serveLongLine answers initialize with one line of longLineSize bytes,
// written in small chunks so that its own memory stays small, then
// behaves as the fast server.
func serveLongLine() int {
	in := bufio.NewReaderSize(os.Stdin, 64<<10)
	if _, err := in.ReadBytes('\n'); err != nil {
		return 0
	}
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	head := `{"jsonrpc":"2.0","id":0,"result":{"padding":"`
	out.WriteString(head)
	chunk := []byte(strings.Repeat("A", 64<<10))
	for n := len(head); n < longLineSize-3; {
		c := chunk[:min(len(chunk), longLineSize-3-n)]
		if _, err := out.Write(c); err != nil {
			return 0
		}
		n += len(c)
	}
	out.WriteString("\"}}\n")
	if out.Flush() != nil {
		return 0
	}
	return serveLines(in)
}
