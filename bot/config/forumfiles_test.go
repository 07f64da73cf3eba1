package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"forumbot/bot/config"
)

// forumEntry is one entry of a forums: list, forum id on Slack with one
// member; extra (a line, if any) goes among its keys.
func forumEntry(id, extra string) string {
	if extra != "" {
		extra = "    " + extra + "\n"
	}
	return `  - id: ` + id + `
    name: Forum ` + id + `
    timezone: UTC
    digest_channel: slack:C1
    coordinators: [slack:U1]
    schedule: {prompt: "@monthly", window: 36h}
` + extra + `    plan: {id: P` + id + `, commitments: [{id: C` + id + `, title: T, committee: [{who: slack:U2, name: A, group: government, org: O}]}]}
`
}

// writeFiles writes each file under dir, making its directories.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// loadErrors loads dir/forumbot.yaml and returns its errors, one a line.
func loadErrors(t *testing.T, dir string) string {
	t.Helper()
	_, err := config.Load(filepath.Join(dir, "forumbot.yaml"), config.Options{})
	var errs config.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("got %v, want config.Errors", err)
	}
	return err.Error()
}

// TestForumFiles loads a configuration whose forums are spread over files
// named by forum_files (a pattern from the environment among them): its
// own forums first, then each file's, a pattern's files in name order.
func TestForumFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"forumbot.yaml":     "forum_files: [\"${FORUM_FILES}\", more/extra.yaml]\nforums:\n" + forumEntry("main", ""),
		"forums/b.yaml":     "forums:\n" + forumEntry("b1", "") + strings.Replace(forumEntry("b2", ""), "name: Forum b2", `name: "Forum $${b2}"`, 1),
		"forums/a.yaml":     "# the forums of one region\nforums:\n" + forumEntry("a", ""),
		"forums/notes.txt":  "not a forum file",
		"more/extra.yaml":   "forums:\n" + forumEntry("extra", ""),
		"unlisted/x.yaml":   "forums:\n" + forumEntry("x", ""),
		"forums/sub/c.yaml": "forums:\n" + forumEntry("c", ""),
	})
	env := func(name string) (string, bool) { return "forums/*.yaml", name == "FORUM_FILES" }
	cfg, err := config.Load(filepath.Join(dir, "forumbot.yaml"), config.Options{Getenv: env})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range cfg.Forums {
		ids = append(ids, f.ID)
	}
	if got, want := strings.Join(ids, " "), "main a b1 b2 extra"; got != want {
		t.Errorf("forums %q, want %q", got, want)
	}
	if got := cfg.Forums[3].Name; got != "Forum ${b2}" {
		t.Errorf("a forum file's $${: name %q, want the literal ${", got)
	}
}

// TestForumFilesErrors names, for each mistake, the file, the line and the
// key path within that file, and what is allowed.
func TestForumFilesErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{{
		name: "a mistake in the second forum of a file",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [forums/*.yaml]\nforums:\n" + forumEntry("main", ""),
			"forums/a.yaml": "forums:\n" + forumEntry("a", "") + strings.Replace(forumEntry("b", ""), "@monthly", "every month", 1),
		},
		want: []string{`forums/a.yaml:14: forums[1].schedule.prompt: "every month" is not a cron spec`},
	}, {
		name: "an unknown key",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [a.yaml]\nforums:\n" + forumEntry("main", ""),
			"a.yaml":        "forums:\n" + forumEntry("a", "shedule: {}"),
		},
		want: []string{"a.yaml:8: forums[0].shedule: unknown key (did you mean schedule?"},
	}, {
		name: "a setting of the configuration in a forum file",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [a.yaml]\nforums:\n" + forumEntry("main", ""),
			"a.yaml":        "store: {path: other.db}\nforums:\n" + forumEntry("a", ""),
		},
		want: []string{"a.yaml:1: store: unknown key (want one of: forums)"},
	}, {
		name: "an id used in two files",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [a.yaml, b.yaml]\n",
			"a.yaml":        "forums:\n" + forumEntry("a", ""),
			"b.yaml":        "forums:\n" + forumEntry("x", "") + forumEntry("a", ""),
		},
		want: []string{`b.yaml:9: forums[1].id: "a" is already the id of forums[0] of `},
	}, {
		name: "a pattern that names nothing",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [forum/*.yaml]\nforums:\n" + forumEntry("main", ""),
		},
		want: []string{`forumbot.yaml:1: forum_files[0]: "forum/*.yaml" names no file (paths are relative to `},
	}, {
		name: "an empty entry",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [\"\"]\nforums:\n" + forumEntry("main", ""),
		},
		want: []string{"forumbot.yaml:1: forum_files[0]: empty (want a path or a pattern such as forums/*.yaml)"},
	}, {
		name: "a malformed pattern",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [\"forums/[a.yaml\"]\nforums:\n" + forumEntry("main", ""),
		},
		want: []string{`forum_files[0]: "forums/[a.yaml" is not a valid pattern`},
	}, {
		name: "a file named twice",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [forums/*.yaml, forums/a.yaml]\n",
			"forums/a.yaml": "forums:\n" + forumEntry("a", ""),
		},
		want: []string{"forum_files[1]: ", "forums/a.yaml is a forum file of forum_files[0], named already"},
	}, {
		name: "the configuration itself",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [\"*.yaml\"]\nforums:\n" + forumEntry("main", ""),
		},
		want: []string{"forumbot.yaml is the configuration itself, named already"},
	}, {
		name: "a file without forums",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [a.yaml]\nforums:\n" + forumEntry("main", ""),
			"a.yaml":        "forums: []\n",
		},
		want: []string{"a.yaml:1: forums: no forums (want at least one, or leave the file out of forum_files)"},
	}, {
		name: "a file that is not YAML",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [a.yaml]\nforums:\n" + forumEntry("main", ""),
			"a.yaml":        "forums: [\n",
		},
		want: []string{"a.yaml: "},
	}, {
		name: "a file over the limit",
		files: map[string]string{
			"forumbot.yaml": "forum_files: [a.yaml]\nforums:\n" + forumEntry("main", ""),
			"a.yaml":        "forums:\n" + forumEntry("a", "") + "# " + strings.Repeat("x", config.MaxFileSize) + "\n",
		},
		want: []string{"a.yaml: 8388609 bytes, more than a configuration may have (8 MiB)"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			got := loadErrors(t, dir)
			if n := strings.Count(got, "\n") + 1; n != 1 {
				t.Errorf("%d errors, want 1:\n%s", n, got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("got\n%s\nwant it to contain %q", got, w)
				}
			}
		})
	}
}
