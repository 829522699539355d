//go:build unix

package token

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// leaksPiece reports whether text holds any 12-character piece of secret.
func leaksPiece(text, secret string) bool {
	for i := 0; i+12 <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+12]) {
			return true
		}
	}
	return false
}

// A token command that fails after printing a token on its stderr (set -x,
// a debug log) must not show it, whole, cut by the tail, or folded.
func TestCommandStderrRedacted(t *testing.T) {
	ctx := ctxT(t)
	live := makeJWT(t, "a.auth0.com", time.Now().Add(time.Hour))
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(live), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, command := range map[string]string{
		"whole":  `echo "got {\"access_token\":\"$(cat ` + tokenFile + `)\"}" >&2; exit 1`,
		"tail":   `printf 'bearer %s' "$(cat ` + tokenFile + `)" >&2; exit 1`,
		"folded": `fold -w 60 ` + tokenFile + ` >&2; exit 1`,
		"stdout": `cat ` + tokenFile + `; cat ` + tokenFile + ` >&2; echo " two" `,
	} {
		t.Run(name, func(t *testing.T) {
			a := try(ctx, &CommandSource{Command: command, Deadline: 3 * time.Second},
				Query{Domain: "a.auth0.com"}, 0)
			if a.Status == StatusOK {
				t.Fatalf("status ok")
			}
			if leaksPiece(a.Detail, live) || leaksPiece(a.Err.Error(), live) {
				t.Errorf("the detail shows the token: %s", a.Detail)
			}
		})
	}
}

// The 64 KiB cap on the command's stdout holds, and an endless writer is
// stopped long before its deadline.
func TestCommandStdoutCap(t *testing.T) {
	ctx := ctxT(t)
	for _, command := range []string{
		"head -c 1048576 /dev/zero | tr '\\0' A",
		"yes AAAAAAAAAAAAAAAAAAAAAAAA | tr -d '\\n'",
	} {
		start := time.Now()
		a := try(ctx, &CommandSource{Command: command, Deadline: 5 * time.Second}, Query{}, 0)
		if a.Status != StatusError || !strings.Contains(a.Detail, "more than 64 KiB") {
			t.Errorf("%s: %s: %s", command, a.Status, a.Detail)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("%s: took %v", command, took)
		}
	}
}

// No source hands out a value with whitespace or control characters: it
// would break the HTTP header or the environment it goes into.
func TestUnusableTokenValues(t *testing.T) {
	ctx := ctxT(t)
	for _, v := range []string{"abc\x00defghijkl", "abc def ghijkl", "tok\x1b[2Jabcdef", "tok\twith\ttabs1"} {
		_, err := (&EnvSource{Getenv: mapEnv(EnvToken, v, EnvDomain, "a.auth0.com")}).Fetch(ctx, Query{})
		if StatusOf(err) != StatusError || !strings.Contains(err.Error(), "the token is not usable") {
			t.Errorf("env %q: %v", v, err)
			continue
		}
		if strings.Contains(err.Error(), v) {
			t.Errorf("env %q: the error quotes the value", v)
		}
	}
	a := try(ctx, &CommandSource{Command: `printf 'abc\001defghijkl'`, Deadline: 3 * time.Second}, Query{}, 0)
	if a.Status != StatusError || !strings.Contains(a.Detail, "not usable") {
		t.Errorf("command: %s: %s", a.Status, a.Detail)
	}
	_, err := ChildEnv(nil, NewToken("abc\x00def", MethodEnv, "a.auth0.com", time.Time{}))
	if err == nil || !strings.Contains(err.Error(), "the token is not usable") {
		t.Errorf("ChildEnv: %v", err)
	}
}

// ccServer answers /oauth/token with body under status, and hdr.
func ccServer(t *testing.T, status int, hdr map[string]string, body string) *ClientCredentialsSource {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range hdr {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return &ClientCredentialsSource{
		Getenv: mapEnv(EnvDomain, "a.auth0.com", EnvClientID, "id",
			EnvClientSecret, "the-client-secret", EnvTokenURL, srv.URL+"/oauth/token"),
		NoCache: true, Deadline: 3 * time.Second,
	}
}

func TestClientCredentialsOddAnswers(t *testing.T) {
	ctx := ctxT(t)
	old := makeJWT(t, "a.auth0.com", time.Now().Add(time.Hour))

	a := try(ctx, ccServer(t, 200, nil, `{"access_token":"tok\nwith\nnewline1234","expires_in":86400}`),
		Query{}, 0)
	if a.Status != StatusError || !strings.Contains(a.Detail, "not usable") {
		t.Errorf("newline token: %s: %s", a.Status, a.Detail)
	}

	for _, exp := range []string{"-5", "0", "1000000000000000000"} {
		a = try(ctx, ccServer(t, 200, nil, `{"access_token":"opaqueCANARY12345678","expires_in":`+exp+`}`),
			Query{}, 0)
		if a.Status != StatusOK || !a.Token.ExpiresAt.IsZero() {
			t.Errorf("expires_in %s: %s %v (expires %v)", exp, a.Status, a.Detail, a.Token.ExpiresAt)
		}
	}

	a = try(ctx, ccServer(t, 429, map[string]string{"X-Ratelimit-Reset": "99999999999999999"}, `{}`), Query{}, 0)
	if !strings.Contains(a.Detail, "for more than a day") || strings.Contains(a.Detail, "3168") {
		t.Errorf("huge reset: %s", a.Detail)
	}
	a = try(ctx, ccServer(t, 429, map[string]string{"X-Ratelimit-Reset": "999999999"}, `{}`), Query{}, 0)
	if !strings.Contains(a.Detail, "for more than a day") {
		t.Errorf("reset 31 years from now: %s", a.Detail)
	}

	a = try(ctx, ccServer(t, 401, nil,
		`{"error":"access_denied","error_description":"bad; previous token `+old+`"}`), Query{}, 0)
	if a.Status != StatusError || leaksPiece(a.Detail, old) {
		t.Errorf("error_description: %s", a.Detail)
	}
}

func TestRateLimitResetBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Time{
		"30":                                  now.Add(30 * time.Second),
		"99999999999999999":                   now.Add(24 * time.Hour),
		"9223372036854775807":                 now.Add(24 * time.Hour),
		"999999999":                           now.Add(24 * time.Hour),
		fmt.Sprint(now.Add(time.Hour).Unix()): now.Add(time.Hour),
	} {
		got := rateLimitReset(http.Header{"X-Ratelimit-Reset": {v}}, now)
		if !got.Equal(want) {
			t.Errorf("reset %s: %v, want %v", v, got, want)
		}
	}
}

// Without --domain the token command sees AUTH0_DOMAIN; the tenant shown is
// the one the token names, not the one its source claims.
func TestRealTenantWins(t *testing.T) {
	other := makeJWT(t, "other.eu.auth0.com", time.Now().Add(time.Hour))
	tok, err := (&EnvSource{Getenv: mapEnv(EnvToken, other, EnvDomain, "acme.us.auth0.com")}).Fetch(
		context.Background(), Query{})
	if err != nil || tok.Domain != "other.eu.auth0.com" {
		t.Errorf("domain %q, %v", tok.Domain, err)
	}
	_, err = (&EnvSource{Getenv: mapEnv(EnvToken, other, EnvDomain, "acme.us.auth0.com")}).Fetch(
		context.Background(), Query{Domain: "acme.us.auth0.com"})
	wantStatus(t, err, StatusWrongDomain)
}
