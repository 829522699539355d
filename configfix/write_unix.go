//go:build unix

package configfix

import (
	"io/fs"
	"os"
	"syscall"
)

func chown(name string, info fs.FileInfo) error {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if int(st.Uid) == os.Getuid() && int(st.Gid) == os.Getgid() {
		return nil
	}
	return os.Lchown(name, int(st.Uid), int(st.Gid))
}

func replaceFile(tmp, target string) error { return os.Rename(tmp, target) }

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
