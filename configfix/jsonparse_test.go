package configfix

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseStrictErrors(t *testing.T) {
	tests := []struct {
		name, src  string
		kind       string
		line, col  int
		wantInMsg  string
		tolerantOK bool
	}{
		{"empty", "", "empty", 1, 1, "zero bytes", false},
		{"only space", " \n\t", "empty", 2, 2, "white space", false},
		{"bom", "\xEF\xBB\xBF{}", "bom", 1, 1, "byte order mark", true},
		{"line comment", "{\n  // hi\n  \"a\": 1\n}", "comment", 2, 3, "comment", true},
		{"block comment", "{\"a\": /* x */ 1}", "comment", 1, 7, "comment", true},
		{"trailing comma object", "{\n \"a\": 1,\n}", "trailing-comma", 2, 8, "trailing comma", true},
		{"trailing comma array", "[1, 2,]", "trailing-comma", 1, 6, "trailing comma", true},
		{"invalid utf8", "{\"a\": \"\xff\"}", "invalid-utf8", 1, 8, "UTF-8", false},
		{"single quotes", "{'a': 1}", "syntax", 1, 2, "single quote", false},
		{"missing comma", "{\"a\": 1\n \"b\": 2}", "syntax", 2, 2, "expected", false},
		{"unclosed", "{\"a\": [1, 2", "syntax", 1, 7, "never closed", false},
		{"bad number", "[01]", "syntax", 1, 3, "expected", false},
		{"garbage after", "{} x", "syntax", 1, 4, "after the end", false},
		{"newline in string", "{\"a\": \"b\nc\"}", "syntax", 1, 9, "line break", false},
		{"bad escape", `{"a": "\x"}`, "syntax", 1, 8, "invalid escape", false},
		{"unicode column", "{\"é\": 1,}", "trailing-comma", 1, 8, "trailing comma", true},
		{"crlf line", "{\r\n\"a\": 1,\r\n}", "trailing-comma", 2, 7, "trailing comma", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseStrict([]byte(tt.src))
			if err == nil {
				t.Fatalf("ParseStrict(%q) succeeded, want a %s error", tt.src, tt.kind)
			}
			if err.Kind != tt.kind || err.Line != tt.line || err.Column != tt.col {
				t.Errorf("got kind %s at %d:%d (%s), want %s at %d:%d", err.Kind, err.Line, err.Column, err.Message, tt.kind, tt.line, tt.col)
			}
			if !strings.Contains(err.Message, tt.wantInMsg) {
				t.Errorf("message %q does not mention %q", err.Message, tt.wantInMsg)
			}
			_, lerr := ParseTolerant([]byte(tt.src))
			if (lerr == nil) != tt.tolerantOK {
				t.Errorf("ParseTolerant error = %v, want ok=%v", lerr, tt.tolerantOK)
			}
		})
	}
}

func TestParseValuesAndOffsets(t *testing.T) {
	src := "{\r\n\t\"a\\u00e9\": [\"x\\ny\", -1.5e3, true, null],\r\n\t\"a\": {\"k\": \"\\ud83d\\ude00\"}\r\n}"
	n, err := ParseStrict([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Members) != 2 || n.Members[0].Key != "aé" || n.Members[1].Key != "a" {
		t.Fatalf("members = %+v", n.Members)
	}
	arr := n.Members[0].Value
	if arr.Elems[0].Str != "x\ny" {
		t.Errorf("escaped string = %q", arr.Elems[0].Str)
	}
	if got := src[arr.Elems[1].Start:arr.Elems[1].End]; got != "-1.5e3" {
		t.Errorf("number source = %q", got)
	}
	if got := n.Get("a").Get("k").Str; got != "😀" {
		t.Errorf("surrogate pair = %q", got)
	}
	s := n.Get("a").Get("k")
	if got := src[s.Start:s.End]; got != `"\ud83d\ude00"` {
		t.Errorf("string offsets cover %q", got)
	}
}

func TestDuplicateKeysKeepLast(t *testing.T) {
	n, err := ParseStrict([]byte(`{"a": 1, "b": 2, "a": "last"}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Members) != 3 {
		t.Fatalf("want every copy kept, got %d members", len(n.Members))
	}
	if n.Get("a").Str != "last" {
		t.Errorf("Get kept %q, want the last copy as JavaScript does", n.Get("a").Str)
	}
}

func TestTooDeep(t *testing.T) {
	src := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	_, err := ParseStrict([]byte(src))
	if err == nil || err.Kind != "too-deep" {
		t.Fatalf("err = %v, want too-deep", err)
	}
}

func TestPointerEscaping(t *testing.T) {
	if got := Pointer("/mcpServers", "github.com/upstash/context7-mcp"); got != "/mcpServers/github.com~1upstash~1context7-mcp" {
		t.Errorf("got %q", got)
	}
	if got := PointerToken("a~b/c"); got != "a~0b~1c" {
		t.Errorf("got %q", got)
	}
}

// FuzzParse checks the strict parser against encoding/json: both accept
// the same documents (Go rejects none that JSON.parse accepts except for
// invalid UTF-8, which we reject too), the tolerant parser accepts all that
// the strict one does, and nothing panics.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2,{"b":null}]}`, "\xEF\xBB\xBF{}", `{"a":1,}`,
		"{//c\n}", `[1e5,-0.1,"\u00e9"]`, `"\ud800"`, `{"a":1,"a":2}`, ``, ` `, `[`, `{"a"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := ParseStrict(b)
		valid := json.Valid(b)
		if (err == nil) != valid {
			t.Fatalf("ParseStrict ok=%v but json.Valid=%v for %q (err %v)", err == nil, valid, b, err)
		}
		if err != nil {
			if err.Line < 1 || err.Column < 1 || err.Offset < 0 || err.Offset > len(b) {
				t.Fatalf("bad position %+v", err)
			}
			return
		}
		if n.Start < 0 || n.End > len(b) || n.Start > n.End {
			t.Fatalf("bad offsets %d..%d", n.Start, n.End)
		}
		if _, err := ParseTolerant(b); err != nil {
			t.Fatalf("tolerant parser rejects strict JSON: %v", err)
		}
	})
}
