package secrets

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// JWTInfo is what the claims of a JWT say about it. It is read without checking the
// signature: enough to tell a live token from an expired one, never to trust it.
type JWTInfo struct {
	Issuer    string
	Audience  []string
	Subject   string
	GrantType string    // the "gty" claim, e.g. "client-credentials"
	Scopes    []string  // from "scope" (space-separated) or "scp"
	ExpiresAt time.Time // zero when there is no "exp"
	Expired   bool      // ExpiresAt is before now
	// ManagementAPI is set when an audience is https://<host>/api/v2/, the Auth0
	// Management API.
	ManagementAPI bool
	Domain        string // host of the issuer, e.g. "acme-dev.us.auth0.com"
}

// maxJWTHeader bounds the header part of a JWT, and maxJWTTries the number of places a
// header is tried at in one run of base64url characters, so that a text full of "eyJ"
// costs linear time to search.
const (
	maxJWTHeader = 2048
	maxJWTTries  = 32
)

// findJWTs appends to dst every JWT in s: three base64url parts separated by dots whose
// first part decodes to a JSON object with an "alg" member. The signature part may be
// empty (an unsigned token still carries its claims). A JWT glued to letters or digits
// before it ("xeyJ…") is still found: the header is tried at each "eyJ" of the first part.
func findJWTs(s string, dst []span) []span {
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "eyJ")
		if j < 0 {
			break
		}
		start := i + j
		dot := start
		for dot < len(s) && isBase64URLByte(s[dot]) {
			dot++
		}
		end, ok := jwtTail(s, dot)
		if !ok {
			// No JWT can start anywhere in s[start:dot]: they all share this tail.
			i = max(dot, start+1)
			continue
		}
		found := false
		tries := 0
		for st := max(start, dot-maxJWTHeader); st < dot-2 && tries < maxJWTTries; st++ {
			if s[st] != 'e' || !strings.HasPrefix(s[st:], "eyJ") {
				continue
			}
			tries++
			if headerHasAlg(s[st:dot]) {
				dst = append(dst, span{start: st, end: end})
				found = true
				break
			}
		}
		if found {
			i = end
		} else {
			i = dot + 1
		}
	}
	return dst
}

// jwtTail checks the claims and signature parts of a JWT whose header ends at dot
// (".claims.signature") and returns where the token ends.
func jwtTail(s string, dot int) (int, bool) {
	k := dot
	for p := 0; p < 2; p++ {
		if k >= len(s) || s[k] != '.' {
			return 0, false
		}
		k++
		from := k
		for k < len(s) && isBase64URLByte(s[k]) {
			k++
		}
		if p == 0 && k-from < 2 {
			return 0, false
		}
	}
	return k, true
}

// jwtShape reports whether s is exactly one JWT.
func jwtShape(s string) bool {
	if !strings.HasPrefix(s, "eyJ") {
		return false
	}
	dot := 0
	for dot < len(s) && isBase64URLByte(s[dot]) {
		dot++
	}
	end, ok := jwtTail(s, dot)
	return ok && end == len(s) && dot <= maxJWTHeader && headerHasAlg(s[:dot])
}

// headerHasAlg reports whether a base64url JWT header decodes to JSON with an "alg".
func headerHasAlg(part string) bool {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
	if err != nil {
		return false
	}
	var h map[string]any
	if json.Unmarshal(raw, &h) != nil {
		return false
	}
	alg, ok := h["alg"].(string)
	return ok && alg != ""
}

func isBase64URLByte(b byte) bool {
	return b >= '0' && b <= '9' || isASCIILetter(b) || b == '_' || b == '-'
}

// DecodeJWT reads the claims of the JWT s without checking its signature. It reports
// false when s is not a JWT (a header with "alg" and a JSON claims object). Expired is
// set when "exp" is before now.
func DecodeJWT(s string, now time.Time) (*JWTInfo, bool) {
	s = strings.TrimSpace(s)
	if !jwtShape(s) {
		return nil, false
	}
	// The signature is dropped before parsing: it is not checked, and one that does not
	// decode should not hide the claims. An algorithm the library does not know
	// (ErrTokenUnverifiable) does not make the claims unreadable either.
	claims := jwt.MapClaims{}
	unsigned := s[:strings.LastIndexByte(s, '.')+1]
	_, _, err := jwt.NewParser().ParseUnverified(unsigned, claims)
	if err != nil && !errors.Is(err, jwt.ErrTokenUnverifiable) {
		return nil, false
	}

	info := &JWTInfo{}
	info.Issuer, _ = claims.GetIssuer()
	info.Subject, _ = claims.GetSubject()
	if aud, err := claims.GetAudience(); err == nil {
		info.Audience = []string(aud)
	}
	if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
		info.ExpiresAt = exp.Time
		info.Expired = exp.Time.Before(now)
	}
	info.GrantType, _ = claims["gty"].(string)
	info.Scopes = jwtScopes(claims)
	for _, a := range info.Audience {
		if isManagementAudience(a) {
			info.ManagementAPI = true
		}
	}
	if u, err := url.Parse(info.Issuer); err == nil && u.Host != "" {
		info.Domain = u.Hostname()
	}
	return info, true
}

// jwtScopes reads "scope" (a space-separated string) or "scp" (a string or an array).
func jwtScopes(c jwt.MapClaims) []string {
	for _, key := range []string{"scope", "scp"} {
		switch v := c[key].(type) {
		case string:
			return strings.Fields(v)
		case []any:
			var out []string
			for _, x := range v {
				if s, ok := x.(string); ok {
					out = append(out, s)
				}
			}
			return out
		}
	}
	return nil
}

// isManagementAudience reports whether aud is https://<host>/api/v2/ (slash optional).
func isManagementAudience(aud string) bool {
	u, err := url.Parse(aud)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return false
	}
	return strings.TrimSuffix(u.Path, "/") == "/api/v2" && u.RawQuery == ""
}
