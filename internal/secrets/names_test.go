package secrets

import "testing"

// placeholders are example values, in several languages, that are never findings.
var placeholders = []string{
	"YOUR_TOKEN_HERE", "<YOUR_API_KEY>", "your-api-key", "xxxxxxxxxxxxxxxx", "XXXX-XXXX",
	"sk-xxxxxxxx", "***", "...", "…", "changeme", "REPLACE_ME", "TODO", "<token>",
	"[API_KEY]", "{{TOKEN}}", "YOUR_NOTION_TOKEN_HERE", "your_github_pat", "API_KEY", "token",
	"insert-your-key", "my-api-key-here", "<paste token>",
	// French, Spanish, Portuguese, German, Italian.
	"VOTRE_CLE_API", "votre_jeton_ici", "TU_TOKEN_AQUI", "tu-clave-aquí", "SEU_TOKEN_AQUI",
	"sua-chave-aqui", "DEIN_TOKEN_HIER", "IHR_API_SCHLÜSSEL", "IL_TUO_TOKEN", "inserisci-qui",
	// Russian, Chinese, Japanese, Korean.
	"ВАШ_ТОКЕН", "вставьте_ключ_сюда", "你的令牌", "在此填写", "请输入密钥", "あなたのトークン",
	"ここに入力", "여기에_토큰", "당신의_API_키",
}

// references point at a secret kept elsewhere; they are never findings.
var references = []string{
	"${GITLAB_TOKEN}", "${TOKEN:-}", "${env:GITHUB_TOKEN}", "${input:github_token}",
	"$GITHUB_TOKEN", "%GITHUB_TOKEN%",
}

func TestIsPlaceholder(t *testing.T) {
	for _, v := range placeholders {
		if !IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = false, want true", v)
		}
	}
	notPlaceholders := []string{
		"", "hunter2", "auth0-mcp", "acme-dev.us.auth0.com", opaque,
		// Vendor-shaped tokens are never placeholders, even with a placeholder word inside.
		ghp, slackTok, liveJWT, "ghp_" + fake(20, 16) + "_here_" + fake(21, 16),
		// Random tokens that contain "here", "your" or "todo" inside a word.
		"x9Kthere7Qm2LyourPq8Z", "aTODOb1c2d3e4f5g6h7",
		"KRO1ezcGH_F6kdzAV8o_azebCEKh6EmwUPg64TIV",
	}
	for _, v := range notPlaceholders {
		if IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = true, want false", v)
		}
	}
}

func TestReference(t *testing.T) {
	cases := []struct{ v, want string }{
		{"${GITLAB_TOKEN}", "dollar-brace"},
		{"${TOKEN:-fallback}", "dollar-brace"},
		{"${env:GITHUB_TOKEN}", "env"},
		{"${input:github_token}", "input"},
		{"$GITHUB_TOKEN", "dollar"},
		{"%GITHUB_TOKEN%", "percent"},
		{"Bearer ${AUTH_TOKEN}", "dollar-brace"},
		{"Bearer ${TOKEN:-abc}", "dollar-brace"},
		{"Authorization:${AUTH_HEADER}", "dollar-brace"},
		{"--token=$TOKEN", "dollar"},
		{"Bearer %TOKEN%", "percent"},
		{"  ${X}  ", "dollar-brace"},
		// Not references.
		{"", ""}, {"hunter2", ""}, {"abc$DEF", ""}, {"$ecretPa55", ""}, {"${}", ""},
		{"%path%", ""}, {"${A} and more", ""}, {"50%OFF%", ""}, {"${A}${B}x", ""},
	}
	for _, tc := range cases {
		got, ok := Reference(tc.v)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Reference(%q) = %q, %v; want %q", tc.v, got, ok, tc.want)
		}
	}
}

func TestIsSecretName(t *testing.T) {
	secret := []string{
		"AUTH0_TOKEN", "GITHUB_PERSONAL_ACCESS_TOKEN", "AUTH0_CLIENT_SECRET", "DB_PASSWORD",
		"MYSQL_PWD", "SMTP_PASSWD", "OPENAI_API_KEY", "BRAVE_APIKEY", "AWS_SECRET_ACCESS_KEY",
		"AWS_ACCESS_KEY", "SSH_PRIVATE_KEY", "GOOGLE_CREDENTIALS", "CREDENTIAL", "BASIC_AUTH",
		"BEARER", "GITHUB_PAT", "SESSION", "COOKIE", "STRIPE_KEY", "apiKey", "APIKey",
		"authToken", "x-api-key", "Authorization", "Proxy-Authorization", "auth.token",
		"client-secret", "ghtoken", "access_token", "SLACK_BOT_TOKEN",
	}
	for _, n := range secret {
		if !IsSecretName(n) {
			t.Errorf("IsSecretName(%q) = false", n)
		}
	}
	notSecret := []string{
		"DEBUG", "AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "NODE_ENV", "PATH", "KEYBOARD", "MONKEY",
		"PASSTHROUGH", "OAUTH_CLIENT_ID", "SLACK_TEAM_ID", "GITLAB_API_URL", "HOME", "",
		"COMPASS", "PATTERN", "SESSIONS_DIR_X",
	}
	for _, n := range notSecret {
		if IsSecretName(n) && !IsIdentifierName(n) {
			t.Errorf("%q counts as a secret name", n)
		}
	}
}

func TestIsIdentifierName(t *testing.T) {
	ids := []string{
		"AUTH0_CLIENT_ID", "SLACK_TEAM_ID", "AUTH0_DOMAIN", "GITLAB_API_URL", "REDIRECT_URI",
		"DB_HOST", "AWS_REGION", "TOKEN_ENDPOINT", "PORT", "DB_USER", "DB_USERNAME",
		"ADMIN_EMAIL", "GITHUB_ORG", "GCP_PROJECT", "SERVICE_NAME", "TOKEN_PATH", "DATA_DIR",
		"AUTH_MODE", "LOG_LEVEL", "DEBUG", "AUTH0_TOKEN_EXPIRES_AT", "PASSWORD_FILE",
		"AWS_ACCESS_KEY_ID", "STRIPE_PUBLISHABLE_KEY", "clientId", "TOKEN_TYPE",
	}
	for _, n := range ids {
		if !IsIdentifierName(n) {
			t.Errorf("IsIdentifierName(%q) = false", n)
		}
	}
	for _, n := range []string{"AUTH0_TOKEN", "API_KEY", "CLIENT_SECRET", "", "AUTH_HEADER"} {
		if IsIdentifierName(n) {
			t.Errorf("IsIdentifierName(%q) = true", n)
		}
	}
}

func TestNameWords(t *testing.T) {
	cases := map[string]string{
		"GITHUB_PERSONAL_ACCESS_TOKEN": "github personal access token",
		"apiKey":                       "api key",
		"APIKey":                       "api key",
		"X-API-Key":                    "x api key",
		"auth.token":                   "auth token",
		"AUTH0_TOKEN":                  "auth0 token",
		"oauth2ClientSecret":           "oauth2 client secret",
	}
	for in, want := range cases {
		if got := joinWords(nameWords(in)); got != want {
			t.Errorf("nameWords(%q) = %q, want %q", in, got, want)
		}
	}
}

func joinWords(w []string) string {
	s := ""
	for i, x := range w {
		if i > 0 {
			s += " "
		}
		s += x
	}
	return s
}

func TestSecretFlags(t *testing.T) {
	for _, f := range []string{"--token", "--api-key", "--apikey", "--access-token",
		"--password", "--secret", "--client-secret", "--auth", "--key", "-token", "--pat"} {
		if !isSecretFlag(f) {
			t.Errorf("isSecretFlag(%q) = false", f)
		}
	}
	for _, f := range []string{"-p", "-k", "-t", "--port", "--token-file", "--client-id",
		"--domain", "token", "--token=x", "---token", "-e", "--auth-mode"} {
		if isSecretFlag(f) {
			t.Errorf("isSecretFlag(%q) = true", f)
		}
	}
}

func TestTakesSecret(t *testing.T) {
	for f, want := range map[string]bool{"--token": true, "--api-key": true, "-H": true,
		"--header": true, "-e": false, "-y": false, "--domain": false, "--token-file": false} {
		if got := TakesSecret(f); got != want {
			t.Errorf("TakesSecret(%q) = %v, want %v", f, got, want)
		}
	}
}
