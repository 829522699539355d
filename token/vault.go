package token

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// VaultService is the keychain service under which auth0mcp keeps the
// secrets fix-config takes out of client configs. Each item's account is
// "<client>/<server>/<NAME>".
const VaultService = "auth0mcp"

// vaultTimeout bounds every vault call: a keychain that waits on an unlock
// prompt must not hang the command.
const vaultTimeout = 5 * time.Second

// ErrVaultItemMissing is returned for an account the vault does not hold.
var ErrVaultItemMissing = errors.New("no such item in the keychain")

// VaultName returns the variable name an account stands for: its last
// part, unescaped as in a JSON Pointer (configfix.VaultAccount escapes it).
func VaultName(account string) string {
	last := account[strings.LastIndexByte(account, '/')+1:]
	return strings.ReplaceAll(strings.ReplaceAll(last, "~1", "/"), "~0", "~")
}

func vaultErr(what, account string, err error) error {
	switch {
	case errors.Is(err, errItemNotFound):
		return fmt.Errorf("%s %s: %w", what, account, ErrVaultItemMissing)
	case errors.Is(err, errLocked):
		return fmt.Errorf("%s %s: the keychain is locked; unlock it (auth0mcp never does, that would show a prompt) and try again", what, account)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s %s: the keychain did not answer within %s", what, account, vaultTimeout)
	}
	return fmt.Errorf("%s %s: %w", what, account, err)
}

// StoreSecret writes value to the vault under account and reads it back:
// it returns an error unless the keychain then holds exactly value.
func StoreSecret(ctx context.Context, account, value string) error {
	ctx, cancel := context.WithTimeout(ctx, vaultTimeout)
	defer cancel()
	if err := keychainStore(ctx, goKeyringStyle, VaultService, account, "auth0mcp: "+account, value); err != nil {
		return vaultErr("store", account, err)
	}
	got, err := keychainLookup(ctx, goKeyringStyle, VaultService, account, true)
	if err != nil {
		return vaultErr("read back", account, err)
	}
	if got != value {
		return fmt.Errorf("read back %s: the keychain holds something else than was written", account)
	}
	return nil
}

// ReadSecret reads one secret from the vault.
func ReadSecret(ctx context.Context, account string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, vaultTimeout)
	defer cancel()
	v, err := keychainLookup(ctx, goKeyringStyle, VaultService, account, true)
	if err != nil {
		return "", vaultErr("read", account, err)
	}
	return v, nil
}

// DeleteSecret removes one secret from the vault.
func DeleteSecret(ctx context.Context, account string) error {
	ctx, cancel := context.WithTimeout(ctx, vaultTimeout)
	defer cancel()
	if _, err := keychainLookup(ctx, goKeyringStyle, VaultService, account, false); err != nil {
		return vaultErr("delete", account, err)
	}
	if err := keychainDelete(ctx, goKeyringStyle, VaultService, account); err != nil {
		return vaultErr("delete", account, err)
	}
	return nil
}

// ListSecrets lists the accounts the vault holds (never their values).
func ListSecrets(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, vaultTimeout)
	defer cancel()
	accounts, err := keychainList(ctx, VaultService)
	if err != nil {
		return nil, vaultErr("list", VaultService, err)
	}
	return accounts, nil
}
