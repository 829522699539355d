package secrets

// Rule ids. They appear in JSON output and must stay stable.
const (
	RuleSecretName       = "secret-name"
	RuleFlagValue        = "flag-value"
	RuleHeaderValue      = "header-value"
	RuleURLUserinfo      = "url-userinfo"
	RuleURLQuery         = "url-query"
	RuleURLPath          = "url-path"
	RuleConnectionString = "connection-string"
	RuleVendorToken      = "vendor-token"
	RuleVendorKeyID      = "vendor-key-id"
	RuleJWT              = "jwt"
	RuleHighEntropy      = "high-entropy"
)

// RuleInfo describes one detection rule.
type RuleInfo struct {
	ID       string
	Severity Severity // the usual severity; jwt and vendor-token vary per hit
	// Priority decides between hits on overlapping text: the higher one is kept.
	Priority int
	Summary  string
}

// Rules lists every rule, from the most specific to the least. When two hits overlap in a
// value, the one with the higher Priority is kept.
var Rules = []RuleInfo{
	{RuleJWT, High, 5, "A JWT (three base64url parts, the first a JSON header with alg); " +
		"high while live, medium once expired."},
	{RuleVendorToken, High, 5, "A token with a known vendor prefix (ghp_, xoxb-, sk-ant-, " +
		"glpat-, ...) followed by a long enough random part; Stripe test keys are medium."},
	{RuleVendorKeyID, Low, 5, "An AWS access key id (AKIA or ASIA and 16 more characters): " +
		"half a credential, reported even under a name such as AWS_ACCESS_KEY_ID."},
	{RuleConnectionString, High, 4, "The password of a database or broker URL " +
		"(postgres://user:pass@host, redis://:pass@host) or of a Key=Value;Password=x; string."},
	{RuleURLUserinfo, High, 4, "The password in a URL's user info, or a random-looking " +
		"user name standing in for a token (https://TOKEN@host)."},
	{RuleURLQuery, High, 4, "The value of a query or fragment parameter named like a " +
		"credential (api_key, key, token, access_token, auth, secret, password, sig, ...)."},
	{RuleHeaderValue, High, 3, "The credential of an HTTP header with a secret name " +
		"(Authorization, X-API-Key, Cookie, ...), in a headers object or an argument."},
	{RuleFlagValue, High, 3, "The value of a secret flag in args (--token X, --api-key=X) " +
		"or of a NAME=value argument whose NAME says secret."},
	{RuleSecretName, High, 3, "An env value (or a header or other key inside a server " +
		"entry) whose name says secret, when the value is no placeholder or reference."},
	{RuleURLPath, Medium, 2, "A URL path segment of at least 24 random-looking letters " +
		"and digits, the way hosted MCP servers embed a per-user token."},
	{RuleHighEntropy, Low, 1, "A random-looking value of at least 20 characters inside " +
		"a server entry that no other rule explains; never under an identifier name."},
}

// ruleInfo returns the entry of Rules for id.
func ruleInfo(id string) RuleInfo {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	return RuleInfo{ID: id, Severity: Low}
}
