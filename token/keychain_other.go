//go:build !unix && !windows

package token

import (
	"context"
	"errors"
)

var errNoKeychain = errors.New("no OS keychain is supported on this system")

func keychainLookup(context.Context, itemStyle, string, string, bool) (string, error) {
	return "", errNoKeychain
}

func keychainStore(context.Context, itemStyle, string, string, string, string) error {
	return errNoKeychain
}

func keychainDelete(context.Context, itemStyle, string, string) error {
	return errNoKeychain
}
