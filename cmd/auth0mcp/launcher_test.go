package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tokenServer is a loopback /oauth/token that knows one client per tenant
// and answers with an opaque token naming the tenant.
func tokenServer(t *testing.T, clients map[string]string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/oauth/token" || r.ParseForm() != nil {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		tenant, ok := clients[id+":"+secret]
		aud := r.PostForm.Get("audience")
		w.Header().Set("Content-Type", "application/json")
		if !ok || aud != "https://"+tenant+"/api/v2/" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"access_denied","error_description":"Unauthorized"}`)
			return
		}
		fmt.Fprintf(w, `{"access_token":"cc-token-for-%s-0123456789","token_type":"Bearer","expires_in":86400}`, tenant)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// runLauncher runs "auth0mcp run --no-cache -- envnames" with env and
// returns its stdout, stderr and exit code.
func runLauncher(t *testing.T, env []string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "auth0mcp", "run", "--no-cache", "--", "envnames")
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// unsignedJWT builds a JWT for tenant that expires in a day; only its
// claims matter to the launcher.
func unsignedJWT(tenant string) string {
	enc := base64.RawURLEncoding.EncodeToString
	claims, _ := json.Marshal(map[string]any{
		"iss": "https://" + tenant + "/",
		"aud": "https://" + tenant + "/api/v2/",
		"exp": time.Now().Add(24 * time.Hour).Unix(),
	})
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(claims) + ".c2ln"
}

// Two Auth0 entries for two tenants, launched through run, each get their
// own tenant's token: a token for tenant A in the environment is never
// passed to tenant B's server, which gets B's client-credentials token.
func TestRunTwoTenants(t *testing.T) {
	srv, calls := tokenServer(t, map[string]string{
		"id-a:secret-a-0123456789": "a.example.com",
		"id-b:secret-b-0123456789": "b.example.com",
	})
	home := t.TempDir()
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"AUTH0MCP_TOKEN_URL=" + srv.URL + "/oauth/token"}
	tokenA := unsignedJWT("a.example.com")

	// Tenant A: its JWT in the environment wins, no request is made.
	out, errs, code := runLauncher(t, append(base, "AUTH0_DOMAIN=a.example.com",
		"AUTH0_TOKEN="+tokenA, "WANT_TOKEN="+tokenA,
		"AUTH0_CLIENT_ID=id-a", "AUTH0_CLIENT_SECRET=secret-a-0123456789"))
	if code != 0 || !strings.Contains(out, "token: match") || !strings.Contains(out, "domain: a.example.com") {
		t.Fatalf("tenant A: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if calls.Load() != 0 {
		t.Errorf("tenant A: %d token requests, want none", calls.Load())
	}

	// Tenant B, with A's token still in the environment: B's own token.
	wantB := "cc-token-for-b.example.com-0123456789"
	out, errs, code = runLauncher(t, append(base, "AUTH0_DOMAIN=b.example.com",
		"AUTH0_TOKEN="+tokenA, "WANT_TOKEN="+wantB,
		"AUTH0_CLIENT_ID=id-b", "AUTH0_CLIENT_SECRET=secret-b-0123456789"))
	if code != 0 || !strings.Contains(out, "token: match") || !strings.Contains(out, "domain: b.example.com") {
		t.Fatalf("tenant B: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "token from client-credentials for b.example.com") {
		t.Errorf("tenant B: stderr does not say where the token came from:\n%s", errs)
	}

	// Tenant B with only tenant A's credentials: no token, exit 4, nothing
	// of A's reaches B.
	out, errs, code = runLauncher(t, append(base, "AUTH0_DOMAIN=b.example.com",
		"AUTH0_TOKEN="+tokenA, "AUTH0_CLIENT_ID=id-a", "AUTH0_CLIENT_SECRET=secret-a-0123456789"))
	if code != 4 || out != "" {
		t.Fatalf("tenant B with A's credentials: exit %d, stdout %q; want 4 and nothing", code, out)
	}
	for _, want := range []string{"env: wrong-domain", "client-credentials: error", "401"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	for _, secret := range []string{tokenA, "secret-a-0123456789", "cc-token-for"} {
		if strings.Contains(out+errs, secret) {
			t.Errorf("a secret was printed: %s", secret[:8])
		}
	}
}

// The end to end of the launcher: probe starts "auth0mcp run", which gets
// a token from a loopback client-credentials server and becomes the real
// Auth0 MCP server, which lists its 23 tools. Only variable names go on
// the command line.
func TestProbeRunRealServer(t *testing.T) {
	index := realServerScript(t)
	srv, calls := tokenServer(t, map[string]string{"id-e2e:secret-e2e-0123456789": "127.0.0.1"})

	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "auth0mcp", "probe", "--timeout", "30s", "--json",
		"--env", "AUTH0_DOMAIN", "--env", "AUTH0_CLIENT_ID", "--env", "AUTH0_CLIENT_SECRET",
		"--env", "AUTH0MCP_TOKEN_URL",
		"--", "auth0mcp", "run", "--no-cache", "--", "node", index, "run")
	cmd.Env = append(os.Environ(), "AUTH0_DOMAIN=127.0.0.1", "AUTH0_CLIENT_ID=id-e2e",
		"AUTH0_CLIENT_SECRET=secret-e2e-0123456789", "AUTH0MCP_TOKEN_URL="+srv.URL+"/oauth/token",
		"AUTH0_TOKEN=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()

	var r struct {
		OK         bool `json:"ok"`
		Tools      int  `json:"tools"`
		ServerInfo struct {
			Name string `json:"name"`
		} `json:"server_info"`
		StderrTail string `json:"stderr_tail"`
	}
	if jerr := json.Unmarshal(out.Bytes(), &r); jerr != nil {
		t.Fatalf("probe: %v, output not JSON (%v):\n%s\n%s", err, jerr, out.String(), errb.String())
	}
	if err != nil || !r.OK || r.Tools != 23 || r.ServerInfo.Name != "auth0" {
		t.Fatalf("probe: %v, ok %v, %d tools, server %q; want 23 tools from auth0\n%s",
			err, r.OK, r.Tools, r.ServerInfo.Name, out.String())
	}
	if calls.Load() != 1 {
		t.Errorf("%d token requests, want 1", calls.Load())
	}
	if !strings.Contains(r.StderrTail, "token from client-credentials for 127.0.0.1") {
		t.Errorf("the launcher's line is not in the server's stderr:\n%s", r.StderrTail)
	}
	if s := out.String() + errb.String(); strings.Contains(s, "cc-token-for") || strings.Contains(s, "secret-e2e") {
		t.Error("a secret was printed")
	}
}

// realServerScript returns the installed Auth0 MCP server's dist/index.js,
// or skips.
func realServerScript(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("the real Auth0 MCP server is skipped in -short mode")
	}
	index, err := filepath.Abs("../../.cache/npm/node_modules/@auth0/auth0-mcp-server/dist/index.js")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(index); err != nil {
		t.Skip("the Auth0 MCP server is not installed in .cache/npm (make deps installs it)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	return index
}
