package discord_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/discord"
	"forumbot/bot"
)

func TestNewValidatesConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  discord.Config
		want []string
	}{
		{"NoToken", discord.Config{ApplicationID: "1180000000000000001"}, []string{"token is missing", "DISCORD_BOT_TOKEN"}},
		{"BadApplication", discord.Config{Token: "t", ApplicationID: "my-app"}, []string{`application id "my-app" is not a Discord id`}},
		{"BadGuild", discord.Config{Token: "t", ApplicationID: "1", GuildID: "server"}, []string{`guild id "server"`}},
		{"BadAPIURL", discord.Config{Token: "t", ApplicationID: "1", APIURL: "discord.com/api"}, []string{`api url "discord.com/api" is not an http(s) URL`}},
		{"AllAtOnce", discord.Config{GuildID: "x"}, []string{"token is missing", "application id", "guild id"}},
		{"NegativePace", discord.Config{Token: "t", ApplicationID: "1", RequestsPerSecond: -1}, []string{"RequestsPerSecond: -1 is negative"}},
		{"SlowAck", discord.Config{Token: "t", ApplicationID: "1", Options: discord.Options{AckWithin: 5 * time.Second}}, []string{"AckWithin: 5s is over"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := discord.New(tc.cfg)
			if err == nil {
				t.Fatalf("New(%+v) = nil error", tc.cfg)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
	if _, err := discord.New(discord.Config{Token: "Bot t", ApplicationID: "1180000000000000001"}); err != nil {
		t.Errorf("a valid config: %v", err)
	}
}

func TestInviteURL(t *testing.T) {
	got := discord.InviteURL("1180000000000000001")
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "discord.com" || u.Path != "/oauth2/authorize" || q.Get("client_id") != "1180000000000000001" {
		t.Errorf("InviteURL = %s", got)
	}
	// View Channel, Send Messages, Embed Links, Read Message History.
	if q.Get("permissions") != "84992" || q.Get("scope") != "bot applications.commands" {
		t.Errorf("permissions %s scope %q, want 84992 and bot applications.commands", q.Get("permissions"), q.Get("scope"))
	}
}

// TestRegisterCommands checks the bulk overwrite: on the guild when one is
// configured, globally otherwise, with typed options.
func TestRegisterCommands(t *testing.T) {
	f := newFake()
	t.Cleanup(f.Close)
	ctx := context.Background()
	if err := newChat(t, f, discord.Config{GuildID: f.guild}).RegisterCommands(ctx); err != nil {
		t.Fatal(err)
	}
	if err := newChat(t, f, discord.Config{}).RegisterCommands(ctx); err != nil {
		t.Fatal(err)
	}
	overwrites, commands := f.registrations()
	if got := strings.Join(overwrites, ","); got != f.guild+",global" {
		t.Errorf("overwrites %s, want the guild's then the global commands", got)
	}
	if n := f.count("PUT /applications/{app}/guilds/{guild}/commands") + f.count("PUT /applications/{app}/commands"); n != 2 {
		t.Errorf("%d bulk overwrites, want 2", n)
	}
	for _, scope := range []string{f.guild, "global"} {
		cmds := commands[scope]
		if len(cmds) != 1 || cmds[0].Name != "forum" || cmds[0].Type != 1 {
			t.Fatalf("%s commands: %+v", scope, cmds)
		}
		var subs []string
		for _, s := range cmds[0].Options {
			subs = append(subs, s.Name)
		}
		if got := strings.Join(subs, " "); got != "status digest update round away back questions move help" {
			t.Errorf("subcommands %q", got)
		}
		status, _ := cmds[0].subcommand("status")
		if len(status.Options) != 2 || status.Options[0].Name != "commitment" || !status.Options[0].Required || !status.Options[0].Autocomplete || status.Options[0].Type != 3 {
			t.Errorf("status options: %+v", status.Options)
		}
		digest, _ := cmds[0].subcommand("digest")
		if names := optionNames(digest); names != "commitment period forum" {
			t.Errorf("digest options %q", names)
		}
		round, _ := cmds[0].subcommand("round")
		if len(round.Options) == 0 || len(round.Options[0].Choices) != len(bot.RoundActions) {
			t.Errorf("round action choices: %+v", round.Options)
		}
		if got, want := status.Localized["es-ES"], "La situación actual de un compromiso, en privado"; got != want {
			t.Errorf("status description in es-ES %q, want the Spanish catalog's %q", got, want)
		}
		if got := status.Options[0].Localized["pt-BR"]; got == "" || got == status.Options[0].Description {
			t.Errorf("status commitment option in pt-BR %q, want the Portuguese catalog's text", got)
		}
		if got := cmds[0].Contexts; len(got) != 2 {
			t.Errorf("contexts %v, want guild and bot DM", got)
		}
	}
}

func optionNames(o commandOption) string {
	var names []string
	for _, x := range o.Options {
		names = append(names, x.Name)
	}
	return strings.Join(names, " ")
}

// TestRegisterCommandsRefused reports Discord's refusal as a permanent
// error.
func TestRegisterCommandsRefused(t *testing.T) {
	f := newFake()
	t.Cleanup(f.Close)
	// The token belongs to another application.
	chat, err := discord.New(discord.Config{Token: fakeToken, ApplicationID: "1180000000000000999", APIURL: f.APIURL(), Options: discord.Options{Log: quiet}})
	if err != nil {
		t.Fatal(err)
	}
	err = chat.RegisterCommands(context.Background())
	if err == nil || !strings.Contains(err.Error(), "Missing Access") {
		t.Errorf("RegisterCommands for another application: %v", err)
	}
}

// TestAPIURLTransport checks that every call went to the fake: the
// transport rewrites discord.com, discordgo's globals stay as they are.
func TestAPIURLTransport(t *testing.T) {
	var seen []string
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.URL.String())
		return nil, errors.New("stop")
	})
	chat, err := discord.New(discord.Config{Token: "t", ApplicationID: "1", APIURL: "http://127.0.0.1:9/proxy/api/v9", HTTPClient: &http.Client{Transport: next}, Options: discord.Options{Retries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	_ = chat.RegisterCommands(context.Background())
	if len(seen) != 1 || seen[0] != "http://127.0.0.1:9/proxy/api/v9/applications/1/commands" {
		t.Errorf("requests: %v", seen)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestListenCannotConnect: Listen reports a Discord it cannot reach.
func TestListenCannotConnect(t *testing.T) {
	f := newFake()
	f.Close()
	chat := newChat(t, f, discord.Config{Options: discord.Options{Retries: -1}})
	err := chat.Listen(context.Background(), bot.HandlerFunc(func(context.Context, bot.Event) bot.Response { return bot.Response{} }))
	if err == nil || !strings.Contains(err.Error(), "connect to the gateway") {
		t.Errorf("Listen without Discord: %v", err)
	}
}
