package secrets

import "strings"

// connectionSchemes are URL schemes of databases and message brokers: a password in their
// user info is reported as a connection-string finding.
var connectionSchemes = setOf("postgres", "postgresql", "mysql", "mariadb", "mongodb",
	"mongodb+srv", "redis", "rediss", "amqp", "amqps", "mssql", "sqlserver", "clickhouse",
	"cockroachdb", "neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "nats", "couchbase",
	"couchbases", "snowflake", "oracle", "kafka", "memcached", "cassandra", "libsql")

// maxScheme bounds the backward search for a URL scheme before "://".
const maxScheme = 32

// findURLCredentials appends to dst every credential inside the URLs in s: a password or
// an opaque user name in the user info, a secret query or fragment parameter, a long
// opaque path segment.
func findURLCredentials(s string, dst []candidate) []candidate {
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "://")
		if j < 0 {
			break
		}
		sep := i + j
		b := sep
		for b > 0 && sep-b < maxScheme && isSchemeByte(s[b-1]) {
			b--
		}
		for b < sep && !isASCIILetter(s[b]) {
			b++
		}
		e := sep + 3
		for e < len(s) && !urlStop(s[e]) {
			e++
		}
		for e > sep+3 && strings.IndexByte(".,;:)]!'", s[e-1]) >= 0 {
			e--
		}
		if b < sep {
			dst = urlCredentials(s, strings.ToLower(s[b:sep]), sep+3, e, dst)
		}
		i = max(e, sep+3)
	}
	return dst
}

// urlHasCredentials reports whether any URL in s carries a credential.
func urlHasCredentials(s string) bool {
	return len(findURLCredentials(s, nil)) > 0
}

// urlCredentials looks at one URL whose part after "://" is s[a:e].
func urlCredentials(s, scheme string, a, e int, dst []candidate) []candidate {
	rest := s[a:e]
	authEnd := strings.IndexAny(rest, "/?#")
	if authEnd < 0 {
		authEnd = len(rest)
	}

	// User info: "user:password@host" or "token@host".
	if at := strings.LastIndexByte(rest[:authEnd], '@'); at > 0 {
		info := rest[:at]
		if c := strings.IndexByte(info, ':'); c >= 0 {
			rule := RuleURLUserinfo
			if connectionSchemes[scheme] {
				rule = RuleConnectionString
			}
			if pw := info[c+1:]; !dismissible(pw) {
				dst = append(dst, candidate{start: a + c + 1, end: a + at, rule: rule})
			}
		} else if looksRandom(info) && len(info) >= 20 {
			dst = append(dst, candidate{start: a, end: a + at, rule: RuleURLUserinfo})
		}
	}

	// Path segments.
	pathEnd := len(rest)
	if q := strings.IndexAny(rest[authEnd:], "?#"); q >= 0 {
		pathEnd = authEnd + q
	}
	for k := authEnd; k < pathEnd; {
		n := strings.IndexByte(rest[k+1:pathEnd], '/')
		segEnd := pathEnd
		if n >= 0 {
			segEnd = k + 1 + n
		}
		from := k
		if rest[k] == '/' {
			from = k + 1
		}
		if opaqueSegment(rest[from:segEnd]) {
			dst = append(dst, candidate{start: a + from, end: a + segEnd, rule: RuleURLPath})
		}
		k = segEnd
	}

	// Query and fragment parameters ("#access_token=" in OAuth redirects).
	for k := pathEnd; k < len(rest); {
		k++ // past '?', '#', '&' or ';'
		n := strings.IndexAny(rest[k:], "&;#")
		end := len(rest)
		if n >= 0 {
			end = k + n
		}
		param := rest[k:end]
		if eq := strings.IndexByte(param, '='); eq > 0 {
			if isSecretParam(param[:eq]) && !dismissible(param[eq+1:]) {
				dst = append(dst, candidate{start: a + k + eq + 1, end: a + end,
					rule: RuleURLQuery})
			}
		}
		k = end
	}
	return dst
}

// isSecretParam reports whether a query parameter carries a credential: api_key, apikey,
// key, token, access_token, auth, secret, password, sig, signature and the like.
func isSecretParam(name string) bool {
	switch strings.ToLower(name) {
	case "x-amz-credential", "x-goog-credential":
		return false // an access key id, date and region: not the secret half
	case "x-amz-signature", "x-amz-security-token", "x-goog-signature":
		return true
	}
	return isSecretKeyName(name)
}

// opaqueSegment reports whether a URL path segment looks like a token: at least 24
// characters of letters, digits, "-" and "_", both letters and digits, random-looking,
// and not a UUID.
func opaqueSegment(seg string) bool {
	if len(seg) < 24 || isUUID(seg) {
		return false
	}
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if !isBase64URLByte(c) {
			return false
		}
	}
	return looksRandom(seg)
}

func isSchemeByte(b byte) bool {
	return b >= '0' && b <= '9' || isASCIILetter(b) || b == '+' || b == '.' || b == '-'
}

// urlStop reports whether b ends a URL in running text.
func urlStop(b byte) bool {
	return b <= ' ' || b == '"' || b == '\'' || b == '<' || b == '>' || b == '`' || b == 0x7f
}

// isUUID reports whether s is a UUID written with hyphens (8-4-4-4-12 hex digits).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f') {
			return false
		}
	}
	return true
}

// findKeyValuePasswords appends the passwords of "Host=db;User Id=app;Password=x;"
// connection strings (ADO.NET, ODBC) in s.
func findKeyValuePasswords(s string, dst []candidate) []candidate {
	if !strings.Contains(s, ";") {
		return dst
	}
	for k := 0; k < len(s); {
		n := strings.IndexByte(s[k:], ';')
		end := len(s)
		if n >= 0 {
			end = k + n
		}
		part := s[k:end]
		if eq := strings.IndexByte(part, '='); eq > 0 {
			key := strings.ToLower(strings.TrimSpace(part[:eq]))
			if key == "password" || key == "pwd" {
				vs := k + eq + 1
				for vs < end && s[vs] == ' ' {
					vs++
				}
				if !dismissible(s[vs:end]) {
					dst = append(dst, candidate{start: vs, end: end,
						rule: RuleConnectionString})
				}
			}
		}
		k = end + 1
	}
	return dst
}
