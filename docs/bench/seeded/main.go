// Command seeded writes a forum with history for the load scripts: the
// config of a seeded shape and a copy of its database, built through the
// real engine by store/sqlite/sqlitetest (and cached). Usage:
//
//	go run ./docs/bench/seeded -platform slack -commitments 100 -months 24 -out DIR
//
// DIR receives forum.yaml and forumbot.db. For one forum forum.yaml is
// its forums: section; for several it names, by absolute path, a file per
// forum written to DIR/forums (forum_files:), each within the size a
// configuration file may have, however many forums there are.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"forumbot/bot/config"
	"forumbot/store/sqlite/sqlitetest"
)

func main() {
	s := sqlitetest.Standard
	flag.StringVar(&s.Platform, "platform", "slack", "address prefix of the members: slack, discord or local")
	flag.IntVar(&s.Forums, "forums", 1, "forums alike, each with its own people")
	flag.IntVar(&s.Commitments, "commitments", s.Commitments, "commitments of each forum")
	flag.IntVar(&s.Committee, "committee", s.Committee, "members per committee")
	flag.IntVar(&s.People, "people", s.People, "people each forum's committees are drawn from")
	flag.IntVar(&s.Months, "months", s.Months, "months of history")
	out := flag.String("out", "", "directory to write forum.yaml and forumbot.db to")
	flag.Parse()
	if err := run(s, *out); err != nil {
		fmt.Fprintln(os.Stderr, "seeded:", err)
		os.Exit(1)
	}
}

func run(s sqlitetest.Shape, dir string) error {
	if dir == "" {
		return fmt.Errorf("-out DIR is required")
	}
	yaml, err := writeForums(s, dir)
	if err != nil {
		return err
	}
	cached, err := sqlitetest.Cached(s)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "forum.yaml"), []byte(yaml), 0o600); err != nil {
		return err
	}
	in, err := os.Open(cached)
	if err != nil {
		return err
	}
	defer in.Close()
	dst, err := os.OpenFile(filepath.Join(dir, "forumbot.db"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, in); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// writeForums returns what forum.yaml holds: the forums: section of one
// forum, or for several a forum_files: entry naming the file of each,
// which it writes to dir/forums.
func writeForums(s sqlitetest.Shape, dir string) (string, error) {
	if s.Forums <= 1 {
		yaml := s.YAML()
		if len(yaml) > config.MaxFileSize {
			return "", fmt.Errorf("the configuration of %s is %d bytes, over the %d MiB serve accepts: ask for fewer commitments", s, len(yaml), config.MaxFileSize>>20)
		}
		return yaml, nil
	}
	forums, err := filepath.Abs(filepath.Join(dir, "forums"))
	if err != nil {
		return "", err
	}
	if _, err := s.WriteForumFiles(forums); err != nil {
		return "", err
	}
	return fmt.Sprintf("forum_files: [%q]\n", filepath.Join(forums, "*.yaml")), nil
}
