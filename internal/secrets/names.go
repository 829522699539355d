package secrets

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// secretWords are the word parts of a name that say the name holds a secret.
var secretWords = setOf(
	"token", "tokens", "secret", "secrets", "password", "passwords", "passwd", "pwd", "pass",
	"passphrase", "apikey", "apikeys", "accesskey", "privatekey", "secretkey", "masterkey",
	"signingkey", "encryptionkey", "authkey", "credential", "credentials", "creds", "cred",
	"auth", "authorization", "bearer", "pat", "session", "cookie", "cookies", "key", "keys",
	"jwt", "signature", "sig", "apitoken", "authtoken", "accesstoken", "refreshtoken",
	"idtoken", "bottoken", "clientsecret",
)

// secretSuffixes catch run-together names such as "ghtoken" or "dbpassword".
var secretSuffixes = []string{"token", "secret", "password", "passwd", "apikey", "accesskey"}

// identifierLast are last word parts of names that hold identifiers, settings or
// locations rather than secrets: AUTH0_CLIENT_ID, TOKEN_URL, AUTH_MODE, PASSWORD_FILE.
var identifierLast = setOf(
	"id", "ids", "domain", "domains", "url", "urls", "uri", "host", "hostname", "hosts",
	"region", "zone", "endpoint", "port", "user", "username", "login", "email", "org",
	"organization", "workspace", "team", "project", "account", "tenant", "name", "path",
	"dir", "directory", "folder", "file", "mode", "level", "debug", "verbose", "type",
	"version", "timeout", "enabled", "disabled", "enable", "disable", "required", "method",
	"provider", "strategy", "scheme", "scope", "scopes", "audience", "issuer", "format",
	"env", "environment", "locale", "lang", "language", "tz", "timezone", "count", "limit",
	"size", "length", "retries", "interval", "duration", "location", "prefix", "suffix",
	"command", "cmd", "helper", "program", "script",
)

// identifierAny are word parts that make a whole name non-secret wherever they occur:
// AUTH0_TOKEN_EXPIRES_AT holds a time, STRIPE_PUBLISHABLE_KEY a public key.
var identifierAny = setOf(
	"expires", "expiry", "expiration", "expire", "ttl", "lifetime", "public", "publishable",
)

// IsSecretName reports whether an environment variable, flag, header or JSON key name
// says that its value is a secret: it has a word part such as TOKEN, SECRET, PASSWORD,
// API_KEY, AUTH, PAT, SESSION, COOKIE or KEY. Names are split into word parts on "_",
// "-", ".", spaces and camelCase boundaries and compared without regard to case. A name
// can be both a secret name and an identifier name (TOKEN_URL); callers that want a
// secret check both.
func IsSecretName(name string) bool {
	words := nameWords(name)
	for i, w := range words {
		if secretWords[w] {
			return true
		}
		for _, s := range secretSuffixes {
			if len(w) > len(s) && strings.HasSuffix(w, s) {
				return true
			}
		}
		// "API KEY", "ACCESS KEY", "PRIVATE KEY" split across two parts.
		if w == "key" && i > 0 {
			return true
		}
	}
	return false
}

// IsIdentifierName reports whether a name holds an identifier or a setting rather than a
// secret: its last word part is one such as ID, DOMAIN, URL, URI, HOST, REGION, ENDPOINT,
// PORT, USER, USERNAME, EMAIL, ORG, PROJECT, NAME, PATH, DIR, FILE, MODE, LEVEL or TYPE,
// or it is DEBUG, or it mentions an expiry or a public key anywhere.
func IsIdentifierName(name string) bool {
	words := nameWords(name)
	if len(words) == 0 {
		return false
	}
	if identifierLast[words[len(words)-1]] {
		return true
	}
	for _, w := range words {
		if identifierAny[w] {
			return true
		}
	}
	return false
}

// isSecretKeyName is the test most rules use: a secret name that is not an identifier.
func isSecretKeyName(name string) bool {
	return IsSecretName(name) && !IsIdentifierName(name)
}

// nameWords splits a name into lower-case word parts. Digits stay with the letters before
// them, so AUTH0 is one part and not AUTH.
func nameWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	runes := []rune(name)
	for i, r := range runes {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 {
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			// "apiKey" splits before K; "APIKey" splits before K too (upper run then lower).
			if unicode.IsLower(prev) || unicode.IsDigit(prev) && nextLower ||
				unicode.IsUpper(prev) && nextLower {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// isFlagName reports whether an argument is a command-line flag name: one or two dashes
// and a letter, such as "-H" or "--api-key".
func isFlagName(arg string) bool {
	name := strings.TrimLeft(arg, "-")
	if len(arg)-len(name) < 1 || len(arg)-len(name) > 2 || name == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(name)
	return unicode.IsLetter(r)
}

// isSecretFlag reports whether a flag takes a secret as its value: --token, --api-key,
// --client-secret, --password, --auth. Single-letter flags (-p, -k, -t) are too often
// something else and never count; --token-file and --client-id do not count either.
func isSecretFlag(arg string) bool {
	if !isFlagName(arg) || strings.ContainsAny(arg, "= ") {
		return false
	}
	name := strings.TrimLeft(arg, "-")
	return len(name) >= 2 && isSecretKeyName(name)
}

// isHeaderFlag reports whether a flag takes an HTTP header ("Name: value") as its value.
func isHeaderFlag(arg string) bool {
	switch arg {
	case "-H", "--header", "--headers", "-header", "--http-header", "--add-header":
		return true
	}
	return false
}

// authSchemes are the words that may precede the credential in an Authorization value.
var authSchemes = setOf("bearer", "basic", "token", "bot", "digest", "apikey", "api-key",
	"sso-key", "key", "otoken", "dpop")

// credentialPart returns the offset where the credential starts in a header value such as
// "Bearer abc" (after the scheme and spaces), and the end of the value without trailing
// spaces. A value that is only a scheme word has an empty credential.
func credentialPart(v string) (start, end int) {
	end = len(strings.TrimRight(v, " \t\r\n"))
	start = len(v) - len(strings.TrimLeft(v, " \t"))
	if start >= end {
		return end, end
	}
	sp := strings.IndexAny(v[start:end], " \t")
	if sp < 0 {
		if authSchemes[strings.ToLower(v[start:end])] {
			return end, end
		}
		return start, end
	}
	if authSchemes[strings.ToLower(v[start:start+sp])] {
		rest := start + sp
		for rest < end && (v[rest] == ' ' || v[rest] == '\t') {
			rest++
		}
		return rest, end
	}
	return start, end
}
