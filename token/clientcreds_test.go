package token

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tokenServer is a real HTTP server on 127.0.0.1 that answers /oauth/token
// the way Auth0 does, chosen by the client_id sent.
func tokenServer(t *testing.T, token string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/oauth/token" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		if aud := r.PostForm.Get("audience"); aud != "https://a.auth0.com/api/v2/" {
			t.Errorf("audience = %q", aud)
		}
		fail := func(status int, code, desc string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
		}
		switch r.PostForm.Get("client_id") {
		case "ok":
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"access_token": token,
				"token_type": "Bearer", "expires_in": 86400, "scope": "read:clients"})
		case "bad-secret":
			fail(401, "access_denied", "Unauthorized")
		case "no-grant":
			fail(403, "access_denied",
				"Client is not authorized to access \"https://a.auth0.com/api/v2/\". "+
					"You need to create a \"client-grant\" associated to this API.")
		case "no-cc-grant":
			fail(403, "unauthorized_client",
				"Grant type 'client_credentials' not allowed for the client.")
		case "custom-domain":
			fail(403, "access_denied", "Service not enabled within domain: https://a.auth0.com/api/v2/")
		case "limited":
			w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(time.Now().Add(30*time.Second).Unix(), 10))
			fail(429, "too_many_requests", "Global limit has been reached")
		case "hang":
			select {
			case <-hang:
			case <-r.Context().Done():
			}
		}
	}))
	t.Cleanup(func() { close(hang); srv.Close() })
	return srv, &calls
}

func TestClientCredentials(t *testing.T) {
	ctx := ctxT(t)
	live := makeJWT(t, "a.auth0.com", time.Now().Add(24*time.Hour))
	srv, calls := tokenServer(t, live)
	tests := []struct {
		clientID string
		want     Status
		detail   string
	}{
		{"ok", StatusOK, ""},
		{"bad-secret", StatusError, "secret is wrong or was rotated"},
		{"no-grant", StatusError, "Machine to Machine Applications"},
		{"no-cc-grant", StatusError, "Grant Types"},
		{"custom-domain", StatusError, "canonical"},
		{"limited", StatusError, "429"},
		{"hang", StatusTimeout, ""},
	}
	for _, tt := range tests {
		t.Run(tt.clientID, func(t *testing.T) {
			src := &ClientCredentialsSource{
				Getenv: mapEnv(EnvDomain, "a.auth0.com", EnvClientID, tt.clientID,
					EnvClientSecret, "the-client-secret", EnvTokenURL, srv.URL+"/oauth/token"),
				NoCache: true, Deadline: 700 * time.Millisecond,
			}
			start := time.Now()
			a := try(ctx, src, Query{Domain: "a.auth0.com"}, 0)
			took := time.Since(start)
			wantStatus(t, a.Err, tt.want)
			if !strings.Contains(a.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", a.Detail, tt.detail)
			}
			if strings.Contains(a.Detail, "the-client-secret") || strings.Contains(a.Detail, live) {
				t.Error("detail shows a secret")
			}
			if tt.want == StatusOK && (a.Token.Value() != live || a.Token.Domain != "a.auth0.com") {
				t.Errorf("token %v for %q", a.Token, a.Token.Domain)
			}
			if took > time.Second+200*time.Millisecond {
				t.Errorf("took %v", took)
			}
			if tt.clientID == "limited" {
				// Honoured: the second ask does not reach the server.
				before := calls.Load()
				a := try(ctx, src, Query{Domain: "a.auth0.com"}, 0)
				if calls.Load() != before || !strings.Contains(a.Detail, "rate-limited") {
					t.Errorf("after 429 the server was asked again: %s", a.Detail)
				}
			}
		})
	}
}

func TestClientCredentialsRefusesOtherTenantAndPlainHTTP(t *testing.T) {
	ctx := ctxT(t)
	src := &ClientCredentialsSource{Getenv: mapEnv(EnvDomain, "a.auth0.com",
		EnvClientID, "ok", EnvClientSecret, "s", EnvTokenURL, "http://example.com/oauth/token")}
	_, err := src.Fetch(ctx, Query{Domain: "b.auth0.com"})
	wantStatus(t, err, StatusWrongDomain)
	_, err = src.Fetch(ctx, Query{Domain: "a.auth0.com"})
	if StatusOf(err) != StatusError || !strings.Contains(err.Error(), "https") {
		t.Errorf("plain http to a remote host: %v", err)
	}
	src.Getenv = mapEnv(EnvDomain, "a.auth0.com")
	_, err = src.Fetch(ctx, Query{})
	wantStatus(t, err, StatusMissing)
}
