package token

import "errors"

// The OS keychain as the sources see it. Each OS file implements
// keychainLookup, keychainStore and keychainDelete; callers run them under
// a deadline, and none of them may unlock a keychain or show a prompt.

var (
	errItemNotFound = errors.New("no such keychain item")
	errLocked       = errors.New("the keychain is locked")
)

// itemStyle says which attribute names an item was written with.
type itemStyle int

const (
	// keytarStyle items carry the attributes service and account: the
	// Auth0 MCP server writes these through keytar. On Windows their
	// target is "service/account".
	keytarStyle itemStyle = iota
	// goKeyringStyle items carry service and username, as written by
	// github.com/zalando/go-keyring (the Auth0 CLI, and our own cache).
	goKeyringStyle
)
