package filefault

import (
	"os"

	"golang.org/x/sys/unix"
)

// fsImmutable is FS_IMMUTABLE_FL of linux/fs.h.
const fsImmutable = 0x10

// immutable sets and clears the file's immutable attribute (chattr +i),
// which stops root too; it needs CAP_LINUX_IMMUTABLE and a file system
// that has the attribute.
func immutable(path string) (set, unset func() error, err error) {
	flags := func(change func(uint32) uint32) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		fd := int(f.Fd())
		v, err := unix.IoctlGetUint32(fd, unix.FS_IOC_GETFLAGS)
		if err != nil {
			return err
		}
		return unix.IoctlSetPointerInt(fd, unix.FS_IOC_SETFLAGS, int(change(v)))
	}
	set = func() error { return flags(func(v uint32) uint32 { return v | fsImmutable }) }
	unset = func() error { return flags(func(v uint32) uint32 { return v &^ fsImmutable }) }
	return set, unset, nil
}
