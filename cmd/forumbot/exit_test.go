package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"forumbot/bot"
	"forumbot/configs"
	"forumbot/store/sqlite"
)

func TestExitCode(t *testing.T) {
	for _, tt := range []struct {
		name       string
		err        error
		code       int
		wantStderr string
	}{
		{"OK", nil, exitOK, ""},
		{"Help", errHelp, exitOK, ""},
		{"BadInput", badInput("--format %q: want csv or json", "pdf"), exitUsage, "forumbot: --format \"pdf\": want csv or json\n"},
		{"NotFound", bot.Errorf(bot.ENOTFOUND, "no round was held in November 2019; rounds: 2019-09, 2019-10"), exitUsage,
			"forumbot: no round was held in November 2019; rounds: 2019-09, 2019-10\n"},
		{"WrappedInvalid", fmt.Errorf("forum f: %w", bot.Errorf(bot.EINVALID, "2026-13 is not a month")), exitUsage, "forumbot: forum f: 2026-13 is not a month\n"},
		{"Conflict", bot.Errorf(bot.ECONFLICT, "the round is already closed"), exitRuntime, "forumbot: the round is already closed\n"},
		{"Internal", errors.New("disk I/O error"), exitRuntime, "forumbot: disk I/O error\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			if got := exitCode(tt.err, &stderr); got != tt.code {
				t.Errorf("exit code: got %d, want %d", got, tt.code)
			}
			if got := stderr.String(); got != tt.wantStderr {
				t.Errorf("stderr: got %q, want %q", got, tt.wantStderr)
			}
		})
	}
}

// TestStoreErrorsAreBadInput runs the commands on databases that exist but
// cannot be read as asked: the person can fix that, so it is exit 2.
func TestStoreErrorsAreBadInput(t *testing.T) {
	unsetEnv(t, exampleSecrets...)
	for _, tt := range []struct {
		name string
		seed func(t *testing.T, path string)
		args []string
		want string
	}{
		{"NotAForumbotDatabase", func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"export", "--forum", "cotabato"}, "forumbot.db: not a forumbot database"},
		{"NoRoundsYet", func(t *testing.T, path string) {
			db := sqlite.NewDB(path)
			if err := db.Open(); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}, []string{"digest", "--forum", "cotabato"}, "forum cotabato has no rounds yet: there is nothing to digest until serve opens the first one"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := writeConfig(t, dir, "forumbot.yaml", string(configs.Example))
			tt.seed(t, filepath.Join(dir, "forumbot.db"))
			args := append([]string{tt.args[0], "--config", cfg}, tt.args[1:]...)
			code, out, errOut := forumbot(t, args...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, bot.EINVALID+":") {
				t.Errorf("exit %d, want 2 and %q:\n%s%s", code, tt.want, out, errOut)
			}
		})
	}
}
