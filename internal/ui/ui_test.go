package ui

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestPlainHasNoEscapes(t *testing.T) {
	var b bytes.Buffer
	s := NewStream(&b, false) // a buffer is not a terminal
	if s.Styled() {
		t.Fatal("a buffer must get plain output")
	}
	out := s.Mark(StatusFail) + s.Bold("x") + s.Faint("y") + s.Color(StatusOK, "z")
	if strings.Contains(out, "\x1b") || out != "fail   xyz" {
		t.Errorf("plain output = %q", out)
	}
}

func TestStyledUsesSymbols(t *testing.T) {
	s := Styled(&bytes.Buffer{})
	if m := s.Mark(StatusOK); !strings.Contains(m, "✓") || !strings.Contains(m, "\x1b[") {
		t.Errorf("styled mark = %q", m)
	}
}

func TestNoColorOnATerminal(t *testing.T) {
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no terminal here: " + err.Error())
	}
	defer tty.Close()
	t.Setenv("NO_COLOR", "1")
	if NewStream(tty, false).Styled() {
		t.Error("NO_COLOR must turn styling off")
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/home/u/.config/Claude/c.json":                        "/home/u/.config/Claude/c.json",
		"/Users/sam/Library/Application Support/Claude/c.json": "'/Users/sam/Library/Application Support/Claude/c.json'",
		"it's": `'it'\''s'`,
		"":     "''",
	} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSanitize(t *testing.T) {
	if got := Sanitize("a\x1b]0;pwned\x07\x1b[2Jb\nc\td"); got != `a\u001b]0;pwned\u0007\u001b[2Jb`+"\nc\td" {
		t.Errorf("Sanitize = %q", got)
	}
	if got := Sanitize("plain é ✓"); got != "plain é ✓" {
		t.Errorf("Sanitize changed clean text: %q", got)
	}
}
