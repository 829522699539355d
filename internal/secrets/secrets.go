// Package secrets finds secrets stored in MCP client configs and in the text servers
// write. It is shared by the config audit, the redaction of server output and the
// rewrite of configs.
//
// Detection looks first at where a value sits (an env value named *_TOKEN, the argument
// after --api-key, an Authorization header, a URL's password) and then at what it looks
// like (a vendor prefix, a JWT, a random string). Placeholders and references to secrets
// kept elsewhere are not findings. A Hit carries the secret so that callers can remove
// it, but no method of Hit prints it: String, Format (every fmt verb, %+v and %#v too),
// GoString, LogValue and JSON encoding show at most its Preview.
package secrets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"unicode/utf8"
)

// Severity ranks a Hit.
type Severity string

// Severities, from the most to the least urgent.
const (
	High   Severity = "high"
	Medium Severity = "medium"
	Low    Severity = "low"
)

// Kind says where in a config a value sits.
type Kind int

// Kinds of Location.
const (
	EnvValue    Kind = iota // a value in a server's "env" object; Name is the variable name
	Arg                     // an element of "args"; PrevArg is the element before it
	URLField                // a "url" or "serverUrl" field of a server entry
	HeaderValue             // a value in a "headers" object; Name is the header name
	Other                   // any other string value in the file; Name is its JSON key
)

// String returns the kind's name, e.g. "env".
func (k Kind) String() string {
	switch k {
	case EnvValue:
		return "env"
	case Arg:
		return "arg"
	case URLField:
		return "url"
	case HeaderValue:
		return "header"
	case Other:
		return "other"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Location is one string value of a config and where it sits.
type Location struct {
	Kind    Kind
	Name    string // the env variable, header or JSON key name ("" for args and URLs)
	Value   string
	PrevArg string // for Arg: the element before it, "" for the first
	// InServer is set for values inside a server entry. The secret-name rule applies to
	// Other values only there, and the high-entropy rule applies to any value only there.
	InServer bool
}

// Hit is one secret found in a Location's Value.
type Hit struct {
	Rule     string   // stable rule id, see Rules
	Severity Severity // severity of this hit
	// Secret is the secret part of Value. It must never be printed or logged: show
	// Preview and Fingerprint instead. The methods of Hit never print it.
	Secret     string `json:"-"`
	Start, End int    // byte offsets of Secret within Value
	Vendor     string // e.g. "github", "slack", "auth0"; "" when unknown
	JWT        *JWTInfo
}

// String returns the rule and the preview of the secret, e.g. "vendor-token ghp_… (40 chars)".
func (h Hit) String() string {
	return h.Rule + " " + h.Preview()
}

// Preview returns a safe preview of the secret: its vendor prefix or first characters and
// its length.
func (h Hit) Preview() string {
	return Preview(h.Secret, prefixOf(h.Secret))
}

// Format prints a Hit for every fmt verb without the secret: %v and %s print String, %+v
// and %#v print every field with the secret replaced by its preview.
func (h Hit) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		io.WriteString(f, h.GoString())
	case verb == 'v' && f.Flag('+'):
		fmt.Fprintf(f, "{Rule:%s Severity:%s Secret:%s Start:%d End:%d Vendor:%s JWT:%+v}",
			h.Rule, h.Severity, h.Preview(), h.Start, h.End, h.Vendor, h.JWT)
	default:
		io.WriteString(f, h.String())
	}
}

// GoString is like %+v in Go syntax, with the secret replaced by its preview.
func (h Hit) GoString() string {
	return fmt.Sprintf("secrets.Hit{Rule:%q, Severity:%q, Secret:%q, Start:%d, End:%d, "+
		"Vendor:%q, JWT:%#v}", h.Rule, h.Severity, h.Preview(), h.Start, h.End, h.Vendor, h.JWT)
}

// LogValue makes log/slog print the Hit as String.
func (h Hit) LogValue() slog.Value {
	return slog.StringValue(h.String())
}

// Preview returns what may be shown of a secret: the vendor prefix when given (and the
// secret is long enough that the prefix gives nothing away), else the first 4 characters,
// then "…" and the length, e.g. "ghp_… (40 chars)" or "eyJh… (812 chars)". A secret of 8
// characters or fewer shows no characters at all: "… (6 chars)".
func Preview(secret, prefix string) string {
	n := utf8.RuneCountInString(secret)
	shown := ""
	switch {
	case n <= 8:
	case prefix != "" && len(secret) >= len(prefix)+8 && secret[:len(prefix)] == prefix:
		shown = prefix
	default:
		shown = firstRunes(secret, 4)
	}
	return fmt.Sprintf("%s… (%d chars)", shown, n)
}

func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// Fingerprint returns the first 8 hex digits of the SHA-256 of secret: enough to tell two
// secrets apart or match one across files, not to recover it.
func Fingerprint(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:4])
}
