package token

import (
	"context"
	"encoding/base64"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// makeJWT signs a token for domain that expires at exp. The signature is
// never checked by this package, so any key does.
func makeJWT(t testing.TB, domain string, exp time.Time) string {
	t.Helper()
	c := jwt.MapClaims{
		"iss":   "https://" + domain + "/",
		"aud":   []string{"https://" + domain + "/api/v2/"},
		"exp":   exp.Unix(),
		"scope": "read:clients read:users",
		"gty":   "client-credentials",
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte("test-key"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mapEnv(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func wantStatus(t *testing.T, err error, want Status) {
	t.Helper()
	if got := StatusOf(err); got != want {
		t.Fatalf("status = %s, want %s (err: %v)", got, want, err)
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func decodeSegment(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
func encodeSegment(b []byte) string          { return base64.RawURLEncoding.EncodeToString(b) }
