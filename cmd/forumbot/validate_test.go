package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// stubAPI is a local server that counts the requests it gets: validate
// must make none.
func stubAPI(t *testing.T) (url string, hits *atomic.Int64) {
	t.Helper()
	hits = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/", hits
}

// writeConfig writes a config into dir and returns its path.
func writeConfig(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestValidateRefusesWhatServeRefuses gives validate and serve the same
// configs: both must refuse each with the same message, serve before it
// connects anywhere and validate without a single request.
func TestValidateRefusesWhatServeRefuses(t *testing.T) {
	api, hits := stubAPI(t)
	base := fmt.Sprintf(serveConfig, api)
	discordSection := "discord: {token: \"${FORUMBOT_TEST_DISCORD_TOKEN}\", application_id: \"1180000000000000001\", api_url: " + api + "}\n"
	for _, tt := range []struct {
		name, config, want string
		env                map[string]string
	}{
		{"NoSlackSection", base[:strings.Index(base, "slack:\n")] + base[strings.Index(base, "forums:"):], "has no slack: section", nil},
		{"NoDiscordSection", strings.Replace(base, "who: slack:U0GOV", "who: discord:123456789", 1), "has no discord: section", nil},
		{"NotABotToken", base, "slack: BotToken: not a bot token (want xoxb-…)", map[string]string{"FORUMBOT_TEST_BOT_TOKEN": "not-a-token-4242"}},
		{"SlashCommandWithASpace", strings.Replace(base, "  api_url:", "  command: \"/fo rum\"\n  api_url:", 1), `slack: Command: "/fo rum" is not a slash command`, nil},
		{"BlankDiscordToken", discordSection + strings.Replace(base, "who: slack:U0GOV", "who: discord:123456789", 1), "discord: token is missing", map[string]string{"FORUMBOT_TEST_DISCORD_TOKEN": "  "}},
		{"LocalAddresses", strings.NewReplacer("slack:U", "local:U", "slack:C", "local:C").Replace(base), "local: addresses (such as the placeholders import-ogp writes) only work in forumbot demo", nil},
		{"StoreDirectoryMissing", strings.Replace(base, "path: serve.db", "path: missing/serve.db", 1), "store.path: directory", nil},
		{"StorePathIsADirectory", strings.Replace(base, "path: serve.db", "path: .", 1), "is a directory (want the database file", nil},
		{"SlackPostRateTooHigh", strings.Replace(base, "  api_url:", "  posts_per_second: 100\n  api_url:", 1), "slack.posts_per_second: 100 is out of range (want more than 0 and at most 20", nil},
		{"ListenPortNotANumber", strings.Replace(base, `listen: "127.0.0.1:0"`, `listen: "127.0.0.1:http"`, 1), `http.listen: port "http" is not a number from 0 to 65535`, nil},
		{"ListenPortFromEnv", strings.Replace(base, `listen: "127.0.0.1:0"`, `listen: "${FORUMBOT_TEST_LISTEN}"`, 1), "http.listen: the port in the value of ${FORUMBOT_TEST_LISTEN} is not a number from 0 to 65535", map[string]string{"FORUMBOT_TEST_LISTEN": "127.0.0.1:not-a-token-4242"}},
		{"DiscordEndpointWithoutKey", strings.Replace(discordSection, "}\n", ", interactions: endpoint}\n", 1) + strings.Replace(base, "who: slack:U0GOV", "who: discord:123456789", 1), "discord.public_key: missing (want the application's public key", map[string]string{"FORUMBOT_TEST_DISCORD_TOKEN": "t"}},
		{"DiscordPublicKeyShort", strings.Replace(discordSection, "}\n", ", interactions: endpoint, public_key: abcd}\n", 1) + strings.Replace(base, "who: slack:U0GOV", "who: discord:123456789", 1), "discord.public_key: has 4 hexadecimal digits, want 64", map[string]string{"FORUMBOT_TEST_DISCORD_TOKEN": "t"}},
		{"StoreDirectoryFromEnv", strings.Replace(base, "path: serve.db", `path: "${FORUMBOT_TEST_DB}"`, 1), "store.path: directory of the value of ${FORUMBOT_TEST_DB} does not exist", map[string]string{"FORUMBOT_TEST_DB": "not-a-token-4242/serve.db"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("FORUMBOT_TEST_BOT_TOKEN", "xoxb-test")
			t.Setenv("FORUMBOT_TEST_SIGNING_SECRET", "s")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg := writeConfig(t, t.TempDir(), "forumbot.yaml", tt.config)
			before := hits.Load()
			code, out, errOut := forumbot(t, "validate", "--config", cfg)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("validate: exit %d, want 2 and %q:\n%s%s", code, tt.want, out, errOut)
			}
			if n := hits.Load() - before; n != 0 {
				t.Errorf("validate made %d request(s), want none", n)
			}
			// A cancelled context: serve stops at once if it gets past its checks.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var serveOut strings.Builder
			if code := run(ctx, []string{"serve", "--config", cfg}, &serveOut, &serveOut); code != 2 || !strings.Contains(serveOut.String(), tt.want) {
				t.Errorf("serve: exit %d, want 2 and %q:\n%s", code, tt.want, serveOut.String())
			}
			for _, got := range []string{errOut, serveOut.String()} {
				for _, bad := range []string{"slack: slack:", "discord: discord:", "not-a-token-4242"} {
					if strings.Contains(got, bad) {
						t.Errorf("the message contains %q:\n%s", bad, got)
					}
				}
			}
		})
	}
}

// TestValidateBuildsTheAdapters: with every secret set, validate builds the
// adapters as serve does, without a request; with none set, it warns and
// says what it could not check.
func TestValidateBuildsTheAdapters(t *testing.T) {
	api, hits := stubAPI(t)
	cfg := writeConfig(t, t.TempDir(), "forumbot.yaml", fmt.Sprintf(serveConfig, api))
	t.Setenv("FORUMBOT_TEST_BOT_TOKEN", "xoxb-test")
	t.Setenv("FORUMBOT_TEST_SIGNING_SECRET", "s")
	code, out, errOut := forumbot(t, "validate", "--config", cfg)
	if code != 0 || !strings.Contains(out, "ok: 1 forum(s), 1 commitment(s), 1 member(s)") || errOut != "" {
		t.Errorf("validate: exit %d\n%s%s", code, out, errOut)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("validate made %d request(s), want none", n)
	}
	os.Unsetenv("FORUMBOT_TEST_BOT_TOKEN")
	code, out, errOut = forumbot(t, "validate", "--config", cfg)
	for _, want := range []string{"environment variable FORUMBOT_TEST_BOT_TOKEN is not set here", "warning: slack: settings not checked further"} {
		if code != 0 || !strings.Contains(errOut, want) {
			t.Errorf("validate without the bot token: exit %d, want 0 and %q:\n%s%s", code, want, out, errOut)
		}
	}
}

// unsetEnv unsets environment variables for the test, restoring them after.
func unsetEnv(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		t.Setenv(n, "")
		os.Unsetenv(n)
	}
}
