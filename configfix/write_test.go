package configfix

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auth0mcp/auth0mcp/internal/fault"
)

func writeCase(t *testing.T, name string, mode os.FileMode) (string, []byte, *Plan) {
	t.Helper()
	c, _ := loadCase(t, name)
	dir := t.TempDir()
	path := filepath.Join(dir, "claude_desktop_config.json")
	if err := os.WriteFile(path, c.Raw, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	plan, err := Load(path, ClaudeDesktop).PlanFix(FixOptions{Launcher: testLauncher, Now: testNow})
	if err != nil || !plan.Changed() {
		t.Fatalf("plan: %v, changed %v", err, plan != nil && plan.Changed())
	}
	return path, c.Raw, plan
}

func TestWriteConfig(t *testing.T) {
	path, old, plan := writeCase(t, "13-auth0-dotted-name-crlf", 0o640)
	w, err := WriteConfig(context.Background(), path, old, plan.After, WriteOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, plan.After) {
		t.Errorf("file does not hold the planned bytes")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want the original 0640", fi.Mode().Perm())
	}
	b, err := os.ReadFile(w.Backup)
	if err != nil || !bytes.Equal(b, old) {
		t.Fatalf("backup %s does not hold the original: %v", w.Backup, err)
	}
	if fi, _ := os.Stat(w.Backup); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode = %v, want 0600", fi.Mode().Perm())
	}
	if !strings.HasSuffix(w.Backup, ".auth0mcp-20261203T120000Z.bak") {
		t.Errorf("backup name %s", w.Backup)
	}
	assertNoTemp(t, filepath.Dir(path))

	// Two backups in the same second never overwrite each other.
	w2, err := WriteConfig(context.Background(), path, plan.After, old, WriteOptions{Now: testNow})
	if err != nil || w2.Backup == w.Backup {
		t.Fatalf("second backup %q (first %q): %v", w2.Backup, w.Backup, err)
	}
	bs, _ := Backups(path)
	if len(bs) != 2 || bs[0] != w2.Backup {
		t.Errorf("Backups = %v, want the newest first", bs)
	}

	// Undo puts the newest backup back, after backing up what it replaces.
	from, saved, err := Undo(context.Background(), path, "")
	if err != nil || from != w2.Backup || saved == "" {
		t.Fatalf("undo from %q (saved %q): %v", from, saved, err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, plan.After) {
		t.Errorf("undo did not restore the newest backup")
	}
	if got, _ := os.ReadFile(saved); !bytes.Equal(got, old) {
		t.Errorf("undo did not keep the file it replaced")
	}
}

func TestUndoRefusesStrayAndBrokenBackups(t *testing.T) {
	path, old, _ := writeCase(t, "02-auth0-stored-token", 0o600)
	// Not a name fix-config gives: ignored.
	_ = os.WriteFile(path+".auth0mcp-tmp-1.bak", []byte(`{"mcpServers": {}}`), 0o600)
	if _, _, err := Undo(context.Background(), path, ""); err == nil || !strings.Contains(err.Error(), "no backup") {
		t.Errorf("a stray file was taken for a backup: %v", err)
	}
	// A backup that does not parse is not restored.
	_ = os.WriteFile(path+".auth0mcp-29990101T000000Z.bak", []byte("not json at all"), 0o600)
	if _, _, err := Undo(context.Background(), path, ""); err == nil || !strings.Contains(err.Error(), "cannot be restored") {
		t.Errorf("a broken backup was restored: %v", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, old) {
		t.Errorf("the config changed")
	}
}

func TestBackupsWithOddPaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), `back\slash [x] *`)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, `c\*.json`)
	_ = os.WriteFile(path, []byte(`{}`), 0o600)
	w, err := WriteConfig(context.Background(), path, []byte(`{}`), []byte(`{"a": 1}`), WriteOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if bs, _ := Backups(path); len(bs) != 1 || bs[0] != w.Backup {
		t.Errorf("Backups = %v, want [%s]", bs, w.Backup)
	}
}

func TestWriteFollowsSymlink(t *testing.T) {
	path, old, plan := writeCase(t, "02-auth0-stored-token", 0o600)
	link := filepath.Join(t.TempDir(), "link.json")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	w, err := WriteConfig(context.Background(), link, old, plan.After, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced by a file")
	}
	if w.Path != path || filepath.Dir(w.Backup) != filepath.Dir(path) {
		t.Errorf("wrote %s, backup %s; want the target's folder", w.Path, w.Backup)
	}
}

func TestWriteDetectsConcurrentChange(t *testing.T) {
	path, old, plan := writeCase(t, "02-auth0-stored-token", 0o600)
	theirs := append(append([]byte{}, old...), ' ')
	beforeRename = func(p string) { _ = os.WriteFile(p, theirs, 0o600) }
	defer func() { beforeRename = nil }()
	_, err := WriteConfig(context.Background(), path, old, plan.After, WriteOptions{})
	if !errors.Is(err, ErrChanged) {
		t.Fatalf("err = %v, want ErrChanged", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, theirs) {
		t.Errorf("the other writer's bytes were overwritten")
	}
	if bs, _ := Backups(path); len(bs) != 0 {
		t.Errorf("a backup was left behind for a write that did not happen: %v", bs)
	}
	assertNoTemp(t, filepath.Dir(path))

	// A change before we even start is caught too.
	if _, err := WriteConfig(context.Background(), path, old, plan.After, WriteOptions{}); !errors.Is(err, ErrChanged) {
		t.Errorf("err = %v, want ErrChanged", err)
	}
}

// TestWriteFaults injects a failure at each step of the write: the file
// on disk must hold the old bytes, and no temporary file may be left.
func TestWriteFaults(t *testing.T) {
	for _, point := range []string{"write-backup", "write-temp", "write-sync", "write-rename"} {
		t.Run(point, func(t *testing.T) {
			path, old, plan := writeCase(t, "02-auth0-stored-token", 0o600)
			t.Setenv(fault.Env, point)
			fault.Reset()
			defer fault.Reset()
			_, err := WriteConfig(context.Background(), path, old, plan.After, WriteOptions{})
			if err == nil || !strings.Contains(err.Error(), "injected fault") {
				t.Fatalf("err = %v, want the injected fault", err)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, old) {
				t.Errorf("the original changed after a failure at %s", point)
			}
			if bs, _ := Backups(path); len(bs) != 0 {
				t.Errorf("backup left after a failed write: %v", bs)
			}
			assertNoTemp(t, filepath.Dir(path))
		})
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(dir, ".*auth0mcp-tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestPurgeBackups(t *testing.T) {
	path, old, plan := writeCase(t, "02-auth0-stored-token", 0o600)
	w, err := WriteConfig(context.Background(), path, old, plan.After, WriteOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	clean := path + ".auth0mcp-20200101T000000Z.bak"
	_ = os.WriteFile(clean, []byte(`{"mcpServers": {}}`), 0o600)
	deleted, kept, err := PurgeBackups(path, testNow)
	if err != nil || len(deleted) != 1 || deleted[0] != w.Backup || len(kept) != 1 || kept[0] != clean {
		t.Fatalf("deleted %v kept %v: %v", deleted, kept, err)
	}
	if _, err := os.Stat(w.Backup); !os.IsNotExist(err) {
		t.Errorf("the backup with a secret still exists")
	}
}
