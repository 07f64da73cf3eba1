package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// TestVerify checks the demo's record, then changes an answer's level with
// SQL as someone holding the file could (dropping the append-only trigger
// first): verify names that row and column and exits 1.
func TestVerify(t *testing.T) {
	dir, cfg := keptDemo(t)
	code, out, errOut := forumbot(t, "verify", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "record intact") || !regexp.MustCompile(`forum cotabato: \d+ entries, head [0-9a-f]{64}`).MatchString(out) {
		t.Fatalf("verify of the demo's record: exit %d\n%s%s", code, out, errOut)
	}
	raw, err := sql.Open("sqlite", filepath.Join(dir, "forumbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var id int64
	if err := raw.QueryRow(`SELECT id FROM updates WHERE completion <> 'complete' ORDER BY id LIMIT 1 OFFSET 3`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER updates_no_update", "UPDATE updates SET completion = 'complete' WHERE id = ?"} {
		if _, err := raw.Exec(q, id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	code, out, errOut = forumbot(t, "verify", "--config", cfg)
	want := regexp.MustCompile(`the record does not verify.*\n  updates id ` + strconv.FormatInt(id, 10) + ` \(entry \d+ of forum cotabato\): column completion differs from what was chained`)
	if code != exitRuntime || !want.MatchString(errOut) {
		t.Errorf("verify after a level was changed: exit %d, want 1 naming updates id %d\n%s%s", code, id, out, errOut)
	}
	if !strings.Contains(errOut, "trigger updates_no_update is missing") {
		t.Errorf("verify does not name the dropped guard:\n%s", errOut)
	}
}

func TestVerifyRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "forumbot.yaml", fmt.Sprintf(serveConfig, "https://slack.example/api/"))
	for name, tt := range map[string]struct {
		args []string
		want string
	}{
		"NoConfig":    {[]string{"verify"}, "--config is required"},
		"Argument":    {[]string{"verify", "--config", cfg, "extra"}, `verify takes no arguments, got "extra"`},
		"NoDatabase":  {[]string{"verify", "--config", cfg}, "no database at"},
		"UnknownFlag": {[]string{"verify", "--head", "x", "--config", cfg}, "flag provided but not defined: -head"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, errOut := forumbot(t, tt.args...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, want 2 and %q:\n%s", code, tt.want, errOut)
			}
		})
	}
}
