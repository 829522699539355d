// Package testenv builds real, private surroundings for tests: a D-Bus
// session of their own with an unlocked gnome-keyring in it, so that code
// reading the Secret Service is tested against the real thing without ever
// touching the keyring of the person running the tests.
package testenv

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/proc"
	dbus "github.com/godbus/dbus/v5"
)

// KeyringPackages names the Debian packages the private keyring needs:
// dbus for dbus-daemon, gnome-keyring for the Secret Service, and
// libsecret-tools for secret-tool, which plants items the way keytar does.
const KeyringPackages = "dbus gnome-keyring libsecret-tools"

const (
	secretsName       = "org.freedesktop.secrets"
	secretsPath       = "/org/freedesktop/secrets"
	secretsService    = "org.freedesktop.Secret.Service"
	secretsCollection = "org.freedesktop.Secret.Collection"
	defaultCollection = "/org/freedesktop/secrets/aliases/default"
)

// Keyring starts a private D-Bus session and an unlocked gnome-keyring in
// it, each in a process group of its own that t.Cleanup kills. It returns
// the environment entries (KEY=value) that point a process at that session:
// pass them to children, or set them with t.Setenv. When the programs are
// not installed the test is skipped with the packages to install.
func Keyring(t testing.TB) []string {
	t.Helper()
	for _, prog := range []string{"dbus-daemon", "gnome-keyring-daemon", "secret-tool"} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Skipf("%s is not installed: install the Debian packages %s "+
				"(make test does that), then run the tests again", prog, KeyringPackages)
		}
	}

	dir := t.TempDir()
	env := []string{
		"HOME=" + dir,
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		"XDG_RUNTIME_DIR=" + filepath.Join(dir, "run"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
	}
	for _, sub := range []string{"data", "run", "config"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}

	addr := startBus(t, dir)
	env = append(env, "DBUS_SESSION_BUS_ADDRESS="+addr)
	startKeyringDaemon(t, env)
	return []string{"DBUS_SESSION_BUS_ADDRESS=" + addr}
}

// startBus runs dbus-daemon in the foreground and returns the address it
// prints once it listens.
func startBus(t testing.TB, dir string) string {
	t.Helper()
	sock := filepath.Join(dir, "bus")
	cmd := exec.CommandContext(context.Background(), "dbus-daemon", "--session", "--nofork",
		"--print-address=1", "--address=unix:path="+sock)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	startGroup(t, cmd)

	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		lines <- strings.TrimSpace(line)
	}()
	select {
	case addr := <-lines:
		if addr == "" {
			t.Fatal("dbus-daemon printed no address")
		}
		return addr
	case <-time.After(5 * time.Second):
		t.Fatal("dbus-daemon did not print its address within 5s")
	}
	return ""
}

// startKeyringDaemon runs gnome-keyring-daemon with only the secrets
// component, unlocking a fresh login keyring with a password read from
// stdin, and waits until it owns org.freedesktop.secrets on the bus.
func startKeyringDaemon(t testing.TB, env []string) {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), "gnome-keyring-daemon", "--foreground", "--unlock",
		"--components=secrets")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader("test-keyring-password")
	startGroup(t, cmd)

	addr := lookup(env, "DBUS_SESSION_BUS_ADDRESS")
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if owned(addr) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("gnome-keyring-daemon did not take org.freedesktop.secrets within 5s")
}

// startGroup starts cmd in its own process group and kills that group
// (then reaps the child) when the test ends.
func startGroup(t testing.TB, cmd *exec.Cmd) {
	t.Helper()
	proc.Prepare(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		_ = proc.KillGroup(cmd)
		_ = cmd.Wait()
	})
}

func owned(addr string) bool {
	conn, err := connect(addr)
	if err != nil {
		return false
	}
	defer conn.Close()
	var has bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, secretsName).Store(&has)
	return err == nil && has
}

func connect(addr string) (*dbus.Conn, error) {
	conn, err := dbus.Dial(addr)
	if err != nil {
		return nil, err
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil, err
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

func lookup(env []string, key string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], key+"="); ok {
			return v
		}
	}
	return ""
}

// PlantKeytarItem stores secret under the attributes service and account,
// the way keytar (and so the Auth0 MCP server) writes them on Linux. It
// uses secret-tool with the secret on stdin, never in argv.
func PlantKeytarItem(t testing.TB, env []string, service, account, secret string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "secret-tool", "store",
		"--label="+service+" "+account, "service", service, "account", account)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(secret)
	proc.Prepare(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store %s %s: %v: %s", service, account, err, out)
	}
}

// PlantGoKeyringItem stores secret the way github.com/zalando/go-keyring
// does on Linux (and so the Auth0 CLI): attributes service and username,
// in the default collection, replacing an item with the same attributes.
// It talks to the private bus directly rather than through go-keyring,
// whose shared session connection would outlive this test's bus.
func PlantGoKeyringItem(t testing.TB, env []string, service, user, secret string) {
	t.Helper()
	conn, err := connect(lookup(env, "DBUS_SESSION_BUS_ADDRESS"))
	if err != nil {
		t.Fatalf("connect to the private bus: %v", err)
	}
	defer conn.Close()

	svc := conn.Object(secretsName, secretsPath)
	var ignored dbus.Variant
	var session dbus.ObjectPath
	err = svc.Call(secretsService+".OpenSession", 0, "plain", dbus.MakeVariant("")).
		Store(&ignored, &session)
	if err != nil {
		t.Fatalf("open a Secret Service session: %v", err)
	}

	props := map[string]dbus.Variant{
		"org.freedesktop.Secret.Item.Label": dbus.MakeVariant(
			fmt.Sprintf("Password for '%s' on '%s'", user, service)),
		"org.freedesktop.Secret.Item.Attributes": dbus.MakeVariant(
			map[string]string{"service": service, "username": user}),
	}
	value := struct {
		Session     dbus.ObjectPath
		Parameters  []byte
		Value       []byte
		ContentType string
	}{session, []byte{}, []byte(secret), "text/plain; charset=utf8"}
	var item, prompt dbus.ObjectPath
	err = conn.Object(secretsName, defaultCollection).
		Call(secretsCollection+".CreateItem", 0, props, value, true).Store(&item, &prompt)
	if err != nil {
		t.Fatalf("create item %s for %s: %v", service, user, err)
	}
}

// LockDefaultCollection locks the default collection through the Secret
// Service's Lock method, which gnome-keyring performs without a prompt.
// Unlocking it again would need a prompt, so a test that locks should use
// a keyring of its own.
func LockDefaultCollection(t testing.TB, env []string) {
	t.Helper()
	conn, err := connect(lookup(env, "DBUS_SESSION_BUS_ADDRESS"))
	if err != nil {
		t.Fatalf("connect to the private bus: %v", err)
	}
	defer conn.Close()

	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err = conn.Object(secretsName, secretsPath).Call(secretsService+".Lock", 0,
		[]dbus.ObjectPath{defaultCollection}).Store(&locked, &prompt)
	if err != nil {
		t.Fatalf("lock the default collection: %v", err)
	}
	if prompt != "/" {
		t.Skip("gnome-keyring asked for a prompt to lock the collection; " +
			"the locked case cannot be tested without a display")
	}
}

// Setenv sets every KEY=value entry of env with t.Setenv, so that code in
// the test process (not only children) uses the private session.
func Setenv(t testing.TB, env []string) {
	t.Helper()
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}
