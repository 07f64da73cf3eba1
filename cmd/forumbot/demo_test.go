package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoKeep runs the demo keeping its database, then every command it
// printed, exactly as printed.
func TestDemoKeep(t *testing.T) {
	unsetEnv(t, exampleSecrets...)
	dir := filepath.Join(t.TempDir(), "kept")
	code, out, errOut := forumbot(t, "demo", "--keep", dir)
	if code != 0 {
		t.Fatalf("demo --keep: exit %d\n%s%s", code, out, errOut)
	}
	for _, name := range []string{"forumbot.yaml", "forumbot.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("the demo did not keep %s: %v", name, err)
		}
	}
	// What each command must print, on stdout or stderr.
	wants := map[string][]string{
		"digest":   {"implementation digest, November 2026", "# South Cotabato Multistakeholder Forum: implementation digest, October 2026"},
		"export":   {"forum,period,commitment,member", "cotabato,2026-11,COT0005,slack:U0GOV0501"},
		"report":   {"# South Cotabato Multistakeholder Forum: implementation report"},
		"validate": {"ok: 1 forum(s), 5 commitment(s), 16 member(s)", "environment variable SLACK_BOT_TOKEN is not set here"},
	}
	ran := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		args, ok := strings.CutPrefix(line, "  forumbot ")
		if !ok {
			continue
		}
		fields := strings.Fields(args)
		if !strings.Contains(args, "--config "+filepath.Join(dir, "forumbot.yaml")) {
			t.Errorf("%q does not read the kept config", line)
		}
		code, stdout, stderr := forumbot(t, fields...)
		if code != 0 {
			t.Errorf("%s: exit %d\n%s", line, code, stderr)
		}
		matched := 0
		for _, want := range wants[fields[0]] {
			if strings.Contains(stdout+stderr, want) {
				matched++
			}
		}
		if matched == 0 {
			t.Errorf("%s: the output has none of %q:\n%.500s", line, wants[fields[0]], stdout+stderr)
		}
		ran[fields[0]]++
	}
	for cmd := range wants {
		if ran[cmd] == 0 {
			t.Errorf("the demo printed no %s command:\n%s", cmd, out)
		}
	}
	if code, _, errOut := forumbot(t, "demo", "--keep", dir); code != 2 || !strings.Contains(errOut, "exists; give a new or empty directory") {
		t.Errorf("demo --keep into a kept demo: exit %d, want 2\n%s", code, errOut)
	}
}

// TestSiteCommand writes the public site of the demo's forum as files,
// and refuses what it cannot do with a usage error.
func TestSiteCommand(t *testing.T) {
	unsetEnv(t, exampleSecrets...)
	dir := filepath.Join(t.TempDir(), "kept")
	if code, out, errOut := forumbot(t, "demo", "--keep", dir); code != 0 {
		t.Fatalf("demo --keep: exit %d\n%s%s", code, out, errOut)
	}
	cfg := filepath.Join(dir, "forumbot.yaml")
	out := filepath.Join(t.TempDir(), "site")
	code, stdout, stderr := forumbot(t, "site", "--config", cfg, "--out", out)
	if code != 0 || !strings.Contains(stdout, "files of the public site") {
		t.Fatalf("site: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, p := range []string{"index.html", "en/forums/cotabato/index.html", "es/forums/cotabato/commitments/COT0001/index.html", "data/forums/cotabato.json", "pt/forums/cotabato/feed.xml"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("site --out did not write %s: %v", p, err)
		}
	}
	if code, _, errOut := forumbot(t, "site", "--config", cfg); code != 2 || !strings.Contains(errOut, "--out is required") {
		t.Errorf("site without --out: exit %d\n%s", code, errOut)
	}
	private := filepath.Join(t.TempDir(), "private.yaml")
	b, _ := os.ReadFile(cfg)
	if err := os.WriteFile(private, []byte(strings.Replace(string(b), "public: true", "public: false", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := forumbot(t, "site", "--config", private, "--out", out); code != 2 || !strings.Contains(errOut, "no forum of") {
		t.Errorf("site with no public forum: exit %d\n%s", code, errOut)
	}
}
