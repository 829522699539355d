package probe

import (
	"bufio"
	"context"
	"io"
	"os/exec"
	"testing"
)

// BenchmarkProbe runs the whole probe (handshake, tools/list, ping,
// shutdown) against the well-behaved test server.
func BenchmarkProbe(b *testing.B) {
	command, env := serverCmd("good")
	for b.Loop() {
		r := Run(context.Background(), Options{Command: command, Env: env})
		if !r.OK {
			b.Fatalf("probe failed: %v", codes(r))
		}
	}
}

// BenchmarkBareHandshake is the least a client does for the same
// handshake: spawn, initialize, initialized, tools/list, close stdin, wait.
// No deadline, no process group, no diagnosis, no ping.
func BenchmarkBareHandshake(b *testing.B) {
	command, env := serverCmd("good")
	for b.Loop() {
		cmd := exec.Command(command)
		cmd.Env = env
		stdin, err := cmd.StdinPipe()
		if err != nil {
			b.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		out := bufio.NewReader(stdout)
		io.WriteString(stdin, `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`+"\n")
		if _, err := out.ReadBytes('\n'); err != nil {
			b.Fatal(err)
		}
		io.WriteString(stdin, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n")
		io.WriteString(stdin, `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}`+"\n")
		if _, err := out.ReadBytes('\n'); err != nil {
			b.Fatal(err)
		}
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
	}
}
