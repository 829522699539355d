//go:build unix

package token

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBenchWithHangingSource: one method hangs, the bench returns within
// that method's deadline plus a margin, reports timeout for it (after one
// run) and the right outcome for the others.
func TestBenchWithHangingSource(t *testing.T) {
	live := makeJWT(t, "a.auth0.com", time.Now().Add(time.Hour))
	const hangDeadline = time.Second
	sources := []Source{
		&EnvSource{Getenv: mapEnv(EnvToken, live, EnvDomain, "a.auth0.com")},
		&CommandSource{Command: "sleep 30 & sleep 30", Deadline: hangDeadline},
		&ClientCredentialsSource{Getenv: mapEnv()},
		&fixed{name: "expired", tok: NewToken(makeJWT(t, "a.auth0.com",
			time.Now().Add(-time.Minute)), "expired", "", time.Time{})},
	}
	start := time.Now()
	res := Bench(context.Background(), sources, 3)
	took := time.Since(start)
	t.Logf("bench with a source hanging (deadline %v) took %v", hangDeadline, took)
	if took > hangDeadline+500*time.Millisecond {
		t.Errorf("bench took %v, want under %v", took, hangDeadline+500*time.Millisecond)
	}

	want := map[string]Status{MethodEnv: StatusOK, MethodCommand: StatusTimeout,
		MethodClientCredentials: StatusMissing, "expired": StatusExpired}
	for _, m := range res.Methods {
		if m.Status != want[m.Method] {
			t.Errorf("%s: %s, want %s (%s)", m.Method, m.Status, want[m.Method], m.Detail)
		}
	}
	if n := len(res.Methods[1].RunsMS); n != 1 {
		t.Errorf("the hanging method ran %d times, want 1", n)
	}
	if n := len(res.Methods[0].RunsMS); n != 3 {
		t.Errorf("env ran %d times, want 3", n)
	}
	if res.Chosen == nil || *res.Chosen != MethodEnv {
		t.Errorf("chosen = %v", res.Chosen)
	}

	js, _ := json.Marshal(res)
	t.Logf("%s", js)
	var shape struct {
		Version int     `json:"version"`
		Chosen  *string `json:"chosen"`
		Methods []map[string]any
	}
	if err := json.Unmarshal(js, &shape); err != nil || shape.Version != 1 {
		t.Fatalf("json: %v", err)
	}
	for _, key := range []string{"method", "status", "duration_ms", "runs_ms", "expires_at", "domain"} {
		if _, ok := shape.Methods[0][key]; !ok {
			t.Errorf("env row lacks %q", key)
		}
	}
}

func TestBenchNoneChosen(t *testing.T) {
	res := Bench(context.Background(), []Source{&EnvSource{Getenv: mapEnv()}}, 1)
	js, _ := json.Marshal(res)
	if !strings.Contains(string(js), `"chosen":null`) || res.OK() {
		t.Errorf("json = %s", js)
	}
}

// TestCanary plants one token in every source and checks that it never
// shows in bench JSON, chain errors, logs or a child's argv; it is
// reachable only through Token.Value.
func TestCanary(t *testing.T) {
	canary := makeJWT(t, "a.auth0.com", time.Now().Add(time.Hour))
	pieces := []string{canary, canary[20:60], canary[len(canary)-30:]}
	srv, _ := tokenServer(t, canary)
	dir := t.TempDir()
	writeCanaryConfig(t, dir, canary)
	getenv := mapEnv(EnvToken, canary, EnvDomain, "a.auth0.com", EnvClientID, "ok",
		EnvClientSecret, "the-client-secret", EnvTokenURL, srv.URL+"/oauth/token")
	script := `tr '\0' ' ' < /proc/$$/cmdline > ` + dir + `/argv; printf '%s\n' "$CANARY"`
	sources := []Source{
		&EnvSource{Getenv: getenv},
		&Auth0CLISource{Home: dir},
		&ClientCredentialsSource{Getenv: getenv, NoCache: true},
		&CommandSource{Command: script, Env: []string{"PATH=" + os.Getenv("PATH"),
			"CANARY=" + canary}},
	}
	sources = append(sources, canaryKeychainSources(t, canary)...)

	res := Bench(context.Background(), sources, 2)
	for _, m := range res.Methods {
		if m.Status != StatusOK {
			t.Errorf("%s: %s: %s", m.Method, m.Status, m.Detail)
		}
	}
	js, _ := json.MarshalIndent(res, "", "  ")

	var logs bytes.Buffer
	chain := &Chain{Sources: sources, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	tok, err := chain.Get(context.Background(), "a.auth0.com")
	if err != nil || tok.Value() != canary {
		t.Fatalf("Get = %v, %v", tok, err)
	}
	_, err = chain.Get(context.Background(), "b.auth0.com")
	if err == nil {
		t.Fatal("a token for a.auth0.com was given for b.auth0.com")
	}
	argv, _ := os.ReadFile(filepath.Join(dir, "argv"))

	outputs := map[string]string{"bench json": string(js), "error": err.Error(),
		"logs": logs.String(), "command argv": string(argv)}
	for name, out := range outputs {
		for _, p := range pieces {
			if strings.Contains(out, p) {
				t.Errorf("%s shows the canary:\n%s", name, out)
			}
		}
	}
}

func writeCanaryConfig(t *testing.T, home, canary string) {
	t.Helper()
	cfg := map[string]any{"default_tenant": "a.auth0.com", "tenants": map[string]any{
		"a.auth0.com": map[string]any{"domain": "a.auth0.com", "access_token": canary,
			"expires_at": time.Now().Add(time.Hour).Format(time.RFC3339)}}}
	dir := filepath.Join(home, ".config", "auth0")
	os.MkdirAll(dir, 0o700)
	data, _ := json.Marshal(cfg)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkChainEnv(b *testing.B) {
	live := makeJWT(b, "a.auth0.com", time.Now().Add(time.Hour))
	chain := NewChain(&EnvSource{Getenv: mapEnv(EnvToken, live, EnvDomain, "a.auth0.com")})
	b.Run("uncached", func(b *testing.B) {
		for b.Loop() {
			chain.Forget()
			if _, err := chain.Get(context.Background(), "a.auth0.com"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			if _, err := chain.Get(context.Background(), "a.auth0.com"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
