package token

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"time"
)

// The names of the methods, as users see them in the bench and in errors.
const (
	MethodEnv               = "env"
	MethodMCPKeychain       = "mcp-keychain"
	MethodAuth0CLI          = "auth0-cli"
	MethodClientCredentials = "client-credentials"
	MethodCommand           = "command"
)

// Environment variables the sources read.
const (
	EnvToken        = "AUTH0_TOKEN"
	EnvDomain       = "AUTH0_DOMAIN"
	EnvClientID     = "AUTH0_CLIENT_ID"
	EnvClientSecret = "AUTH0_CLIENT_SECRET"
	EnvTokenURL     = "AUTH0MCP_TOKEN_URL"
	EnvTokenCommand = "AUTH0MCP_TOKEN_COMMAND"
)

// timed is implemented by sources that carry their own deadline.
type timed interface{ Timeout() time.Duration }

func timeoutOf(s Source, fallback time.Duration) time.Duration {
	if t, ok := s.(timed); ok && t.Timeout() > 0 {
		return t.Timeout()
	}
	if fallback > 0 {
		return fallback
	}
	return DefaultTimeout
}

func getenvOr(f func(string) string) func(string) string {
	if f != nil {
		return f
	}
	return os.Getenv
}

// keychainOutcome turns a keychain error into the outcome users see.
func keychainOutcome(source, what string, err error) *Error {
	switch {
	case errors.Is(err, errItemNotFound):
		return outcome(source, StatusMissing, "no "+what+" in the keychain", nil)
	case errors.Is(err, errLocked):
		return outcome(source, StatusLocked, "the keychain holding "+what+" is locked; "+
			"unlock it (log in to the desktop session) and try again: "+
			"auth0mcp never unlocks it, which would show a prompt", err)
	}
	return outcome(source, StatusError, "could not read "+what+" from the keychain", err)
}

// EnvSource reads AUTH0_TOKEN and AUTH0_DOMAIN from the environment. For a
// token that is not a JWT and has no other expiry, nothing can tell when it
// expires, and it is taken as it is.
type EnvSource struct {
	// Getenv replaces os.Getenv, for tests.
	Getenv func(string) string
	// Deadline overrides the chain's timeout for this source.
	Deadline time.Duration
	// Now replaces time.Now, for tests.
	Now func() time.Time
}

func (s *EnvSource) Name() string           { return MethodEnv }
func (s *EnvSource) Timeout() time.Duration { return s.Deadline }

func (s *EnvSource) Fetch(_ context.Context, q Query) (Token, error) {
	getenv := getenvOr(s.Getenv)
	value := strings.TrimSpace(getenv(EnvToken))
	if value == "" {
		return Token{}, outcome(MethodEnv, StatusMissing, EnvToken+" is not set", nil)
	}
	tok := Token{value: value, Source: MethodEnv, Domain: getenv(EnvDomain)}
	return judge(tok, q, nowOr(s.Now))
}

func nowOr(f func() time.Time) time.Time {
	if f != nil {
		return f()
	}
	return time.Now()
}

// The Auth0 MCP server's keychain items.
const (
	mcpService        = "auth0-mcp"
	mcpAccountToken   = "AUTH0_TOKEN"
	mcpAccountDomain  = "AUTH0_DOMAIN"
	mcpAccountExpires = "AUTH0_TOKEN_EXPIRES_AT"
)

// MCPKeychainSource reads the items the Auth0 MCP server keeps in the OS
// keychain (service auth0-mcp): the token, its domain and its expiry in
// milliseconds since the epoch. On macOS, without Query.Read, it only
// checks that the token item exists, and reports ok with no value.
type MCPKeychainSource struct {
	Deadline time.Duration
	Now      func() time.Time
}

func (s *MCPKeychainSource) Name() string           { return MethodMCPKeychain }
func (s *MCPKeychainSource) Timeout() time.Duration { return s.Deadline }

func (s *MCPKeychainSource) Fetch(ctx context.Context, q Query) (Token, error) {
	value, err := keychainLookup(ctx, keytarStyle, mcpService, mcpAccountToken, q.Read)
	if err != nil {
		return Token{}, keychainOutcome(MethodMCPKeychain, "Auth0 MCP server token", err)
	}
	domain, err := keychainLookup(ctx, keytarStyle, mcpService, mcpAccountDomain, q.Read)
	if err != nil && !errors.Is(err, errItemNotFound) {
		return Token{}, keychainOutcome(MethodMCPKeychain, "Auth0 MCP server domain", err)
	}
	if value == "" && !q.Read {
		// Only the existence was checked (macOS).
		return Token{Source: MethodMCPKeychain, Domain: NormalizeDomain(domain)}, nil
	}
	if strings.TrimSpace(value) == "" {
		return Token{}, outcome(MethodMCPKeychain, StatusMissing,
			"the Auth0 MCP server's token item is empty", nil)
	}

	tok := Token{value: strings.TrimSpace(value), Source: MethodMCPKeychain, Domain: domain}
	exp, err := keychainLookup(ctx, keytarStyle, mcpService, mcpAccountExpires, q.Read)
	if err == nil {
		if ms, perr := strconv.ParseInt(strings.TrimSpace(exp), 10, 64); perr == nil {
			tok.ExpiresAt = time.UnixMilli(ms)
		}
	}
	return judge(tok, q, nowOr(s.Now))
}
