//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// bareGrace is how long the bare client waits for the server to exit after
// closing its stdin before it sends SIGTERM: the same second that
// auth0mcp probe gives a server, so that both pay the same for a server
// that ignores the end of its input.
const bareGrace = time.Second

// bareHandshake is the least an MCP client does to list a server's tools:
// spawn, initialize, notifications/initialized, tools/list (every page),
// close stdin, wait (SIGTERM after bareGrace, SIGKILL a second later). It
// answers requests from the server with an error, as a client must, and
// checks nothing else.
func bareHandshake(argv []string) error {
	if len(argv) == 0 {
		return errors.New("no server command")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer devnull.Close()
	cmd.Stderr = devnull
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	c := &bareClient{in: stdin, out: bufio.NewReaderSize(stdout, 64<<10)}

	err = c.handshake()
	stdin.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		select {
		case <-done:
			return err
		case <-time.After(bareGrace):
			cmd.Process.Signal(sig)
		}
	}
	<-done
	return err
}

type bareClient struct {
	in  io.Writer
	out *bufio.Reader
}

func (c *bareClient) handshake() error {
	init := `{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bare","version":"1"}}`
	if _, err := c.call(0, "initialize", init); err != nil {
		return err
	}
	if _, err := io.WriteString(c.in, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n"); err != nil {
		return err
	}
	cursor := ""
	for id := 1; ; id++ {
		params := `{}`
		if cursor != "" {
			b, _ := json.Marshal(cursor)
			params = `{"cursor":` + string(b) + `}`
		}
		res, err := c.call(id, "tools/list", params)
		if err != nil {
			return err
		}
		var page struct {
			NextCursor string `json:"nextCursor"`
		}
		json.Unmarshal(res, &page)
		if page.NextCursor == "" {
			return nil
		}
		cursor = page.NextCursor
	}
}

// call sends one request and reads until its response, answering requests
// from the server on the way and skipping notifications.
func (c *bareClient) call(id int, method, params string) (json.RawMessage, error) {
	req := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`+"\n", id, method, params)
	if _, err := io.WriteString(c.in, req); err != nil {
		return nil, err
	}
	want := fmt.Sprint(id)
	for {
		line, err := c.out.ReadBytes('\n')
		if err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		var m struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal(line, &m) != nil {
			continue
		}
		switch {
		case m.Method != "" && len(m.ID) > 0:
			fmt.Fprintf(c.in, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"not supported"}}`+"\n", m.ID)
		case string(m.ID) == want && len(m.Error) > 0:
			return nil, fmt.Errorf("%s: %s", method, m.Error)
		case string(m.ID) == want:
			return m.Result, nil
		}
	}
}
