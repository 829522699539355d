package token

import (
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// claims is what a token's payload says about it, read without checking
// the signature: enough to tell expiry and tenant, never to trust it.
type claims struct {
	expiresAt time.Time
	// tenants are the hosts named by Management API audiences
	// (https://<domain>/api/v2/, the canonical domain) and by the issuer
	// (possibly a custom domain), normalized, audiences first.
	tenants []string
	scopes  []string
}

// parseClaims reads the claims of a JWT; any other value gives no claims.
func parseClaims(value string) claims {
	var c claims
	if strings.Count(value, ".") != 2 {
		return c
	}
	mc := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(value, mc); err != nil {
		return c
	}

	if exp, err := mc.GetExpirationTime(); err == nil && exp != nil {
		c.expiresAt = exp.Time
	}
	if aud, err := mc.GetAudience(); err == nil {
		for _, a := range aud {
			u, err := url.Parse(a)
			if err != nil || !strings.HasPrefix(u.Path, "/api/v2") {
				continue
			}
			if h := NormalizeDomain(u.Host); h != "" && !contains(c.tenants, h) {
				c.tenants = append(c.tenants, h)
			}
		}
	}
	if iss, err := mc.GetIssuer(); err == nil && iss != "" {
		if h := hostOf(iss); h != "" && !contains(c.tenants, h) {
			c.tenants = append(c.tenants, h)
		}
	}
	if s, ok := mc["scope"].(string); ok {
		c.scopes = strings.Fields(s)
	}
	return c
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return NormalizeDomain(u.Host)
}
