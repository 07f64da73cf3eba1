package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"forumbot/configs"
)

// keptDemo runs the demo keeping its database and returns the directory
// and the config it kept beside the database.
func keptDemo(t *testing.T) (dir, cfgPath string) {
	t.Helper()
	dir = t.TempDir()
	if code, out, errOut := forumbot(t, "demo", "--keep", dir); code != 0 {
		t.Fatalf("demo: %d\n%s%s", code, out, errOut)
	}
	return dir, filepath.Join(dir, "forumbot.yaml")
}

// readCommands are the commands that read a forum's record, with the
// arguments each needs after --config FILE.
func readCommands(dir string) map[string][]string {
	return map[string][]string{
		"digest":  {"digest", "--forum", "cotabato", "--period", "2026-11"},
		"export":  {"export", "--forum", "cotabato"},
		"report":  {"report", "--forum", "cotabato"},
		"backup":  {"backup", filepath.Join(dir, "backup.db")},
		"verify":  {"verify"},
		"default": {"digest", "--forum", "cotabato"},
	}
}

// TestReadCommandsIgnoreTokens: digest, export, report and backup never use
// the platforms' tokens, so no value of them may stop them.
func TestReadCommandsIgnoreTokens(t *testing.T) {
	dir, cfgPath := keptDemo(t)
	example, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		env    map[string]string
		config func(string) string
	}{
		{"Unset", nil, nil},
		{"PlaceholdersInTheEnvironment", map[string]string{"SLACK_BOT_TOKEN": "changeme", "SLACK_APP_TOKEN": "changeme", "DISCORD_BOT_TOKEN": " "}, nil},
		{"PlaceholdersInTheFile", nil, strings.NewReplacer("${SLACK_APP_TOKEN}", "TODO", "${DISCORD_BOT_TOKEN}", `""`).Replace},
		{"NoTokensAtAll", nil, func(s string) string {
			return strings.NewReplacer("bot_token: ${SLACK_BOT_TOKEN}", "", "app_token: ${SLACK_APP_TOKEN}", "", "token: ${DISCORD_BOT_TOKEN}", "").Replace(s)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			unsetEnv(t, exampleSecrets...)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg := cfgPath
			if tt.config != nil {
				cfg = writeConfig(t, dir, tt.name+".yaml", tt.config(string(example)))
			}
			for name, args := range readCommands(t.TempDir()) {
				args = append([]string{args[0], "--config", cfg}, args[1:]...)
				if code, out, errOut := forumbot(t, args...); code != 0 || errOut != "" {
					t.Errorf("%s: exit %d, want 0 and nothing on stderr:\n%.300s\n%s", name, code, out, errOut)
				}
			}
		})
	}
}

// TestReadCommandsNeverCreateADatabase: on a fresh checkout, the commands
// that read the record say where they looked, and create nothing.
func TestReadCommandsNeverCreateADatabase(t *testing.T) {
	unsetEnv(t, exampleSecrets...)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "example.yaml", string(configs.Example))
	db := filepath.Join(dir, "forumbot.db")
	for name, args := range readCommands(dir) {
		args = append([]string{args[0], "--config", cfg}, args[1:]...)
		code, out, errOut := forumbot(t, args...)
		want := "forumbot: no database at " + db + " (store.path in " + cfg + "): run forumbot serve to create it, or forumbot demo --keep DIR"
		if code != 2 || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, want 2 and %q:\n%s%s", name, code, want, out, errOut)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Fatalf("%s left files behind: %v", name, entries)
		}
	}
}
