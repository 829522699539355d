package configfix

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
)

// TestUnifiedDiffKeepsLineNumbers: diffing only the changed middle must
// give the same hunks, with the files' own line numbers, as a full diff.
func TestUnifiedDiffKeepsLineNumbers(t *testing.T) {
	var a, b []string
	for i := 0; i < 200; i++ {
		line := fmt.Sprintf("line %d\n", i)
		a = append(a, line)
		b = append(b, line)
	}
	b[100] = "changed\n"
	b = append(b[:150], append([]string{"inserted\n"}, b[150:]...)...)
	want, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{A: a, B: b, FromFile: "f", ToFile: "g", Context: 3})
	if got := unifiedDiff(a, b, "f", "g"); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(want, "@@ -98,7 +98,7 @@") {
		t.Fatalf("the test's own diff is not what it expects:\n%s", want)
	}
}
