package slack_test

import (
	"strings"
	"testing"

	"forumbot/adapters/slack"
)

func TestNewValidates(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  slack.Config
		want string // "" for valid
	}{
		{"SocketMode", slack.Config{BotToken: "xoxb-1", AppToken: "xapp-1"}, ""},
		{"HTTPMode", slack.Config{BotToken: "xoxb-1", SigningSecret: "s"}, ""},
		{"GovSlack", slack.Config{BotToken: "xoxb-1", AppToken: "xapp-1", APIURL: "https://slack-gov.com/api"}, ""},
		{"NoBotToken", slack.Config{AppToken: "xapp-1"}, "BotToken: missing"},
		{"UserToken", slack.Config{BotToken: "xoxp-1", AppToken: "xapp-1"}, "BotToken: not a bot token"},
		{"BadAppToken", slack.Config{BotToken: "xoxb-1", AppToken: "xoxb-2"}, "AppToken: not an app-level token"},
		{"NoMode", slack.Config{BotToken: "xoxb-1"}, "set AppToken for Socket Mode or SigningSecret"},
		{"BadURL", slack.Config{BotToken: "xoxb-1", AppToken: "xapp-1", APIURL: "slack-gov.com/api"}, "APIURL:"},
		{"BadCommand", slack.Config{BotToken: "xoxb-1", AppToken: "xapp-1", Command: "forum"}, "Command:"},
		{"NegativePace", slack.Config{BotToken: "xoxb-1", AppToken: "xapp-1", PostsPerSecond: -1}, "PostsPerSecond:"},
		{"ElevenConnections", slack.Config{BotToken: "xoxb-1", AppToken: "xapp-1", SocketConnections: 11}, "SocketConnections: 11 is out of range"},
		{"NegativeConnections", slack.Config{BotToken: "xoxb-1", AppToken: "xapp-1", SocketConnections: -1}, "SocketConnections: -1 is out of range"},
		{"SlowAck", slack.Config{BotToken: "xoxb-1", AppToken: "xapp-1", Options: slack.Options{AckWithin: 5e9}}, "AckWithin:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			chat, err := slack.New(c.cfg)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("New: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("New: %v, want an error about %q", err, c.want)
			case c.want == "" && chat.SocketMode() != (c.cfg.AppToken != ""):
				t.Errorf("SocketMode() = %v", chat.SocketMode())
			}
		})
	}
}

func TestListenRefusedTokens(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*slack.Config)
		want string
	}{
		{"BotToken", func(c *slack.Config) { c.BotToken = "xoxb-revoked" }, "bot token was refused"},
		{"AppToken", func(c *slack.Config) { c.AppToken = "xapp-revoked" }, "invalid_auth"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t, fakeOptions{config: c.set})
			err := f.chat.Listen(t.Context(), &recorder{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Listen with a refused token: %v, want an error about %q", err, c.want)
			}
		})
	}
}
