// Package token fetches an Auth0 Management API token when it is needed:
// from the environment, the Auth0 MCP server's keychain items, the Auth0
// CLI's stored login, a client-credentials grant or a user's own command.
// Every source runs under its own deadline and answers with a token or a
// typed outcome that says why not. Tokens live in memory only (and, for
// client-credentials tokens, in the OS keychain); nothing here writes a
// file, and nothing prints a token's value except through Token.Value.
package token

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/secrets"
)

// DefaultTimeout is how long one source may take when neither the source
// nor the caller sets a deadline of its own.
const DefaultTimeout = 5 * time.Second

// StaleMargin is how much lifetime a token must have left to be used. The
// Auth0 MCP server refuses a token with under 5 minutes left; a token with
// under 10 is treated as expired here so that a server started with it
// still has time to work.
const StaleMargin = 10 * time.Minute

// Status is the outcome of asking a source for a token.
type Status string

// The outcomes a source can report.
const (
	StatusOK          Status = "ok"
	StatusMissing     Status = "missing"
	StatusExpired     Status = "expired"
	StatusWrongDomain Status = "wrong-domain"
	StatusLocked      Status = "locked"
	StatusTimeout     Status = "timeout"
	StatusError       Status = "error"
)

// Token is an access token with what is known about it. Its String, Format,
// GoString, MarshalJSON and LogValue methods show only a preview (the first
// four characters and the length); the value itself is reachable only
// through Value.
type Token struct {
	value string

	// Source names the source that produced the token.
	Source string
	// Domain is the tenant the token is for, when known.
	Domain string
	// ExpiresAt is when the token expires; zero when unknown.
	ExpiresAt time.Time
	// Scopes lists the token's scopes when the source says them.
	Scopes []string
	// Origin says where within the source it came from, such as
	// "keychain cache" or a file path; never secret.
	Origin string
}

// NewToken returns a token holding value, for callers (and tests) that
// build one themselves.
func NewToken(value, source, domain string, expiresAt time.Time) Token {
	return Token{value: value, Source: source, Domain: domain, ExpiresAt: expiresAt}
}

// Value returns the token itself. It is the only way to get it.
func (t Token) Value() string { return t.value }

// IsZero reports whether t holds no token.
func (t Token) IsZero() bool { return t.value == "" }

// Preview returns the first four characters, an ellipsis and the length,
// such as "eyJh…(812 chars)". A token of eight characters or fewer shows
// only its length.
func (t Token) Preview() string { return Preview(t.value) }

// Preview shows a secret as its first four characters and its length.
func Preview(secret string) string {
	if secret == "" {
		return "(empty)"
	}
	n := len(secret)
	if n <= 8 {
		return "(" + strconv.Itoa(n) + " chars)"
	}
	return secret[:4] + "…(" + strconv.Itoa(n) + " chars)"
}

// String returns the preview.
func (t Token) String() string { return t.Preview() }

// GoString returns the preview, so %#v does not show the value either.
func (t Token) GoString() string { return "token.Token(" + t.Preview() + ")" }

// Format prints the preview for every verb.
func (t Token) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, t.GoString())
		return
	}
	fmt.Fprint(f, t.Preview())
}

// MarshalJSON encodes the preview and the metadata, never the value.
func (t Token) MarshalJSON() ([]byte, error) {
	s := fmt.Sprintf(`{"preview":%q,"source":%q,"domain":%q`, t.Preview(), t.Source, t.Domain)
	if !t.ExpiresAt.IsZero() {
		s += fmt.Sprintf(`,"expires_at":%q`, t.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return []byte(s + "}"), nil
}

// LogValue makes slog log the preview.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("preview", t.Preview()),
		slog.String("source", t.Source),
		slog.String("domain", t.Domain))
}

// Query says what a caller asks a source for.
type Query struct {
	// Domain, when set, is the tenant the token must be for: a token for
	// another tenant is reported as wrong-domain, never returned.
	Domain string
	// Read allows reading keychain items that may show an "allow" dialog on
	// macOS. Without it, such items are only checked for existence.
	Read bool
}

// Source is one way of getting a token. Fetch must return as soon as ctx
// is done; the chain and the bench also stop waiting at that point.
type Source interface {
	// Name is the method's name as shown to users, such as "env".
	Name() string
	// Fetch returns a token or an *Error with the outcome.
	Fetch(ctx context.Context, q Query) (Token, error)
}

// Error is a source's answer when it has no usable token. Detail is a
// sentence for the user, never containing a secret.
type Error struct {
	Source string
	Status Status
	Detail string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source + ": ")
	}
	b.WriteString(string(e.Status))
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Err != nil && (e.Detail == "" || e.Status == StatusError) {
		b.WriteString(" (" + e.Err.Error() + ")")
	}
	// The last guard: a cause may quote what it was given.
	return secrets.Redact(b.String())
}

func (e *Error) Unwrap() error { return e.Err }

// StatusOf returns the outcome carried by err: ok for nil, the Status of an
// *Error, timeout for a deadline, error otherwise.
func StatusOf(err error) Status {
	var te *Error
	switch {
	case err == nil:
		return StatusOK
	case errors.As(err, &te):
		return te.Status
	case errors.Is(err, context.DeadlineExceeded):
		return StatusTimeout
	default:
		return StatusError
	}
}

func outcome(source string, status Status, detail string, cause error) *Error {
	return &Error{Source: source, Status: status, Detail: detail, Err: cause}
}

// NormalizeDomain lowercases a tenant domain and strips a scheme, a path
// and a trailing dot, so "https://Tenant.eu.auth0.com/" and
// "tenant.eu.auth0.com" compare equal.
func NormalizeDomain(d string) string {
	d = strings.TrimSpace(strings.ToLower(d))
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	}
	if i := strings.IndexAny(d, "/?#"); i >= 0 {
		d = d[:i]
	}
	return strings.TrimSuffix(d, ".")
}

// judge applies the rules every source shares to a token it found: expiry
// from the JWT's exp when it is a JWT, else the source's; under
// StaleMargin left is expired; and with q.Domain set, a token whose source
// domain or JWT issuer or audience names another tenant (or no tenant at
// all) is wrong-domain.
func judge(tok Token, q Query, now time.Time) (Token, error) {
	if reason := unusableReason(tok.value); tok.value != "" && reason != "" {
		return Token{}, notUsable(tok.Source, reason)
	}
	c := parseClaims(tok.value)
	if !c.expiresAt.IsZero() {
		tok.ExpiresAt = c.expiresAt
	}
	if len(tok.Scopes) == 0 {
		tok.Scopes = c.scopes
	}
	tok.Domain = NormalizeDomain(tok.Domain)
	claimed := tok.Domain
	if len(c.tenants) > 0 && (tok.Domain == "" || !contains(c.tenants, tok.Domain)) {
		// What the token itself says wins over what its source claims.
		tok.Domain = c.tenants[0]
	}

	if want := NormalizeDomain(q.Domain); want != "" {
		if claimed != "" && claimed != want {
			return Token{}, outcome(tok.Source, StatusWrongDomain,
				fmt.Sprintf("the token is for %s, not %s", claimed, want), nil)
		}
		if len(c.tenants) > 0 && !contains(c.tenants, want) {
			return Token{}, outcome(tok.Source, StatusWrongDomain,
				fmt.Sprintf("the token was issued for %s, not %s",
					strings.Join(c.tenants, ", "), want), nil)
		}
		if claimed == "" && len(c.tenants) == 0 {
			return Token{}, outcome(tok.Source, StatusWrongDomain,
				fmt.Sprintf("nothing tells which tenant the token is for, so it is not used for %s; "+
					"set AUTH0_DOMAIN next to it", want), nil)
		}
		tok.Domain = want
	}

	if !tok.ExpiresAt.IsZero() {
		left := tok.ExpiresAt.Sub(now)
		if left < StaleMargin {
			detail := "the token expired " + tok.ExpiresAt.UTC().Format(time.RFC3339)
			if left > 0 {
				detail = fmt.Sprintf("the token expires in %s, under the %s margin",
					left.Round(time.Second), StaleMargin)
			}
			return Token{}, &Error{Source: tok.Source, Status: StatusExpired,
				Detail: detail + "; " + renewHint(tok.Source)}
		}
	}
	return tok, nil
}

func renewHint(source string) string {
	switch source {
	case MethodMCPKeychain:
		return "run the Auth0 MCP server's init again to log in"
	case MethodAuth0CLI:
		return "run: auth0 login"
	case MethodEnv:
		return "set a fresh AUTH0_TOKEN"
	default:
		return "fetch a fresh one"
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// runWithDeadline calls fetch under a deadline of d and stops waiting when
// the deadline passes, even when fetch itself cannot be interrupted (a
// keychain call without a context); such a call is left to finish in the
// background and its result is dropped.
func runWithDeadline(ctx context.Context, name string, d time.Duration,
	fetch func(context.Context) (Token, error)) (Token, error) {
	if d <= 0 {
		d = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()

	type answer struct {
		tok Token
		err error
	}
	done := make(chan answer, 1)
	go func() {
		tok, err := fetch(ctx)
		done <- answer{tok, err}
	}()

	select {
	case a := <-done:
		if a.err != nil && ctx.Err() != nil && StatusOf(a.err) == StatusError {
			return Token{}, timeoutError(name, d, ctx)
		}
		return a.tok, a.err
	case <-ctx.Done():
		// A source that honours ctx answers at once with a more precise
		// reason (the command was killed, the server never answered).
		select {
		case a := <-done:
			if st := StatusOf(a.err); st == StatusTimeout {
				return Token{}, a.err
			}
		case <-time.After(timeoutGrace):
		}
		return Token{}, timeoutError(name, d, ctx)
	}
}

// timeoutGrace is how long a source may take, after its deadline, to
// say why it timed out.
const timeoutGrace = 50 * time.Millisecond

func timeoutError(name string, d time.Duration, ctx context.Context) *Error {
	if errors.Is(context.Cause(ctx), context.Canceled) {
		return outcome(name, StatusError, "cancelled", context.Canceled)
	}
	return outcome(name, StatusTimeout,
		fmt.Sprintf("no answer within %s", d), context.DeadlineExceeded)
}
