package secrets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testNow lies between the expiry of the expired case tokens (2025-11-20) and that of the
// live ones (2031-01-01).
var testNow = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

// located is a string value of a config file with its JSON pointer and Location.
type located struct {
	pointer string
	loc     Location
}

// configLocations reads a config file the way the audit does: every string value, with
// its Kind taken from where it sits. Duplicate keys are kept (a map would drop them). Files
// that are not strict JSON are read after dropping a BOM and trailing commas, as the
// tolerant parser does.
func configLocations(t *testing.T, data []byte) []located {
	t.Helper()
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = regexp.MustCompile(`,(\s*[}\]])`).ReplaceAll(data, []byte("$1"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []located
	if err := walkJSON(dec, nil, &out); err != nil {
		t.Fatalf("walk: %v", err)
	}
	return out
}

func walkJSON(dec *json.Decoder, path []string, out *[]located) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch tok {
		case '{':
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				if err := walkJSON(dec, append(slices.Clone(path), k.(string)), out); err != nil {
					return err
				}
			}
		case '[':
			prev := ""
			for i := 0; dec.More(); i++ {
				n := len(*out)
				p := append(slices.Clone(path), strconv.Itoa(i))
				if err := walkJSON(dec, p, out); err != nil {
					return err
				}
				if len(*out) == n+1 && (*out)[n].loc.Kind == Arg {
					(*out)[n].loc.PrevArg = prev
					prev = (*out)[n].loc.Value
				} else {
					prev = ""
				}
			}
		}
		_, err := dec.Token() // closing delimiter
		return err
	case string:
		*out = append(*out, located{pointer: jsonPointer(path), loc: locationOf(path, tok)})
	}
	return nil
}

func locationOf(path []string, v string) Location {
	loc := Location{Kind: Other, Value: v}
	if len(path) > 0 {
		loc.Name = path[len(path)-1]
	}
	if len(path) < 3 || path[0] != "mcpServers" {
		return loc
	}
	loc.InServer = true
	switch {
	case len(path) == 4 && path[2] == "env":
		loc.Kind = EnvValue
	case len(path) == 4 && path[2] == "args":
		loc.Kind, loc.Name = Arg, ""
	case len(path) == 4 && path[2] == "headers":
		loc.Kind = HeaderValue
	case len(path) == 3 && (path[2] == "url" || path[2] == "serverUrl"):
		loc.Kind = URLField
	}
	return loc
}

func jsonPointer(path []string) string {
	var b strings.Builder
	for _, p := range path {
		b.WriteString("/")
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(p))
	}
	return b.String()
}

// TestCaseConfigs checks every shared case: each "flag" pointer has a hit on every value
// stored there, no "clean" pointer has one, and nothing else in the file has one either.
func TestCaseConfigs(t *testing.T) {
	files, err := filepath.Glob("testdata/configs/*.expect.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, expFile := range files {
		name := strings.TrimSuffix(filepath.Base(expFile), ".expect.json")
		t.Run(name, func(t *testing.T) {
			var exp struct{ Flag, Clean []string }
			mustReadJSON(t, expFile, &exp)
			data, err := os.ReadFile(filepath.Join("testdata/configs", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			hitsAt := map[string][]int{} // pointer -> hit count per value stored there
			for _, l := range configLocations(t, data) {
				hits := Scan(l.loc, testNow)
				checkHits(t, l.loc, hits)
				hitsAt[l.pointer] = append(hitsAt[l.pointer], len(hits))
				if len(hits) > 0 && !slices.Contains(exp.Flag, l.pointer) {
					t.Errorf("%s: unexpected hits %v", l.pointer, hits)
				}
			}
			for _, p := range exp.Flag {
				counts, ok := hitsAt[p]
				if !ok {
					t.Errorf("%s: flag pointer not in the file", p)
				}
				for i, n := range counts {
					if n == 0 {
						t.Errorf("%s (value %d): no hit, want one", p, i+1)
					}
				}
			}
			for _, p := range exp.Clean {
				if _, ok := hitsAt[p]; !ok {
					t.Errorf("%s: clean pointer not in the file", p)
				}
				for _, n := range hitsAt[p] {
					if n > 0 {
						t.Errorf("%s: %d hits, want none", p, n)
					}
				}
			}
		})
	}
}

// checkHits checks what every Hit must satisfy: offsets in bounds and matching Secret,
// ordered, no two hits on the same secret.
func checkHits(t *testing.T, loc Location, hits []Hit) {
	t.Helper()
	seen := map[string]bool{}
	for i, h := range hits {
		if h.Start < 0 || h.End > len(loc.Value) || h.Start >= h.End {
			t.Fatalf("hit %d out of bounds: %d..%d of %d", i, h.Start, h.End, len(loc.Value))
		}
		if loc.Value[h.Start:h.End] != h.Secret {
			t.Fatalf("hit %d: Value[Start:End] != Secret", i)
		}
		if i > 0 && hits[i-1].End > h.Start {
			t.Fatalf("hits %d and %d overlap or are out of order", i-1, i)
		}
		if seen[h.Secret] {
			t.Fatalf("hit %d repeats a secret", i)
		}
		seen[h.Secret] = true
		if h.Rule == "" || h.Severity == "" {
			t.Fatalf("hit %d has no rule or severity", i)
		}
	}
}

func mustReadJSON(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// caseValue returns the string stored at pointer in a case config (the first if the key
// is repeated).
func caseValue(t *testing.T, file, pointer string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata/configs", file))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range configLocations(t, data) {
		if l.pointer == pointer {
			return l.loc.Value
		}
	}
	t.Fatalf("%s: no value at %s", file, pointer)
	return ""
}

var _ = fmt.Sprint
