// Package filefault makes a file refuse writes, for tests of what the bot
// does when its database cannot be written: a file whose mode forbids
// writing, or, for root, whom modes do not stop, a file marked immutable.
package filefault

import (
	"os"
	"testing"
)

// Unwritable makes the file at path refuse every open for writing, until
// the returned function (also run at cleanup) makes it writable again. It
// fails the test when the file cannot be made unwritable on this system.
func Unwritable(tb testing.TB, path string) (writable func()) {
	tb.Helper()
	set, unset, err := refuseWrites(path)
	if err != nil {
		tb.Fatalf("cannot make %s unwritable: %v", path, err)
	}
	if err := set(); err != nil {
		tb.Fatalf("cannot make %s unwritable: %v", path, err)
	}
	done := false
	writable = func() {
		tb.Helper()
		if done {
			return
		}
		done = true
		if err := unset(); err != nil {
			tb.Errorf("cannot make %s writable again: %v", path, err)
		}
	}
	tb.Cleanup(writable)
	return writable
}

// refuseWrites returns how to make path refuse writes and how to undo it:
// its mode for anyone but root, its immutable attribute for root.
func refuseWrites(path string) (set, unset func() error, err error) {
	if os.Geteuid() == 0 {
		return immutable(path)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	mode := info.Mode().Perm()
	return func() error { return os.Chmod(path, mode&^0o222) }, func() error { return os.Chmod(path, mode) }, nil
}
