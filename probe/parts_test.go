package probe

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestBaseEnv(t *testing.T) {
	environ := []string{
		"HOME=/home/u", "USER=u", "PATH=/usr/bin", "SECRET=x", "TERM=xterm",
		"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus", "AUTH0_TOKEN=t", "PATH=/bin",
	}
	tests := []struct {
		goos  string
		extra []string
		want  []string
	}{
		{"darwin", nil, []string{"HOME=/home/u", "USER=u", "PATH=/bin", "TERM=xterm"}},
		{"linux", nil, []string{"HOME=/home/u", "USER=u", "PATH=/bin", "TERM=xterm",
			"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus"}},
		{"linux", []string{"AUTH0_TOKEN", "NOT_SET", "HOME"}, []string{"HOME=/home/u", "USER=u",
			"PATH=/bin", "TERM=xterm", "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus", "AUTH0_TOKEN=t"}},
	}
	for _, tt := range tests {
		got := BaseEnv(environ, tt.goos, tt.extra)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("BaseEnv(%s, %v) = %v, want %v", tt.goos, tt.extra, got, tt.want)
		}
	}

	win := BaseEnv([]string{"Path=C:\\Windows", "SystemRoot=C:\\Windows", "HOME=x"}, "windows", nil)
	if want := []string{"Path=C:\\Windows", "SystemRoot=C:\\Windows"}; !reflect.DeepEqual(win, want) {
		t.Errorf("windows BaseEnv = %v, want %v", win, want)
	}
}

func TestLookPath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fixtures are Unix executables without extensions")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("PATH", "/nonexistent")
	onPath := t.TempDir()
	for _, dir := range []string{
		filepath.Join(home, ".nvm", "versions", "node", "v18.20.0", "bin"),
		filepath.Join(home, ".nvm", "versions", "node", "v22.1.0", "bin"),
		filepath.Join(home, ".volta", "bin"),
		onPath,
	} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "npx-test"), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}

	p, _, err := LookPath("npx-test", "/nonexistent:relative:"+onPath)
	if err != nil || p != filepath.Join(onPath, "npx-test") {
		t.Errorf("LookPath on PATH = %q, %v", p, err)
	}

	_, elsewhere, err := LookPath("npx-test", "/nonexistent")
	if err != ErrNotFound {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	want := []string{
		filepath.Join(home, ".nvm/versions/node/v22.1.0/bin/npx-test"),
		filepath.Join(home, ".nvm/versions/node/v18.20.0/bin/npx-test"),
		filepath.Join(home, ".volta/bin/npx-test"),
	}
	if !reflect.DeepEqual(elsewhere, want) {
		t.Errorf("elsewhere = %v, want %v", elsewhere, want)
	}

	if _, _, err := LookPath(filepath.Join(onPath, "missing"), ""); err == nil {
		t.Error("a missing absolute path was found")
	}
}

func TestReadLines(t *testing.T) {
	input := "short\r\n" + strings.Repeat("y", 300) + "\n{\"a\":1}\nlast"
	out := make(chan stdoutLine, 10)
	readLines(strings.NewReader(input), 100, out, make(chan struct{}))
	var got []string
	for l := range out {
		switch {
		case l.eof:
			got = append(got, "EOF")
			close(out)
		case l.tooLong:
			got = append(got, "TOO LONG "+string(l.text[:3]))
		default:
			got = append(got, string(l.text))
		}
	}
	want := []string{"short", "TOO LONG yyy", `{"a":1}`, "last", "EOF"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines = %q, want %q", got, want)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		line string
		kind int
	}{
		{`{"id":0,"result":{},"jsonrpc":"2.0"}`, kindResponse},
		{`{"result":{},"jsonrpc":"2.0","id":0}`, kindResponse},
		{`{"jsonrpc":"2.0","id":0,"error":{"code":-1,"message":"x"}}`, kindResponse},
		{`{"jsonrpc":"2.0","id":"a","method":"roots/list"}`, kindRequest},
		{`{"method":"notifications/message","jsonrpc":"2.0"}`, kindNotification},
		{`{`, kindIncomplete},
		{`{"jsonrpc": "2.0",`, kindIncomplete},
		{`{"a":1} trailing`, kindNotJSON},
		{`Server started`, kindNotJSON},
		{`[1,2]`, kindNotJSONRPC},
		{`{"status":"ready"}`, kindNotJSONRPC},
		{`{"method":7}`, kindNotJSONRPC},
	}
	for _, tt := range tests {
		if got, _ := classify([]byte(tt.line)); got != tt.kind {
			t.Errorf("classify(%s) = %d, want %d", tt.line, got, tt.kind)
		}
	}
}

func TestRing(t *testing.T) {
	g := newRing(16)
	g.Write([]byte("first line\nNo valid authori"))
	g.Write([]byte("zation token found\nend\n"))
	if !g.seen("No valid authorization token") {
		t.Error("a pattern split across writes was missed")
	}
	if tail := g.tail(); tail != "end\n" {
		t.Errorf("tail = %q", tail)
	}
}
