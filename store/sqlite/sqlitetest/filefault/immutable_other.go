//go:build !linux

package filefault

import "errors"

// immutable is only available on Linux.
func immutable(string) (set, unset func() error, err error) {
	return nil, nil, errors.New("as root, only Linux's immutable attribute stops writes; run the tests as another user")
}
