// Package ui styles what auth0mcp prints. Each output stream gets its own
// renderer: styled on a terminal, plain text in a pipe, in a file, or when
// NO_COLOR is set. It never asks the terminal for its background colour,
// which can stall for seconds on some terminals.
package ui

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"
	"github.com/muesli/termenv"
)

// Stream is an output stream and how to style text for it.
type Stream struct {
	io.Writer
	styled bool
	r      *lipgloss.Renderer
}

// NewStream wraps w. Text is styled only when w is a terminal, NO_COLOR is
// unset or empty, TERM is not "dumb" and noColor is false.
func NewStream(w io.Writer, noColor bool) *Stream {
	styled := !noColor && IsTerminal(w) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	return newStream(w, styled)
}

// Plain wraps w without any styling, for tests and files.
func Plain(w io.Writer) *Stream { return newStream(w, false) }

func newStream(w io.Writer, styled bool) *Stream {
	r := lipgloss.NewRenderer(w)
	// Set both explicitly: lipgloss would otherwise probe the terminal.
	r.SetHasDarkBackground(true)
	if styled {
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	return &Stream{Writer: w, styled: styled, r: r}
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// Styled reports whether the stream gets colour and symbols.
func (s *Stream) Styled() bool { return s.styled }

// Status names what a line reports.
type Status string

// The statuses of checks, probe phases and diagnoses.
const (
	StatusOK      Status = "ok"
	StatusWarn    Status = "warn"
	StatusFail    Status = "fail"
	StatusSkip    Status = "skip"
	StatusTimeout Status = "timeout"
	StatusInfo    Status = "info"
)

var marks = map[Status]struct {
	glyph string
	color string
}{
	StatusOK:      {"✓", "2"},
	StatusWarn:    {"!", "3"},
	StatusFail:    {"✗", "1"},
	StatusSkip:    {"-", "8"},
	StatusTimeout: {"⏱", "1"},
	StatusInfo:    {"i", "6"},
}

// Mark returns the marker of a status: a coloured symbol on a terminal,
// the status word padded to a fixed width in plain text.
func (s *Stream) Mark(st Status) string {
	m, ok := marks[st]
	if !ok {
		return string(st)
	}
	if !s.styled {
		return pad(string(st), 7)
	}
	return s.r.NewStyle().Foreground(lipgloss.Color(m.color)).Bold(true).Render(m.glyph)
}

func pad(s string, n int) string {
	for len(s) < n {
		s += " "
	}
	return s
}

// Bold renders text in bold on a terminal.
func (s *Stream) Bold(text string) string {
	if !s.styled {
		return text
	}
	return s.r.NewStyle().Bold(true).Render(text)
}

// Faint renders secondary text.
func (s *Stream) Faint(text string) string {
	if !s.styled {
		return text
	}
	return s.r.NewStyle().Faint(true).Render(text)
}

// Color renders text in a status's colour.
func (s *Stream) Color(st Status, text string) string {
	m, ok := marks[st]
	if !s.styled || !ok {
		return text
	}
	return s.r.NewStyle().Foreground(lipgloss.Color(m.color)).Render(text)
}

// Styled wraps w with styling on, whatever w is: for tests and previews of
// the terminal rendering.
func Styled(w io.Writer) *Stream { return newStream(w, true) }

// ShellQuote quotes a path or word for a POSIX shell when it needs
// quoting, so that a command in a fix can be pasted as it is.
func ShellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Sanitize makes text from a config or a server safe to print on a
// terminal: control characters other than newline and tab, which could
// move the cursor, clear the screen or retitle the window, are shown as
// \u escapes.
func Sanitize(s string) string {
	clean := true
	for _, r := range s {
		if isControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) || r == 0x2028 || r == 0x2029 ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) // bidirectional overrides
}
