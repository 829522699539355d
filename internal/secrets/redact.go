package secrets

import (
	"sort"
	"strings"
)

// Redact returns text with every secret it finds replaced by its Preview, keeping the
// rest readable: "AUTH0_TOKEN=eyJh… (812 chars)", "Authorization: Bearer KRO1… (40 chars)".
// It is meant for free text such as a server's stderr and finds JWTs, vendor tokens,
// "Bearer X", header lines ("Authorization: X", "X-API-Key: X"), NAME=value, name: value,
// --flag=value and --flag value pairs with a secret name, URL passwords and credential
// query parameters, long opaque URL path segments and connection-string passwords. It
// does not apply the high-entropy rule: in free text that would hide hashes and ids that
// the reader needs. Its cost grows linearly with the length of text.
func Redact(text string) string {
	spans := redactSpans(text)
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, sp := range spans {
		b.WriteString(text[last:sp.start])
		secret := text[sp.start:sp.end]
		b.WriteString(Preview(secret, prefixOf(secret)))
		last = sp.end
	}
	b.WriteString(text[last:])
	return b.String()
}

// redactSpans returns the byte ranges Redact replaces, sorted and merged so that none
// overlap: a secret that two rules see differently is hidden whole.
func redactSpans(text string) []span {
	cands := shapeCandidates(text, nil)
	cands = bearerCandidates(text, cands)
	cands = nameValueCandidates(text, cands)
	if len(cands) == 0 {
		return nil
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].start < cands[j].start })
	var out []span
	for _, c := range cands {
		if c.start >= c.end {
			continue
		}
		if n := len(out); n > 0 && c.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, c.end)
			continue
		}
		out = append(out, span{start: c.start, end: c.end})
	}
	return out
}

// bearerCandidates finds "Bearer X" anywhere in text ("bearer" in any case).
func bearerCandidates(text string, dst []candidate) []candidate {
	const word = "bearer"
	for i := 0; i+len(word) < len(text); i++ {
		if text[i]|0x20 != 'b' || !strings.EqualFold(text[i:i+len(word)], word) ||
			i > 0 && isBase64URLByte(text[i-1]) {
			continue
		}
		k := i + len(word)
		if text[k] != ' ' && text[k] != '\t' {
			continue
		}
		a, e := unquotedValue(text, skipBlanks(text, k))
		if a < e && !dismissible(text[a:e]) && !proseWord(text[a:e]) {
			dst = append(dst, candidate{start: a, end: e, rule: RuleHeaderValue})
		}
		i = k
	}
	return dst
}

// nameValueCandidates finds NAME=value, "name": "value", Name: value, --flag=value and
// --flag value where the name says secret.
func nameValueCandidates(text string, dst []candidate) []candidate {
	for i := 0; i < len(text); {
		if !isNameByte(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isNameByte(text[j]) {
			j++
		}
		var next int
		dst, next = nameValueAt(text, i, j, dst)
		// A value is not searched again for names: "TOKEN=TOKEN=TOKEN=…" stays linear.
		i = max(j, next)
	}
	return dst
}

// nameValueAt looks at the name text[i:j] and what follows it. It returns where the value
// of a secret name ends, or 0.
func nameValueAt(text string, i, j int, dst []candidate) ([]candidate, int) {
	name := text[i:j]
	k := j
	if k < len(text) && (text[k] == '"' || text[k] == '\'') {
		k++ // the closing quote of a JSON key
	}
	if k >= len(text) {
		return dst, 0
	}
	sep := text[k]
	flag := strings.HasPrefix(name, "-")
	switch {
	case sep == '=' || sep == ':':
		if sep == ':' && strings.HasPrefix(text[k:], "://") {
			return dst, 0
		}
		k++
	case flag && k == j && (sep == ' ' || sep == '\t'):
	default:
		return dst, 0
	}
	if flag && !isSecretFlag(name) || !flag && !isSecretKeyName(name) {
		return dst, 0
	}

	k = skipBlanks(text, k)
	if k >= len(text) {
		return dst, 0
	}
	var a, e int
	quoted := text[k] == '"' || text[k] == '\''
	if quoted {
		a, e = quotedValue(text, k)
		ca, ce := credentialPart(text[a:e])
		a, e = a+ca, a+ce
	} else {
		if sep != '=' && sep != ':' && text[k] == '-' {
			return dst, 0 // "--token --other": no value
		}
		a, e = unquotedValue(text, k)
		// "Authorization: Bearer X": the credential is the word after the scheme.
		if authSchemes[strings.ToLower(text[a:e])] && e < len(text) && text[e] == ' ' {
			a, e = unquotedValue(text, skipBlanks(text, e))
		}
	}
	v := text[a:e]
	if a >= e || dismissible(v) || sep == ':' && !quoted && proseWord(v) {
		return dst, e
	}
	return append(dst, candidate{start: a, end: e, rule: RuleFlagValue}), e
}

// isNameByte reports whether b can be part of a variable, flag, key or header name.
func isNameByte(b byte) bool {
	return isBase64URLByte(b) || b == '.'
}

func skipBlanks(text string, k int) int {
	for k < len(text) && (text[k] == ' ' || text[k] == '\t') {
		k++
	}
	return k
}

// unquotedValue returns the value starting at k: up to white space, a quote or one of
// ",;&<>()[]{}", except that a "${…}" reference stays whole. A final "." (the end of a
// sentence) is not part of it.
func unquotedValue(text string, k int) (int, int) {
	e, depth := k, 0
	for ; e < len(text); e++ {
		c := text[e]
		if c <= ' ' || strings.IndexByte("\"'`,;&<>()[]", c) >= 0 {
			break
		}
		if c == '{' {
			if e == k || text[e-1] != '$' {
				break
			}
			depth++
		}
		if c == '}' {
			if depth == 0 {
				break
			}
			depth--
		}
	}
	for e > k && text[e-1] == '.' {
		e--
	}
	return k, e
}

// quotedValue returns the value inside the quotes that start at k, up to the closing
// quote or the end of the line.
func quotedValue(text string, k int) (int, int) {
	q := text[k]
	a := k + 1
	e := a
	for e < len(text) && text[e] != q && text[e] != '\n' && text[e] != '\r' {
		if text[e] == '\\' && e+1 < len(text) {
			e++
		}
		e++
	}
	return a, min(e, len(text))
}

// proseWord reports whether v is a plain word ("expired", "Invalid") rather than a
// credential, so that "token: expired" in a log line stays readable.
func proseWord(v string) bool {
	v = strings.TrimRight(v, ":,.;)!?")
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if !isASCIILetter(v[i]) {
			return false
		}
	}
	return true
}
