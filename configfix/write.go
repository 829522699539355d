package configfix

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/auth0mcp/auth0mcp/internal/fault"
)

// BackupSuffix marks the backups fix-config makes: <name>.auth0mcp-<UTC
// timestamp>.bak next to the config.
const BackupSuffix = ".bak"

// WriteOptions say how to write a config.
type WriteOptions struct {
	NoBackup bool
	Now      time.Time
}

// Written says what a write did.
type Written struct {
	Path   string // the file written: the target when Path was a symlink
	Backup string // the backup of the old bytes, "" with NoBackup
}

// ErrChanged is returned when the file changed on disk between the read
// and the write: someone else (often the app itself) wrote it.
var ErrChanged = errors.New("the file changed while auth0mcp was working on it")

// beforeRename runs just before the rename, for tests that change the
// file in between.
var beforeRename func(path string)

// WriteConfig replaces the file at path, whose bytes were old, with new,
// without ever leaving anything but the old or the new bytes at path:
// it follows a symlink, backs the old bytes up next to the file (mode
// 0600, created exclusively), writes a temporary file in the same folder,
// syncs it, gives it the original mode and owner, checks that the file
// still holds the old bytes, renames it over the file, syncs the folder,
// and reads the result back. Any failure leaves the original as it was.
func WriteConfig(ctx context.Context, path string, old, new []byte, opt WriteOptions) (Written, error) {
	var w Written
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return w, fmt.Errorf("resolve %s: %w", path, err)
	}
	w.Path = target
	info, err := os.Stat(target)
	if err != nil {
		return w, err
	}
	cur, err := os.ReadFile(target)
	if err != nil {
		return w, fmt.Errorf("read %s: %w", target, err)
	}
	if !bytes.Equal(cur, old) {
		return w, fmt.Errorf("%s: %w; nothing was written. Run the command again", target, ErrChanged)
	}
	want := sha256.Sum256(old)

	if !opt.NoBackup {
		if err := fault.At(ctx, "write-backup"); err != nil {
			return w, err
		}
		w.Backup, err = backup(target, old, opt.Now)
		if err != nil {
			return w, fmt.Errorf("back up %s: %w; nothing was written", target, err)
		}
	}
	cleanupBackup := func() {
		if w.Backup != "" {
			_ = os.Remove(w.Backup)
			w.Backup = ""
		}
	}

	tmp, err := writeTemp(ctx, target, new, info)
	if err != nil {
		cleanupBackup()
		return w, fmt.Errorf("write a temporary copy of %s: %w; the original is untouched", target, err)
	}
	defer os.Remove(tmp) // a no-op after a successful rename

	if beforeRename != nil {
		beforeRename(target)
	}
	now, err := os.ReadFile(target)
	if err != nil || sha256.Sum256(now) != want {
		cleanupBackup()
		return w, fmt.Errorf("%s: %w; nothing was written. Close the app that edits it and run the command again", target, ErrChanged)
	}
	if err := fault.At(ctx, "write-rename"); err != nil {
		cleanupBackup()
		return w, fmt.Errorf("replace %s: %w; the original is untouched", target, err)
	}
	if err := replaceFile(tmp, target); err != nil {
		cleanupBackup()
		return w, fmt.Errorf("replace %s: %w; the original is untouched", target, err)
	}
	if err := fault.At(ctx, "write-syncdir"); err != nil {
		return w, fmt.Errorf("sync the folder of %s: %w", target, err)
	}
	syncDir(filepath.Dir(target))

	got, err := os.ReadFile(target)
	if err != nil {
		return w, fmt.Errorf("read back %s: %w", target, err)
	}
	if !bytes.Equal(got, new) {
		return w, fmt.Errorf("read back %s: the file does not hold what was written; the backup is %s", target, w.Backup)
	}
	return w, nil
}

// backup writes old next to target, under a name no other run can take.
func backup(target string, old []byte, now time.Time) (string, error) {
	base := target + ".auth0mcp-" + now.UTC().Format("20060102T150405Z")
	for i := 1; i < 1000; i++ {
		name := base + BackupSuffix
		if i > 1 {
			name = fmt.Sprintf("%s-%d%s", base, i, BackupSuffix)
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if _, err := f.Write(old); err != nil {
			f.Close()
			os.Remove(name)
			return "", err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			os.Remove(name)
			return "", err
		}
		if err := f.Close(); err != nil {
			os.Remove(name)
			return "", err
		}
		return name, nil
	}
	return "", errors.New("too many backups made in the same second")
}

// writeTemp writes data to a new file in target's folder with target's
// mode and owner, synced to disk, and returns its name.
func writeTemp(ctx context.Context, target string, data []byte, info fs.FileInfo) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".auth0mcp-tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Chmod(0o600); err != nil {
		return fail(err)
	}
	if err := fault.At(ctx, "write-temp"); err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := fault.At(ctx, "write-sync"); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	if err := os.Chmod(name, info.Mode().Perm()); err != nil {
		os.Remove(name)
		return "", err
	}
	if err := chown(name, info); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("give the new file the owner of the old one: %w", err)
	}
	return name, nil
}

// backupName matches the names fix-config gives its backups, after the
// config's own name: .auth0mcp-<UTC timestamp>[-N].bak
var backupName = regexp.MustCompile(`^\.auth0mcp-(\d{8}T\d{6}Z)(?:-(\d{1,3}))?\.bak$`)

// Backups lists the backups fix-config made of the config at path,
// newest first. Only files named exactly as fix-config names them count.
func Backups(path string) ([]string, error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		target = path
	}
	dir, base := filepath.Dir(target), filepath.Base(target)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type backup struct {
		path string
		key  string
	}
	var bs []backup
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || !e.Type().IsRegular() {
			continue
		}
		m := backupName.FindStringSubmatch(name[len(base):])
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		bs = append(bs, backup{filepath.Join(dir, name), fmt.Sprintf("%s-%04d", m[1], max(n, 1))})
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].key > bs[j].key })
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.path
	}
	return out, nil
}

// Undo puts the newest backup of the config at path back in place, with
// the same care as any write. The backup must parse the way the config's
// client reads it. The file it replaces is itself backed up first, so an
// undo can be undone and edits made since the fix are not lost. It
// returns the backup it restored and the backup of the replaced file.
func Undo(ctx context.Context, path, client string) (restored, saved string, err error) {
	bs, err := Backups(path)
	if err != nil {
		return "", "", err
	}
	if len(bs) == 0 {
		return "", "", fmt.Errorf("no backup of %s was found (auth0mcp names them %s.auth0mcp-<time>.bak)", path, filepath.Base(path))
	}
	cur := Load(path, client)
	if !cur.Exists || cur.ReadErr != nil {
		return "", "", fmt.Errorf("read %s: %v", path, cur.ReadErr)
	}
	b := Load(bs[0], cur.Client)
	if b.ReadErr != nil || !b.ParseOK() {
		why := "it is not valid for " + cur.Rules().Title
		if b.ReadErr != nil {
			why = b.ReadErr.Error()
		}
		return "", "", fmt.Errorf("the newest backup %s cannot be restored: %s; nothing was written", bs[0], why)
	}
	if bytes.Equal(cur.Raw, b.Raw) {
		return bs[0], "", nil
	}
	w, err := WriteConfig(ctx, path, cur.Raw, b.Raw, WriteOptions{})
	if err != nil {
		return "", "", err
	}
	return bs[0], w.Backup, nil
}
