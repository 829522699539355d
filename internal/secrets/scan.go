package secrets

import (
	"sort"
	"strings"
	"time"
)

// candidate is a possible hit before overlapping ones are resolved.
type candidate struct {
	start, end int
	rule       string
	vendor     *vendorPrefix
}

// Scan returns the secrets in one value of a config, at most one Hit per distinct secret,
// ordered by Start. Where rules overlap the most specific wins: a vendor token or a JWT
// over a URL credential, over a name, flag or header rule, over a URL path segment, over
// high entropy. now decides whether a JWT has expired.
func Scan(loc Location, now time.Time) []Hit {
	v := loc.Value
	if strings.TrimSpace(v) == "" {
		return nil
	}

	// What a value looks like counts wherever it sits.
	cands := shapeCandidates(v, nil)

	// Where it sits.
	switch loc.Kind {
	case EnvValue:
		cands = namedCandidate(loc.Name, v, 0, RuleSecretName, cands)
	case HeaderValue:
		cands = headerCandidate(loc.Name, v, 0, cands)
	case Arg:
		cands = argCandidates(loc.PrevArg, v, cands)
	case Other:
		if loc.InServer {
			cands = namedCandidate(loc.Name, v, 0, RuleSecretName, cands)
		}
	}
	if loc.InServer && loc.Kind != URLField && !IsIdentifierName(loc.Name) &&
		!(loc.Kind == Arg && isIdentifierFlag(loc.PrevArg)) {
		if s, e := trimmed(v, 0, len(v)); entropyCandidate(v[s:e]) {
			cands = append(cands, candidate{start: s, end: e, rule: RuleHighEntropy})
		}
	}

	return resolve(v, cands, now)
}

// shapeCandidates finds JWTs, vendor tokens, URL credentials and connection-string
// passwords anywhere in s.
func shapeCandidates(s string, dst []candidate) []candidate {
	for _, sp := range findJWTs(s, nil) {
		dst = append(dst, candidate{start: sp.start, end: sp.end, rule: RuleJWT})
	}
	for _, sp := range findVendorTokens(s, nil) {
		rule := RuleVendorToken
		if sp.vendor.keyID {
			rule = RuleVendorKeyID
		}
		dst = append(dst, candidate{start: sp.start, end: sp.end, rule: rule, vendor: sp.vendor})
	}
	if strings.Contains(s, "://") {
		dst = findURLCredentials(s, dst)
	}
	return findKeyValuePasswords(s, dst)
}

// namedCandidate adds s[off:] as a secret when name says secret. A value such as
// "Bearer abc" counts from its credential on.
func namedCandidate(name, s string, off int, rule string, dst []candidate) []candidate {
	if !isSecretKeyName(name) {
		return dst
	}
	a, e := credentialPart(s[off:])
	a, e = trimmed(s, off+a, off+e)
	if a < e && !dismissible(s[a:e]) {
		dst = append(dst, candidate{start: a, end: e, rule: rule})
	}
	return dst
}

// headerCandidate adds the credential of a header "name: s[off:]" when name says secret.
func headerCandidate(name, s string, off int, dst []candidate) []candidate {
	if !isSecretKeyName(strings.TrimSpace(name)) {
		return dst
	}
	return namedCandidate("token", s, off, RuleHeaderValue, dst)
}

// argCandidates applies the argument rules: a value after a secret flag, --flag=value,
// NAME=value, and "Name: value" headers (after -H/--header or on their own).
func argCandidates(prev, v string, dst []candidate) []candidate {
	if name, off, ok := headerArg(v); ok {
		return headerCandidate(name, v, off, dst)
	}
	if isSecretFlag(prev) && !isFlagName(v) {
		return namedCandidate("token", v, 0, RuleFlagValue, dst)
	}
	eq := strings.IndexByte(v, '=')
	if eq <= 0 {
		return dst
	}
	name := v[:eq]
	switch {
	case isFlagName(name):
		if isSecretFlag(name) {
			return namedCandidate("token", v, eq+1, RuleFlagValue, dst)
		}
	case isVarName(name, false) || isDottedName(name):
		return namedCandidate(name, v, eq+1, RuleFlagValue, dst)
	}
	return dst
}

// headerArg splits an argument "Name: value" into the header name and the offset of the
// value. The name must be an HTTP token, so "https://…" and "C:\…" are not headers.
func headerArg(v string) (name string, off int, ok bool) {
	c := strings.IndexByte(v, ':')
	if c <= 0 || strings.HasPrefix(v[c:], "://") || strings.HasPrefix(v[c:], ":\\") {
		return "", 0, false
	}
	for i := 0; i < c; i++ {
		if !isBase64URLByte(v[i]) {
			return "", 0, false
		}
	}
	return v[:c], c + 1, c >= 2
}

// isDottedName reports whether s is a setting name such as "auth.token" or "api-key".
func isDottedName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isBase64URLByte(s[i]) && s[i] != '.' {
			return false
		}
	}
	return s != "" && isASCIILetter(s[0])
}

// isIdentifierFlag reports whether a flag takes an identifier: --client-id, --domain.
func isIdentifierFlag(arg string) bool {
	return isFlagName(arg) && IsIdentifierName(strings.TrimLeft(arg, "-"))
}

// trimmed narrows s[a:e] to exclude surrounding white space and quotes.
func trimmed(s string, a, e int) (int, int) {
	for a < e && strings.IndexByte(" \t\r\n\"'", s[a]) >= 0 {
		a++
	}
	for e > a && strings.IndexByte(" \t\r\n\"'", s[e-1]) >= 0 {
		e--
	}
	return a, e
}

// resolve keeps, of overlapping candidates, the one with the highest rule priority (then
// the longest, then the first), drops repeats of a secret already kept, and builds Hits
// ordered by Start.
func resolve(v string, cands []candidate, now time.Time) []Hit {
	if len(cands) == 0 {
		return nil
	}
	sort.SliceStable(cands, func(i, j int) bool {
		pi, pj := ruleInfo(cands[i].rule).Priority, ruleInfo(cands[j].rule).Priority
		if pi != pj {
			return pi > pj
		}
		if li, lj := cands[i].end-cands[i].start, cands[j].end-cands[j].start; li != lj {
			return li > lj
		}
		return cands[i].start < cands[j].start
	})
	var kept []candidate
	seen := map[string]bool{}
	for _, c := range cands {
		if c.start >= c.end || seen[v[c.start:c.end]] {
			continue
		}
		overlaps := false
		for _, k := range kept {
			if c.start < k.end && k.start < c.end {
				overlaps = true
				break
			}
		}
		if !overlaps {
			kept = append(kept, c)
			seen[v[c.start:c.end]] = true
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })

	hits := make([]Hit, 0, len(kept))
	for _, c := range kept {
		hits = append(hits, newHit(v, c, now))
	}
	return hits
}

// newHit builds the Hit for a kept candidate.
func newHit(v string, c candidate, now time.Time) Hit {
	info := ruleInfo(c.rule)
	h := Hit{Rule: c.rule, Severity: info.Severity, Secret: v[c.start:c.end],
		Start: c.start, End: c.end}
	if c.vendor != nil {
		h.Vendor = c.vendor.vendor
		if c.vendor.severity != "" {
			h.Severity = c.vendor.severity
		}
	}
	if c.rule == RuleJWT {
		if jwt, ok := DecodeJWT(h.Secret, now); ok {
			h.JWT = jwt
			if jwt.Expired {
				h.Severity = Medium
			}
			if strings.HasSuffix(jwt.Domain, ".auth0.com") {
				h.Vendor = "auth0"
			}
		}
	}
	return h
}
