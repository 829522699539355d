package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/token"
)

// vaultFlags are run's flags for secrets kept in the OS keychain.
type vaultFlags struct {
	secrets   []string // accounts: <client>/<server>/<NAME>
	noToken   bool
	allowArgv bool
}

const placeholderStart = "${auth0mcp:"

// applyVault reads every --secret account from the keychain. An account
// whose last part is a variable name goes into env under that name (a
// variable the client already set to something is kept); an argument's
// account (its last part starts with '#') fills the ${auth0mcp:ACCOUNT}
// placeholders in argv, with --allow-argv only. A placeholder must name
// one of the --secret accounts: a config cannot use it to reach another
// server's item. Every named item must exist.
func applyVault(ctx context.Context, f vaultFlags, env, argv []string) ([]string, []string, error) {
	values := map[string]string{}
	for _, acct := range f.secrets {
		name := token.VaultName(acct)
		if name == "" || strings.ContainsAny(name, "= \t") {
			return nil, nil, fmt.Errorf("--secret %s: the account must end with a variable name (<client>/<server>/<NAME>)", acct)
		}
		v, err := token.ReadSecret(ctx, acct)
		if err != nil {
			return nil, nil, err
		}
		values[acct] = v
		if strings.HasPrefix(name, configfix.ArgAccountMark) {
			continue
		}
		if cur, set := lookupVar(env, name); set && cur != "" {
			continue
		}
		env = append(env, name+"="+v)
	}
	out := make([]string, len(argv))
	for i, a := range argv {
		if !strings.Contains(a, placeholderStart) {
			out[i] = a
			continue
		}
		// One pass: a value put in is never read for placeholders again.
		var b strings.Builder
		for {
			start := strings.Index(a, placeholderStart)
			if start < 0 {
				break
			}
			end := strings.IndexByte(a[start:], '}')
			if end < 0 {
				break
			}
			acct := a[start+len(placeholderStart) : start+end]
			v, ok := values[acct]
			switch {
			case !f.allowArgv:
				return nil, nil, fmt.Errorf("argument %d names the keychain item %s, which only --allow-argv puts into the arguments", i, acct)
			case !ok:
				return nil, nil, fmt.Errorf("argument %d names the keychain item %s, which is not one of this entry's --secret items", i, acct)
			}
			b.WriteString(a[:start])
			b.WriteString(v)
			a = a[start+end+1:]
		}
		b.WriteString(a)
		out[i] = b.String()
	}
	return env, out, nil
}
