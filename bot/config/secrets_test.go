package config_test

import (
	"slices"
	"strings"
	"testing"

	"forumbot/bot/config"
	"forumbot/configs"
)

const secretsForum = `
forums:
  - id: f
    name: F
    timezone: UTC
    digest_channel: slack:C1
    coordinators: [discord:1]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan: {id: P, commitments: [{id: C, title: T, committee: [{who: slack:U1, name: A, group: government, org: O}]}]}
`

// TestSkipSecrets: commands that never use the platforms' secrets accept
// any value for them, while validate and serve still check them.
func TestSkipSecrets(t *testing.T) {
	env := map[string]string{"PLACEHOLDER": "changeme"}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	for _, tt := range []struct {
		name, yaml, want string
	}{
		{"PlaceholderAppToken", "slack: {bot_token: xoxb-1, app_token: changeme}", "slack.app_token: is not an app-level token"},
		{"PlaceholderFromEnv", "slack: {bot_token: xoxb-1, app_token: '${PLACEHOLDER}'}", "slack.app_token: is not an app-level token"},
		{"NoBotToken", "slack: {app_token: xapp-1}", "slack.bot_token: missing"},
		{"NoMode", "slack: {bot_token: xoxb-1}", "set app_token for Socket Mode or signing_secret"},
		{"NoDiscordToken", "discord: {application_id: '1'}", "discord.token: missing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.yaml + secretsForum)
			_, err := config.Parse(data, "s.yaml", config.Options{Getenv: getenv})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("checked: got %v, want an error about %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "changeme") {
				t.Errorf("the error echoes the secret: %v", err)
			}
			if _, err := config.Parse(data, "s.yaml", config.Options{Getenv: getenv, SkipSecrets: true}); err != nil {
				t.Errorf("skipped: got %v, want no error", err)
			}
		})
	}
	t.Run("OtherKeysStillChecked", func(t *testing.T) {
		data := []byte("discord: {token: t, application_id: app}" + secretsForum)
		_, err := config.Parse(data, "s.yaml", config.Options{SkipSecrets: true})
		if err == nil || !strings.Contains(err.Error(), "discord.application_id") {
			t.Errorf("got %v, want an error about discord.application_id", err)
		}
	})
}

func TestUnset(t *testing.T) {
	env := map[string]string{"SLACK_APP_TOKEN": "xapp-1"}
	cfg, err := config.Parse(configs.Example, "example.yaml", config.Options{Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"slack.bot_token", "discord.token"}; !slices.Equal(cfg.Unset, want) {
		t.Errorf("Unset: got %v, want %v", cfg.Unset, want)
	}
	if got := cfg.File.Slack.BotToken; got != "${SLACK_BOT_TOKEN}" {
		t.Errorf("an unset reference: got %q, want it kept as written", got)
	}
}
