package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// runVerify recomputes the record chain of every forum in the configured
// database and names the first broken link: exit 0 when the record is
// intact, 1 when it is not (or cannot be read), 2 for bad input.
func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("verify", "verify --config FILE", stdout)
	path := fs.String("config", "", "config file; the database at its store.path or store.url is checked")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("verify takes no arguments, got %q: forumbot verify --config FILE", strings.Join(fs.Args(), " "))
	}
	cfg, err := loadConfig(*path, secretsUnused, stderr)
	if err != nil {
		return err
	}
	db, err := openRecord(cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.Verify(ctx)
	if err != nil {
		return err
	}
	for _, f := range rep.Forums {
		fmt.Fprintf(stdout, "forum %s: %d entries, head %s\n", f.ForumID, f.Entries, f.Head)
	}
	if len(rep.Breaks) > 0 {
		lines := make([]string, len(rep.Breaks))
		for i, b := range rep.Breaks {
			lines[i] = "  " + b.String()
		}
		return fmt.Errorf("%s: the record does not verify; first broken link first:\n%s", storeName(cfg), strings.Join(lines, "\n"))
	}
	fmt.Fprintf(stdout, "%s: record intact\n", storeName(cfg))
	return nil
}
