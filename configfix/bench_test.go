package configfix

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

// bigConfig builds a Claude Desktop config of about size bytes: 300
// server entries (every tenth with a stored token), then a preferences
// block of long identifiers that fills the rest, as real apps' files do.
func bigConfig(size int) []byte {
	r := rand.New(rand.NewSource(1))
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	rnd := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alnum[r.Intn(len(alnum))]
		}
		return string(b)
	}
	var b strings.Builder
	b.WriteString("{\n  \"mcpServers\": {\n")
	for i := 0; i < 300; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `    "server-%d": {"command": "npx", "args": ["-y", "@example/server-%d@1.2.%d", "--port", "%d"], "env": {"LOG_LEVEL": "debug", "SERVICE_ID": "%s"`, i, i, i, 3000+i, rnd(24))
		if i%10 == 0 {
			fmt.Fprintf(&b, `, "API_TOKEN": "ghp_%s"`, rnd(36))
		}
		b.WriteString("}}")
	}
	b.WriteString("\n  },\n  \"preferences\": {\n")
	for i := 0; b.Len() < size-64; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `    "conversation-%d": {"id": "%s", "pinned": %v, "title": "Chat number %d"}`, i, rnd(32), i%2 == 0, i)
	}
	b.WriteString("\n  }\n}\n")
	return []byte(b.String())
}

func TestBigConfigIsValid(t *testing.T) {
	src := bigConfig(200 << 10)
	c := &Config{Client: ClaudeDesktop, Exists: true}
	c.Parse(src)
	if c.Strict != nil {
		t.Fatal(c.Strict)
	}
	a := c.Audit(time.Now())
	if len(a.Findings) != 30 {
		t.Errorf("found %d secrets, want the 30 planted", len(a.Findings))
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
