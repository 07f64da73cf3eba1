package config_test

import (
	"strings"
	"testing"

	"forumbot/bot/config"
)

const discordForum = `
forums:
  - id: f
    name: F
    timezone: UTC
    digest_channel: discord:11
    coordinators: [discord:12]
    schedule: {prompt: "@monthly", window: 7d}
    plan: {id: P, commitments: [{id: C, title: T, committee: [{who: discord:13, name: A, group: government, org: O}]}]}
`

// publicKey is a well-formed public key: 64 hexadecimal digits.
var publicKey = strings.Repeat("3f", 32)

// TestDiscordInteractions: discord.interactions defaults to the gateway;
// the endpoint mode needs a public key of 64 hexadecimal digits and takes
// a path the listener does not use already; each refusal names the key
// and what it allows, without echoing a key from the environment.
func TestDiscordInteractions(t *testing.T) {
	env := map[string]string{"DISCORD_PUBLIC_KEY": publicKey, "BAD_KEY": "secretish-not-hex"}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	parse := func(settings string) (*config.Config, error) {
		return config.Parse([]byte("discord: {token: t, application_id: '1', "+settings+"}"+discordForum), "d.yaml", config.Options{Getenv: getenv})
	}
	t.Run("Defaults", func(t *testing.T) {
		cfg, err := parse("")
		if err != nil {
			t.Fatal(err)
		}
		if d := cfg.File.Discord; d.Interactions != config.DiscordGateway || d.InteractionsPath != "" || d.PublicKey != "" {
			t.Errorf("defaults: %+v", d)
		}
		cfg, err = parse("interactions: endpoint, public_key: '${DISCORD_PUBLIC_KEY}'")
		if err != nil {
			t.Fatal(err)
		}
		if d := cfg.File.Discord; d.Interactions != config.DiscordEndpoint || d.InteractionsPath != config.DefaultInteractionsPath || d.PublicKey != publicKey {
			t.Errorf("endpoint defaults: %+v", d)
		}
	})
	t.Run("Set", func(t *testing.T) {
		cfg, err := parse("interactions: endpoint, public_key: ' " + strings.ToUpper(publicKey) + " ', interactions_path: /bot/discord")
		if err != nil {
			t.Fatal(err)
		}
		if d := cfg.File.Discord; d.InteractionsPath != "/bot/discord" || d.PublicKey != strings.ToUpper(publicKey) {
			t.Errorf("settings: %+v", d)
		}
	})
	for _, tc := range []struct{ name, settings, want string }{
		{"UnknownMode", "interactions: webhook", `discord.interactions: "webhook" is not a mode (want gateway, the default, or endpoint`},
		{"NoPublicKey", "interactions: endpoint", "discord.public_key: missing (want the application's public key"},
		{"NotHex", "interactions: endpoint, public_key: " + strings.Repeat("zz", 32), "discord.public_key: \"" + strings.Repeat("zz", 32) + "\" is not hexadecimal (want the 64 hexadecimal digits"},
		{"NotHexFromEnv", "interactions: endpoint, public_key: '${BAD_KEY}'", "discord.public_key: the value of ${BAD_KEY} is not hexadecimal"},
		{"Short", "interactions: endpoint, public_key: " + publicKey[:62], "discord.public_key: has 62 hexadecimal digits, want 64"},
		{"Long", "interactions: endpoint, public_key: " + publicKey + "00", "discord.public_key: has 66 hexadecimal digits, want 64"},
		{"PathNotAbsolute", "interactions: endpoint, public_key: " + publicKey + ", interactions_path: discord", `discord.interactions_path: "discord" is not a path`},
		{"PathPattern", "interactions: endpoint, public_key: " + publicKey + ", interactions_path: '/d/{id}'", `discord.interactions_path: "/d/{id}" is not a path`},
		{"PathTaken", "interactions: endpoint, public_key: " + publicKey + ", interactions_path: /slack/discord", `discord.interactions_path: "/slack/discord" is taken by the listener's /slack`},
		{"PathHealthz", "interactions: endpoint, public_key: " + publicKey + ", interactions_path: /healthz", `is taken by the listener's /healthz`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(tc.settings)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "secretish") {
				t.Errorf("the error echoes the environment's value: %v", err)
			}
		})
	}
	t.Run("IgnoredOverTheGateway", func(t *testing.T) {
		cfg, err := parse("public_key: " + publicKey + ", interactions_path: /x")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		for _, w := range cfg.Warnings {
			if strings.Contains(w, "is used only with interactions: endpoint") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("warnings %q, want one for public_key and one for interactions_path", cfg.Warnings)
		}
	})
}

// TestDiscordPace: discord.requests_per_second is left to the adapter's
// default unless set, and is refused above Discord's global limit, with
// the range in the message.
func TestDiscordPace(t *testing.T) {
	parse := func(settings string) (*config.Config, error) {
		return config.Parse([]byte("discord: {token: t, application_id: '1'"+settings+"}"+discordForum), "d.yaml", config.Options{})
	}
	for _, tc := range []struct {
		settings string
		want     float64
	}{{"", 0}, {", requests_per_second: 20", 20}, {", requests_per_second: 50", 50}} {
		cfg, err := parse(tc.settings)
		if err != nil {
			t.Fatalf("%q: %v", tc.settings, err)
		}
		if got := cfg.File.Discord.RequestsPerSecond; got != tc.want {
			t.Errorf("%q: requests_per_second %v, want %v", tc.settings, got, tc.want)
		}
	}
	for _, bad := range []string{"51", "-1"} {
		_, err := parse(", requests_per_second: " + bad)
		want := "discord.requests_per_second: " + bad + " is out of range (want more than 0 and at most 50"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("requests_per_second %s: got %v, want an error containing %q", bad, err, want)
		}
	}
}

// TestSiteKeepsOffTheInteractionsEndpoint: the site may not be served on
// the path Discord's interactions endpoint takes, wherever it is
// configured; with interactions over the gateway that path is free.
func TestSiteKeepsOffTheInteractionsEndpoint(t *testing.T) {
	env := map[string]string{"DISCORD_PUBLIC_KEY": publicKey}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	parse := func(discord, site string) error {
		_, err := config.Parse([]byte("discord: {token: t, application_id: '1', "+discord+"}\nsite: {path: "+site+"}"+discordForum), "d.yaml", config.Options{Getenv: getenv})
		return err
	}
	endpoint := "interactions: endpoint, public_key: '${DISCORD_PUBLIC_KEY}'"
	if err := parse(endpoint+", interactions_path: /hooks/discord", "/hooks/discord/"); err == nil || !strings.Contains(err.Error(), "site.path") || !strings.Contains(err.Error(), "/hooks/discord") {
		t.Errorf("the site on the configured endpoint's path: %v, want site.path refused", err)
	}
	if err := parse(endpoint, "/discord/interactions/"); err == nil || !strings.Contains(err.Error(), "site.path") {
		t.Errorf("the site on the default endpoint's path: %v, want site.path refused", err)
	}
	if err := parse("", "/discord/"); err != nil {
		t.Errorf("the site under /discord/ with interactions over the gateway: %v, want it allowed", err)
	}
}
