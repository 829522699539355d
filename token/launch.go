package token

import (
	"context"
	"errors"
	"strings"
)

// ChildEnv returns environ with AUTH0_TOKEN set to tok's value (replacing
// any earlier AUTH0_TOKEN) and AUTH0_DOMAIN set to tok's domain unless
// environ already has a non-empty AUTH0_DOMAIN, which is never overwritten.
// The token goes into the environment only, never into argv.
func ChildEnv(environ []string, tok Token) ([]string, error) {
	if tok.IsZero() {
		return nil, errors.New("no token to pass on")
	}
	if reason := unusableReason(tok.Value()); reason != "" {
		return nil, errors.New("the token is not usable: " + reason)
	}
	env := setEnv(environ, EnvToken, tok.Value())
	if envValue(env, EnvDomain) != "" {
		return env, nil
	}
	if tok.Domain == "" {
		return nil, errors.New("the token's tenant is unknown and AUTH0_DOMAIN is not set; " +
			"set AUTH0_DOMAIN in the server entry's env")
	}
	return setEnv(env, EnvDomain, tok.Domain), nil
}

// PrepareRun is what the `run` launcher does before it replaces itself
// with the server: it asks chain for a token for the AUTH0_DOMAIN found in
// environ (any tenant when there is none) and returns the child's
// environment. Errors are *NoTokenError when no method gave a token.
func PrepareRun(ctx context.Context, chain *Chain, environ []string) ([]string, Token, error) {
	tok, err := chain.Get(ctx, envValue(environ, EnvDomain))
	if err != nil {
		return nil, Token{}, err
	}
	env, err := ChildEnv(environ, tok)
	if err != nil {
		return nil, Token{}, err
	}
	return env, tok, nil
}

// envValue returns the last value of key in environ.
func envValue(environ []string, key string) string {
	for i := len(environ) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(environ[i], key+"="); ok {
			return v
		}
	}
	return ""
}

// Getenv returns a Getenv function reading environ, for sources that must
// see a launcher's environment rather than the process's own.
func Getenv(environ []string) func(string) string {
	return func(key string) string { return envValue(environ, key) }
}
