package configfix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// A splice replaces src[start:end] with text. A rewrite is a set of
// splices on the original bytes, so everything it does not touch stays
// byte for byte as it was: indentation, key order, line ends, the final
// newline or its absence, and comments in files that allow them.
type splice struct {
	start, end int
	text       []byte
}

// applySplices applies non-overlapping splices to src.
func applySplices(src []byte, sp []splice) ([]byte, error) {
	sort.SliceStable(sp, func(i, j int) bool {
		if sp[i].start != sp[j].start {
			return sp[i].start < sp[j].start
		}
		return sp[i].end-sp[i].start < sp[j].end-sp[j].start // an insertion goes first
	})
	var out bytes.Buffer
	out.Grow(len(src))
	pos := 0
	for _, s := range sp {
		if s.start < pos || s.end < s.start || s.end > len(src) {
			return nil, fmt.Errorf("internal error: overlapping edits at byte %d", s.start)
		}
		out.Write(src[pos:s.start])
		out.Write(s.text)
		pos = s.end
	}
	out.Write(src[pos:])
	return out.Bytes(), nil
}

// jsonString encodes s as a JSON string without HTML escaping.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimRight(b.Bytes(), "\n")
}

// item is a member of an object or an element of an array, with the byte
// range it takes.
type item struct {
	start int // the key's opening quote, or the element's first byte
	end   int // the value's last byte + 1
}

func items(n *Node) []item {
	var out []item
	if n.Kind == Object {
		for _, m := range n.Members {
			out = append(out, item{m.KeyStart, m.Value.End})
		}
	} else {
		for _, e := range n.Elems {
			out = append(out, item{e.Start, e.End})
		}
	}
	return out
}

// removeItems returns the splices that delete the items whose index is in
// drop from an object or array, with the comma that separates them and,
// when an item sits alone on its line, the whole line (with a comment
// that follows it on that line). The lines around stay as they were,
// comments of kept items included.
func removeItems(src []byte, n *Node, drop map[int]bool) []splice {
	its := items(n)
	var out []splice
	kept := 0
	for i := range its {
		if !drop[i] {
			kept++
		}
	}
	if kept == 0 && len(its) > 0 {
		// Nothing left: empty the container but keep its brackets.
		return []splice{{n.Start + 1, n.End - 1, nil}}
	}
	for i := 0; i < len(its); {
		if !drop[i] {
			i++
			continue
		}
		j := i
		for j < len(its) && drop[j] {
			j++
		}
		start, end := its[i].start, its[j-1].end
		after := skipJunk(src, end)
		if after < len(src) && src[after] == ',' {
			// The run's own comma: between items, or a trailing comma.
			end = after + 1
		} else {
			// The last items, with no comma after them: take the comma
			// that separates them from the kept item before.
			if c := skipJunk(src, its[i-1].end); c < start && src[c] == ',' {
				if isBlank(src[c+1 : start]) {
					start = c
				} else {
					out = append(out, splice{c, c + 1, nil})
				}
			}
		}
		out = append(out, wholeLines(src, start, end))
		i = j
	}
	return out
}

// wholeLines widens [start, end) to whole lines when nothing else is on
// them but white space (and a comment after end); otherwise it only eats
// the blanks after end, as in {"a": 1, "b": 2}.
func wholeLines(src []byte, start, end int) splice {
	ls := bytes.LastIndexByte(src[:start], '\n') + 1
	e := end
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	le := e
	if le+1 < len(src) && src[le] == '/' && src[le+1] == '/' {
		for le < len(src) && src[le] != '\n' {
			le++
		}
	}
	if le < len(src) && src[le] == '\r' {
		le++
	}
	if isBlank(src[ls:start]) && le < len(src) && src[le] == '\n' {
		return splice{ls, le + 1, nil}
	}
	return splice{start, e, nil}
}

// skipJunk returns the offset of the first byte at or after off that is
// neither white space nor inside a comment.
func skipJunk(src []byte, off int) int {
	for off < len(src) {
		switch {
		case isSpaceByte(src[off]):
			off++
		case off+1 < len(src) && src[off] == '/' && src[off+1] == '/':
			for off < len(src) && src[off] != '\n' {
				off++
			}
		case off+1 < len(src) && src[off] == '/' && src[off+1] == '*':
			end := bytes.Index(src[off+2:], []byte("*/"))
			if end < 0 {
				return len(src)
			}
			off += end + 4
		default:
			return off
		}
	}
	return off
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// style is how a container lays out its items: the white space before each
// item (line end and indentation), and before the closing bracket.
type style struct {
	lead, close []byte
	colon       []byte // between a key and its value
}

func styleOf(src []byte, n *Node, fallbackLead, fallbackClose []byte) style {
	st := style{lead: fallbackLead, close: fallbackClose, colon: []byte(": ")}
	its := items(n)
	if len(its) == 0 {
		return st
	}
	st.lead = whitespaceBefore(src, its[0].start, n.Start+1)
	st.close = src[its[len(its)-1].end : n.End-1]
	if !isSpace(st.close) {
		st.close = fallbackClose
	}
	if n.Kind == Object {
		m := n.Members[0]
		st.colon = src[m.KeyEnd:m.Value.Start]
	}
	return st
}

// whitespaceBefore returns the white space that ends at off, not going
// back past floor.
func whitespaceBefore(src []byte, off, floor int) []byte {
	i := off
	for i > floor && isSpaceByte(src[i-1]) {
		i--
	}
	return src[i:off]
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

func isSpace(b []byte) bool {
	for _, c := range b {
		if !isSpaceByte(c) {
			return false
		}
	}
	return true
}

// lineEnd returns the file's line ending: CRLF when its first line ends
// with one, LF otherwise.
func lineEnd(src []byte) []byte {
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		return []byte("\r\n")
	}
	return []byte("\n")
}

// indentOf returns the indentation of the line that holds off.
func indentOf(src []byte, off int) []byte {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return src[start:end]
}

// indentUnit guesses one level of indentation from the file.
func indentUnit(src []byte) []byte {
	for _, line := range bytes.Split(src, []byte("\n")) {
		i := 0
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i > 0 && i < len(line) {
			return line[:i]
		}
	}
	return []byte("  ")
}

// containerText lays out values (already encoded) as an array in the
// style of an existing container, or of its parent when it is empty.
func arrayText(src []byte, n *Node, parentIndent []byte, values [][]byte) []byte {
	le := lineEnd(src)
	lead := append(append(append([]byte{}, le...), parentIndent...), indentUnit(src)...)
	closing := append(append([]byte{}, le...), parentIndent...)
	st := style{lead: lead, close: closing}
	if n != nil {
		st = styleOf(src, n, lead, closing)
		if len(n.Elems) == 0 {
			st = style{lead: nil, close: nil}
		}
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
			if len(st.lead) == 0 {
				b.WriteByte(' ')
			}
		}
		b.Write(st.lead)
		b.Write(v)
	}
	if len(values) > 0 {
		b.Write(st.close)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// objectStyle is the layout of obj, or for an empty one the layout of a
// member one level below the line it starts on.
func objectStyle(src []byte, obj *Node) style {
	le := lineEnd(src)
	parentIndent := indentOf(src, obj.Start)
	lead := append(append(append([]byte{}, le...), parentIndent...), indentUnit(src)...)
	closing := append(append([]byte{}, le...), parentIndent...)
	return styleOf(src, obj, lead, closing)
}

// insertMember returns the splice that adds "key": value at the end of an
// object, in the object's own layout.
func insertMember(src []byte, obj *Node, key string, value []byte) splice {
	st := objectStyle(src, obj)
	var b bytes.Buffer
	if len(obj.Members) == 0 {
		b.Write(st.lead)
		b.Write(jsonString(key))
		b.Write(st.colon)
		b.Write(value)
		b.Write(st.close)
		return splice{obj.Start + 1, obj.End - 1, b.Bytes()}
	}
	last := obj.Members[len(obj.Members)-1]
	b.WriteByte(',')
	b.Write(st.lead)
	b.Write(jsonString(key))
	b.Write(st.colon)
	b.Write(value)
	return splice{last.Value.End, last.Value.End, b.Bytes()}
}

// kv is a member to add: a key and its encoded value.
type kv struct {
	key   string
	value []byte
}

// editObject returns the splices that drop some members of an object and
// add others at its end, in the object's own layout.
func editObject(src []byte, obj *Node, drop map[int]bool, add []kv) []splice {
	if len(add) == 0 {
		return removeItems(src, obj, drop)
	}
	kept := 0
	for i := range obj.Members {
		if !drop[i] {
			kept++
		}
	}
	if kept == 0 {
		st := objectStyle(src, obj)
		var b bytes.Buffer
		for i, m := range add {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(st.lead)
			b.Write(jsonString(m.key))
			b.Write(st.colon)
			b.Write(m.value)
		}
		b.Write(st.close)
		return []splice{{obj.Start + 1, obj.End - 1, b.Bytes()}}
	}
	out := removeItems(src, obj, drop)
	// Insert after the last member that stays.
	lastKept := 0
	for i := range obj.Members {
		if !drop[i] {
			lastKept = i
		}
	}
	ins := insertMember(src, obj, add[0].key, add[0].value)
	ins.start = obj.Members[lastKept].Value.End
	ins.end = ins.start
	for _, m := range add[1:] {
		more := insertMember(src, obj, m.key, m.value)
		ins.text = append(ins.text, more.text...)
	}
	return append(out, ins)
}

// objectText lays out a new object nested one level below parent, in
// parent's layout: one member per line when parent spreads over lines.
func objectText(src []byte, parent *Node, members []kv) []byte {
	le := lineEnd(src)
	st := styleOf(src, parent, nil, nil)
	var b bytes.Buffer
	b.WriteByte('{')
	multi := bytes.ContainsAny(st.lead, "\n")
	indent := bytes.TrimLeft(st.lead, "\r\n")
	for i, m := range members {
		if i > 0 {
			b.WriteByte(',')
			if !multi {
				b.WriteByte(' ')
			}
		}
		if multi {
			b.Write(le)
			b.Write(indent)
			b.Write(indentUnit(src))
		}
		b.Write(jsonString(m.key))
		b.Write(st.colon)
		b.Write(m.value)
	}
	if multi {
		b.Write(le)
		b.Write(indent)
	}
	b.WriteByte('}')
	return b.Bytes()
}
