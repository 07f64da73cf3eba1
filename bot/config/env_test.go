package config_test

import (
	"fmt"
	"strings"
	"testing"

	"forumbot/bot/config"
)

// secretToken is the value of SLACK_BOT_TOKEN in these tests: it must
// never appear anywhere but in the bot token.
const secretToken = "xoxb-secret-4242"

var testEnv = map[string]string{
	"SLACK_BOT_TOKEN": secretToken, "SLACK_SIGNING_SECRET": "sig-secret", "FORUM_LISTEN": "127.0.0.1:9000",
	"FORUM_DB": "/var/lib/forumbot/f.db", "SLACK_API": "https://slack-gov.com/api/", "FORUM_NAME": "Alpha",
}

func testGetenv(k string) (string, bool) { v, ok := testEnv[k]; return v, ok }

// envConfig is a config whose deployment keys and texts all hold ${…}.
const envConfig = `
store: {path: "${FORUM_DB}"}
http: {listen: "${FORUM_LISTEN}"}
slack: {bot_token: "${SLACK_BOT_TOKEN}", signing_secret: "${SLACK_SIGNING_SECRET}", api_url: "${SLACK_API}"}
forums:
  - id: f
    name: 'Alpha ${SLACK_BOT_TOKEN}'
    timezone: UTC
    digest_channel: slack:C1
    coordinators: [slack:U1]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      title: '${FORUM_NAME} plan'
      commitments:
        - id: C1
          title: 'Budget ${SLACK_BOT_TOKEN}'
          description: 'Costs $${NOT_A_VARIABLE} and $$${x}'
          lead_agency: '${SLACK_SIGNING_SECRET}'
          committee: [{who: slack:U2, name: '${SLACK_BOT_TOKEN}', group: government, org: '${FORUM_NAME}'}]
`

// TestEnvExpandedOnlyInSettings: ${NAME} is expanded in the secrets and
// deployment settings and nowhere else, so no variable can reach a chat;
// $${ writes a literal ${.
func TestEnvExpandedOnlyInSettings(t *testing.T) {
	cfg, err := config.Parse([]byte(envConfig), "env.yaml", config.Options{Getenv: testGetenv, RequireEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	file := cfg.File
	for _, tt := range []struct{ key, got, want string }{
		{"store.path", file.Store.Path, "/var/lib/forumbot/f.db"},
		{"http.listen", file.HTTP.Listen, "127.0.0.1:9000"},
		{"slack.bot_token", file.Slack.BotToken, secretToken},
		{"slack.signing_secret", file.Slack.SigningSecret, "sig-secret"},
		{"slack.api_url", file.Slack.APIURL, "https://slack-gov.com/api/"},
		{"forums[0].name", cfg.Forums[0].Name, "Alpha ${SLACK_BOT_TOKEN}"},
		{"forums[0].plan.title", cfg.Forums[0].Plan.Title, "${FORUM_NAME} plan"},
		{"commitments[0].title", cfg.Forums[0].Plan.Commitments[0].Title, "Budget ${SLACK_BOT_TOKEN}"},
		{"commitments[0].description", cfg.Forums[0].Plan.Commitments[0].Description, "Costs ${NOT_A_VARIABLE} and $${x}"},
		{"commitments[0].lead_agency", cfg.Forums[0].Plan.Commitments[0].LeadAgency, "${SLACK_SIGNING_SECRET}"},
		{"committee[0].name", cfg.Forums[0].Plan.Commitments[0].Committee[0].Name, "${SLACK_BOT_TOKEN}"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.key, tt.got, tt.want)
		}
	}
	if shown := fmt.Sprintf("%+v", cfg.Forums[0]) + fmt.Sprintf("%+v", cfg.Forums[0].Plan); strings.Contains(shown, secretToken) || strings.Contains(shown, "sig-secret") {
		t.Errorf("a secret reached the forum:\n%s", shown)
	}
	warnings := strings.Join(cfg.Warnings, "\n")
	for _, key := range []string{"forums[0].name: ${SLACK_BOT_TOKEN} is shown as written", "forums[0].plan.title: ${FORUM_NAME} is shown as written", "committee[0].org: ${FORUM_NAME}"} {
		if !strings.Contains(warnings, key) {
			t.Errorf("no warning %q in:\n%s", key, warnings)
		}
	}
	if strings.Contains(warnings, "description") || strings.Contains(warnings, secretToken) {
		t.Errorf("warnings about an escaped ${ or holding a secret:\n%s", warnings)
	}
}

// TestLiteralFileReadsBackAsWritten: a File written with LiteralFile reads
// back with every string as it was, whatever ${ or $${ it holds, and its
// original is not changed.
func TestLiteralFileReadsBackAsWritten(t *testing.T) {
	for _, text := range []string{"Alpha ${SLACK_BOT_TOKEN}", "$${x}", "$$${x}", "${", "$", "plain", "a${b}c${d}"} {
		f := config.File{Slack: &config.SlackConfig{BotToken: text}, Forums: []config.ForumConfig{{Name: text}}}
		lit := config.LiteralFile(f)
		if f.Forums[0].Name != text || f.Slack.BotToken != text {
			t.Fatalf("LiteralFile changed its argument: %+v", f)
		}
		cfg, _ := config.Parse([]byte(fmt.Sprintf("slack: {bot_token: %q}\nforums: [{name: %q}]\n", lit.Slack.BotToken, lit.Forums[0].Name)), "l.yaml", config.Options{Getenv: testGetenv, IgnoreUnsetEnv: true})
		if cfg == nil {
			t.Fatalf("%q: not read back", text)
		}
		if got := cfg.File.Forums[0].Name; got != text {
			t.Errorf("name %q read back as %q", text, got)
		}
		if got := cfg.File.Slack.BotToken; got != text {
			t.Errorf("bot_token %q read back as %q", text, got)
		}
	}
}

// TestErrorsNameTheVariable: a value that is wrong for its key is named by
// the variable it came from, never echoed.
func TestErrorsNameTheVariable(t *testing.T) {
	forum := secretsForum[1:]
	slack := "slack: {bot_token: \"${SLACK_BOT_TOKEN}\", signing_secret: s, api_url: %s}\n"
	for _, tt := range []struct{ name, yaml, want string }{
		{"Timezone", fmt.Sprintf(slack, "https://s.example/") + strings.Replace(forum, "timezone: UTC", "timezone: ${SLACK_BOT_TOKEN}", 1), `forums[0].timezone: "${SLACK_BOT_TOKEN}" is not a known time zone`},
		{"Locale", fmt.Sprintf(slack, "https://s.example/") + strings.Replace(forum, "timezone: UTC", "timezone: UTC\n    locale: ${SLACK_BOT_TOKEN}", 1), `forums[0].locale: "${SLACK_BOT_TOKEN}" is not a supported locale`},
		{"Listen", "http: {listen: '${SLACK_BOT_TOKEN}'}\n" + fmt.Sprintf(slack, "https://s.example/") + forum, "http.listen: the value of ${SLACK_BOT_TOKEN} is not host:port"},
		{"APIURL", fmt.Sprintf(slack, "'${SLACK_BOT_TOKEN}'") + forum, "slack.api_url: the value of ${SLACK_BOT_TOKEN} is not an http(s) URL"},
		{"APIURLWithText", fmt.Sprintf(slack, "'x${SLACK_BOT_TOKEN}'") + forum, `slack.api_url: the value of "x${SLACK_BOT_TOKEN}" is not an http(s) URL`},
		{"DiscordApplication", "discord: {token: t, application_id: '${SLACK_BOT_TOKEN}'}\n" + fmt.Sprintf(slack, "https://s.example/") + forum, "discord.application_id: the value of ${SLACK_BOT_TOKEN} is not a Discord id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tt.yaml), "e.yaml", config.Options{Getenv: testGetenv, RequireEnv: true})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), secretToken) {
				t.Errorf("the error echoes the secret: %v", err)
			}
		})
	}
}
