package secrets

import (
	"slices"
	"testing"
	"time"
)

func TestDecodeJWTCases(t *testing.T) {
	cases := []struct {
		file, pointer, issuer, domain string
		expired                       bool
		expires                       time.Time
	}{
		{"02-auth0-stored-token.json", "/mcpServers/auth0/env/AUTH0_TOKEN",
			"https://acme-dev.us.auth0.com/", "acme-dev.us.auth0.com", true,
			time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)},
		{"03-token-without-domain.json", "/mcpServers/auth0/env/AUTH0_TOKEN",
			"https://beta-corp.eu.auth0.com/", "beta-corp.eu.auth0.com", false,
			time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"04-wrapper-token-arg.json", "/mcpServers/auth0/args/3",
			"https://acme-dev.us.auth0.com/", "acme-dev.us.auth0.com", false,
			time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"13-auth0-dotted-name-crlf.json", "/mcpServers/auth0.work/env/AUTH0_TOKEN",
			"https://work-acme.eu.auth0.com/", "work-acme.eu.auth0.com", false,
			time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			tok := caseValue(t, tc.file, tc.pointer)
			info, ok := DecodeJWT(tok, testNow)
			if !ok {
				t.Fatal("DecodeJWT: not a JWT")
			}
			if info.Issuer != tc.issuer || info.Domain != tc.domain {
				t.Errorf("issuer %q domain %q, want %q %q", info.Issuer, info.Domain,
					tc.issuer, tc.domain)
			}
			wantAud := "https://" + tc.domain + "/api/v2/"
			if !info.ManagementAPI || !slices.Equal(info.Audience, []string{wantAud}) {
				t.Errorf("audience %q, ManagementAPI %v; want %q, true", info.Audience,
					info.ManagementAPI, wantAud)
			}
			if info.Expired != tc.expired || !info.ExpiresAt.Equal(tc.expires) {
				t.Errorf("expires %v (expired %v), want %v (%v)", info.ExpiresAt, info.Expired,
					tc.expires, tc.expired)
			}
			if info.GrantType != "client-credentials" ||
				!slices.Equal(info.Scopes, []string{"read:users", "read:clients"}) {
				t.Errorf("gty %q scopes %q", info.GrantType, info.Scopes)
			}

			// The same token is expired, or not, relative to the now given.
			later, _ := DecodeJWT(tok, tc.expires.Add(time.Second))
			earlier, _ := DecodeJWT(tok, tc.expires.Add(-time.Second))
			if !later.Expired || earlier.Expired {
				t.Errorf("expiry does not follow now: after %v, before %v", later.Expired,
					earlier.Expired)
			}

			hits := Scan(env("AUTH0_TOKEN", tok), testNow)
			want := High
			if tc.expired {
				want = Medium
			}
			if len(hits) != 1 || hits[0].Rule != RuleJWT || hits[0].Severity != want ||
				hits[0].Vendor != "auth0" || hits[0].JWT == nil {
				t.Errorf("Scan = %+v, want one auth0 jwt hit of severity %s", hits, want)
			}
		})
	}
}

func TestDecodeJWTShapes(t *testing.T) {
	cases := []struct {
		name  string
		tok   string
		ok    bool
		check func(*JWTInfo) bool
	}{
		{"string audience and scp array", makeJWT(map[string]any{"alg": "RS256"},
			map[string]any{"aud": "api://x", "scp": []string{"a", "b"}, "sub": "u"}), true,
			func(i *JWTInfo) bool {
				return slices.Equal(i.Audience, []string{"api://x"}) &&
					slices.Equal(i.Scopes, []string{"a", "b"}) && i.Subject == "u" &&
					i.ExpiresAt.IsZero() && !i.Expired && !i.ManagementAPI
			}},
		{"unknown alg still decodes", makeJWT(map[string]any{"alg": "XX999"},
			map[string]any{"iss": "https://t.example/"}), true,
			func(i *JWTInfo) bool { return i.Domain == "t.example" }},
		{"alg none, empty signature", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", true,
			func(i *JWTInfo) bool { return i.Subject == "x" }},
		{"management audience without slash", makeJWT(map[string]any{"alg": "RS256"},
			map[string]any{"aud": []string{"https://t.example/api/v2", "https://t.example/userinfo"}}),
			true, func(i *JWTInfo) bool { return i.ManagementAPI }},
		{"http audience is not management", makeJWT(map[string]any{"alg": "RS256"},
			map[string]any{"aud": "http://t.example/api/v2/"}), true,
			func(i *JWTInfo) bool { return !i.ManagementAPI }},
		{"no alg", makeJWTNoAlg(), false, nil},
		{"claims not JSON", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24." + fake(1, 20), false, nil},
		{"two parts", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0", false, nil},
		{"trailing text", liveJWT + " x", false, nil},
		{"empty", "", false, nil},
	}
	for _, tc := range cases {
		info, ok := DecodeJWT(tc.tok, testNow)
		if ok != tc.ok {
			t.Errorf("%s: ok = %v", tc.name, ok)
			continue
		}
		if ok && !tc.check(info) {
			t.Errorf("%s: unexpected %+v", tc.name, info)
		}
	}
}
