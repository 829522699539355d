package configfix

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkAuditAndPlan parses, audits and plans the rewrite of a config
// (every stored secret removed, as with --all): what fix-config does
// before it shows or writes anything.
func BenchmarkAuditAndPlan(b *testing.B) {
	for _, size := range []int{10 << 10, 1 << 20, 5 << 20} {
		src := bigConfig(size)
		b.Run(fmt.Sprintf("size=%s", human(len(src))), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				c := &Config{Client: ClaudeDesktop, Path: "claude_desktop_config.json", Exists: true}
				c.Parse(src)
				now := time.Now()
				c.Audit(now) // what doctor shows; fix-config plans from the same audit
				p, err := c.PlanFix(FixOptions{All: true, Launcher: "/usr/local/bin/auth0mcp", Now: now})
				if err != nil || !p.Changed() {
					b.Fatalf("plan: changed=%v err=%v", p != nil && p.Changed(), err)
				}
			}
		})
	}
}
