//go:build unix && !darwin

package token

import (
	"context"
	"errors"
	"fmt"
	"os"

	dbus "github.com/godbus/dbus/v5"
)

// On Linux and the BSDs the keychain is the Secret Service on the D-Bus
// session bus (gnome-keyring, KeePassXC, KWallet's bridge). We talk to it
// directly over a private connection bound to the caller's context, search
// across all collections, and report locked items as locked instead of
// calling Unlock, which would show a prompt.

const (
	ssName       = "org.freedesktop.secrets"
	ssPath       = "/org/freedesktop/secrets"
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
	ssItem       = "org.freedesktop.Secret.Item"
	ssSession    = "org.freedesktop.Secret.Session"
	ssDefault    = dbus.ObjectPath("/org/freedesktop/secrets/aliases/default")
)

type ssSecret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

func ssAttributes(style itemStyle, service, account string) map[string]string {
	if style == goKeyringStyle {
		return map[string]string{"service": service, "username": account}
	}
	return map[string]string{"service": service, "account": account}
}

// sessionBus opens a private connection to the session bus; closing ctx
// closes it, which ends any call still waiting on it.
func sessionBus(ctx context.Context) (*dbus.Conn, error) {
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" {
		return nil, errors.New("no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set " +
			"(run from a desktop session, or start one with dbus-run-session)")
	}
	conn, err := dbus.Dial(addr, dbus.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("connect to the D-Bus session bus: %w", err)
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("authenticate to the D-Bus session bus: %w", err)
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("greet the D-Bus session bus: %w", err)
	}
	return conn, nil
}

func ssCallError(what string, err error) error {
	var de dbus.Error
	if errors.As(err, &de) && de.Name == "org.freedesktop.DBus.Error.ServiceUnknown" {
		return errors.New("no Secret Service on the session bus " +
			"(start gnome-keyring or another keyring daemon)")
	}
	return fmt.Errorf("%s: %w", what, err)
}

func ssSearch(ctx context.Context, conn *dbus.Conn, attrs map[string]string) (
	unlocked, locked []dbus.ObjectPath, err error) {
	err = conn.Object(ssName, ssPath).
		CallWithContext(ctx, ssService+".SearchItems", 0, attrs).Store(&unlocked, &locked)
	if err != nil {
		return nil, nil, ssCallError("search the Secret Service", err)
	}
	return unlocked, locked, nil
}

func keychainLookup(ctx context.Context, style itemStyle, service, account string,
	_ bool) (string, error) {
	conn, err := sessionBus(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()

	unlocked, locked, err := ssSearch(ctx, conn, ssAttributes(style, service, account))
	if err != nil {
		return "", err
	}
	if len(unlocked) == 0 {
		if len(locked) > 0 {
			return "", errLocked
		}
		return "", errItemNotFound
	}

	svc := conn.Object(ssName, ssPath)
	var ignored dbus.Variant
	var session dbus.ObjectPath
	err = svc.CallWithContext(ctx, ssService+".OpenSession", 0, "plain", dbus.MakeVariant("")).
		Store(&ignored, &session)
	if err != nil {
		return "", ssCallError("open a Secret Service session", err)
	}
	defer conn.Object(ssName, session).CallWithContext(ctx, ssSession+".Close", 0)

	var secret ssSecret
	err = conn.Object(ssName, unlocked[0]).
		CallWithContext(ctx, ssItem+".GetSecret", 0, session).Store(&secret)
	if err != nil {
		return "", ssCallError("read a Secret Service item", err)
	}
	return string(secret.Value), nil
}

func keychainStore(ctx context.Context, style itemStyle, service, account, label,
	secret string) error {
	conn, err := sessionBus(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()

	// Writing to a locked collection would need Unlock and its prompt.
	coll := conn.Object(ssName, ssDefault)
	v, err := coll.GetProperty(ssCollection + ".Locked")
	if err != nil {
		return ssCallError("check the default collection", err)
	}
	if isLocked, _ := v.Value().(bool); isLocked {
		return errLocked
	}

	var ignored dbus.Variant
	var session dbus.ObjectPath
	err = conn.Object(ssName, ssPath).
		CallWithContext(ctx, ssService+".OpenSession", 0, "plain", dbus.MakeVariant("")).
		Store(&ignored, &session)
	if err != nil {
		return ssCallError("open a Secret Service session", err)
	}
	defer conn.Object(ssName, session).CallWithContext(ctx, ssSession+".Close", 0)

	props := map[string]dbus.Variant{
		ssItem + ".Label":      dbus.MakeVariant(label),
		ssItem + ".Attributes": dbus.MakeVariant(ssAttributes(style, service, account)),
	}
	value := ssSecret{session, []byte{}, []byte(secret), "text/plain; charset=utf8"}
	var item, prompt dbus.ObjectPath
	err = coll.CallWithContext(ctx, ssCollection+".CreateItem", 0, props, value, true).
		Store(&item, &prompt)
	if err != nil {
		return ssCallError("store a Secret Service item", err)
	}
	if prompt != "/" {
		// The service wants to ask the user; we never do.
		return errLocked
	}
	return nil
}

func keychainDelete(ctx context.Context, style itemStyle, service, account string) error {
	conn, err := sessionBus(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()

	unlocked, locked, err := ssSearch(ctx, conn, ssAttributes(style, service, account))
	if err != nil {
		return err
	}
	if len(unlocked) == 0 && len(locked) > 0 {
		return errLocked
	}
	for _, item := range unlocked {
		var prompt dbus.ObjectPath
		err := conn.Object(ssName, item).CallWithContext(ctx, ssItem+".Delete", 0).Store(&prompt)
		if err != nil {
			return ssCallError("delete a Secret Service item", err)
		}
	}
	return nil
}
