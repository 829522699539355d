//go:build windows

package configfix

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
	"time"
)

func chown(string, fs.FileInfo) error { return nil }

// replaceFile renames over an existing file (MoveFileEx with
// MOVEFILE_REPLACE_EXISTING, as os.Rename does), retrying while another
// program (an editor, an indexer, the app) holds the file open.
func replaceFile(tmp, target string) error {
	var err error
	for i := 0; i < 20; i++ {
		err = os.Rename(tmp, target)
		if err == nil || !sharingViolation(err) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

func sharingViolation(err error) bool {
	var errno syscall.Errno
	// ERROR_ACCESS_DENIED (5), ERROR_SHARING_VIOLATION (32), ERROR_LOCK_VIOLATION (33)
	return errors.As(err, &errno) && (errno == 5 || errno == 32 || errno == 33)
}

func syncDir(string) {}
