package token

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/secrets"
)

// Config gathers what the default sources need from the command line and
// the environment.
type Config struct {
	// Getenv replaces os.Getenv, for tests.
	Getenv func(string) string
	// Home replaces the home directory (for the Auth0 CLI's config.json).
	Home string
	// Timeout is each source's deadline; zero means DefaultTimeout.
	Timeout time.Duration
	// TokenURL overrides the client-credentials token endpoint.
	TokenURL string
	// TokenCommand overrides AUTH0MCP_TOKEN_COMMAND.
	TokenCommand string
	// NoCache turns off the keychain cache of client-credentials tokens.
	NoCache bool
	// HTTPClient replaces the default HTTP client.
	HTTPClient *http.Client
}

// DefaultSources returns the methods in the order the chain tries them:
// env, mcp-keychain, auth0-cli, client-credentials, command.
func DefaultSources(cfg Config) []Source {
	return []Source{
		&EnvSource{Getenv: cfg.Getenv, Deadline: cfg.Timeout},
		&MCPKeychainSource{Deadline: cfg.Timeout},
		&Auth0CLISource{Home: cfg.Home, Deadline: cfg.Timeout},
		&ClientCredentialsSource{Getenv: cfg.Getenv, TokenURL: cfg.TokenURL,
			HTTPClient: cfg.HTTPClient, NoCache: cfg.NoCache, Deadline: cfg.Timeout},
		&CommandSource{Command: cfg.TokenCommand, Getenv: cfg.Getenv, Deadline: cfg.Timeout},
	}
}

// Attempt records what one source answered.
type Attempt struct {
	Method   string
	Status   Status
	Detail   string
	Duration time.Duration
	// Token is set when Status is ok.
	Token Token
	Err   error
}

// NoTokenError is the chain's answer when no source gave a usable token.
// Its text lists every method's reason, one per line.
type NoTokenError struct {
	Domain   string
	Attempts []Attempt
}

func (e *NoTokenError) Error() string {
	var b strings.Builder
	b.WriteString("no usable Auth0 token")
	if e.Domain != "" {
		b.WriteString(" for " + e.Domain)
	}
	b.WriteString(":")
	for _, a := range e.Attempts {
		fmt.Fprintf(&b, "\n  %s: %s", a.Method, a.Status)
		if a.Detail != "" {
			b.WriteString(": " + a.Detail)
		}
	}
	return b.String()
}

// Chain tries its sources in order, each under its own deadline, and
// returns the first usable token. It keeps tokens in memory, per domain,
// until they go stale. Safe for concurrent use.
type Chain struct {
	Sources []Source
	// Timeout is the deadline for a source that has none of its own.
	Timeout time.Duration
	// Logger, when set, gets one line per attempt (never a token).
	Logger *slog.Logger
	// Now replaces time.Now, for tests.
	Now func() time.Time

	mu    sync.Mutex
	cache map[string]Token
}

// NewChain returns a chain over sources.
func NewChain(sources ...Source) *Chain { return &Chain{Sources: sources} }

// Get returns the first usable token for domain (any tenant when domain is
// empty), or a *NoTokenError with every method's reason. Keychain items
// are read (Query.Read), since the caller needs the value.
func (c *Chain) Get(ctx context.Context, domain string) (Token, error) {
	domain = NormalizeDomain(domain)
	now := nowOr(c.Now)
	if tok, ok := c.cached(domain, now); ok {
		return tok, nil
	}

	q := Query{Domain: domain, Read: true}
	var attempts []Attempt
	for _, src := range c.Sources {
		a := try(ctx, src, q, c.Timeout)
		if a.Status == StatusOK && a.Token.IsZero() {
			a.Status, a.Detail = StatusMissing, "present but not read"
		}
		c.log(a)
		attempts = append(attempts, a)
		if a.Status == StatusOK {
			c.remember(domain, a.Token)
			return a.Token, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return Token{}, &NoTokenError{Domain: domain, Attempts: attempts}
}

// Forget drops every cached token.
func (c *Chain) Forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cache = nil
}

func (c *Chain) cached(domain string, now time.Time) (Token, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tok, ok := c.cache[domain]
	if !ok {
		return Token{}, false
	}
	if !tok.ExpiresAt.IsZero() && tok.ExpiresAt.Sub(now) < StaleMargin {
		delete(c.cache, domain)
		return Token{}, false
	}
	return tok, true
}

func (c *Chain) remember(domain string, tok Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cache == nil {
		c.cache = map[string]Token{}
	}
	c.cache[domain] = tok
}

func (c *Chain) log(a Attempt) {
	if c.Logger == nil {
		return
	}
	attrs := []any{"method", a.Method, "status", string(a.Status),
		"took", a.Duration.Round(time.Millisecond)}
	if a.Detail != "" {
		attrs = append(attrs, "detail", a.Detail)
	}
	if a.Status == StatusOK {
		attrs = append(attrs, "token", a.Token)
	}
	c.Logger.Info("token method tried", attrs...)
}

// try asks one source under its deadline and records the outcome.
func try(ctx context.Context, src Source, q Query, fallback time.Duration) Attempt {
	d := timeoutOf(src, fallback)
	start := time.Now()
	tok, err := runWithDeadline(ctx, src.Name(), d, func(ctx context.Context) (Token, error) {
		return src.Fetch(ctx, q)
	})
	a := Attempt{Method: src.Name(), Duration: time.Since(start), Status: StatusOf(err), Err: err}
	if err != nil {
		if te, ok := err.(*Error); ok {
			a.Detail = te.Detail
			if te.Status == StatusError && te.Err != nil {
				a.Detail = joinDetail(te.Detail, te.Err.Error())
			}
		} else {
			a.Detail = err.Error()
		}
		// A cause may quote what a keychain or a server said.
		a.Detail = secrets.Redact(a.Detail)
		return a
	}
	a.Token = tok
	return a
}

func joinDetail(detail, cause string) string {
	if detail == "" {
		return cause
	}
	return detail + " (" + cause + ")"
}
