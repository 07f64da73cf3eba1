package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/configs"
)

// TestBrokenConfigs loads every file under testdata/config and expects
// exactly the errors listed in its "# want:" lines (each a substring).
func TestBrokenConfigs(t *testing.T) {
	files, err := filepath.Glob("../../testdata/config/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no broken configs found: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var wants []string
			for _, line := range strings.Split(string(data), "\n") {
				if w, ok := strings.CutPrefix(line, "# want: "); ok {
					wants = append(wants, w)
				}
			}
			_, err = config.Parse(data, filepath.Base(path), config.Options{RequireEnv: true, Getenv: func(string) (string, bool) { return "", false }})
			var errs config.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("got %v, want config.Errors", err)
			}
			if len(errs) != len(wants) {
				t.Errorf("got %d errors, want %d:\n%s", len(errs), len(wants), err)
			}
			for _, w := range wants {
				found := false
				for _, e := range errs {
					found = found || strings.Contains(e, w)
				}
				if !found {
					t.Errorf("no error contains %q; got:\n%s", w, err)
				}
			}
		})
	}
}

func TestExampleConfig(t *testing.T) {
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "DISCORD_BOT_TOKEN": "tok"}
	cfg, err := config.Parse(configs.Example, "example.yaml", config.Options{RequireEnv: true, Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	if err != nil {
		t.Fatalf("example config: %v", err)
	}
	if len(cfg.Warnings) != 0 {
		t.Errorf("warnings: %v", cfg.Warnings)
	}
	f := cfg.Forums[0]
	if len(f.Plan.Commitments) < 4 {
		t.Errorf("example has %d commitments, want at least 4", len(f.Plan.Commitments))
	}
	for _, c := range f.Plan.Commitments {
		groups := map[bot.Group]bool{}
		for _, m := range c.Committee {
			groups[m.Group] = true
		}
		if !groups[bot.Government] || !groups[bot.CivilSociety] || len(c.Milestones) == 0 {
			t.Errorf("%s: committee groups %v, %d milestones; want both groups and milestones", c.ID, groups, len(c.Milestones))
		}
	}
	if cfg.File.Slack.BotToken != "xoxb-1" || cfg.File.Slack.APIURL != "" || cfg.File.Slack.Command != "/forum" {
		t.Errorf("slack: %+v", cfg.File.Slack)
	}
	if f.Location.String() != "Asia/Manila" || f.Schedule.Window != 7*24*time.Hour || len(f.Schedule.Reminders) != 2 {
		t.Errorf("forum: %v %v %v", f.Location, f.Schedule.Window, f.Schedule.Reminders)
	}
	if p := cfg.Platforms(); !p["slack"] || !p["discord"] || len(p) != 2 {
		t.Errorf("platforms: %v", p)
	}
}

func TestEnvWarningsWithoutSecrets(t *testing.T) {
	cfg, err := config.Parse(configs.Example, "example.yaml", config.Options{Getenv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatalf("without secrets, validate should warn, not fail: %v", err)
	}
	if len(cfg.Warnings) != 3 || !strings.Contains(cfg.Warnings[0], "SLACK_BOT_TOKEN is not set here") {
		t.Errorf("warnings: %v", cfg.Warnings)
	}
}

func TestDefaults(t *testing.T) {
	cfg, err := config.Parse([]byte(`
forums:
  - id: f
    name: F
    timezone: UTC
    digest_channel: local:d
    coordinators: [local:c]
    schedule: {prompt: "@monthly", window: 36h}
    plan: {id: P, commitments: [{id: C, title: T, committee: []}]}
`), "min.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := cfg.Forums[0]
	if cfg.File.Store.Path != "forumbot.db" || cfg.File.HTTP.Listen != "127.0.0.1:8080" || f.Locale != "en" || f.StatusVisibility != bot.VisibilityForum || f.Schedule.Window != 36*time.Hour {
		t.Errorf("defaults: %+v %+v %+v", cfg.File.Store, cfg.File.HTTP, f)
	}
	if len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "no members: nobody will be asked about C") {
		t.Errorf("warnings: %v", cfg.Warnings)
	}
}

func TestSlackPace(t *testing.T) {
	for _, c := range []struct {
		name, settings string
		want           config.SlackConfig
	}{
		{"Defaults", "", config.SlackConfig{}},
		{"Set", "posts_per_second: 2.5, post_burst: 3, dm_opens_per_minute: 40, socket_connections: 4", config.SlackConfig{PostsPerSecond: 2.5, PostBurst: 3, DMOpensPerMinute: 40, SocketConnections: 4}},
	} {
		t.Run(c.name, func(t *testing.T) {
			yaml := slackForum(fmt.Sprintf("slack: {bot_token: xoxb-1, app_token: xapp-1, %s}", c.settings), "")
			cfg, err := config.Parse([]byte(yaml), "pace.yaml", config.Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := cfg.File.Slack
			if s.PostsPerSecond != c.want.PostsPerSecond || s.PostBurst != c.want.PostBurst || s.DMOpensPerMinute != c.want.DMOpensPerMinute || s.SocketConnections != c.want.SocketConnections {
				t.Errorf("slack pace: got %v/s burst %d, %v opens/min, %d connections; want %v/s burst %d, %v opens/min, %d connections",
					s.PostsPerSecond, s.PostBurst, s.DMOpensPerMinute, s.SocketConnections, c.want.PostsPerSecond, c.want.PostBurst, c.want.DMOpensPerMinute, c.want.SocketConnections)
			}
		})
	}
}

func TestShortTitle(t *testing.T) {
	cfg, err := config.Parse([]byte(`
forums:
  - id: f
    name: F
    timezone: UTC
    digest_channel: local:d
    coordinators: [local:c]
    schedule: {prompt: "@monthly", window: 36h}
    plan:
      id: P
      commitments:
        - {id: C1, title: Increasing Inclusivity in Public Access to Government Information, short_title: Access to Information, committee: []}
        - {id: C2, title: Open Legislation, committee: []}
`), "short.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cs := cfg.Forums[0].Plan.Commitments
	if got, want := cs[0].ShortTitle, "Access to Information"; got != want {
		t.Errorf("short title: got %q, want %q", got, want)
	}
	if got, want := cs[0].Title, "Increasing Inclusivity in Public Access to Government Information"; got != want {
		t.Errorf("title: got %q, want %q", got, want)
	}
	if got := cs[1].ShortTitle; got != "" {
		t.Errorf("short title left out: got %q, want none", got)
	}
}

// FuzzParse feeds arbitrary YAML to the loader: it must return a config or
// errors, never panic, and a config it accepts must be usable. Its seed
// corpus (testdata/fuzz/FuzzParse) holds small valid and broken configs;
// the example config is too large to minimise quickly.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := config.Parse(data, "fuzz.yaml", config.Options{Getenv: func(string) (string, bool) { return "x", true }})
		if err != nil {
			var errs config.Errors
			if errors.As(err, &errs) && len(errs) == 0 {
				t.Fatalf("empty error list")
			}
			return
		}
		for _, f := range cfg.Forums {
			if f.Location == nil || f.ID == "" || len(f.Plan.Commitments) == 0 || f.Schedule.Window <= 0 {
				t.Fatalf("accepted an unusable forum: %+v", f)
			}
			if _, err := bot.ParseCron(f.Schedule.Prompt, f.Location); err != nil {
				t.Fatalf("accepted a bad cron spec %q", f.Schedule.Prompt)
			}
		}
	})
}

// TestSenderGiveUpAfter reads how long a failing message is retried, and
// warns that max_attempts, which used to give up after a count, is no
// longer used.
func TestSenderGiveUpAfter(t *testing.T) {
	const forum = `
forums:
  - id: f
    name: F
    timezone: UTC
    digest_channel: local:d
    coordinators: [local:c]
    schedule: {prompt: "@monthly", window: 36h}
    plan: {id: P, commitments: [{id: C, title: T, committee: [{who: local:m, name: M, group: government, org: O}]}]}
`
	tests := []struct {
		name, sender string
		want         time.Duration
		err, warning string
	}{
		{"Default", "", bot.DefaultGiveUpAfter, "", ""},
		{"Days", "sender: {give_up_after: 3d}", 72 * time.Hour, "", ""},
		{"Hours", "sender: {give_up_after: 36h}", 36 * time.Hour, "", ""},
		{"TooShort", "sender: {give_up_after: 5m}", 0, `sender.give_up_after: "5m" is shorter than an hour`, ""},
		{"NotADuration", "sender: {give_up_after: soon}", 0, `sender.give_up_after: "soon" is not a duration`, ""},
		{"MaxAttemptsIgnored", "sender: {max_attempts: 8}", bot.DefaultGiveUpAfter, "", "sender.max_attempts: no longer used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := parseOrRefused(t, tt.sender+forum, "sender.yaml", tt.err)
			if cfg == nil {
				return
			}
			got := cfg.Sender.GiveUpAfter
			if got == 0 {
				got = bot.DefaultGiveUpAfter // the engine's default
			}
			if got != tt.want {
				t.Errorf("give up after %s, want %s", got, tt.want)
			}
			warned := strings.Join(cfg.Warnings, "\n")
			if (tt.warning == "") != (warned == "") || !strings.Contains(warned, tt.warning) {
				t.Errorf("warnings %q, want %q", warned, tt.warning)
			}
		})
	}
}

// TestQuestionSendTo: send_to names who an approved question goes to
// first; leads by default, and anything else is refused by name.
func TestQuestionSendTo(t *testing.T) {
	for _, c := range []struct {
		setting string
		want    bot.QuestionRecipients
		err     string
	}{
		{"", bot.SendToLeads, ""},
		{", send_to: leads", bot.SendToLeads, ""},
		{", send_to: committee", bot.SendToCommittee, ""},
		{", send_to: everyone", "", `forums[0].site.questions.send_to: "everyone" is not allowed (want leads or committee)`},
	} {
		t.Run(c.setting, func(t *testing.T) {
			yaml := slackForum("site: {form_secret: "+strings.Repeat("k", 32)+"}",
				"site: {public: true, licence: CC-BY-4.0, questions: {enabled: true"+c.setting+"}}")
			cfg := parseOrRefused(t, yaml, "send_to.yaml", c.err)
			if cfg == nil {
				return
			}
			if got := cfg.Forums[0].Questions.SendTo; got != c.want {
				t.Errorf("send_to %q, want %q", got, c.want)
			}
		})
	}
}

// parseOrRefused parses a configuration that must parse, or, when refused
// is set, must be refused with an error containing it (then it returns
// nil).
func parseOrRefused(t *testing.T, yaml, name, refused string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml), name, config.Options{})
	if refused != "" {
		if err == nil || !strings.Contains(err.Error(), refused) {
			t.Fatalf("got %v, want an error containing %q", err, refused)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// slackForum is a configuration of one forum on Slack with one member:
// top above the forums, forum (a line, if any) among the forum's keys.
func slackForum(top, forum string) string {
	if forum != "" {
		forum = "    " + forum + "\n"
	}
	return top + `
forums:
  - id: f
    name: F
    timezone: UTC
    digest_channel: slack:C1
    coordinators: [slack:U1]
    schedule: {prompt: "@monthly", window: 36h}
` + forum + `    plan: {id: P, commitments: [{id: C, title: T, committee: [{who: slack:U2, name: A, group: government, org: O}]}]}
`
}
