package token

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// How the Auth0 CLI keeps its login: the access token split into chunks of
// 2048 bytes under the go-keyring services "Auth0 CLI Access Token 0", "…
// 1", … with the tenant domain as user, and the tenant list (and, when the
// keyring was unavailable, the token itself) in ~/.config/auth0/config.json.
const (
	cliTokenService = "Auth0 CLI Access Token"
	cliMaxChunks    = 50
	cliMaxConfig    = 4 << 20
)

// cliConfig is the part of the Auth0 CLI's config.json we read.
type cliConfig struct {
	DefaultTenant string               `json:"default_tenant"`
	Tenants       map[string]cliTenant `json:"tenants"`
}

type cliTenant struct {
	Domain      string    `json:"domain"`
	AccessToken string    `json:"access_token"`
	ExpiresAt   time.Time `json:"expires_at"`
	Scopes      []string  `json:"scopes"`
	ClientID    string    `json:"client_id"`
}

// parseCLIConfig decodes config.json. Its errors never quote the input.
func parseCLIConfig(data []byte) (cliConfig, error) {
	var c cliConfig
	if err := json.Unmarshal(data, &c); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return cliConfig{}, fmt.Errorf("not valid JSON at byte %d", se.Offset)
		case errors.As(err, &te):
			return cliConfig{}, fmt.Errorf("field %q has the wrong type", te.Field)
		}
		return cliConfig{}, errors.New("not a valid Auth0 CLI configuration")
	}
	return c, nil
}

// tenant returns the entry for domain, matching the map key or the entry's
// own domain field.
func (c cliConfig) tenant(domain string) (cliTenant, bool) {
	want := NormalizeDomain(domain)
	for key, t := range c.Tenants {
		if NormalizeDomain(key) == want || (t.Domain != "" && NormalizeDomain(t.Domain) == want) {
			return t, true
		}
	}
	return cliTenant{}, false
}

// Auth0CLISource reads the Auth0 CLI's stored login for the tenant asked
// for, or for its default tenant: the keyring chunks first, then the
// access_token fallback in config.json. Expiry comes from the token (a JWT)
// or from the tenant's expires_at.
type Auth0CLISource struct {
	// Home replaces the user's home directory, for tests.
	Home     string
	Deadline time.Duration
	Now      func() time.Time
}

func (s *Auth0CLISource) Name() string           { return MethodAuth0CLI }
func (s *Auth0CLISource) Timeout() time.Duration { return s.Deadline }

// ConfigPath is where the Auth0 CLI keeps its configuration, the same on
// every OS.
func (s *Auth0CLISource) ConfigPath() (string, error) {
	home := s.Home
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		home = h
	}
	return filepath.Join(home, ".config", "auth0", "config.json"), nil
}

func (s *Auth0CLISource) Fetch(ctx context.Context, q Query) (Token, error) {
	cfg, cfgErr := s.readConfig()
	domain := NormalizeDomain(q.Domain)
	if domain == "" {
		domain = NormalizeDomain(cfg.DefaultTenant)
	}
	if domain == "" {
		if cfgErr != nil {
			return Token{}, cfgErr
		}
		return Token{}, outcome(MethodAuth0CLI, StatusMissing,
			"the Auth0 CLI has no default tenant; run: auth0 login", nil)
	}
	tenant, known := cfg.tenant(domain)

	value, err := readChunks(ctx, domain, q.Read)
	origin := "keychain"
	switch {
	case err == nil && value == "" && !q.Read:
		// Only the existence was checked (macOS).
		return Token{Source: MethodAuth0CLI, Domain: domain, ExpiresAt: tenant.ExpiresAt}, nil
	case err == nil:
	case tenant.AccessToken != "":
		// The CLI writes the token to config.json when it cannot use the
		// keyring, so a keyring that is missing, locked or failing is no
		// reason to stop here.
		value = tenant.AccessToken
		origin = "config.json"
		if !errors.Is(err, errItemNotFound) {
			origin = "config.json; the keychain was not usable"
		}
	case errors.Is(err, errItemNotFound) && cfgErr != nil:
		return Token{}, cfgErr
	case errors.Is(err, errItemNotFound):
		detail := "no Auth0 CLI login for " + domain + "; run: auth0 login --domain " + domain
		if known {
			detail = "the Auth0 CLI knows " + domain + " but holds no token for it; " +
				"run: auth0 login --domain " + domain
		}
		return Token{}, outcome(MethodAuth0CLI, StatusMissing, detail, nil)
	default:
		return Token{}, keychainOutcome(MethodAuth0CLI, "the Auth0 CLI token", err)
	}

	tok := Token{value: value, Source: MethodAuth0CLI, Domain: domain,
		ExpiresAt: tenant.ExpiresAt, Scopes: tenant.Scopes, Origin: origin}
	return judge(tok, q, nowOr(s.Now))
}

// readConfig reads config.json; a missing file is an empty configuration.
// The error is an *Error ready to report.
func (s *Auth0CLISource) readConfig() (cliConfig, error) {
	path, err := s.ConfigPath()
	if err != nil {
		return cliConfig{}, outcome(MethodAuth0CLI, StatusError,
			"cannot find the home directory", err)
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return cliConfig{}, outcome(MethodAuth0CLI, StatusMissing,
			"the Auth0 CLI is not logged in ("+path+" does not exist); run: auth0 login", nil)
	}
	if err != nil {
		return cliConfig{}, outcome(MethodAuth0CLI, StatusError, "cannot read "+path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, cliMaxConfig))
	if err != nil {
		return cliConfig{}, outcome(MethodAuth0CLI, StatusError, "cannot read "+path, err)
	}
	cfg, err := parseCLIConfig(data)
	if err != nil {
		return cliConfig{}, outcome(MethodAuth0CLI, StatusError,
			path+" is not a valid Auth0 CLI configuration; run: auth0 login", err)
	}
	return cfg, nil
}

// readChunks joins the keyring chunks of the tenant's token. The first
// chunk missing means no token; a later one missing ends it.
func readChunks(ctx context.Context, domain string, read bool) (string, error) {
	var b strings.Builder
	for i := 0; i < cliMaxChunks; i++ {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		part, err := keychainLookup(ctx, goKeyringStyle,
			fmt.Sprintf("%s %d", cliTokenService, i), domain, read)
		if errors.Is(err, errItemNotFound) && i > 0 {
			break
		}
		if err != nil {
			return "", err
		}
		if !read && part == "" {
			return "", nil
		}
		b.WriteString(part)
	}
	return b.String(), nil
}
