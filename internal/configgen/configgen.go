// Package configgen makes large client configs of a known shape for the
// benchmarks and the side-by-side comparison: an Auth0 entry with a stored
// (fake) token, hundreds of other servers, and an app's preferences.
package configgen

import (
	"encoding/base64"
	"fmt"
	"math/rand"
	"strings"
)

// Generate returns a Claude Desktop config of about size bytes: an Auth0
// server entry with a stored (fake) token, up to 300 other server entries
// (every tenth storing a fake GitHub token), then a preferences block of
// random identifiers that fills the rest, as the app's own state does.
func Generate(size int) []byte {
	r := rand.New(rand.NewSource(int64(size)))
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alnum[r.Intn(len(alnum))]
		}
		return string(b)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	jwt := b64([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." +
		b64([]byte(`{"iss":"https://demo.us.auth0.com/","aud":"https://demo.us.auth0.com/api/v2/","exp":4102444800}`)) +
		"." + word(86)

	var b strings.Builder
	b.WriteString("{\n  \"mcpServers\": {\n")
	fmt.Fprintf(&b, `    "auth0": {"command": "npx", "args": ["-y", "@auth0/auth0-mcp-server", "run"], `+
		`"env": {"AUTH0_DOMAIN": "demo.us.auth0.com", "AUTH0_TOKEN": "%s"}}`, jwt)
	servers := min(300, size/300)
	for i := 0; i < servers; i++ {
		fmt.Fprintf(&b, ",\n    \"server-%d\": {\"command\": \"npx\", \"args\": [\"-y\", \"@example/server-%d@1.0.%d\"], "+
			"\"env\": {\"LOG_LEVEL\": \"info\", \"SERVICE_ID\": \"%s\"", i, i, i, word(24))
		if i%10 == 0 {
			fmt.Fprintf(&b, `, "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_%s"`, word(36))
		}
		b.WriteString("}}")
	}
	b.WriteString("\n  },\n  \"preferences\": {\n")
	for i := 0; b.Len() < size-80; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `    "conversation-%d": {"id": "%s", "pinned": %v, "title": "Chat %d"}`, i, word(32), i%3 == 0, i)
	}
	b.WriteString("\n  }\n}\n")
	return []byte(b.String())
}
