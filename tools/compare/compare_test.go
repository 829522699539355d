//go:build linux

package main

import (
	"encoding/json"
	"github.com/auth0mcp/auth0mcp/internal/configgen"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/auth0mcp/auth0mcp/configfix"
)

// TestMain lets the test binary be the servers and the bare client, as
// the compare binary is.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "serve" {
		os.Exit(serve(os.Args[2]))
	}
	os.Exit(m.Run())
}

func TestBareHandshakeAgainstFastServer(t *testing.T) {
	self, _ := os.Executable()
	start := time.Now()
	if err := bareHandshake([]string{self, "serve", "fast"}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > bareGrace {
		t.Errorf("took %s: the fast server should exit when its stdin ends", d)
	}
}

func TestBareHandshakeFailsOnSilentExit(t *testing.T) {
	if err := bareHandshake([]string{"true"}); err == nil {
		t.Fatal("a server that exits without answering should fail the handshake")
	}
}

func TestMeasureCountsAndKillsLeftovers(t *testing.T) {
	if err := becomeSubreaper(); err != nil {
		t.Skip("no subreaper:", err)
	}
	self, _ := os.Executable()
	s := measure("t", "grandchild", []string{self, "serve", "grandchild"}, nil, t.TempDir(), 10*time.Second)
	if s.Exit != 0 || s.Left != 1 {
		t.Fatalf("exit %d, left %d; want 0 and the one sleeper", s.Exit, s.Left)
	}
	if left := descendants(); len(left) != 0 {
		t.Errorf("still running after the clean-up: %v", left)
	}
}

func TestMeasureCapsAHang(t *testing.T) {
	s := measure("t", "sleep", []string{"sleep", "30"}, nil, t.TempDir(), 200*time.Millisecond)
	if !s.Capped || s.WallMS > 5000 {
		t.Errorf("capped=%v after %.0f ms; want capped near 200 ms", s.Capped, s.WallMS)
	}
}

func TestPeakRSSReport(t *testing.T) {
	report := filepath.Join(t.TempDir(), "rss")
	if code := peakRSS(report, []string{"true"}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	b, err := os.ReadFile(report)
	if err != nil || len(b) == 0 || b[0] == '0' {
		t.Errorf("report %q, %v", b, err)
	}
}

func TestGeneratedConfigIsPlanned(t *testing.T) {
	for _, size := range []int{10 << 10, 1 << 20} {
		data := configgen.Generate(size)
		if !json.Valid(data) || len(data) < size-200 || len(data) > size+200 {
			t.Fatalf("size %d: valid=%v len=%d", size, json.Valid(data), len(data))
		}
		c := &configfix.Config{Client: configfix.ClaudeDesktop, Path: "c.json", Exists: true}
		c.Parse(data)
		p, err := c.PlanFix(configfix.FixOptions{All: true, Launcher: "/usr/local/bin/auth0mcp"})
		if err != nil || !p.Changed() || len(p.Removed) == 0 {
			t.Fatalf("size %d: plan err=%v removed=%d", size, err, len(p.Removed))
		}
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median of 3 = %v", m)
	}
	if m := median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("median of 4 = %v", m)
	}
}
