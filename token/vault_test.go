//go:build linux

package token

import (
	"context"
	"errors"
	"testing"

	"github.com/auth0mcp/auth0mcp/internal/testenv"
)

func TestVaultRoundTrip(t *testing.T) {
	env := testenv.Keyring(t)
	testenv.Setenv(t, env)
	ctx := context.Background()
	acct := "cursor/slack/SLACK_BOT_TOKEN"
	if VaultName(acct) != "SLACK_BOT_TOKEN" {
		t.Fatalf("VaultName(%s)", acct)
	}
	if _, err := ReadSecret(ctx, acct); !errors.Is(err, ErrVaultItemMissing) {
		t.Fatalf("read of a missing item: %v", err)
	}
	for _, v := range []string{"xoxb-first-value-1234567890", "xoxb-second-value-0987654321"} {
		if err := StoreSecret(ctx, acct, v); err != nil {
			t.Fatal(err)
		}
		if got, err := ReadSecret(ctx, acct); err != nil || got != v {
			t.Fatalf("read back %q, %v", got, err)
		}
	}
	if err := StoreSecret(ctx, "vscode/github/GITHUB_TOKEN", "ghp_x"); err != nil {
		t.Fatal(err)
	}
	list, err := ListSecrets(ctx)
	if err != nil || len(list) != 2 || list[0] != "cursor/slack/SLACK_BOT_TOKEN" || list[1] != "vscode/github/GITHUB_TOKEN" {
		t.Fatalf("list = %v, %v (a replaced item must not be listed twice)", list, err)
	}
	if err := DeleteSecret(ctx, acct); err != nil {
		t.Fatal(err)
	}
	if err := DeleteSecret(ctx, acct); !errors.Is(err, ErrVaultItemMissing) {
		t.Errorf("second delete: %v", err)
	}
}

func TestVaultWithoutKeychain(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if err := StoreSecret(context.Background(), "a/b/C", "v"); err == nil {
		t.Fatal("a store without a keychain succeeded")
	}
}
