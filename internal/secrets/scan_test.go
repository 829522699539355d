package secrets

import (
	"encoding/base64"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
)

// fake returns n deterministic random characters of [A-Za-z0-9] for building test tokens.
func fake(seed int64, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	r := rand.New(rand.NewSource(seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.Intn(len(alphabet))]
	}
	// Make sure there is a digit and a letter whatever the seed.
	b[0], b[n-1] = 'q', '7'
	return string(b)
}

// fakeHex returns n deterministic random lower-case hex digits.
func fakeHex(seed int64, n int) string {
	r := rand.New(rand.NewSource(seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = "0123456789abcdef"[r.Intn(16)]
	}
	b[0], b[n-1] = 'a', '7'
	return string(b)
}

// makeJWT builds an unsigned-looking JWT from a header and claims.
func makeJWT(header, claims map[string]any) string {
	enc := func(v any) string {
		data, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(data)
	}
	return enc(header) + "." + enc(claims) + "." + fake(99, 43)
}

var (
	ghp      = "ghp_" + fake(1, 36)
	slackTok = "xoxb-1234567890-1234567890123-" + fake(2, 24)
	openai   = "sk-proj-" + fake(3, 48)
	anthro   = "sk-ant-api03-" + fake(4, 80)
	awsID    = "AKIA" + strings.ToUpper(fake(5, 16))
	glpat    = "glpat-" + fake(6, 20)
	opaque   = fake(7, 40)
	hexKey   = fakeHex(8, 32)
	liveJWT  = makeJWT(map[string]any{"alg": "HS256", "typ": "JWT"},
		map[string]any{"iss": "https://example.org/", "exp": 1924992000})
)

type scanCase struct {
	name string
	loc  Location
	want []string // "rule=secret", in order; empty for no hit
}

func env(name, v string) Location {
	return Location{Kind: EnvValue, Name: name, Value: v, InServer: true}
}
func arg(prev, v string) Location {
	return Location{Kind: Arg, PrevArg: prev, Value: v, InServer: true}
}
func hdr(name, v string) Location {
	return Location{Kind: HeaderValue, Name: name, Value: v, InServer: true}
}
func urlf(v string) Location { return Location{Kind: URLField, Value: v, InServer: true} }
func other(name, v string, in bool) Location {
	return Location{Kind: Other, Name: name, Value: v, InServer: in}
}

func TestScan(t *testing.T) {
	zapier := "https://mcp.zapier.com/api/mcp/s/" + fake(10, 30) + "-" + fake(11, 33) + "/mcp"
	cases := []scanCase{
		// secret-name
		{"env client secret", env("AUTH0_CLIENT_SECRET", opaque), []string{"secret-name=" + opaque}},
		{"env password short", env("DB_PASSWORD", "hunter2"), []string{"secret-name=hunter2"}},
		{"env camelCase name", env("apiKey", "abc123def"), []string{"secret-name=abc123def"}},
		{"env bearer value", env("AUTH_HEADER", "Bearer abc123def"), []string{"secret-name=abc123def"}},
		{"env quoted spaces", env("API_TOKEN", "  tok3n-value  "), []string{"secret-name=tok3n-value"}},
		{"other in server", other("apiKey", "abc123def", true), []string{"secret-name=abc123def"}},
		{"other outside server", other("apiKey", "abc123def", false), nil},
		{"header object secret-named", hdr("X-Api-Token", "abc123def"), []string{"header-value=abc123def"}},
		// flag-value
		{"--token X", arg("--token", opaque), []string{"flag-value=" + opaque}},
		{"--api-key X", arg("--api-key", "k3y-value-1"), []string{"flag-value=k3y-value-1"}},
		{"--apikey X", arg("--apikey", "k3y-value-1"), []string{"flag-value=k3y-value-1"}},
		{"--client-secret X", arg("--client-secret", "s3cr3t"), []string{"flag-value=s3cr3t"}},
		{"--password X", arg("--password", "pa55word"), []string{"flag-value=pa55word"}},
		{"--api-key=X", arg("", "--api-key="+opaque), []string{"flag-value=" + opaque}},
		{"--token=X after other", arg("-y", "--token=abc123def"), []string{"flag-value=abc123def"}},
		{"docker -e NAME=value", arg("-e", "GITHUB_TOKEN=abc123def"), []string{"flag-value=abc123def"}},
		{"NAME=value vendor wins", arg("-e", "GITHUB_TOKEN="+ghp), []string{"vendor-token=" + ghp}},
		{"--flag value flag-like", arg("--token", "--verbose"), nil},
		{"-p is not a secret flag", arg("-p", "8080abc"), nil},
		{"--token-file path", arg("--token-file", "/home/sam/.token"), nil},
		{"--client-id", arg("--client-id", "0BvUsDyHQBMMOxDcy2PSXwt41kcZIupy"), nil},
		{"--token placeholder", arg("--token", "YOUR_TOKEN"), nil},
		{"--token reference", arg("--token", "${AUTH0_TOKEN}"), nil},
		{"NAME=reference", arg("-e", "GITHUB_TOKEN=$GITHUB_TOKEN"), nil},
		{"identifier NAME=value", arg("-e", "AUTH0_DOMAIN=acme.auth0.com"), nil},
		// header-value
		{"--header Authorization Bearer", arg("--header", "Authorization: Bearer "+opaque),
			[]string{"header-value=" + opaque}},
		{"-H X-API-Key", arg("-H", "X-API-Key: "+hexKey), []string{"header-value=" + hexKey}},
		{"header on its own", arg("mcp-remote", "Authorization:Bearer "+opaque),
			[]string{"header-value=" + opaque}},
		{"header with reference", arg("--header", "Authorization: Bearer ${AUTH_TOKEN}"), nil},
		{"header ref no space", arg("--header", "Authorization:${AUTH_HEADER}"), nil},
		{"content-type header", arg("--header", "Content-Type: application/json"), nil},
		{"headers object bearer", hdr("Authorization", "Bearer "+opaque), []string{"header-value=" + opaque}},
		{"headers object basic", hdr("Authorization", "Basic dXNlcjpwYXNzd29yZDEyMw=="),
			[]string{"header-value=dXNlcjpwYXNzd29yZDEyMw=="}},
		{"headers object cookie", hdr("Cookie", "session=abc123"), []string{"header-value=session=abc123"}},
		{"headers object jwt wins", hdr("Authorization", "Bearer "+liveJWT), []string{"jwt=" + liveJWT}},
		{"headers object placeholder", hdr("Authorization", "Bearer <YOUR_TOKEN>"), nil},
		{"headers object bearer only", hdr("Authorization", "Bearer"), nil},
		{"headers object accept", hdr("Accept", "text/event-stream"), nil},
		// URLs
		{"url-userinfo", urlf("https://user:s3cr3tpw@example.com/mcp"), []string{"url-userinfo=s3cr3tpw"}},
		{"url-userinfo token user", urlf("https://" + opaque + "@git.example.com/r.git"),
			[]string{"url-userinfo=" + opaque}},
		{"url plain user", urlf("https://sam@example.com/mcp"), nil},
		{"url-query api_key", arg("mcp-remote", "https://s.example.dev/mcp?api_key="+hexKey),
			[]string{"url-query=" + hexKey}},
		{"url-query token second", urlf("https://x.example/sse?v=2&token=abc123def"),
			[]string{"url-query=abc123def"}},
		{"url-query fragment", urlf("https://x.example/cb#access_token=abc123def&x=1"),
			[]string{"url-query=abc123def"}},
		{"url-query sig", urlf("https://x.example/f?sig=abc123def"), []string{"url-query=abc123def"}},
		{"url-query reference", urlf("https://x.example/f?key=${env:KEY}"), nil},
		{"url-query not secret", urlf("https://x.example/f?page=2&lang=en"), nil},
		{"url-path", urlf(zapier), []string{"url-path=" + zapier[33:97]}},
		{"url-path uuid", urlf("https://x.example/s/123e4567-e89b-12d3-a456-426614174000/mcp"), nil},
		{"url-path words", urlf("https://x.example/modelcontextprotocol-server-2024/mcp"), nil},
		{"url in env", env("MCP_SERVER", "https://x.example/f?apikey=abc123def"),
			[]string{"url-query=abc123def"}},
		{"url in other", other("endpoint", "https://u:pw123456@x.example/", false),
			[]string{"url-userinfo=pw123456"}},
		{"url identifier env", env("GITLAB_API_URL", "https://gitlab.com/api/v4"), nil},
		// connection-string
		{"postgresql", arg("server-postgres", "postgresql://app:wH3X8CyY@db:5432/o"),
			[]string{"connection-string=wH3X8CyY"}},
		{"postgres env", env("DATABASE_URL", "postgres://u:p4ss@h/db"), []string{"connection-string=p4ss"}},
		{"mongodb+srv", arg("", "mongodb+srv://u:m0ngo@c.example.net/"), []string{"connection-string=m0ngo"}},
		{"redis no user", arg("", "redis://:r3d1s@cache:6379"), []string{"connection-string=r3d1s"}},
		{"rediss", arg("", "rediss://default:r3d1s@cache:6379"), []string{"connection-string=r3d1s"}},
		{"amqp", arg("", "amqp://guest:gu3st@mq/"), []string{"connection-string=gu3st"}},
		{"mysql password with @", arg("", "mysql://root:p@ss1@db/x"), []string{"connection-string=p@ss1"}},
		{"postgres no password", arg("", "postgresql://localhost/mydb"), nil},
		{"postgres placeholder", arg("", "postgresql://user:password@localhost/db"), nil},
		{"postgres reference", arg("", "postgresql://user:${DB_PASSWORD}@localhost/db"), nil},
		{"ado string", env("CONN", "Server=db;User Id=app;Password=Adm1n!;"),
			[]string{"connection-string=Adm1n!"}},
		// vendor-token
		{"github env", env("GITHUB_PERSONAL_ACCESS_TOKEN", ghp), []string{"vendor-token=" + ghp}},
		{"github under plain name", env("X", ghp), []string{"vendor-token=" + ghp}},
		{"github in other outside server", other("note", "use "+ghp+" here", false),
			[]string{"vendor-token=" + ghp}},
		{"slack", env("SLACK_BOT_TOKEN", slackTok), []string{"vendor-token=" + slackTok}},
		{"openai positional", arg("", openai), []string{"vendor-token=" + openai}},
		{"anthropic", env("ANTHROPIC_API_KEY", anthro), []string{"vendor-token=" + anthro}},
		{"gitlab", env("GITLAB_PERSONAL_ACCESS_TOKEN", glpat), []string{"vendor-token=" + glpat}},
		{"context7", arg("--api-key", "ctx7sk-099a9e4eeda4314f516c15f501c08e4b"),
			[]string{"vendor-token=ctx7sk-099a9e4eeda4314f516c15f501c08e4b"}},
		{"two tokens", env("TOKENS", ghp+","+glpat), []string{"vendor-token=" + ghp, "vendor-token=" + glpat}},
		{"same token twice", arg("", ghp+" "+ghp), []string{"vendor-token=" + ghp}},
		{"sk- alone", other("x", "sk-", false), nil},
		{"npm_config", env("npm_config_cache", "npm_config_registry_mirror_host_name"), nil},
		{"sk-xxxxxxxx", env("OPENAI_API_KEY", "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), nil},
		{"ghp_ placeholder words", env("GITHUB_TOKEN", "ghp_your_token_here"), nil},
		{"prefix inside a word", other("x", "task-"+fake(12, 30), false), nil},
		// vendor-key-id
		{"aws key id under id name", env("AWS_ACCESS_KEY_ID", awsID), []string{"vendor-key-id=" + awsID}},
		// jwt
		{"jwt live", env("AUTH0_TOKEN", liveJWT), []string{"jwt=" + liveJWT}},
		{"jwt in Other outside server", other("token", liveJWT, false), []string{"jwt=" + liveJWT}},
		{"jwt in --token=", arg("", "--token="+liveJWT), []string{"jwt=" + liveJWT}},
		{"jwt-like without alg", env("X", makeJWTNoAlg()), nil},
		// high-entropy
		{"entropy positional", arg("run", opaque), []string{"high-entropy=" + opaque}},
		{"entropy env plain name", env("MCP_CONFIG", opaque), []string{"high-entropy=" + opaque}},
		{"entropy not outside server", other("x", opaque, false), nil},
		{"entropy not under identifier", env("AUTH0_CLIENT_ID", "0BvUsDyHQBMMOxDcy2PSXwt41kcZIupy"), nil},
		{"entropy not after id flag", arg("--client-id", "0BvUsDyHQBMMOxDcy2PSXwt41kcZIupy"), nil},
		{"entropy not in url field", urlf("https://x.example/a"), nil},
		// negatives
		{"empty", env("AUTH0_TOKEN", ""), nil},
		{"blank", env("AUTH0_TOKEN", "   "), nil},
		{"debug", env("DEBUG", "auth0-mcp"), nil},
		{"team id", env("SLACK_TEAM_ID", "T01234567"), nil},
		{"gitlab api url", env("GITLAB_API_URL", "https://gitlab.com/api/v4"), nil},
		{"auth0 domain", env("AUTH0_DOMAIN", "acme-dev.us.auth0.com"), nil},
		{"auth0 client id", env("AUTH0_CLIENT_ID", "0BvUsDyHQBMMOxDcy2PSXwt41kcZIupy"), nil},
		{"expires at", env("AUTH0_TOKEN_EXPIRES_AT", "1763596800000"), nil},
		{"package spec", arg("-y", "@auth0/auth0-mcp-server@0.1.0-beta.19"), nil},
		{"path arg", arg("@modelcontextprotocol/server-filesystem", "/Users/sam/Documents"), nil},
		{"windows path", arg("", `C:\Users\sam\src\server-v2-2024-abcdef1234567890`), nil},
		{"-y", arg("", "-y"), nil},
		{"bare env name", arg("-e", "GITHUB_PERSONAL_ACCESS_TOKEN"), nil},
		{"tools star", arg("--tools", "*"), nil},
		{"bool under secret name", env("USE_AUTH", "true"), nil},
		{"path under secret name", env("GOOGLE_APPLICATION_CREDENTIALS", "/home/sam/creds.json"), nil},
		{"file under secret name", env("GOOGLE_APPLICATION_CREDENTIALS", "creds.json"), nil},
		{"publishable key", env("STRIPE_PUBLISHABLE_KEY", "pk_live_"+fake(13, 24)), nil},
		{"domain value", env("SOME_SETTING", "very-long-subdomain-name.example.com"), nil},
		{"email value", env("CONTACT", "someone.with.long.name@example.com"), nil},
		{"uuid value", env("WORKSPACE", "123e4567-e89b-12d3-a456-426614174000"), nil},
		{"version value", env("TARGET", "v1.2.3-beta.19+build.20240101"), nil},
		{"words and digits", env("SERVER_FLAVOR", "modelcontextprotocol2024server"), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hits := Scan(tc.loc, testNow)
			checkHits(t, tc.loc, hits)
			var got []string
			for _, h := range hits {
				got = append(got, h.Rule+"="+h.Secret)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Scan(%v %q, prev %q)\n got %q\nwant %q", tc.loc.Kind, tc.loc.Name,
					tc.loc.PrevArg, got, tc.want)
			}
		})
	}
}

func makeJWTNoAlg() string {
	return makeJWT(map[string]any{"typ": "JWT"}, map[string]any{"sub": "x"})
}

// TestScanPlaceholdersAndReferences checks that no placeholder or reference is reported,
// whichever Kind it sits in.
func TestScanPlaceholdersAndReferences(t *testing.T) {
	values := append(placeholders, references...)
	for _, v := range values {
		locs := []Location{
			env("API_TOKEN", v), arg("--token", v), arg("-e", "API_TOKEN="+v),
			arg("--header", "Authorization: Bearer "+v), hdr("X-API-Key", v),
			other("password", v, true), urlf("https://x.example/?api_key=" + v),
		}
		for _, loc := range locs {
			if hits := Scan(loc, testNow); len(hits) > 0 {
				t.Errorf("Scan(%v, %q) = %v, want none", loc.Kind, loc.Value, hits)
			}
		}
	}
}

func TestSeverity(t *testing.T) {
	expired := makeJWT(map[string]any{"alg": "RS256"}, map[string]any{"exp": 1763596800})
	noExp := makeJWT(map[string]any{"alg": "RS256"}, map[string]any{"sub": "x"})
	cases := []struct {
		loc  Location
		want Severity
	}{
		{env("AUTH0_TOKEN", liveJWT), High},
		{env("AUTH0_TOKEN", expired), Medium},
		{env("AUTH0_TOKEN", noExp), High},
		{env("AWS_ACCESS_KEY_ID", awsID), Low},
		{env("STRIPE_KEY", "sk_test_"+fake(14, 24)), Medium},
		{env("STRIPE_KEY", "sk_live_"+fake(14, 24)), High},
		{arg("run", opaque), Low},
		{urlf("https://x.example/s/" + fake(15, 40)), Medium},
		{env("DB_PASSWORD", "hunter2"), High},
	}
	for _, tc := range cases {
		hits := Scan(tc.loc, testNow)
		if len(hits) != 1 || hits[0].Severity != tc.want {
			t.Errorf("Scan(%q...) = %v, want one hit of severity %s", tc.loc.Name, hits, tc.want)
		}
	}
}

func TestScanVendors(t *testing.T) {
	// Every prefix in the table is found with a random part of its minimum length, and not
	// with one character less.
	for _, p := range vendorPrefixes {
		rest := fake(int64(len(p.prefix)), p.min)
		if p.chars == upper {
			rest = strings.ToUpper(rest)
		}
		tok := p.prefix + rest
		hits := Scan(other("", "x "+tok+" y", false), testNow)
		if len(hits) != 1 || hits[0].Secret != tok || hits[0].Vendor != p.vendor {
			t.Errorf("%s: Scan = %v, want the token, vendor %s", p.prefix, hits, p.vendor)
			continue
		}
		if got := hits[0].Preview(); !strings.HasPrefix(got, p.prefix+"…") && len(tok) >= len(p.prefix)+8 {
			t.Errorf("%s: preview %q does not show the prefix", p.prefix, got)
		}
		// One character short, the prefix's own entry must not match (a shorter generic
		// prefix such as "sk-" may still take "sk-ant-…").
		short := p.prefix + rest[:len(rest)-1]
		for _, sp := range findVendorTokens(short, nil) {
			if sp.vendor.prefix == p.prefix {
				t.Errorf("%s: token one short found", p.prefix)
			}
		}
	}
}
