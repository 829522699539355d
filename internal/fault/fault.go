// Package fault lets tests inject failures into the real binary at named
// points, since CI runs as root and cannot make a write fail with file
// permissions. Faults are named in AUTH0MCP_FAULTS, comma-separated, each
// "point" or "point=action" where the action is "error" (the default),
// "exit" (the process exits at once with status 99, as if killed), or
// "hang" (block until the context ends). Without the variable every
// function here is a no-op.
package fault

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
)

// Env is the variable that names the active faults.
const Env = "AUTH0MCP_FAULTS"

var (
	once   sync.Once
	active map[string]string
)

func load() {
	active = map[string]string{}
	for _, f := range strings.Split(os.Getenv(Env), ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		point, action, ok := strings.Cut(f, "=")
		if !ok {
			action = "error"
		}
		active[point] = action
	}
}

// Reset re-reads the variable, for tests that change it.
func Reset() { once = sync.Once{} }

// At is a fault point. It returns an error when the point is set to
// "error", exits the process when set to "exit", and blocks until ctx is
// done when set to "hang" (returning ctx's error).
func At(ctx context.Context, point string) error {
	once.Do(load)
	action, ok := active[point]
	if !ok {
		return nil
	}
	switch action {
	case "exit":
		os.Exit(99)
	case "hang":
		<-ctx.Done()
		return ctx.Err()
	}
	return fmt.Errorf("injected fault at %s", point)
}
