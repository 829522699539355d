//go:build windows

package token

import (
	"context"
	"errors"

	"github.com/danieljoos/wincred"
	keyring "github.com/zalando/go-keyring"
)

// On Windows the keychain is the Credential Manager, which never prompts.
// keytar names a credential "service/account" and go-keyring
// "service:username", so the two styles are read differently.
//
// TODO: this file cannot be tested on the Linux machines the tests run on;
// it is only compiled there (GOOS=windows go vet ./token/).

func keychainLookup(_ context.Context, style itemStyle, service, account string,
	_ bool) (string, error) {
	if style == goKeyringStyle {
		v, err := keyring.Get(service, account)
		if errors.Is(err, keyring.ErrNotFound) {
			return "", errItemNotFound
		}
		return v, err
	}

	cred, err := wincred.GetGenericCredential(service + "/" + account)
	if err != nil {
		if errors.Is(err, wincred.ErrElementNotFound) {
			return "", errItemNotFound
		}
		return "", err
	}
	return string(cred.CredentialBlob), nil
}

func keychainStore(_ context.Context, style itemStyle, service, account, _,
	secret string) error {
	if style != goKeyringStyle {
		return errors.New("only go-keyring style items are written on Windows")
	}
	return keyring.Set(service, account, secret)
}

func keychainDelete(_ context.Context, style itemStyle, service, account string) error {
	if style != goKeyringStyle {
		return errors.New("only go-keyring style items are deleted on Windows")
	}
	err := keyring.Delete(service, account)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}
