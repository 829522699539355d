package doctor

import (
	"os"
	"strings"
	"testing"

	"github.com/auth0mcp/auth0mcp/internal/secrets"
)

// TestDocsListEveryCheckAndRule keeps docs/checks.md in step with the code.
func TestDocsListEveryCheckAndRule(t *testing.T) {
	doc, err := os.ReadFile("../docs/checks.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Checks() {
		if !strings.Contains(string(doc), "| `"+c.ID+"` |") {
			t.Errorf("docs/checks.md does not describe check %s", c.ID)
		}
	}
	for _, r := range secrets.Rules {
		if !strings.Contains(string(doc), "| `"+r.ID+"` |") {
			t.Errorf("docs/checks.md does not describe rule %s", r.ID)
		}
	}
}
