package token

import (
	"path/filepath"
	"testing"
	"time"
)

// The Auth0 CLI writes its token to config.json when it cannot use the
// keyring; with no D-Bus session (or a dead one) we must read it there too.
func TestAuth0CLIConfigFallbackWithoutKeychain(t *testing.T) {
	home := t.TempDir()
	writeCLIConfig(t, home, map[string]any{
		"default_tenant": "a.auth0.com",
		"tenants": map[string]any{
			"a.auth0.com": map[string]any{"domain": "a.auth0.com",
				"access_token": "opaque-cli-token",
				"expires_at":   time.Now().Add(time.Hour).Format(time.RFC3339)},
		},
	})
	for name, bus := range map[string]string{
		"no bus":   "",
		"dead bus": "unix:path=" + filepath.Join(t.TempDir(), "none"),
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
			tok, err := (&Auth0CLISource{Home: home}).Fetch(ctxT(t), Query{Read: true})
			if err != nil || tok.Value() != "opaque-cli-token" {
				t.Fatalf("got %v, %v", tok, err)
			}
		})
	}
}
