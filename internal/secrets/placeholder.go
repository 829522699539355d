package secrets

import (
	"strings"
	"unicode"
)

// strongMarkers are placeholder words that on their own make a value a placeholder:
// "your", "changeme", "TODO" and their equivalents in other languages.
var strongMarkers = setOf(
	"your", "yours", "changeme", "replaceme", "todo", "tbd", "fixme", "placeholder",
	"example", "dummy", "redacted", "insert", "paste",
	// French, Spanish, Portuguese, German, Italian.
	"votre", "vos", "remplacer", "remplacez", "insérer", "inserer", "saisir", "reemplazar",
	"reemplace", "ingrese", "introduce", "introduzca", "substituir", "substitua", "insira",
	"dein", "deine", "deinen", "ersetzen", "eintragen", "einfügen", "sostituisci",
	"sostituire", "inserisci", "inserire",
	// Russian.
	"ваш", "ваша", "ваше", "ваши", "твой", "вставьте", "замените", "введите", "укажите",
)

// weakMarkers are placeholder words that count only together with another marker or a
// secret noun: "TU_TOKEN_AQUI" is a placeholder, a random token with a part "tu" is not.
var weakMarkers = setOf(
	"here", "my", "me", "replace", "change", "enter", "put", "fill", "set", "add", "goes",
	"value", "ici", "mon", "ma", "ton", "ta", "aqui", "aquí", "tu", "su", "mi", "seu", "sua",
	"hier", "ihr", "ihre", "ihren", "mein", "meine", "qui", "tuo", "tua", "il", "здесь", "сюда",
	"new", "xxx",
)

// secretNouns are the words placeholders are made of ("API_KEY", "token", "jeton").
var secretNouns = setOf(
	"api", "key", "keys", "apikey", "token", "secret", "password", "passwd", "pass", "pat",
	"access", "personal", "auth", "bearer", "client", "credential", "credentials", "id",
	"string", "jeton", "cle", "clé", "clef", "clave", "chave", "senha", "contraseña",
	"schlüssel", "schluessel", "passwort", "chiave", "токен", "ключ", "пароль", "bot",
	"github", "openai", "slack", "notion", "anthropic", "auth0",
)

// cjkMarkers are placeholder phrases in languages written without spaces.
var cjkMarkers = []string{
	"你的", "您的", "在此", "此处", "这里", "填写", "填入", "替换", "輸入", "请输入",
	"あなたの", "ここに", "入力", "置き換え",
	"여기에", "여기", "당신의", "입력", "교체",
}

// IsPlaceholder reports whether v is an example value rather than a real one:
// "YOUR_TOKEN_HERE", "<YOUR_API_KEY>", "your-api-key", "xxxx…", "sk-xxxxxxxx", "***", "...",
// "changeme", "REPLACE_ME", "TODO", "<token>", "[API_KEY]", "{{TOKEN}}", and the same in
// other languages ("VOTRE_CLE_API", "TU_TOKEN_AQUI", "DEIN_TOKEN_HIER", "ВАШ_ТОКЕН",
// "你的令牌", "ここに入力"). Words are compared after splitting on everything that is not a
// letter or digit, so a random token that happens to contain "here" is not a placeholder,
// and a value holding a vendor token or a JWT never is. An empty value is not a
// placeholder (it is missing, which callers report differently).
func IsPlaceholder(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return false
	}
	if len(findVendorTokens(v, nil)) > 0 || len(findJWTs(v, nil)) > 0 {
		return false
	}
	if wrapped(v) {
		return true
	}
	for _, m := range cjkMarkers {
		if strings.Contains(v, m) {
			return true
		}
	}
	words := valueWords(v)
	if len(words) == 0 {
		return true // "***", "...", "…", "---"
	}
	return placeholderWords(words)
}

// placeholderWords decides on the words of a value (lower case).
func placeholderWords(words []string) bool {
	weak, nouns := 0, 0
	for _, w := range words {
		switch {
		case strongMarkers[w] || allSame(w, 'x') && len(w) >= 3:
			return true
		case weakMarkers[w]:
			weak++
		case secretNouns[w]:
			nouns++
		}
	}
	if weak > 0 && weak+nouns >= 2 {
		return true
	}
	// A value made only of secret nouns ("API_KEY", "token") names a secret, it isn't one.
	return nouns == len(words)
}

// wrapped reports whether v is a template slot: "<token>", "[API_KEY]", "{{TOKEN}}".
func wrapped(v string) bool {
	if len(v) < 3 {
		return false
	}
	pairs := []struct{ open, close string }{{"<", ">"}, {"[", "]"}, {"{{", "}}"}, {"{", "}"}}
	for _, p := range pairs {
		if strings.HasPrefix(v, p.open) && strings.HasSuffix(v, p.close) &&
			!strings.ContainsAny(v[len(p.open):len(v)-len(p.close)], "<>[]{}\"") {
			return true
		}
	}
	return false
}

func allSame(w string, c rune) bool {
	for _, r := range w {
		if r != c {
			return false
		}
	}
	return w != ""
}

// valueWords splits a value into lower-case words on everything that is not a letter or
// a digit. Unlike nameWords it does not split camelCase: random tokens are full of case
// changes and would fall apart into short words.
func valueWords(v string) []string {
	return strings.FieldsFunc(strings.ToLower(v), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Reference reports whether v is, or ends in the place a secret would be with, a
// reference to a secret kept elsewhere, and which syntax it uses: "dollar-brace" for
// ${VAR} and ${VAR:-default}, "env" for ${env:VAR}, "input" for ${input:id}, "dollar" for
// $VAR and "percent" for %VAR%. "Bearer ${TOKEN}" and "--token=$TOKEN" are references;
// "abc$def" is not. $VAR and %VAR% need an upper-case name so that a password that
// happens to start with "$" is not taken for one.
func Reference(v string) (syntax string, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", false
	}
	if s, ok := referenceExact(v); ok {
		return s, true
	}
	// The part after the last separator: "Bearer ${X}", "--token=${X}", "Authorization:$X".
	if i := strings.LastIndexAny(v, " \t=:"); i >= 0 && i+1 < len(v) {
		// "${VAR:-default}" contains ':' itself; try the brace form that ends the value.
		if j := strings.LastIndex(v, "${"); j > 0 && strings.HasSuffix(v, "}") {
			if s, ok := referenceExact(v[j:]); ok && separatorBefore(v, j) {
				return s, true
			}
		}
		return referenceExact(v[i+1:])
	}
	return "", false
}

func separatorBefore(v string, i int) bool {
	return i == 0 || strings.ContainsRune(" \t=:", rune(v[i-1]))
}

// referenceExact reports whether the whole of v is one reference.
func referenceExact(v string) (string, bool) {
	switch {
	case strings.HasPrefix(v, "${") && strings.HasSuffix(v, "}") && len(v) > 3:
		inner := v[2 : len(v)-1]
		if strings.ContainsAny(inner, "{}$ ") && !strings.Contains(inner, ":-") {
			return "", false
		}
		switch {
		case strings.HasPrefix(inner, "env:"):
			return "env", len(inner) > 4
		case strings.HasPrefix(inner, "input:"):
			return "input", len(inner) > 6
		case strings.HasPrefix(inner, "auth0mcp:"):
			// A keychain item that "auth0mcp run --allow-argv" puts back.
			return "auth0mcp", len(inner) > 9
		}
		name := inner
		if i := strings.Index(inner, ":-"); i >= 0 {
			name = inner[:i]
		}
		return "dollar-brace", isVarName(name, false)
	case strings.HasPrefix(v, "$") && isVarName(v[1:], true):
		return "dollar", true
	case len(v) > 2 && v[0] == '%' && v[len(v)-1] == '%' && isVarName(v[1:len(v)-1], true):
		return "percent", true
	}
	return "", false
}

// isVarName reports whether s is an environment variable name; upper requires upper case.
func isVarName(s string, upper bool) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		case c >= 'a' && c <= 'z' && !upper:
		default:
			return false
		}
	}
	return true
}

// trivialValues are values of secret-named settings that are switches, not secrets.
var trivialValues = setOf("true", "false", "yes", "no", "on", "off", "null", "nil", "none",
	"undefined", "enabled", "disabled", "0", "1", "-")

// dismissible reports whether a candidate secret is not worth a finding: empty, a
// placeholder, a reference, a switch value, a file path or a URL without credentials.
func dismissible(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || trivialValues[strings.ToLower(s)] || IsPlaceholder(s) {
		return true
	}
	if _, ok := Reference(s); ok {
		return true
	}
	return looksLikePath(s) || looksLikeVarName(s) || strings.Contains(s, "://") && !urlHasCredentials(s)
}

// looksLikeVarName reports whether s is the name of an environment
// variable (DBUS_SESSION_BUS_ADDRESS, GITHUB_PERSONAL_ACCESS_TOKEN): upper
// case words joined by underscores, mostly letters. Such a value names a
// secret; it is not one.
func looksLikeVarName(s string) bool {
	if !strings.Contains(s, "_") || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	letters := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			letters++
		case c == '_' || c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return letters*10 >= len(s)*7
}

// looksLikePath reports whether s is a file system path or a file's base name.
func looksLikePath(s string) bool {
	if strings.ContainsAny(s, " \t\n") && !strings.HasPrefix(s, "/") {
		return false
	}
	switch {
	case strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//"),
		strings.HasPrefix(s, "~/"), strings.HasPrefix(s, "./"), strings.HasPrefix(s, "../"),
		strings.HasPrefix(s, `\\`), strings.HasPrefix(s, `.\`):
		return true
	case len(s) >= 3 && isASCIILetter(s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/'):
		return true
	}
	return hasFileExtension(s)
}

var fileExtensions = setOf("json", "pem", "key", "p12", "pfx", "crt", "cer", "txt", "env",
	"yaml", "yml", "toml", "ini", "conf", "cfg", "js", "mjs", "cjs", "ts", "py", "sh", "db",
	"sqlite", "log", "md", "exe", "jar")

// hasFileExtension reports whether s is a base name such as "creds.json".
func hasFileExtension(s string) bool {
	i := strings.LastIndexByte(s, '.')
	if i <= 0 || strings.ContainsAny(s, "/\\:@ ") {
		return false
	}
	return fileExtensions[strings.ToLower(s[i+1:])]
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
