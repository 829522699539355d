//go:build darwin

package token

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/auth0mcp/auth0mcp/internal/proc"
	keyring "github.com/zalando/go-keyring"
)

// On macOS the keychain is read through /usr/bin/security. Reading the
// secret of an item another program created (the Auth0 MCP server's, the
// Auth0 CLI's) can show an "allow" dialog, so without read=true we only
// check that the item exists, which needs no access to the secret.
//
// TODO: this file cannot be tested on the Linux machines the tests run on;
// it is only compiled there (GOOS=darwin go vet ./token/).

const securityPath = "/usr/bin/security"

// go-keyring stores secrets with one of these prefixes on macOS.
const (
	goKeyringHexPrefix    = "go-keyring-encoded:"
	goKeyringBase64Prefix = "go-keyring-base64:"
)

func keychainLookup(ctx context.Context, style itemStyle, service, account string,
	read bool) (string, error) {
	args := []string{"find-generic-password", "-s", service, "-a", account}
	if read {
		args = append(args, "-w")
	}
	cmd := exec.CommandContext(ctx, securityPath, args...)
	proc.Prepare(cmd)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		msg := stderr.String()
		switch {
		case strings.Contains(msg, "could not be found"):
			return "", errItemNotFound
		case strings.Contains(msg, "interaction is not allowed"),
			strings.Contains(msg, "locked"):
			return "", errLocked
		}
		return "", fmt.Errorf("security find-generic-password: %w: %s", err,
			strings.TrimSpace(msg))
	}
	if !read {
		return "", nil
	}

	value := strings.TrimRight(stdout.String(), "\n")
	if style == goKeyringStyle {
		return decodeGoKeyring(value)
	}
	return value, nil
}

func decodeGoKeyring(value string) (string, error) {
	switch {
	case strings.HasPrefix(value, goKeyringBase64Prefix):
		b, err := base64.StdEncoding.DecodeString(value[len(goKeyringBase64Prefix):])
		if err != nil {
			return "", errors.New("a go-keyring item is not valid base64")
		}
		return string(b), nil
	case strings.HasPrefix(value, goKeyringHexPrefix):
		b, err := hex.DecodeString(value[len(goKeyringHexPrefix):])
		if err != nil {
			return "", errors.New("a go-keyring item is not valid hex")
		}
		return string(b), nil
	}
	return value, nil
}

// keychainStore writes through go-keyring, which passes the secret to
// security on stdin rather than in argv.
func keychainStore(_ context.Context, style itemStyle, service, account, _,
	secret string) error {
	if style != goKeyringStyle {
		return errors.New("only go-keyring style items are written on macOS")
	}
	return keyring.Set(service, account, secret)
}

func keychainDelete(_ context.Context, style itemStyle, service, account string) error {
	if style != goKeyringStyle {
		return errors.New("only go-keyring style items are deleted on macOS")
	}
	err := keyring.Delete(service, account)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}
