package token

import (
	"encoding/json"
	"strings"
	"testing"
)

// secretsIn returns the access_token strings anywhere in data that are long
// enough to be recognisable in an error text.
func secretsIn(data []byte) []string {
	var found []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if s, ok := val.(string); ok && k == "access_token" && len(s) >= 6 {
					found = append(found, s)
				}
				walk(val)
			}
		case []any:
			for _, val := range x {
				walk(val)
			}
		}
	}
	var v any
	if json.Unmarshal(data, &v) == nil {
		walk(v)
	}
	return found
}

func FuzzParseCLIConfig(f *testing.F) {
	f.Add([]byte(`{"default_tenant":"a.auth0.com","tenants":{"a.auth0.com":{"domain":"a.auth0.com",` +
		`"access_token":"SECRET-TOKEN-1","expires_at":"2030-01-01T00:00:00Z","scopes":["x"]}}}`))
	f.Add([]byte(`{"tenants":{"a":{"access_token":"SECRET-TOKEN-2","expires_at":"SECRET-TOKEN-2"}}}`))
	f.Add([]byte(`{"tenants":{"a":{"access_token":["SECRET-TOKEN-3"]}}}`))
	f.Add([]byte(`{"tenants":[]}`))
	f.Add([]byte("\xef\xbb\xbf{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parseCLIConfig(data)
		if err == nil {
			_, _ = cfg.tenant(cfg.DefaultTenant)
			return
		}
		for _, s := range secretsIn(data) {
			if strings.Contains(err.Error(), s) {
				t.Fatalf("error %q quotes a token", err)
			}
		}
	})
}

func FuzzParseTokenResponse(f *testing.F) {
	f.Add([]byte(`{"access_token":"SECRET-TOKEN-1","token_type":"Bearer","expires_in":86400}`))
	f.Add([]byte(`{"access_token":"SECRET-TOKEN-2","expires_in":"SECRET-TOKEN-2"}`))
	f.Add([]byte(`{"error":"access_denied","error_description":"Unauthorized"}`))
	f.Add([]byte(`<html>502</html>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := parseTokenResponse(data)
		msg := describeTokenError(403, r, "the-client-secret")
		if err != nil {
			msg += err.Error()
		}
		for _, s := range secretsIn(data) {
			if strings.Contains(msg, s) && !strings.Contains(r.ErrorDescription, s) {
				t.Fatalf("message %q quotes a token", msg)
			}
		}
		if strings.Contains(msg, "the-client-secret") {
			t.Fatalf("message %q quotes the client secret", msg)
		}
		_ = parseClaims(r.AccessToken)
	})
}

func FuzzParseClaims(f *testing.F) {
	f.Add("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjEsImF1ZCI6WzEsMl19.x")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, s string) { _ = parseClaims(s) })
}
