package secrets

import (
	"sort"
	"strings"
)

// charset says which bytes may follow a vendor prefix.
type charset uint8

const (
	alnum   charset = iota // A-Z a-z 0-9
	word                   // alnum, "_" and "-"
	base64c                // word, "+", "/" and "="
	dotted                 // word and "."
	upper                  // A-Z 0-9
)

func (c charset) has(b byte) bool {
	switch {
	case b >= '0' && b <= '9' || b >= 'A' && b <= 'Z':
		return true
	case b >= 'a' && b <= 'z':
		return c != upper
	case b == '_' || b == '-':
		return c == word || c == base64c || c == dotted
	case b == '+' || b == '/' || b == '=':
		return c == base64c
	case b == '.':
		return c == dotted
	}
	return false
}

// vendorPrefix describes one vendor's token shape: a fixed prefix and a random part of at
// least min (and, when max > 0, at most max) bytes of the given charset.
type vendorPrefix struct {
	prefix   string
	vendor   string
	min, max int
	chars    charset
	keyID    bool     // an identifier that is only half a credential (AWS access key id)
	severity Severity // high unless set
}

// vendorPrefixes is the table of known token prefixes. The minimum lengths are below the
// real ones so that shortened examples are still caught, but long enough that "sk-" alone,
// "npm_config_cache" or "secret_key" are not.
var vendorPrefixes = []vendorPrefix{
	{prefix: "ghp_", vendor: "github", min: 30, chars: alnum},
	{prefix: "gho_", vendor: "github", min: 30, chars: alnum},
	{prefix: "ghu_", vendor: "github", min: 30, chars: alnum},
	{prefix: "ghs_", vendor: "github", min: 30, chars: alnum},
	{prefix: "ghr_", vendor: "github", min: 30, chars: alnum},
	{prefix: "github_pat_", vendor: "github", min: 40, chars: word},
	{prefix: "xoxb-", vendor: "slack", min: 20, chars: word},
	{prefix: "xoxp-", vendor: "slack", min: 20, chars: word},
	{prefix: "xoxa-", vendor: "slack", min: 20, chars: word},
	{prefix: "xoxr-", vendor: "slack", min: 20, chars: word},
	{prefix: "xoxs-", vendor: "slack", min: 20, chars: word},
	{prefix: "xoxe-", vendor: "slack", min: 20, chars: word},
	{prefix: "xapp-", vendor: "slack", min: 20, chars: word},
	{prefix: "sk-ant-", vendor: "anthropic", min: 32, chars: word},
	{prefix: "sk-proj-", vendor: "openai", min: 32, chars: word},
	{prefix: "sk-svcacct-", vendor: "openai", min: 32, chars: word},
	{prefix: "sk-admin-", vendor: "openai", min: 32, chars: word},
	{prefix: "sk-or-v1-", vendor: "openrouter", min: 32, chars: word},
	{prefix: "sk-", vendor: "openai", min: 20, chars: word},
	{prefix: "sk_live_", vendor: "stripe", min: 20, chars: alnum},
	{prefix: "rk_live_", vendor: "stripe", min: 20, chars: alnum},
	{prefix: "sk_test_", vendor: "stripe", min: 20, chars: alnum, severity: Medium},
	{prefix: "rk_test_", vendor: "stripe", min: 20, chars: alnum, severity: Medium},
	{prefix: "whsec_", vendor: "stripe", min: 24, chars: alnum},
	{prefix: "sbp_", vendor: "supabase", min: 32, chars: alnum},
	{prefix: "sb_secret_", vendor: "supabase", min: 20, chars: word},
	{prefix: "glpat-", vendor: "gitlab", min: 20, chars: word},
	{prefix: "glptt-", vendor: "gitlab", min: 20, chars: word},
	{prefix: "gldt-", vendor: "gitlab", min: 20, chars: word},
	{prefix: "npm_", vendor: "npm", min: 30, chars: alnum},
	{prefix: "hf_", vendor: "huggingface", min: 30, chars: alnum},
	{prefix: "AIza", vendor: "google", min: 35, max: 35, chars: word},
	{prefix: "ya29.", vendor: "google", min: 30, chars: word},
	{prefix: "GOCSPX-", vendor: "google", min: 24, chars: word},
	{prefix: "secret_", vendor: "notion", min: 40, chars: alnum},
	{prefix: "ntn_", vendor: "notion", min: 40, chars: alnum},
	{prefix: "lin_api_", vendor: "linear", min: 32, chars: alnum},
	{prefix: "SG.", vendor: "sendgrid", min: 50, chars: dotted},
	{prefix: "gsk_", vendor: "groq", min: 40, chars: alnum},
	{prefix: "pplx-", vendor: "perplexity", min: 40, chars: alnum},
	{prefix: "tvly-", vendor: "tavily", min: 20, chars: word},
	{prefix: "ctx7sk-", vendor: "context7", min: 20, chars: word},
	{prefix: "xai-", vendor: "xai", min: 40, chars: alnum},
	{prefix: "shpat_", vendor: "shopify", min: 32, chars: alnum},
	{prefix: "shpss_", vendor: "shopify", min: 32, chars: alnum},
	{prefix: "shpca_", vendor: "shopify", min: 32, chars: alnum},
	{prefix: "shppa_", vendor: "shopify", min: 32, chars: alnum},
	{prefix: "dop_v1_", vendor: "digitalocean", min: 40, chars: alnum},
	{prefix: "doo_v1_", vendor: "digitalocean", min: 40, chars: alnum},
	{prefix: "dor_v1_", vendor: "digitalocean", min: 40, chars: alnum},
	{prefix: "figd_", vendor: "figma", min: 30, chars: word},
	{prefix: "sntrys_", vendor: "sentry", min: 40, chars: base64c},
	{prefix: "sntryu_", vendor: "sentry", min: 40, chars: alnum},
	{prefix: "PMAK-", vendor: "postman", min: 50, chars: word},
	{prefix: "ATATT", vendor: "atlassian", min: 50, chars: base64c},
	{prefix: "rnd_", vendor: "render", min: 20, chars: alnum},
	{prefix: "r8_", vendor: "replicate", min: 30, chars: alnum},
	{prefix: "pcsk_", vendor: "pinecone", min: 40, chars: word},
	{prefix: "lsv2_pt_", vendor: "langsmith", min: 32, chars: word},
	{prefix: "lsv2_sk_", vendor: "langsmith", min: 32, chars: word},
	{prefix: "AKIA", vendor: "aws", min: 16, max: 16, chars: upper, keyID: true},
	{prefix: "ASIA", vendor: "aws", min: 16, max: 16, chars: upper, keyID: true},
}

// vendorByFirst indexes vendorPrefixes by first byte, longest prefix first.
var vendorByFirst = func() *[256][]*vendorPrefix {
	m := new([256][]*vendorPrefix)
	for i := range vendorPrefixes {
		p := &vendorPrefixes[i]
		m[p.prefix[0]] = append(m[p.prefix[0]], p)
	}
	for _, list := range m {
		sort.SliceStable(list, func(a, b int) bool {
			return len(list[a].prefix) > len(list[b].prefix)
		})
	}
	return m
}()

// span is a secret found in a text: its byte range and how it was found.
type span struct {
	start, end int
	vendor     *vendorPrefix
}

// findVendorTokens appends to dst every vendor token in s.
func findVendorTokens(s string, dst []span) []span {
	for i := 0; i < len(s); i++ {
		cands := vendorByFirst[s[i]]
		if cands == nil || i > 0 && isAlnum(s[i-1]) {
			continue
		}
		for _, p := range cands {
			if !strings.HasPrefix(s[i:], p.prefix) {
				continue
			}
			end := i + len(p.prefix)
			for end < len(s) && p.chars.has(s[end]) {
				end++
			}
			if p.chars == dotted {
				end = i + len(strings.TrimRight(s[i:end], "."))
			}
			if !vendorRestOK(p, s[i+len(p.prefix):end]) {
				continue
			}
			dst = append(dst, span{start: i, end: end, vendor: p})
			i = end - 1
			break
		}
	}
	return dst
}

// vendorRestOK checks the random part after a prefix: long enough, letters and digits,
// varied, and not made of placeholder words ("sk-your-key-here-0000…").
func vendorRestOK(p *vendorPrefix, rest string) bool {
	if len(rest) < p.min || p.max > 0 && len(rest) > p.max {
		return false
	}
	letters, digits := false, false
	var seen [256]bool
	distinct := 0
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case isASCIILetter(c):
			letters = true
		}
		if !seen[c] {
			seen[c] = true
			distinct++
		}
	}
	if !letters || !digits || distinct < min(8, len(rest)/3) {
		return false
	}
	words := valueWords(rest)
	for _, w := range words {
		if strongMarkers[w] || weakMarkers[w] && len(w) >= 4 || allSame(w, 'x') && len(w) >= 3 {
			return false
		}
	}
	return true
}

// isAlnum reports whether b is an ASCII letter or digit: a prefix right after one is in
// the middle of a word ("task-…" does not start an "sk-" token), while one after "_" or
// "-" is not ("ghp_ghp_…", "key-sk-…").
func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || isASCIILetter(b)
}

// prefixOf returns the vendor prefix that secret starts with, or "".
func prefixOf(secret string) string {
	if secret == "" {
		return ""
	}
	for _, p := range vendorByFirst[secret[0]] {
		if strings.HasPrefix(secret, p.prefix) {
			return p.prefix
		}
	}
	return ""
}
