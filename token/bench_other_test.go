//go:build !linux

package token

import "testing"

// canaryKeychainSources: the keychain cannot be planted off Linux.
func canaryKeychainSources(*testing.T, string) []Source { return nil }
