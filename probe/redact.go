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
		return secrets.Redact(s)
	}
}
