package probe

import (
	"sort"
	"strings"

	"github.com/auth0mcp/auth0mcp/internal/secrets"
)

// minSecretValue is the shortest variable value RedactorFor hides by its
// exact text; shorter values would hide ordinary words.
const minSecretValue = 8

// RedactorFor returns an Options.Redact for a server started with env: it
// hides the exact values of the variables whose names say they are secret
// (AUTH0_TOKEN, AUTH0_CLIENT_SECRET, …), which a server may echo in a form
// no pattern recognises, and then applies secrets.Redact to what is left.
func RedactorFor(env []string) func(string) string {
	var values []string
	for _, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		value = strings.TrimSpace(value)
		if !ok || len(value) < minSecretValue || secrets.IsIdentifierName(name) ||
			!secrets.IsSecretName(name) {
			continue
		}
		values = append(values, value)
	}
	// The longest first, so a value that contains another goes whole.
	sort.Slice(values, func(i, j int) bool { return len(values[i]) > len(values[j]) })
	return func(s string) string {
		for _, v := range values {
			if strings.Contains(s, v) {
				s = strings.ReplaceAll(s, v, secrets.Preview(v, ""))
			}
		}
		// A value folded over lines, or cut by the end of the stderr ring,
		// is hidden by its pieces of 12 characters or more.
		return secrets.Redact(secrets.RedactKnown(s, values))
	}
}

// maskOutside is applied, after Options.Redact, to free text taken from
// the server (the stderr tail, excerpts of its output and of its error
// messages), but not to names (tools, serverInfo): it hides long opaque
// runs that may be the piece of a token nothing recognises any more.
func maskOutside(redact func(string) string) func(string) string {
	return func(s string) string { return secrets.MaskOpaque(redact(s)) }
}

// RedactArgs shows args as a report may: each redacted by redact, and an
// argument that follows a flag taking a secret (--client-secret X,
// --password X, -H "Authorization: …") only as its preview, since nothing
// in its text alone says it is secret. "--flag=value" is handled the
// same way.
func RedactArgs(args []string, redact func(string) string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		switch {
		case i > 0 && secretFlag(args[i-1]) && !strings.HasPrefix(a, "-"):
			out[i] = secrets.Preview(a, "")
		case strings.HasPrefix(a, "-") && strings.Contains(a, "="):
			name, value, _ := strings.Cut(a, "=")
			if secretFlag(name) && value != "" {
				out[i] = name + "=" + secrets.Preview(value, "")
			} else {
				out[i] = redact(a)
			}
		default:
			out[i] = redact(a)
		}
	}
	return out
}

// secretFlag reports whether arg is a flag whose value is a secret.
func secretFlag(arg string) bool {
	if !strings.HasPrefix(arg, "-") || strings.Contains(arg, "=") {
		return false
	}
	if secrets.TakesSecret(arg) {
		return true
	}
	name := strings.TrimLeft(arg, "-")
	return len(name) >= 2 && secrets.IsSecretName(name) && !secrets.IsIdentifierName(name)
}
