//go:build unix && !darwin

package token

import (
	"context"
	"sort"
)

// keychainList returns the accounts (go-keyring's "username" attribute)
// of every unlocked item of service.
func keychainList(ctx context.Context, service string) ([]string, error) {
	conn, err := sessionBus(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	unlocked, locked, err := ssSearch(ctx, conn, map[string]string{"service": service})
	if err != nil {
		return nil, err
	}
	if len(unlocked) == 0 && len(locked) > 0 {
		return nil, errLocked
	}
	var out []string
	for _, item := range unlocked {
		v, err := conn.Object(ssName, item).GetProperty(ssItem + ".Attributes")
		if err != nil {
			return nil, ssCallError("read an item's attributes", err)
		}
		attrs, _ := v.Value().(map[string]string)
		if a := attrs["username"]; a != "" {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out, nil
}
