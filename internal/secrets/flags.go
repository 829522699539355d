package secrets

// TakesSecret reports whether a command-line flag takes a secret or an
// HTTP header as its value (--token, --api-key, --header, -H, ...), so that
// a rewrite removing the value removes the flag with it.
func TakesSecret(flag string) bool { return isSecretFlag(flag) || isHeaderFlag(flag) }
