package configfix

import (
	"fmt"

	"github.com/auth0mcp/auth0mcp/internal/secrets"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Kind is the type of a JSON value.
type Kind uint8

// The kinds of JSON value.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

// Node is one JSON value with its place in the source. Objects keep every
// member in source order, duplicates included, because the audit must see
// each copy of a key and a rewrite must remove each one.
type Node struct {
	Kind       Kind
	Start, End int    // byte offsets of the value in the source
	Str        string // the decoded value of a String
	Members    []Member
	Elems      []*Node
}

// Member is one key and its value inside an object.
type Member struct {
	Key              string
	KeyStart, KeyEnd int
	Value            *Node
}

// Get returns the value of the last member named key, as JavaScript's
// JSON.parse would keep it, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i].Value
		}
	}
	return nil
}

// SyntaxError says why a file is not JSON as a strict parser reads it.
type SyntaxError struct {
	Kind    string // bom, comment, trailing-comma, empty, invalid-utf8, too-deep, syntax
	Offset  int    // byte offset of the problem
	Line    int    // 1-based
	Column  int    // 1-based, in characters
	Message string
	Excerpt string // the offending line, shortened; callers redact it before showing it
}

func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return e.Message
	}
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Message)
}

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
// Real client configs nest a handful of levels.
const maxDepth = 512

// ParseStrict parses src the way Claude Desktop does (JSON.parse): no byte
// order mark, no comments, no trailing commas. Duplicate keys are allowed,
// as in JavaScript. Invalid UTF-8 is rejected: Node would replace it and
// silently change the values.
func ParseStrict(src []byte) (*Node, *SyntaxError) {
	return parse(src, false)
}

// ParseTolerant accepts what editors and some clients accept on top of
// JSON: a byte order mark, // and /* */ comments and trailing commas. The
// offsets in the result point into src, so edits can be made on the
// original bytes.
func ParseTolerant(src []byte) (*Node, *SyntaxError) {
	n, _, err := parseJunk(src)
	return n, err
}

// parseJunk parses tolerantly and also returns, in order, the spans of
// the BOM, comments and trailing commas it skipped.
func parseJunk(src []byte) (*Node, []Span, *SyntaxError) {
	p := &parser{src: src, tolerant: true}
	n, err := p.run()
	return n, p.junk, err
}

func parse(src []byte, tolerant bool) (*Node, *SyntaxError) {
	p := &parser{src: src, tolerant: tolerant}
	return p.run()
}

func (p *parser) run() (*Node, *SyntaxError) {
	src, tolerant := p.src, p.tolerant
	if len(src) == 0 {
		return nil, p.fail(0, "empty", "the file is empty (zero bytes), which is not JSON")
	}
	if !utf8.Valid(src) {
		off := firstInvalidUTF8(src)
		return nil, p.fail(off, "invalid-utf8", "invalid UTF-8 byte sequence")
	}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		if !tolerant {
			return nil, p.fail(0, "bom", "the file starts with a UTF-8 byte order mark")
		}
		p.junk = append(p.junk, Span{0, 3})
		p.pos = 3
	}
	if err := p.skipSpace(); err != nil {
		return nil, err
	}
	if p.pos >= len(src) {
		return nil, p.fail(p.pos, "empty", "the file holds no JSON value, only white space")
	}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if err := p.skipSpace(); err != nil {
		return nil, err
	}
	if p.pos < len(src) {
		return nil, p.fail(p.pos, "syntax", fmt.Sprintf("unexpected %s after the end of the top-level value", p.describe(p.pos)))
	}
	return n, nil
}

type parser struct {
	src      []byte
	pos      int
	tolerant bool
	slab     []Node // nodes are cut from slabs: one allocation per many values
	// Members and elements of open containers gather on these stacks and
	// are copied into an exactly sized slice when the container closes.
	members []Member
	elems   []*Node
	junk    []Span // what the tolerant parser skipped that JSON does not allow
}

// Span is a byte range [Start, End) of the source.
type Span struct{ Start, End int }

func (p *parser) node(k Kind, start int) *Node {
	if len(p.slab) == 0 {
		p.slab = make([]Node, 256)
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	n.Kind, n.Start = k, start
	return n
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return 0
}

func (p *parser) fail(off int, kind, msg string) *SyntaxError {
	line, col, excerpt := Position(p.src, off)
	return &SyntaxError{Kind: kind, Offset: off, Line: line, Column: col, Message: msg, Excerpt: excerpt}
}

// Position turns a byte offset into a 1-based line and character column,
// and returns that line shortened to at most 100 characters around the
// column. A CR before the LF does not count as a character of the line.
func Position(src []byte, off int) (line, col int, excerpt string) {
	if off > len(src) {
		off = len(src)
	}
	lineStart := 0
	line = 1
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	col = utf8.RuneCount(src[lineStart:off]) + 1
	lineEnd := lineStart
	for lineEnd < len(src) && src[lineEnd] != '\n' {
		lineEnd++
	}
	text := strings.TrimRight(string(src[lineStart:lineEnd]), "\r")
	text = strings.ToValidUTF8(text, "\uFFFD")
	// Hide secrets in the whole line before cutting it: a cut token
	// loses the shape that tells it is one.
	head := utf8.RuneCountInString(text)
	text = maskOpaque(secrets.Redact(text))
	if n := utf8.RuneCountInString(text); n != head && col-1 > n {
		col = n + 1
	}
	runes := []rune(text)
	const width = 100
	if len(runes) > width {
		from := col - 1 - width/2
		if from < 0 {
			from = 0
		}
		if from+width > len(runes) {
			from = len(runes) - width
		}
		prefix, suffix := "", ""
		if from > 0 {
			prefix = "…"
		}
		if from+width < len(runes) {
			suffix = "…"
		}
		text = prefix + string(runes[from:from+width]) + suffix
	}
	return line, col, strings.TrimSpace(text)
}

// displayKey quotes a key for an error message, or shows only its preview
// when it may be a secret: long, or one that Redact would hide.
func displayKey(key string) string {
	if len(key) > 40 || secrets.Redact(key) != key || maskOpaque(key) != key {
		return "<" + secrets.Preview(key, "") + ">"
	}
	return strconv.Quote(key)
}

// maskOpaque hides runs of 20 or more token characters that mix letters
// and digits (a token cut from its context, a signature), keeping their
// first 4 characters, for excerpts of lines that failed to parse.
func maskOpaque(s string) string {
	isTok := func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == '-' || c == '+' || c == '/' || c == '='
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !isTok(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		letters, digits := false, false
		for j < len(s) && isTok(s[j]) {
			letters = letters || (s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z')
			digits = digits || (s[j] >= '0' && s[j] <= '9')
			j++
		}
		if j-i >= 20 && letters && digits {
			b.WriteString(s[i : i+4])
			b.WriteString("…")
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

func (p *parser) describe(off int) string {
	if off >= len(p.src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.src[off:])
	switch {
	case r == '\'':
		return "single quote (JSON strings use double quotes)"
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf("control character U+%04X", r)
	default:
		return strconv.Quote(string(r))
	}
}

// skipSpace skips JSON white space, and comments in tolerant mode. In
// strict mode a comment is an error of its own kind.
func (p *parser) skipSpace() *SyntaxError {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; c {
		case ' ', '\t', '\n', '\r':
			p.pos++
		case '/':
			if p.pos+1 >= len(p.src) || (p.src[p.pos+1] != '/' && p.src[p.pos+1] != '*') {
				return p.fail(p.pos, "syntax", "unexpected \"/\"")
			}
			if !p.tolerant {
				return p.fail(p.pos, "comment", "a comment, which JSON does not allow")
			}
			start := p.pos
			if err := p.skipComment(); err != nil {
				return err
			}
			p.junk = append(p.junk, Span{start, p.pos})
		default:
			return nil
		}
	}
	return nil
}

func (p *parser) skipComment() *SyntaxError {
	start := p.pos
	if p.src[p.pos+1] == '/' {
		for p.pos < len(p.src) && p.src[p.pos] != '\n' {
			p.pos++
		}
		return nil
	}
	p.pos += 2
	for p.pos+1 < len(p.src) {
		if p.src[p.pos] == '*' && p.src[p.pos+1] == '/' {
			p.pos += 2
			return nil
		}
		p.pos++
	}
	return p.fail(start, "syntax", "a /* comment that is never closed")
}

func (p *parser) value(depth int) (*Node, *SyntaxError) {
	if depth > maxDepth {
		return nil, p.fail(p.pos, "too-deep", fmt.Sprintf("values nested more than %d levels deep", maxDepth))
	}
	if p.pos >= len(p.src) {
		return nil, p.fail(p.pos, "syntax", "unexpected end of file: a value is missing")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		start := p.pos
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		n := p.node(String, start)
		n.End, n.Str = p.pos, s
		return n, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", Bool)
	case c == 'f':
		return p.literal("false", Bool)
	case c == 'n':
		return p.literal("null", Null)
	default:
		return nil, p.fail(p.pos, "syntax", fmt.Sprintf("unexpected %s where a value should be", p.describe(p.pos)))
	}
}

func (p *parser) literal(word string, k Kind) (*Node, *SyntaxError) {
	start := p.pos
	if len(p.src)-p.pos < len(word) || string(p.src[p.pos:p.pos+len(word)]) != word {
		return nil, p.fail(p.pos, "syntax", fmt.Sprintf("unexpected %s where a value should be", p.describe(p.pos)))
	}
	p.pos += len(word)
	n := p.node(k, start)
	n.End = p.pos
	return n, nil
}

func (p *parser) number() (*Node, *SyntaxError) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	bad := func() (*Node, *SyntaxError) {
		return nil, p.fail(p.pos, "syntax", "malformed number")
	}
	if p.src[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.src) && p.src[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return bad()
	}
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return bad()
		}
	}
	if p.pos < len(p.src) && (p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return bad()
		}
	}
	n := p.node(Number, start)
	n.End = p.pos
	return n, nil
}

// str reads a string starting at the opening quote and returns its value.
func (p *parser) str() (string, *SyntaxError) {
	start := p.pos
	p.pos++
	// Fast path: no escapes.
	for i := p.pos; i < len(p.src); i++ {
		c := p.src[i]
		if c == '"' {
			// No escapes: the value is the source bytes themselves. The
			// string shares them (no copy); sources are never modified
			// once parsed, which every caller keeps to.
			s := unsafe.String(&p.src[p.pos], i-p.pos)
			if i == p.pos {
				s = ""
			}
			p.pos = i + 1
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	var b strings.Builder
	for {
		if p.pos >= len(p.src) {
			return "", p.fail(start, "syntax", "a string that is never closed")
		}
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c < 0x20:
			if c == '\n' {
				return "", p.fail(p.pos, "syntax", "a line break inside a string (a missing closing quote?)")
			}
			return "", p.fail(p.pos, "syntax", fmt.Sprintf("control character U+%04X inside a string (escape it)", c))
		case c == '\\':
			if err := p.escape(&b); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
}

func (p *parser) escape(b *strings.Builder) *SyntaxError {
	at := p.pos
	if p.pos+1 >= len(p.src) {
		return p.fail(at, "syntax", "a string that is never closed")
	}
	e := p.src[p.pos+1]
	p.pos += 2
	switch e {
	case '"', '\\', '/':
		b.WriteByte(e)
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		r, ok := p.hex4()
		if !ok {
			return p.fail(at, "syntax", "malformed \\u escape")
		}
		if utf16.IsSurrogate(r) {
			// A pair decodes to one rune; a lone surrogate becomes U+FFFD,
			// which is what a JavaScript string would show.
			if p.pos+1 < len(p.src) && p.src[p.pos] == '\\' && p.src[p.pos+1] == 'u' {
				save := p.pos
				p.pos += 2
				if r2, ok := p.hex4(); ok && utf16.DecodeRune(r, r2) != utf8.RuneError {
					r = utf16.DecodeRune(r, r2)
				} else {
					p.pos = save
					r = utf8.RuneError
				}
			} else {
				r = utf8.RuneError
			}
		}
		b.WriteRune(r)
	default:
		return p.fail(at, "syntax", fmt.Sprintf("invalid escape \\%c in a string", e))
	}
	return nil
}

func (p *parser) hex4() (rune, bool) {
	if p.pos+4 > len(p.src) {
		return 0, false
	}
	var r rune
	for _, c := range p.src[p.pos : p.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c-'a') + 10
		case c >= 'A' && c <= 'F':
			r |= rune(c-'A') + 10
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

func (p *parser) object(depth int) (*Node, *SyntaxError) {
	n := p.node(Object, p.pos)
	p.pos++
	comma := -1            // offset of the last comma, for the trailing-comma message
	base := len(p.members) // on an error the parse ends, so only success restores it
	for {
		if err := p.skipSpace(); err != nil {
			return nil, err
		}
		if p.pos >= len(p.src) {
			return nil, p.fail(n.Start, "syntax", "an object that is never closed (a missing \"}\")")
		}
		if p.src[p.pos] == '}' {
			if comma >= 0 && !p.tolerant {
				return nil, p.fail(comma, "trailing-comma", "a trailing comma before \"}\", which JSON does not allow")
			}
			if comma >= 0 {
				p.junk = append(p.junk, Span{comma, comma + 1})
			}
			p.pos++
			n.End = p.pos
			if k := len(p.members) - base; k > 0 {
				n.Members = make([]Member, k)
				copy(n.Members, p.members[base:])
				p.members = p.members[:base]
			}
			return n, nil
		}
		if len(p.members) > base && comma < 0 {
			return nil, p.fail(p.pos, "syntax", fmt.Sprintf("expected \",\" or \"}\" after an object member, found %s", p.describe(p.pos)))
		}
		if p.src[p.pos] != '"' {
			return nil, p.fail(p.pos, "syntax", fmt.Sprintf("expected a key in double quotes, found %s", p.describe(p.pos)))
		}
		keyStart := p.pos
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		keyEnd := p.pos
		if err := p.skipSpace(); err != nil {
			return nil, err
		}
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return nil, p.fail(p.pos, "syntax", fmt.Sprintf("expected \":\" after the key %s, found %s", displayKey(key), p.describe(p.pos)))
		}
		p.pos++
		if err := p.skipSpace(); err != nil {
			return nil, err
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.members = append(p.members, Member{Key: key, KeyStart: keyStart, KeyEnd: keyEnd, Value: v})
		if err := p.skipSpace(); err != nil {
			return nil, err
		}
		comma = -1
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			comma = p.pos
			p.pos++
		}
	}
}

func (p *parser) array(depth int) (*Node, *SyntaxError) {
	n := p.node(Array, p.pos)
	p.pos++
	comma := -1
	base := len(p.elems)
	for {
		if err := p.skipSpace(); err != nil {
			return nil, err
		}
		if p.pos >= len(p.src) {
			return nil, p.fail(n.Start, "syntax", "an array that is never closed (a missing \"]\")")
		}
		if p.src[p.pos] == ']' {
			if comma >= 0 && !p.tolerant {
				return nil, p.fail(comma, "trailing-comma", "a trailing comma before \"]\", which JSON does not allow")
			}
			if comma >= 0 {
				p.junk = append(p.junk, Span{comma, comma + 1})
			}
			p.pos++
			n.End = p.pos
			if k := len(p.elems) - base; k > 0 {
				n.Elems = make([]*Node, k)
				copy(n.Elems, p.elems[base:])
				p.elems = p.elems[:base]
			}
			return n, nil
		}
		if len(p.elems) > base && comma < 0 {
			return nil, p.fail(p.pos, "syntax", fmt.Sprintf("expected \",\" or \"]\" after an array element, found %s", p.describe(p.pos)))
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.elems = append(p.elems, v)
		if err := p.skipSpace(); err != nil {
			return nil, err
		}
		comma = -1
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			comma = p.pos
			p.pos++
		}
	}
}

// PointerToken escapes one reference token of a JSON Pointer (RFC 6901).
func PointerToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// Pointer joins a parent pointer and one more key or index.
func Pointer(parent, token string) string {
	return parent + "/" + PointerToken(token)
}
