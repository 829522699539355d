package probe

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// stdoutLine is one line the server wrote to stdout, without its newline.
// A line longer than the cap arrives once, as soon as the cap is passed,
// with tooLong set and only its first bytes in text; the rest of it is
// read and thrown away.
type stdoutLine struct {
	text    []byte
	tooLong bool
	eof     bool  // no more lines: stdout closed or unreadable
	err     error // the read error when eof is not a clean end of file
	// at is when the line was read: a response read before its request
	// was sent was written before the server could have seen it.
	at time.Time
}

// headBytes is how much of an overlong line is kept for the diagnosis.
const headBytes = 4096

// readLines sends the lines of r to out until r ends or done closes.
// It holds at most maxLine bytes of a line in memory.
func readLines(r io.Reader, maxLine int, out chan<- stdoutLine, done <-chan struct{}) {
	send := func(l stdoutLine) bool {
		l.at = time.Now()
		select {
		case out <- l:
			return true
		case <-done:
			return false
		}
	}
	br := bufio.NewReaderSize(r, 64*1024)
	var line []byte
	discarding := false
	for {
		chunk, err := br.ReadSlice('\n')
		if discarding {
			if err == nil {
				discarding = false
			}
		} else {
			if need := len(line) + len(chunk); need > cap(line) {
				// Grow by doubling, but never past what the cap needs, so
				// a huge line costs at most about twice maxLine.
				grown := make([]byte, len(line), min(max(2*cap(line), need), maxLine+len(chunk)))
				copy(grown, line)
				line = grown
			}
			line = append(line, chunk...)
			if len(line) > maxLine {
				head := line[:min(len(line), headBytes)]
				if !send(stdoutLine{text: bytes.Clone(head), tooLong: true}) {
					return
				}
				line = nil
				discarding = err != nil // the newline was in this chunk otherwise
			} else if err == nil {
				text := bytes.TrimSuffix(line[:len(line)-1], []byte{'\r'})
				if !send(stdoutLine{text: bytes.Clone(text)}) {
					return
				}
				line = line[:0]
			}
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if len(line) > 0 && !send(stdoutLine{text: bytes.Clone(line)}) {
				return
			}
			if errors.Is(err, io.EOF) {
				err = nil
			}
			send(stdoutLine{eof: true, err: err})
			return
		}
		// Keep a long line's buffer from growing past the cap it needs.
		if len(line) == 0 && cap(line) > 1<<20 {
			line = nil
		}
	}
}

// ring keeps the last size bytes written to it, for the stderr tail, and
// looks at each complete line for the messages the diagnoses need.
type ring struct {
	mu      sync.Mutex
	buf     []byte
	size    int
	total   int64
	partial []byte // the current, unfinished line, capped
	matched map[string]bool
}

// stderrPatterns are texts that, seen on stderr, explain a failure.
var stderrPatterns = []string{
	"No valid authorization token",
	"AUTH0_DOMAIN is required",
	"Invalid Auth0 configuration",
	"Failed to load keytar native addon",
	"libsecret-1.so",
	"Cannot autolaunch D-Bus",
	"org.freedesktop.secrets",
	"Error retrieving AUTH0_TOKEN from keychain",
	"npx canceled due to missing packages",
}

const maxScannedLine = 8192

func newRing(size int) *ring {
	return &ring{size: size, matched: map[string]bool{}}
}

func (g *ring) Write(p []byte) (int, error) {
	n := len(p)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.total += int64(n)
	if len(p) >= g.size {
		g.buf = append(g.buf[:0], p[len(p)-g.size:]...)
	} else {
		if over := len(g.buf) + len(p) - g.size; over > 0 {
			g.buf = append(g.buf[:0], g.buf[over:]...)
		}
		g.buf = append(g.buf, p...)
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			g.keep(p)
			break
		}
		g.keep(p[:i])
		g.scan(g.partial)
		g.partial = g.partial[:0]
		p = p[i+1:]
	}
	return n, nil
}

func (g *ring) keep(p []byte) {
	room := maxScannedLine - len(g.partial)
	g.partial = append(g.partial, p[:min(len(p), max(room, 0))]...)
}

func (g *ring) scan(line []byte) {
	for _, pat := range stderrPatterns {
		if !g.matched[pat] && bytes.Contains(line, []byte(pat)) {
			g.matched[pat] = true
		}
	}
}

// seen reports whether any of the patterns appeared on a stderr line.
func (g *ring) seen(patterns ...string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, p := range patterns {
		if g.matched[p] {
			return true
		}
	}
	return false
}

// flush scans the last line when the stream ended without a newline.
func (g *ring) flush() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.scan(g.partial)
	g.partial = g.partial[:0]
}

// tail returns the kept bytes as text, starting at a line boundary when
// older output was dropped: the cut may go through a secret, whose end
// nothing would recognise. When the kept bytes hold no line boundary at
// all, the whole of them is one cut line and only its last bytes are kept,
// after "…", for the opaque-run masking to judge.
func (g *ring) tail() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := g.buf
	prefix := ""
	if g.total > int64(len(b)) {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		} else {
			b = b[max(len(b)-headBytes, 0):]
			prefix = "…"
		}
	}
	return prefix + strings.ToValidUTF8(string(b), "\uFFFD")
}

// lastLines returns up to n of the last non-empty lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	var keep []string
	for i := len(lines) - 1; i >= 0 && len(keep) < n; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			keep = append([]string{l}, keep...)
		}
	}
	return strings.Join(keep, " | ")
}

// excerpt makes a short, printable piece of server output: redacted
// first, while the text is still whole, then cut to at most n runes.
func excerpt(redact func(string) string, b []byte, n int) string {
	s := strings.ToValidUTF8(string(b[:min(len(b), headBytes)]), "\uFFFD")
	s = redact(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
