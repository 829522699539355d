package secrets

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRedact(t *testing.T) {
	jwtPrev := Preview(liveJWT, "")
	cases := []struct{ in, want string }{
		{"nothing to see here", "nothing to see here"},
		{"", ""},
		{"AUTH0_TOKEN=" + liveJWT, "AUTH0_TOKEN=" + jwtPrev},
		{"token " + liveJWT + " expired", "token " + jwtPrev + " expired"},
		{"using " + ghp + ".", "using ghp_… (40 chars)."},
		{"Authorization: Bearer KRO1ezcGH_F6kdzAV8o_azebCEKh6EmwUPg64TIV",
			"Authorization: Bearer KRO1… (40 chars)"},
		{`curl -H "Authorization: Bearer abc123def456" https://x`,
			`curl -H "Authorization: Bearer abc1… (12 chars)" https://x`},
		{"sent bearer abc123def456 upstream", "sent bearer abc1… (12 chars) upstream"},
		{"X-API-Key: f56e974ee1d461ca23cd700e6c28ea3f", "X-API-Key: f56e… (32 chars)"},
		{"run --api-key=k3yvalue1 --verbose", "run --api-key=k3yv… (9 chars) --verbose"},
		{"run --token k3yvalue1 --verbose", "run --token k3yv… (9 chars) --verbose"},
		{"docker run -e GITHUB_TOKEN=s3cr3tvalue img", "docker run -e GITHUB_TOKEN=s3cr… (11 chars) img"},
		{`{"access_token":"abc123def456","expires_in":86400}`,
			`{"access_token":"abc1… (12 chars)","expires_in":86400}`},
		{"password: hunter2", "password: … (7 chars)"},
		{"connect postgresql://app:wH3X8CyYUuNCAIgiwh@db.internal:5432/orders ok",
			"connect postgresql://app:wH3X… (18 chars)@db.internal:5432/orders ok"},
		{"GET https://s.example.dev/mcp?api_key=f56e974ee1d461ca23cd700e6c28ea3f&x=1",
			"GET https://s.example.dev/mcp?api_key=f56e… (32 chars)&x=1"},
		{"GET https://mcp.zapier.com/api/mcp/s/YjvF02hHCc89z3-y5rRyxYsGI3ispUQ5d7kFmWl-Jc/mcp",
			"GET https://mcp.zapier.com/api/mcp/s/YjvF… (42 chars)/mcp"},
		{"Server=db;Password=Adm1n!;", "Server=db;Password=… (6 chars);"},
		// Readable text stays as it is.
		{"Error: token: expired", "Error: token: expired"},
		{"No valid authorization token found", "No valid authorization token found"},
		{"Invalid Auth0 configuration", "Invalid Auth0 configuration"},
		{"AUTH0_DOMAIN=acme-dev.us.auth0.com", "AUTH0_DOMAIN=acme-dev.us.auth0.com"},
		{"AUTH0_TOKEN=${AUTH0_TOKEN} set", "AUTH0_TOKEN=${AUTH0_TOKEN} set"},
		{"token=YOUR_TOKEN_HERE", "token=YOUR_TOKEN_HERE"},
		{"see https://auth0.com/docs/api/management/v2 for the API key docs",
			"see https://auth0.com/docs/api/management/v2 for the API key docs"},
		{"requires a Bearer token", "requires a Bearer token"},
		{"spawn npx ENOENT at 2025-11-20T10:00:00Z", "spawn npx ENOENT at 2025-11-20T10:00:00Z"},
	}
	for _, tc := range cases {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// TestRedactArgs checks that Redact hides what Scan finds in single arguments.
func TestRedactArgs(t *testing.T) {
	args := []string{
		"--api-key=" + hexKey, "--token=abc123def", "GITHUB_TOKEN=s3cr3tvalue",
		"Authorization: Bearer " + opaque, "Authorization:Bearer " + opaque,
		"X-API-Key: " + hexKey, "Cookie: session=abc123", "api_key=abc123def",
		"postgresql://app:wH3X8CyYUuNCAIgiwh@db.internal:5432/orders",
		"https://server.example.dev/mcp?api_key=" + hexKey, ghp, liveJWT,
		"-e=GITHUB_TOKEN=" + ghp, "auth.token=abc123def",
	}
	for _, a := range args {
		hits := Scan(Location{Kind: Arg, Value: a}, testNow)
		if len(hits) == 0 {
			t.Errorf("Scan(%q): no hit", a)
		}
		out := Redact(a)
		for _, h := range hits {
			if strings.Contains(out, h.Secret) {
				t.Errorf("Redact(%q) = %q keeps the secret", a, out)
			}
		}
	}
}

// TestRedactCoversScan checks that Redact hides every secret Scan finds in the same text,
// for the values of every case config.
func TestRedactCoversScan(t *testing.T) {
	for _, file := range []string{"02-auth0-stored-token.json", "05-many-servers-crlf.json",
		"08-tabs-client-secret.json", "09-url-secrets.json", "10-duplicate-keys.json"} {
		raw, err := os.ReadFile(filepath.Join("testdata/configs", file))
		if err != nil {
			t.Fatal(err)
		}
		data := string(raw)
		out := Redact(data)
		for _, loc := range []Location{{Kind: Other, Value: data}, {Kind: Arg, Value: data}} {
			for _, h := range Scan(loc, testNow) {
				if strings.Contains(out, h.Secret) {
					t.Errorf("%s: %s survives Redact", file, h)
				}
			}
		}
	}
}

// mixedLog returns about n bytes of log text with a secret every few lines.
func mixedLog(n int) string {
	lines := []string{
		"2026-01-15T10:00:00.000Z [auth0] Server started and connected successfully",
		`{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","serverInfo":{"name":"auth0"}}}`,
		"Authorization: Bearer " + opaque,
		"auth0-mcp Loaded configuration from environment AUTH0_TOKEN=" + liveJWT,
		"GET https://s.example.dev/mcp?api_key=" + hexKey + " 200 12ms",
		"npm WARN exec The following package was not found and will be installed: @auth0/auth0-mcp-server@0.1.0-beta.19",
		"Error: No valid authorization token found. Run: npx @auth0/auth0-mcp-server init",
		"using token " + ghp + " for github",
		"    at Object.<anonymous> (/Users/sam/.npm/_npx/1415fee72ff6294b/node_modules/x.js:10:5)",
	}
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(lines[i%len(lines)])
		b.WriteByte('\n')
	}
	return b.String()
}

func TestRedactLarge(t *testing.T) {
	text := mixedLog(1 << 20)
	start := time.Now()
	out := Redact(text)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Redact of 1 MB took %v", d)
	}
	for _, s := range []string{opaque, liveJWT, hexKey, ghp} {
		if strings.Contains(out, s) {
			t.Errorf("%s survives", Preview(s, ""))
		}
	}
	if !strings.Contains(out, "Server started and connected successfully") {
		t.Error("plain text lost")
	}
}

// TestRedactLinear checks that Redact's time grows about linearly on inputs made to
// trip a naive search: many "eyJ" starts, long URLs, long names, many separators.
func TestRedactLinear(t *testing.T) {
	inputs := map[string]func(n int) string{
		"eyJ":        func(n int) string { return strings.Repeat("eyJ", n/3) },
		"eyJ parts":  func(n int) string { return strings.Repeat("eyJa.eyJb.", n/10) },
		"url":        func(n int) string { return "https://h/" + strings.Repeat("a/", n/2) },
		"query":      func(n int) string { return "https://h/?" + strings.Repeat("token=a&", n/8) },
		"name":       func(n int) string { return strings.Repeat("TOKEN_", n/6) + "=x" },
		"assign":     func(n int) string { return strings.Repeat("TOKEN=", n/6) },
		"colons":     func(n int) string { return strings.Repeat("a://", n/4) },
		"bearer":     func(n int) string { return strings.Repeat("bearer ", n/7) },
		"prefixes":   func(n int) string { return strings.Repeat("ghp_ sk- xoxb-", n/14) },
		"dollar":     func(n int) string { return "token=" + strings.Repeat("${", n/2) },
		"quote":      func(n int) string { return `"token":"` + strings.Repeat(`\"`, n/2) },
		"many lines": func(n int) string { return mixedLog(n) },
	}
	for name, gen := range inputs {
		small, big := gen(1<<16), gen(1<<20)
		ts := timeIt(func() { Redact(small) })
		tb := timeIt(func() { Redact(big) })
		// 16 times the input; allow 64 times the time (and some noise on tiny times).
		if tb > 64*ts+50*time.Millisecond {
			t.Errorf("%s: 64 KiB took %v, 1 MiB took %v: not linear", name, ts, tb)
		}
	}
}

func timeIt(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

func BenchmarkRedact(b *testing.B) {
	text := mixedLog(1 << 20)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Redact(text)
	}
}

func BenchmarkScan(b *testing.B) {
	var locs []Location
	for i, line := range strings.Split(mixedLog(1<<20), "\n") {
		locs = append(locs, Location{Kind: Kind(i % 5), Name: "X_TOKEN", Value: line,
			PrevArg: "--token", InServer: true})
	}
	b.SetBytes(1 << 20)
	for b.Loop() {
		for _, loc := range locs {
			Scan(loc, testNow)
		}
	}
}

// FuzzScan checks the invariants of Scan on any value in any Location.
func FuzzScan(f *testing.F) {
	for _, s := range []string{"", ghp, liveJWT, "Authorization: Bearer " + opaque,
		"--api-key=" + hexKey, "GITHUB_TOKEN=" + ghp, "postgresql://a:b@c/d",
		"https://h/?token=x&sig=y#access_token=z", "${env:X}", "YOUR_TOKEN_HERE", "redis://:p@h",
		"https://" + opaque + "@h/" + opaque + "?key=" + opaque, "Server=x;Password=y;",
		"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Bearer ${A:-b}", "%A%", "你的令牌"} {
		f.Add(s, "X_TOKEN", "--token", uint8(0), true)
	}
	f.Fuzz(func(t *testing.T, value, name, prev string, kind uint8, inServer bool) {
		loc := Location{Kind: Kind(kind % 5), Name: name, Value: value, PrevArg: prev,
			InServer: inServer}
		hits := Scan(loc, testNow)
		checkHits(t, loc, hits)
		for _, h := range hits {
			if strings.Contains(h.String(), h.Secret) && len(h.Secret) > 4 &&
				!strings.HasPrefix(h.Secret, prefixOf(h.Secret)+"…") {
				t.Fatalf("String shows the secret")
			}
		}
		IsPlaceholder(value)
		Reference(value)
		DecodeJWT(value, testNow)
	})
}

// FuzzRedact checks that Redact never panics and hides whatever Scan finds in the same
// text, and any JWT or GitHub token planted in it.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"", "AUTH0_TOKEN=%s", "Authorization: Bearer %s", "x %s y",
		`{"token":"%s"}`, "https://u:%s@h/?api_key=%s", "--token %s", "%s%s", "eyJ%s",
		"postgresql://a:%s@h/d", "Bearer ${%s}", "ghp_%s", "token: %s."} {
		f.Add(s, int64(1))
	}
	f.Fuzz(func(t *testing.T, template string, seed int64) {
		r := rand.New(rand.NewSource(seed))
		planted := []string{
			"ghp_" + fake(r.Int63(), 36),
			makeJWT(map[string]any{"alg": "HS256"}, map[string]any{"n": r.Int63()}),
		}
		secret := planted[r.Intn(len(planted))]
		// Plant the secret at every %s; with none, append it after a space.
		text := strings.ReplaceAll(template, "%s", secret)
		if !strings.Contains(template, "%s") {
			text = template + " " + secret
		}
		// A vendor token glued to a letter or digit before it is a different word; a JWT
		// is recognised even then.
		out := Redact(text)
		glued := false
		for i := strings.Index(text, secret); i >= 0; {
			glued = glued || i > 0 && isAlnum(text[i-1])
			n := strings.Index(text[i+1:], secret)
			if n < 0 {
				break
			}
			i += 1 + n
		}
		if strings.Contains(out, secret) && !(glued && strings.HasPrefix(secret, "ghp_")) {
			t.Fatalf("planted %s survives Redact", Preview(secret, ""))
		}
		spans := redactSpans(text)
		for i, sp := range spans {
			if sp.start < 0 || sp.end > len(text) || sp.start >= sp.end ||
				i > 0 && spans[i-1].end > sp.start {
				t.Fatalf("bad spans %v", spans)
			}
		}
		// Whatever the shape rules of Scan find in the text is redacted. (The argument
		// rules read "Name: rest" and "--flag=rest" whole, where Redact reads one word of
		// free text and keeps plain words; TestRedactArgs covers those.)
		for _, kind := range []Kind{Other, URLField} {
			for _, h := range Scan(Location{Kind: kind, Value: template}, testNow) {
				if !covered(redactSpans(template), h.Start, h.End) {
					t.Fatalf("%s at %d..%d not redacted in %q", h.Rule, h.Start, h.End,
						fmt.Sprint(Redact(template)))
				}
			}
		}
	})
}

// covered reports whether some span overlaps a..b.
func covered(spans []span, a, b int) bool {
	for _, sp := range spans {
		if sp.start < b && a < sp.end {
			return true
		}
	}
	return false
}

func TestRedactKeepsStatusWordsAndCommandNames(t *testing.T) {
	in := "client-credentials: missing: AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET are not both set"
	if got := Redact(in); got != in {
		t.Errorf("Redact changed a status line: %q", got)
	}
	if IsSecretName("AUTH0MCP_TOKEN_COMMAND") && !IsIdentifierName("AUTH0MCP_TOKEN_COMMAND") {
		t.Errorf("a token command's name is not a secret's name")
	}
	hits := Scan(Location{Kind: EnvValue, Name: "AUTH0MCP_TOKEN_COMMAND", Value: "cat /tmp/sb/validjwt", InServer: true}, time.Now())
	if len(hits) != 0 {
		t.Errorf("a token command was reported as a secret: %v", hits)
	}
}

func TestRedactKeepsVariableNames(t *testing.T) {
	in := "no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set"
	if got := Redact(in); got != in {
		t.Errorf("Redact(%q) = %q", in, got)
	}
}
