package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/auth0mcp/auth0mcp/token"
)

// vaultFlags are run's flags for secrets kept in the OS keychain.
type vaultFlags struct {
	secrets   []string // accounts: <client>/<server>/<NAME>
	noToken   bool
	allowArgv bool
}

// applyVault reads every --secret account from the keychain into env (as
// the variable its account ends with, never overwriting one already set)
// and, with --allow-argv, replaces ${auth0mcp:ACCOUNT} in argv with the
// item's value. Without --allow-argv a placeholder in argv is an error: a
// secret must not reach a process list unless the config asked for it.
func applyVault(ctx context.Context, f vaultFlags, env, argv []string) ([]string, []string, error) {
	for _, acct := range f.secrets {
		name := token.VaultName(acct)
		if name == "" || strings.ContainsAny(name, "= \t") {
			return nil, nil, fmt.Errorf("--secret %s: the account must end with a variable name (<client>/<server>/<NAME>)", acct)
		}
		if _, set := lookupVar(env, name); set && !strings.HasPrefix(name, "arg") {
			continue
		}
		v, err := token.ReadSecret(ctx, acct)
		if err != nil {
			return nil, nil, err
		}
		if !strings.HasPrefix(name, "arg") {
			env = append(env, name+"="+v)
		}
	}
	out := make([]string, len(argv))
	copy(out, argv)
	for i, a := range out {
		for strings.Contains(a, "${auth0mcp:") {
			start := strings.Index(a, "${auth0mcp:")
			end := strings.Index(a[start:], "}")
			if end < 0 {
				break
			}
			acct := a[start+len("${auth0mcp:") : start+end]
			if !f.allowArgv {
				return nil, nil, fmt.Errorf("argument %d names the keychain item %s, which only --allow-argv puts into the arguments", i, acct)
			}
			v, err := token.ReadSecret(ctx, acct)
			if err != nil {
				return nil, nil, err
			}
			a = a[:start] + v + a[start+end+1:]
		}
		out[i] = a
	}
	return env, out, nil
}
