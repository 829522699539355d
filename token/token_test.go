package token

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestTokenShowsOnlyPreview(t *testing.T) {
	secret := "SECRETVALUE-0123456789"
	tok := NewToken(secret, "env", "a.auth0.com", time.Time{})
	holder := struct{ T Token }{tok}
	js, _ := json.Marshal(tok)
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "token", tok)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "token", tok)

	outputs := map[string]string{
		"String": tok.String(), "%v": fmt.Sprintf("%v", tok), "%+v": fmt.Sprintf("%+v", tok),
		"%#v": fmt.Sprintf("%#v", tok), "%s": fmt.Sprintf("%s", tok), "%q": fmt.Sprintf("%q", tok),
		"%x": fmt.Sprintf("%x", tok), "nested %+v": fmt.Sprintf("%+v", holder),
		"nested %#v": fmt.Sprintf("%#v", holder), "json": string(js), "slog": logs.String(),
	}
	for name, out := range outputs {
		if strings.Contains(out, secret) || strings.Contains(out, "0123456789") {
			t.Errorf("%s shows the value: %s", name, out)
		}
	}
	if got, want := tok.String(), "SECR…(22 chars)"; got != want {
		t.Errorf("preview = %q, want %q", got, want)
	}
	if tok.Value() != secret {
		t.Error("Value does not return the token")
	}
	if got := Preview("short"); got != "(5 chars)" {
		t.Errorf("short preview = %q", got)
	}
}

func TestJudge(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name   string
		tok    Token
		domain string
		want   Status
	}{
		{"jwt live", Token{value: makeJWT(t, "a.auth0.com", now.Add(time.Hour))}, "", StatusOK},
		{"jwt under margin", Token{value: makeJWT(t, "a.auth0.com", now.Add(9*time.Minute))},
			"", StatusExpired},
		{"jwt exp wins over source expiry", Token{value: makeJWT(t, "a.auth0.com",
			now.Add(-time.Hour)), ExpiresAt: now.Add(time.Hour)}, "", StatusExpired},
		{"opaque with source expiry", Token{value: "opaque-token-value",
			ExpiresAt: now.Add(5 * time.Minute)}, "", StatusExpired},
		{"opaque no expiry", Token{value: "opaque-token-value"}, "", StatusOK},
		{"jwt other tenant", Token{value: makeJWT(t, "b.auth0.com", now.Add(time.Hour))},
			"a.auth0.com", StatusWrongDomain},
		{"jwt other tenant, source says right one", Token{value: makeJWT(t, "b.auth0.com",
			now.Add(time.Hour)), Domain: "a.auth0.com"}, "a.auth0.com", StatusWrongDomain},
		{"source domain differs", Token{value: "opaque-token-value", Domain: "b.auth0.com"},
			"a.auth0.com", StatusWrongDomain},
		{"unknown tenant", Token{value: "opaque-token-value"}, "a.auth0.com", StatusWrongDomain},
		{"same tenant, other spelling", Token{value: makeJWT(t, "a.auth0.com",
			now.Add(time.Hour))}, "https://A.auth0.com/", StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.tok.Source = "test"
			got, err := judge(tt.tok, Query{Domain: tt.domain}, now)
			wantStatus(t, err, tt.want)
			if err == nil && tt.domain == "" && strings.HasPrefix(tt.tok.value, "ey") &&
				got.Domain != "a.auth0.com" {
				t.Errorf("domain from JWT = %q", got.Domain)
			}
		})
	}
}

func TestEnvSource(t *testing.T) {
	ctx := ctxT(t)
	live := makeJWT(t, "a.auth0.com", time.Now().Add(time.Hour))
	src := &EnvSource{Getenv: mapEnv()}
	_, err := src.Fetch(ctx, Query{})
	wantStatus(t, err, StatusMissing)

	src.Getenv = mapEnv(EnvToken, live, EnvDomain, "a.auth0.com")
	tok, err := src.Fetch(ctx, Query{Domain: "a.auth0.com"})
	wantStatus(t, err, StatusOK)
	if tok.Value() != live || tok.Domain != "a.auth0.com" || tok.ExpiresAt.IsZero() {
		t.Errorf("token = %+v, expires %v", tok, tok.ExpiresAt)
	}
	_, err = src.Fetch(ctx, Query{Domain: "b.auth0.com"})
	wantStatus(t, err, StatusWrongDomain)
	if strings.Contains(err.Error(), live) {
		t.Error("error shows the token")
	}
}

// fixed is a source that answers with a prepared token or error, counting calls.
type fixed struct {
	name  string
	tok   Token
	err   error
	delay time.Duration
	calls int
}

func (f *fixed) Name() string { return f.name }
func (f *fixed) Fetch(ctx context.Context, q Query) (Token, error) {
	f.calls++
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return Token{}, ctx.Err()
		}
	}
	if f.err != nil {
		return Token{}, f.err
	}
	return judge(f.tok, q, time.Now())
}

func TestChainOrderAndCache(t *testing.T) {
	ctx := ctxT(t)
	first := &fixed{name: "first", err: outcome("first", StatusMissing, "nothing", nil)}
	second := &fixed{name: "second", tok: NewToken(makeJWT(t, "a.auth0.com",
		time.Now().Add(time.Hour)), "second", "", time.Time{})}
	third := &fixed{name: "third", tok: NewToken("never-asked-token", "third", "a.auth0.com",
		time.Time{})}
	var logs bytes.Buffer
	chain := &Chain{Sources: []Source{first, second, third},
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}

	tok, err := chain.Get(ctx, "a.auth0.com")
	if err != nil || tok.Source != "second" {
		t.Fatalf("Get = %v, %v", tok, err)
	}
	if _, err := chain.Get(ctx, "a.auth0.com"); err != nil {
		t.Fatal(err)
	}
	if second.calls != 1 || third.calls != 0 {
		t.Errorf("calls: second %d, third %d; want 1, 0 (cached)", second.calls, third.calls)
	}
	if strings.Contains(logs.String(), tok.Value()) {
		t.Error("log shows the token")
	}

	_, err = chain.Get(ctx, "b.auth0.com")
	var nt *NoTokenError
	if !errors.As(err, &nt) || len(nt.Attempts) != 3 {
		t.Fatalf("Get for another tenant = %v", err)
	}
	for _, want := range []string{"first: missing", "second: wrong-domain", "third: wrong-domain"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestChainCacheExpires(t *testing.T) {
	now := time.Now()
	src := &fixed{name: "s", tok: NewToken("opaque-token-value", "s", "a.auth0.com",
		now.Add(20*time.Minute))}
	chain := &Chain{Sources: []Source{src}, Now: func() time.Time { return now }}
	if _, err := chain.Get(context.Background(), "a.auth0.com"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(11 * time.Minute) // 9 minutes left: stale
	_, _ = chain.Get(context.Background(), "a.auth0.com")
	if src.calls != 2 {
		t.Errorf("calls = %d, want 2 (stale cache entry dropped)", src.calls)
	}
}

func TestTwoTenants(t *testing.T) {
	ctx := ctxT(t)
	tokA := makeJWT(t, "a.auth0.com", time.Now().Add(time.Hour))
	tokB := makeJWT(t, "b.auth0.com", time.Now().Add(time.Hour))
	// One shared chain: the cache must keep the tenants apart too.
	chain := NewChain(
		&fixed{name: "keychain-b", tok: NewToken(tokB, "keychain-b", "b.auth0.com", time.Time{})},
		&fixed{name: "opaque", tok: NewToken("opaque-token-value", "opaque", "", time.Time{})},
		&fixed{name: "jwt-a", tok: NewToken(tokA, "jwt-a", "", time.Time{})},
	)

	envA, got, err := PrepareRun(ctx, chain, []string{"AUTH0_DOMAIN=a.auth0.com", "PATH=/bin"})
	if err != nil || got.Value() != tokA {
		t.Fatalf("tenant a got %v, %v", got, err)
	}
	envB, got, err := PrepareRun(ctx, chain, []string{"AUTH0_DOMAIN=b.auth0.com"})
	if err != nil || got.Value() != tokB {
		t.Fatalf("tenant b got %v, %v", got, err)
	}
	if envValue(envA, EnvToken) != tokA || envValue(envB, EnvToken) != tokB {
		t.Error("child environments carry the wrong tokens")
	}
	if envValue(envA, EnvDomain) != "a.auth0.com" || envValue(envB, EnvDomain) != "b.auth0.com" {
		t.Error("AUTH0_DOMAIN changed")
	}
	_, _, err = PrepareRun(ctx, chain, []string{"AUTH0_DOMAIN=c.auth0.com"})
	var nt *NoTokenError
	if !errors.As(err, &nt) {
		t.Fatalf("tenant c: want no token, got %v", err)
	}
}

func TestChildEnv(t *testing.T) {
	tok := NewToken("the-token-value", "env", "a.auth0.com", time.Time{})
	env, err := ChildEnv([]string{"AUTH0_TOKEN=old", "AUTH0_DOMAIN=keep.auth0.com", "X=1"}, tok)
	if err != nil {
		t.Fatal(err)
	}
	if envValue(env, EnvDomain) != "keep.auth0.com" {
		t.Error("an existing AUTH0_DOMAIN was overwritten")
	}
	n := 0
	for _, kv := range env {
		if strings.HasPrefix(kv, "AUTH0_TOKEN=") {
			n++
		}
	}
	if n != 1 || envValue(env, EnvToken) != "the-token-value" {
		t.Errorf("AUTH0_TOKEN entries = %d in %d entries", n, len(env))
	}
	env, _ = ChildEnv([]string{"AUTH0_DOMAIN="}, tok)
	if envValue(env, EnvDomain) != "a.auth0.com" {
		t.Error("an empty AUTH0_DOMAIN was not filled in")
	}
	if _, err := ChildEnv(nil, NewToken("x-token-value", "env", "", time.Time{})); err == nil {
		t.Error("a token of unknown tenant with no AUTH0_DOMAIN was accepted")
	}
}
