package configfix

import (
	"fmt"
	"github.com/auth0mcp/auth0mcp/internal/configgen"
	"testing"
	"time"
)

// bigConfig is the generated config the benchmarks use (internal/configgen):
// an Auth0 entry with a stored token, 300 other servers (every tenth with a
// stored token) and a preferences block that fills the rest.
func bigConfig(size int) []byte { return configgen.Generate(size) }

func TestBigConfigIsValid(t *testing.T) {
	src := bigConfig(200 << 10)
	c := &Config{Client: ClaudeDesktop, Exists: true}
	c.Parse(src)
	if c.Strict != nil {
		t.Fatal(c.Strict)
	}
	a := c.Audit(time.Now())
	if len(a.Findings) != 31 {
		t.Errorf("found %d secrets, want the 31 planted", len(a.Findings))
	}
}

// BenchmarkAudit reads, parses and audits a config: everything doctor does
// with a file before rendering the report.
func BenchmarkAudit(b *testing.B) {
	for _, size := range []int{10 << 10, 1 << 20, 5 << 20} {
		src := bigConfig(size)
		b.Run(fmt.Sprintf("size=%s", human(len(src))), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				c := &Config{Client: ClaudeDesktop, Exists: true}
				c.Parse(src)
				c.Audit(time.Now())
				c.Schema()
				c.Duplicates()
			}
		})
	}
}

func human(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMB", n>>20)
	}
	return fmt.Sprintf("%dKB", n>>10)
}
