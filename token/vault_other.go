//go:build darwin || windows || !unix

package token

import (
	"context"
	"errors"
)

// TODO: listing needs the OS's own enumeration (SecItemCopyMatching on
// macOS, CredEnumerate on Windows), which go-keyring does not offer; until
// then "auth0mcp secrets list" works on Linux only. Reading, writing and
// deleting a named item work everywhere.
func keychainList(context.Context, string) ([]string, error) {
	return nil, errors.New("listing keychain items is not supported on this system yet; " +
		"name the item: auth0mcp secrets rm <client>/<server>/<NAME>")
}
