//go:build linux

package token

import (
	"context"
	"testing"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/testenv"
)

// canaryKeychainSources plants the canary in a private keyring as the Auth0
// MCP server does, and returns the source that reads it.
func canaryKeychainSources(t *testing.T, canary string) []Source {
	env := testenv.Keyring(t)
	testenv.Setenv(t, env)
	plantMCP(t, env, canary, "a.auth0.com", time.Now().Add(time.Hour))
	return []Source{&MCPKeychainSource{}}
}

func BenchmarkKeychainRead(b *testing.B) {
	env := testenv.Keyring(b)
	testenv.Setenv(b, env)
	testenv.PlantKeytarItem(b, env, "auth0-mcp", "AUTH0_TOKEN", "opaque-mcp-token-value")
	ctx := context.Background()
	for b.Loop() {
		if _, err := keychainLookup(ctx, keytarStyle, "auth0-mcp", "AUTH0_TOKEN", true); err != nil {
			b.Fatal(err)
		}
	}
}
