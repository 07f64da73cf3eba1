package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutNeverFollowsLinksNorOverwrites: export, report and import-ogp
// write --out only to a new file, or with --force to an existing regular
// file; never through a symbolic link. What they create only its owner
// can read.
func TestOutNeverFollowsLinksNorOverwrites(t *testing.T) {
	dir, cfg := keptDemo(t)
	sample, err := filepath.Abs("../../testdata/ogp-commitments-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	commands := map[string][]string{
		"export":     {"export", "--config", cfg, "--forum", "cotabato"},
		"report":     {"report", "--config", cfg, "--forum", "cotabato"},
		"import-ogp": {"import-ogp", sample, "--plan", "AP_PHSC01"},
	}
	victim := filepath.Join(dir, "victim.txt")
	for name, args := range commands {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out")
			links := map[string]string{"link-to-file": victim, "dangling-link": filepath.Join(dir, name+"-created-through-link")}
			for link, target := range links {
				if err := os.Symlink(target, filepath.Join(filepath.Dir(out), link)); err != nil {
					t.Fatal(err)
				}
			}
			for _, tt := range []struct {
				name, out string
				force     bool
				want      string
			}{
				{"LinkToFile", filepath.Join(filepath.Dir(out), "link-to-file"), false, "is a symbolic link; forumbot never writes through one"},
				{"LinkToFileForced", filepath.Join(filepath.Dir(out), "link-to-file"), true, "is a symbolic link; forumbot never writes through one"},
				{"DanglingLink", filepath.Join(filepath.Dir(out), "dangling-link"), false, "is a symbolic link; forumbot never writes through one"},
				{"Directory", dir, true, "is not a regular file"},
				{"ExistingFile", victim, false, "exists; add --force to overwrite it"},
			} {
				a := append(append([]string{}, args...), "--out", tt.out)
				if tt.force {
					a = append(a, "--force")
				}
				code, _, errOut := forumbot(t, a...)
				if code != 2 || !strings.Contains(errOut, tt.want) {
					t.Errorf("%s: exit %d, want 2 and %q:\n%s", tt.name, code, tt.want, errOut)
				}
			}
			if b, _ := os.ReadFile(victim); string(b) != "keep me" {
				t.Errorf("the file behind the link, or not forced, was overwritten (%d bytes)", len(b))
			}
			if _, err := os.Lstat(links["dangling-link"]); !os.IsNotExist(err) {
				t.Errorf("a file was created through the dangling link (%v)", err)
			}

			if code, _, errOut := forumbot(t, append(append([]string{}, args...), "--out", out)...); code != 0 {
				t.Fatalf("to a new file: exit %d\n%s", code, errOut)
			}
			if info, err := os.Stat(out); err != nil || info.Mode().Perm() != 0o600 || info.Size() == 0 {
				t.Errorf("the new file: %v %v, want mode -rw------- and content", info.Mode(), err)
			}
			if code, _, errOut := forumbot(t, append(append([]string{}, args...), "--out", victim, "--force")...); code != 0 {
				t.Fatalf("--force over a regular file: exit %d\n%s", code, errOut)
			}
			if b, _ := os.ReadFile(victim); string(b) == "keep me" || len(b) == 0 {
				t.Errorf("--force did not overwrite the file (%d bytes)", len(b))
			}
		})
	}
}

// TestBackupRefusesDanglingLink: backup never follows a symbolic link to
// create its target, and says why.
func TestBackupRefusesDanglingLink(t *testing.T) {
	dir, cfg := keptDemo(t)
	link, target := filepath.Join(dir, "backup.db"), filepath.Join(dir, "elsewhere.db")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := forumbot(t, "backup", "--config", cfg, link)
	if code != 2 || !strings.Contains(errOut, "is a symbolic link; choose a new file name (a backup never follows a link nor overwrites)") {
		t.Errorf("exit %d, want 2 and the link named:\n%s", code, errOut)
	}
	if _, err := os.Lstat(target); !os.IsNotExist(err) {
		t.Errorf("backup created the link's target (%v)", err)
	}
}

// TestOutRemovesAShortNewFile: when writing fails part way, a file the
// command created is removed rather than left looking like an export;
// the next run writes it whole.
func TestOutRemovesAShortNewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.csv")
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	out := addOutFlags(fs, "out")
	if err := fs.Parse([]string{"--out", path}); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("the store went away")
	err := out.write(nil, func(w io.Writer) error {
		io.WriteString(w, "forum,period\ncotabato,2026-10\n")
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("write: %v, want the writer's error", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the short file is still there (%v)", err)
	}
	if err := out.write(nil, func(w io.Writer) error { _, err := io.WriteString(w, "whole\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "whole\n" {
		t.Errorf("a successful write left %q (%v)", b, err)
	}
}
