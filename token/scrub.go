package token

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/auth0mcp/auth0mcp/internal/secrets"
)

// scrubOutside makes text that came from outside (a command's stderr, an
// HTTP error_description, a keychain or D-Bus error) fit for a detail: the
// known secrets are hidden whole and in pieces, then whatever the secrets
// detector recognises, then long opaque runs a cut may have left of a
// token nothing recognises any more.
func scrubOutside(text string, known ...string) string {
	var values []string
	for _, v := range known {
		if v != "" {
			values = append(values, v)
		}
	}
	text = secrets.RedactKnown(text, values)
	return secrets.MaskOpaque(secrets.Redact(text))
}

// unusableReason says why value cannot be a token, or "" when it can be
// one: a token goes into an HTTP header and an environment variable, where
// whitespace, control characters and NUL break it or cut it short. It
// never quotes the value.
func unusableReason(value string) string {
	if !utf8.ValidString(value) {
		return "it is not valid UTF-8"
	}
	for i, r := range value {
		switch {
		case r == 0:
			return fmt.Sprintf("it contains a NUL byte at position %d", i)
		case unicode.IsSpace(r):
			return fmt.Sprintf("it contains whitespace at position %d", i)
		case unicode.IsControl(r) || r == utf8.RuneError:
			return fmt.Sprintf("it contains a control character at position %d", i)
		}
	}
	return ""
}

// notUsable is the outcome for a value that cannot be a token.
func notUsable(source, reason string) *Error {
	return outcome(source, StatusError, "the token is not usable: "+reason, nil)
}
