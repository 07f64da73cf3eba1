package main

import (
	"errors"
	"flag"
	"io"
	"io/fs"
	"os"
)

// outMode is the mode of the files forumbot writes: exports and reports
// hold every answer, so only their owner may read them.
const outMode = 0o600

// outFlags are --out and --force of the commands that write a file:
// export, report and import-ogp.
type outFlags struct {
	path  *string
	force *bool
}

// addOutFlags adds --out (described by usage) and --force to fs.
func addOutFlags(fs *flag.FlagSet, usage string) outFlags {
	return outFlags{
		path:  fs.String("out", "", usage),
		force: fs.Bool("force", false, "overwrite the --out file if it exists (never a symbolic link)"),
	}
}

// check refuses, before any work is done, an --out that is a symbolic
// link (forumbot never writes through one) or not a regular file, or that
// exists when --force is not given.
func (o outFlags) check() error {
	_, err := o.existing()
	return err
}

// existing returns what is at the --out path, nil if nothing, or an error
// when forumbot must not write there.
func (o outFlags) existing() (fs.FileInfo, error) {
	path := *o.path
	info, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, badInput("--out %s: %v", path, err)
	case info.Mode()&fs.ModeSymlink != 0:
		return nil, badInput("--out %s is a symbolic link; forumbot never writes through one (give the file's own path or a new name)", path)
	case !info.Mode().IsRegular():
		return nil, badInput("--out %s is not a regular file (give a file name)", path)
	case !*o.force:
		return nil, badInput("--out %s exists; add --force to overwrite it, or give a new name", path)
	}
	return info, nil
}

// write runs write on standard output, or on the --out file when one is
// given: a new file only its owner can read, or with --force an existing
// regular file, emptied first. A file that fails to close (a full disk) is
// an error, not a silently short file, and a new file left short by an
// error is removed.
func (o outFlags) write(stdout io.Writer, write func(io.Writer) error) error {
	if *o.path == "" {
		return write(stdout)
	}
	file, created, err := o.create()
	if err != nil {
		return err
	}
	err = write(file)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil && created {
		os.Remove(file.Name())
	}
	return err
}

// create opens the --out file for writing as check allows. A new file is
// created exclusively, so nothing put there since check (a link
// included) is followed or overwritten; an existing one must still be the
// file check found.
func (o outFlags) create() (file *os.File, created bool, err error) {
	info, err := o.existing()
	if err != nil {
		return nil, false, err
	}
	if info == nil {
		file, err := os.OpenFile(*o.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, outMode)
		if errors.Is(err, fs.ErrExist) {
			return nil, false, badInput("--out %s appeared while forumbot was working; run again", *o.path)
		}
		return file, err == nil, err
	}
	file, err = os.OpenFile(*o.path, os.O_WRONLY|os.O_TRUNC, outMode)
	if err != nil {
		return nil, false, err
	}
	if now, err := file.Stat(); err != nil || !os.SameFile(info, now) {
		file.Close()
		return nil, false, badInput("--out %s changed while forumbot was working; run again", *o.path)
	}
	return file, false, nil
}
