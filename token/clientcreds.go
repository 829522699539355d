package token

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// cacheService is the keychain service under which client-credentials
// tokens are cached, so that each new process does not ask Auth0 for a new
// one (tenants may issue only so many machine-to-machine tokens).
const cacheService = "auth0mcp"

const maxTokenResponse = 1 << 20

// maxExpiresIn is the longest expires_in taken at its word: 30 days, in
// seconds. Auth0 issues Management API tokens for at most that long.
const maxExpiresIn = 30 * 24 * 60 * 60

// maxRateLimitWait is the furthest reset time a 429 answer is believed.
const maxRateLimitWait = 24 * time.Hour

// ClientCredentialsSource asks the tenant's /oauth/token for a Management
// API token with a client ID and secret (AUTH0_DOMAIN, AUTH0_CLIENT_ID,
// AUTH0_CLIENT_SECRET), and caches the answer in the OS keychain until it
// goes stale. A 429 answer is remembered until its reset time and never
// retried in a loop.
type ClientCredentialsSource struct {
	// Getenv replaces os.Getenv, for tests.
	Getenv func(string) string
	// Domain, ClientID and ClientSecret override the environment.
	Domain, ClientID, ClientSecret string
	// TokenURL overrides https://<domain>/oauth/token (and AUTH0MCP_TOKEN_URL).
	// Plain http is accepted only for a loopback host.
	TokenURL string
	// HTTPClient replaces a default client; its redirects are not followed.
	HTTPClient *http.Client
	// NoCache turns off the keychain cache (reading and writing it).
	NoCache  bool
	Deadline time.Duration
	Now      func() time.Time

	mu          sync.Mutex
	rateLimited map[string]time.Time
}

func (s *ClientCredentialsSource) Name() string           { return MethodClientCredentials }
func (s *ClientCredentialsSource) Timeout() time.Duration { return s.Deadline }

// tokenResponse is the body /oauth/token answers with, on success or not.
type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	ExpiresIn        int64  `json:"expires_in"`
	Scope            string `json:"scope"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// parseTokenResponse decodes an /oauth/token body. Its errors never quote
// the input.
func parseTokenResponse(data []byte) (tokenResponse, error) {
	var r tokenResponse
	if err := json.Unmarshal(data, &r); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return tokenResponse{}, fmt.Errorf("field %q has the wrong type", te.Field)
		}
		return tokenResponse{}, errors.New("the answer is not a JSON object")
	}
	return r, nil
}

type cachedToken struct {
	AccessToken string    `json:"access_token"`
	ExpiresAt   time.Time `json:"expires_at"`
}

func (s *ClientCredentialsSource) settings() (domain, id, secret string) {
	getenv := getenvOr(s.Getenv)
	domain, id, secret = s.Domain, s.ClientID, s.ClientSecret
	if domain == "" {
		domain = getenv(EnvDomain)
	}
	if id == "" {
		id = getenv(EnvClientID)
	}
	if secret == "" {
		secret = getenv(EnvClientSecret)
	}
	return NormalizeDomain(domain), strings.TrimSpace(id), strings.TrimSpace(secret)
}

func (s *ClientCredentialsSource) endpoint(domain string) (string, error) {
	raw := s.TokenURL
	if raw == "" {
		raw = getenvOr(s.Getenv)(EnvTokenURL)
	}
	if raw == "" {
		return "https://" + domain + "/oauth/token", nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", errors.New(EnvTokenURL + " is not a URL")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", errors.New(EnvTokenURL + " must use https unless it points at this machine")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", errors.New(EnvTokenURL + " must be an http(s) URL")
	}
	return u.String(), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *ClientCredentialsSource) Fetch(ctx context.Context, q Query) (Token, error) {
	domain, id, secret := s.settings()
	if id == "" || secret == "" {
		return Token{}, outcome(MethodClientCredentials, StatusMissing,
			EnvClientID+" and "+EnvClientSecret+" are not both set", nil)
	}
	if domain == "" {
		return Token{}, outcome(MethodClientCredentials, StatusMissing,
			EnvDomain+" is not set, so there is no tenant to ask", nil)
	}
	if want := NormalizeDomain(q.Domain); want != "" && want != domain {
		return Token{}, outcome(MethodClientCredentials, StatusWrongDomain,
			fmt.Sprintf("the client credentials are for %s, not %s", domain, want), nil)
	}
	now := nowOr(s.Now)
	account := "client-credentials/" + domain + "/" + id

	if !s.NoCache {
		if tok, ok := s.fromCache(ctx, account, domain, q, now); ok {
			return tok, nil
		}
	}
	if until, limited := s.limitedUntil(domain, now); limited {
		return Token{}, outcome(MethodClientCredentials, StatusError, fmt.Sprintf(
			"Auth0 rate-limited token requests for %s %s; wait, and cache tokens "+
				"rather than fetching one per start", domain, untilWords(until, now)), nil)
	}

	tok, err := s.request(ctx, domain, id, secret, now)
	if err != nil {
		return Token{}, err
	}
	tok, err = judge(tok, q, now)
	if err != nil {
		return Token{}, err
	}
	if !s.NoCache {
		s.toCache(ctx, account, tok)
	}
	return tok, nil
}

func (s *ClientCredentialsSource) fromCache(ctx context.Context, account, domain string,
	q Query, now time.Time) (Token, bool) {
	raw, err := keychainLookup(ctx, goKeyringStyle, cacheService, account, true)
	if err != nil {
		return Token{}, false
	}
	var c cachedToken
	if json.Unmarshal([]byte(raw), &c) != nil || c.AccessToken == "" {
		return Token{}, false
	}
	tok := Token{value: c.AccessToken, Source: MethodClientCredentials, Domain: domain,
		ExpiresAt: c.ExpiresAt, Origin: "keychain cache"}
	tok, err = judge(tok, q, now)
	return tok, err == nil
}

// toCache keeps tok in the keychain. Failing to is not an error: the token
// is still good, the next process just asks Auth0 again.
func (s *ClientCredentialsSource) toCache(ctx context.Context, account string, tok Token) {
	data, err := json.Marshal(cachedToken{AccessToken: tok.value, ExpiresAt: tok.ExpiresAt})
	if err != nil {
		return
	}
	_ = keychainStore(ctx, goKeyringStyle, cacheService, account,
		"auth0mcp client-credentials token for "+tok.Domain, string(data))
}

// ForgetCached removes the cached client-credentials token for the
// configured domain and client, if any.
func (s *ClientCredentialsSource) ForgetCached(ctx context.Context) error {
	domain, id, _ := s.settings()
	return keychainDelete(ctx, goKeyringStyle, cacheService,
		"client-credentials/"+domain+"/"+id)
}

func (s *ClientCredentialsSource) limitedUntil(domain string, now time.Time) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	until, ok := s.rateLimited[domain]
	return until, ok && now.Before(until)
}

func (s *ClientCredentialsSource) setLimited(domain string, until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rateLimited == nil {
		s.rateLimited = map[string]time.Time{}
	}
	s.rateLimited[domain] = until
}

func (s *ClientCredentialsSource) request(ctx context.Context, domain, id, secret string,
	now time.Time) (Token, error) {
	endpoint, err := s.endpoint(domain)
	if err != nil {
		return Token{}, outcome(MethodClientCredentials, StatusError, err.Error(), nil)
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {id},
		"client_secret": {secret},
		"audience":      {"https://" + domain + "/api/v2/"},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint,
		strings.NewReader(form.Encode()))
	if err != nil {
		return Token{}, outcome(MethodClientCredentials, StatusError, "cannot build the request", nil)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")

	resp, err := s.client().Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Token{}, outcome(MethodClientCredentials, StatusTimeout,
				"no answer from "+endpoint+" before the deadline", ctx.Err())
		}
		return Token{}, outcome(MethodClientCredentials, StatusError,
			"cannot reach "+endpoint+"; check AUTH0_DOMAIN and the network", scrub(err, secret))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenResponse))
	if err != nil {
		if ctx.Err() != nil {
			return Token{}, outcome(MethodClientCredentials, StatusTimeout,
				"the answer from "+endpoint+" did not finish before the deadline", ctx.Err())
		}
		return Token{}, outcome(MethodClientCredentials, StatusError,
			"cannot read the answer from "+endpoint, scrub(err, secret))
	}
	r, perr := parseTokenResponse(body)

	if resp.StatusCode == http.StatusTooManyRequests {
		until := rateLimitReset(resp.Header, now)
		s.setLimited(domain, until)
		return Token{}, outcome(MethodClientCredentials, StatusError, fmt.Sprintf(
			"Auth0 answered 429 Too Many Requests: the tenant's token rate limit is used up "+
				"%s; wait until then, and cache tokens rather than fetching one per start",
			untilWords(until, now)), nil)
	}
	if resp.StatusCode != http.StatusOK {
		return Token{}, outcome(MethodClientCredentials, StatusError,
			describeTokenError(resp.StatusCode, r, secret), nil)
	}
	if perr != nil || r.AccessToken == "" {
		return Token{}, outcome(MethodClientCredentials, StatusError,
			endpoint+" answered 200 without an access_token", perr)
	}

	tok := Token{value: r.AccessToken, Source: MethodClientCredentials, Domain: domain,
		Scopes: strings.Fields(r.Scope), Origin: endpoint}
	// An expires_in that is not positive, or longer than any Auth0 token
	// lives, says nothing; the JWT's exp, when there is one, still counts.
	if r.ExpiresIn > 0 && r.ExpiresIn <= maxExpiresIn {
		tok.ExpiresAt = now.Add(time.Duration(r.ExpiresIn) * time.Second)
	}
	return tok, nil
}

func (s *ClientCredentialsSource) client() *http.Client {
	base := s.HTTPClient
	if base == nil {
		base = http.DefaultClient
	}
	c := *base
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// rateLimitReset reads x-ratelimit-reset (seconds since the epoch, or
// seconds from now when small), then Retry-After, else one minute. A reset
// further away than maxRateLimitWait is taken as that far: such a header
// is wrong, and the wait is remembered only by this process anyway.
func rateLimitReset(h http.Header, now time.Time) time.Time {
	limit := now.Add(maxRateLimitWait)
	for _, key := range []string{"X-Ratelimit-Reset", "Retry-After"} {
		n, err := strconv.ParseInt(strings.TrimSpace(h.Get(key)), 10, 64)
		if err != nil || n < 0 {
			continue
		}
		var at time.Time
		switch {
		case n > 1_000_000_000:
			if n > limit.Unix() {
				return limit
			}
			at = time.Unix(n, 0)
		case n > int64(maxRateLimitWait/time.Second):
			return limit
		default:
			at = now.Add(time.Duration(n) * time.Second)
		}
		if at.After(limit) {
			return limit
		}
		return at
	}
	return now.Add(time.Minute)
}

// untilWords says when a rate limit ends: "until <time>", or "for more
// than a day" when the reset was further away than we believe.
func untilWords(until, now time.Time) string {
	if !until.Before(now.Add(maxRateLimitWait)) {
		return "for more than a day"
	}
	return "until " + until.UTC().Format(time.RFC3339)
}

// describeTokenError turns Auth0's error answer into a sentence with the fix.
func describeTokenError(status int, r tokenResponse, secret string) string {
	desc := strings.TrimSpace(r.ErrorDescription)
	if secret != "" {
		desc = strings.ReplaceAll(desc, secret, "[client secret]")
	}
	// Whole first, then cut: a JWT cut in two is no longer recognised.
	desc = scrubOutside(desc, secret)
	if r := []rune(desc); len(r) > 200 {
		desc = string(r[:200]) + "…"
	}
	quoted := ""
	if desc != "" {
		quoted = fmt.Sprintf(" (Auth0 said: %q)", desc)
	}
	lower := strings.ToLower(desc)

	switch {
	case strings.Contains(lower, "service not enabled within domain"):
		return "Auth0 does not know this audience: AUTH0_DOMAIN must be the tenant's canonical " +
			"domain (like tenant.eu.auth0.com), not a custom domain" + quoted
	case r.Error == "unauthorized_client":
		return "the application may not use the Client Credentials grant: enable it in the " +
			"Auth0 dashboard under Applications > (your application) > Advanced Settings > " +
			"Grant Types" + quoted
	case status == http.StatusForbidden && strings.Contains(lower, "not authorized"):
		return "the application has no grant for the Management API: in the Auth0 dashboard, " +
			"open APIs > Auth0 Management API > Machine to Machine Applications, authorize " +
			"the application and give it the scopes it needs" + quoted
	case status == http.StatusUnauthorized:
		return "Auth0 rejected the client ID or secret (401): the secret is wrong or was " +
			"rotated; copy the current one from the application's settings into " +
			EnvClientSecret + quoted
	case status == http.StatusForbidden:
		return "Auth0 refused the token request (403); check the application's grant types " +
			"and its Management API authorization" + quoted
	}
	return fmt.Sprintf("the token endpoint answered HTTP %d%s", status, quoted)
}

// scrub removes the client secret from an error's text (a URL error can
// quote the request).
func scrub(err error, secret string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, "[client secret]"))
}
