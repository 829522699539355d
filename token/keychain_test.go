//go:build linux

package token

// These tests run against a private gnome-keyring in a D-Bus session of
// their own (internal/testenv). The macOS (security) and Windows
// (Credential Manager) keychain code cannot be tested on Linux; it is only
// compiled here with GOOS=darwin and GOOS=windows go vet ./token/.

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/testenv"
	keyring "github.com/zalando/go-keyring"
)

func plantMCP(t *testing.T, env []string, token, domain string, expires time.Time) {
	t.Helper()
	testenv.PlantKeytarItem(t, env, "auth0-mcp", "AUTH0_TOKEN", token)
	testenv.PlantKeytarItem(t, env, "auth0-mcp", "AUTH0_DOMAIN", domain)
	testenv.PlantKeytarItem(t, env, "auth0-mcp", "AUTH0_TOKEN_EXPIRES_AT",
		strconv.FormatInt(expires.UnixMilli(), 10))
}

func TestMCPKeychain(t *testing.T) {
	env := testenv.Keyring(t)
	testenv.Setenv(t, env)
	ctx := ctxT(t)
	src := &MCPKeychainSource{}

	_, err := src.Fetch(ctx, Query{Read: true})
	wantStatus(t, err, StatusMissing)

	opaque := "opaque-mcp-token-value"
	plantMCP(t, env, opaque, "a.auth0.com", time.Now().Add(2*time.Hour))
	start := time.Now()
	tok, err := src.Fetch(ctx, Query{Read: true, Domain: "a.auth0.com"})
	t.Logf("mcp-keychain read of three items took %v", time.Since(start))
	if err != nil || tok.Value() != opaque || tok.Domain != "a.auth0.com" ||
		tok.ExpiresAt.Before(time.Now().Add(time.Hour)) {
		t.Fatalf("Fetch = %v (%s, %v), %v", tok, tok.Domain, tok.ExpiresAt, err)
	}
	_, err = src.Fetch(ctx, Query{Read: true, Domain: "b.auth0.com"})
	wantStatus(t, err, StatusWrongDomain)

	// The server's expiry item says 5 minutes: under the margin.
	plantMCP(t, env, opaque, "a.auth0.com", time.Now().Add(5*time.Minute))
	_, err = src.Fetch(ctx, Query{Read: true})
	wantStatus(t, err, StatusExpired)

	// A JWT's own exp counts before the expiry item.
	live := makeJWT(t, "a.auth0.com", time.Now().Add(time.Hour))
	plantMCP(t, env, live, "a.auth0.com", time.Now().Add(-time.Hour))
	tok, err = src.Fetch(ctx, Query{Read: true})
	if err != nil || tok.Value() != live {
		t.Fatalf("JWT with a stale expiry item: %v", err)
	}
}

func TestMCPKeychainLocked(t *testing.T) {
	env := testenv.Keyring(t)
	testenv.Setenv(t, env)
	plantMCP(t, env, "opaque-mcp-token-value", "a.auth0.com", time.Now().Add(time.Hour))
	testenv.LockDefaultCollection(t, env)

	start := time.Now()
	_, err := (&MCPKeychainSource{}).Fetch(ctxT(t), Query{Read: true})
	wantStatus(t, err, StatusLocked)
	if time.Since(start) > time.Second {
		t.Errorf("took %v: a prompt may have been opened", time.Since(start))
	}
	// Our own cache is not written into a locked collection either.
	err = keychainStore(ctxT(t), goKeyringStyle, cacheService, "x", "l", "v")
	if !errors.Is(err, errLocked) {
		t.Errorf("store into a locked collection: %v", err)
	}
}

func TestNoDBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	a := try(ctxT(t), &MCPKeychainSource{}, Query{Read: true}, 0)
	if a.Status != StatusError || !strings.Contains(a.Detail, "D-Bus") {
		t.Errorf("without a bus: %s: %s", a.Status, a.Detail)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "none"))
	a = try(ctxT(t), &MCPKeychainSource{}, Query{Read: true}, 0)
	if a.Status != StatusError {
		t.Errorf("with a dead bus: %s: %s", a.Status, a.Detail)
	}
}

// TestHelperGoKeyringSet is not a test: TestAuth0CLIKeyringChunks runs the
// test binary with it so that the real go-keyring, in a process of its own
// (its session connection is shared and outlives a test's bus), writes the
// chunks the way the Auth0 CLI does.
func TestHelperGoKeyringSet(t *testing.T) {
	value := os.Getenv("TOKEN_TEST_CHUNKED_VALUE")
	if value == "" {
		t.Skip("helper for TestAuth0CLIKeyringChunks")
	}
	user := os.Getenv("TOKEN_TEST_TENANT")
	for i := 0; len(value) > 0; i++ {
		n := min(2048, len(value))
		if err := keyring.Set(cliTokenService+" "+strconv.Itoa(i), user, value[:n]); err != nil {
			t.Fatal(err)
		}
		value = value[n:]
	}
}

func plantCLIToken(t *testing.T, env []string, tenant, value string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperGoKeyringSet$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	cmd.Env = append(cmd.Env, "TOKEN_TEST_CHUNKED_VALUE="+value, "TOKEN_TEST_TENANT="+tenant)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go-keyring helper: %v\n%s", err, out)
	}
}

func writeCLIConfig(t *testing.T, home string, cfg map[string]any) {
	t.Helper()
	dir := filepath.Join(home, ".config", "auth0")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(cfg)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// bigJWT pads the claims so that the token needs three 2048-byte chunks.
func bigJWT(t *testing.T, domain string) string {
	t.Helper()
	tok := makeJWT(t, domain, time.Now().Add(time.Hour))
	parts := strings.Split(tok, ".")
	var claims map[string]any
	b, _ := decodeSegment(parts[1])
	json.Unmarshal(b, &claims)
	claims["permissions"] = strings.Repeat("read:everything ", 300)
	b, _ = json.Marshal(claims)
	return parts[0] + "." + encodeSegment(b) + "." + parts[2]
}

func TestAuth0CLIKeyringChunks(t *testing.T) {
	env := testenv.Keyring(t)
	testenv.Setenv(t, env)
	home := t.TempDir()
	tokA := bigJWT(t, "a.auth0.com")
	if len(tokA) < 4097 {
		t.Fatalf("token of %d bytes does not need three chunks", len(tokA))
	}
	plantCLIToken(t, env, "a.auth0.com", tokA)
	tokB := makeJWT(t, "b.auth0.com", time.Now().Add(time.Hour))
	plantCLIToken(t, env, "b.auth0.com", tokB)
	writeCLIConfig(t, home, map[string]any{
		"default_tenant": "a.auth0.com",
		"tenants": map[string]any{
			"a.auth0.com": map[string]any{"domain": "a.auth0.com",
				"expires_at": time.Now().Add(time.Hour).Format(time.RFC3339),
				"scopes":     []string{"read:clients"}},
			"b.auth0.com": map[string]any{"domain": "b.auth0.com"},
		},
	})
	src := &Auth0CLISource{Home: home}
	ctx := ctxT(t)

	start := time.Now()
	tok, err := src.Fetch(ctx, Query{Read: true})
	t.Logf("three-chunk read took %v", time.Since(start))
	if err != nil || tok.Value() != tokA || tok.Domain != "a.auth0.com" {
		t.Fatalf("default tenant: %v (%d bytes), %v", tok, len(tok.Value()), err)
	}
	tok, err = src.Fetch(ctx, Query{Read: true, Domain: "b.auth0.com"})
	if err != nil || tok.Value() != tokB {
		t.Fatalf("tenant b: %v, %v", tok, err)
	}
	_, err = src.Fetch(ctx, Query{Read: true, Domain: "c.auth0.com"})
	wantStatus(t, err, StatusMissing)
}

func TestAuth0CLIConfigFallback(t *testing.T) {
	env := testenv.Keyring(t) // an empty keyring: the token is only in the file
	testenv.Setenv(t, env)
	home := t.TempDir()
	t.Setenv("HOME", home)
	ctx := ctxT(t)
	src := &Auth0CLISource{}

	_, err := src.Fetch(ctx, Query{Read: true})
	wantStatus(t, err, StatusMissing)

	writeCLIConfig(t, home, map[string]any{
		"default_tenant": "a.auth0.com",
		"tenants": map[string]any{
			"a.auth0.com": map[string]any{"domain": "a.auth0.com",
				"access_token": "opaque-cli-token",
				"expires_at":   time.Now().Add(time.Hour).Format(time.RFC3339)},
			"old.auth0.com": map[string]any{"domain": "old.auth0.com",
				"access_token": "opaque-old-token",
				"expires_at":   time.Now().Add(-time.Hour).Format(time.RFC3339)},
		},
	})
	tok, err := src.Fetch(ctx, Query{Read: true})
	if err != nil || tok.Value() != "opaque-cli-token" || tok.ExpiresAt.IsZero() {
		t.Fatalf("fallback: %v, %v", tok, err)
	}
	_, err = src.Fetch(ctx, Query{Read: true, Domain: "old.auth0.com"})
	wantStatus(t, err, StatusExpired)

	os.WriteFile(filepath.Join(home, ".config", "auth0", "config.json"),
		[]byte(`{"tenants": {"a.auth0.com": {"access_token": "opaque-cli-token",`), 0o600)
	_, err = src.Fetch(ctx, Query{Read: true})
	wantStatus(t, err, StatusError)
	if strings.Contains(err.Error(), "opaque-cli-token") {
		t.Error("the parse error quotes the token")
	}
}

func TestClientCredentialsKeychainCache(t *testing.T) {
	env := testenv.Keyring(t)
	testenv.Setenv(t, env)
	live := makeJWT(t, "a.auth0.com", time.Now().Add(24*time.Hour))
	srv, calls := tokenServer(t, live)
	newSource := func(noCache bool) *ClientCredentialsSource {
		return &ClientCredentialsSource{Getenv: mapEnv(EnvDomain, "a.auth0.com",
			EnvClientID, "ok", EnvClientSecret, "the-client-secret",
			EnvTokenURL, srv.URL+"/oauth/token"), NoCache: noCache}
	}
	ctx := ctxT(t)

	// Two sources stand for two processes: the second finds the first's token.
	for i, want := range []string{srv.URL + "/oauth/token", "keychain cache"} {
		tok, err := newSource(false).Fetch(ctx, Query{Domain: "a.auth0.com"})
		if err != nil || tok.Value() != live || tok.Origin != want {
			t.Fatalf("fetch %d: origin %q, %v", i, tok.Origin, err)
		}
	}
	if calls.Load() != 1 {
		t.Errorf("server asked %d times, want 1", calls.Load())
	}
	if _, err := newSource(true).Fetch(ctx, Query{Domain: "a.auth0.com"}); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Errorf("NoCache: server asked %d times, want 2", calls.Load())
	}
	if err := newSource(false).ForgetCached(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := keychainLookup(ctx, goKeyringStyle, cacheService,
		"client-credentials/a.auth0.com/ok", true); !errors.Is(err, errItemNotFound) {
		t.Errorf("after ForgetCached: %v", err)
	}
}
