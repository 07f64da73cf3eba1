package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"forumbot/adapters/discord"
	"forumbot/adapters/email"
	"forumbot/adapters/slack"
	"forumbot/bot"
	"forumbot/bot/config"
)

// prepare builds what serve needs from a config before it touches the
// database or the network: the chat of every platform the forums use (the
// adapters' constructors make no network call) and the checks of the
// store's directory and of the HTTP listen address. serve and validate both
// call it, so that validate accepts exactly what serve accepts.
//
// A platform whose settings hold unset ${NAME} references (validate on a
// machine without the secrets) cannot be checked: it is skipped and named in
// unchecked. serve requires every variable, so it never skips one.
func prepare(cfg *config.Config, log *slog.Logger) (m *Main, unchecked []string, err error) {
	m = &Main{Config: cfg, Log: log, Chats: map[string]bot.Chat{}, Handlers: map[string]http.Handler{}}
	var problems []string
	platforms := make([]string, 0, len(cfg.Platforms()))
	for p := range cfg.Platforms() {
		platforms = append(platforms, p)
	}
	sort.Strings(platforms)
	for _, p := range platforms {
		if isUnset(cfg, p) {
			unchecked = append(unchecked, p)
			continue
		}
		if err := m.addChat(p); err != nil {
			problems = append(problems, strings.Split(err.Error(), "\n")...)
		}
	}
	if cfg.File.Store.URL == "" && !isUnset(cfg, "store.path") {
		problems = append(problems, checkStorePath(storePath(cfg), cfg.FromEnv("store.path"), cfg.Shown("store.path", cfg.File.Store.Path))...)
	}
	if !isUnset(cfg, "http.listen") {
		problems = append(problems, checkListen(cfg.File.HTTP.Listen, cfg.FromEnv("http.listen"), cfg.Shown("http.listen", cfg.File.HTTP.Listen))...)
	}
	if len(problems) > 0 {
		for i, p := range problems {
			problems[i] = cfg.Path + ": " + p
		}
		return nil, nil, usageError{fmt.Errorf("%d problem(s) in the config:\n%s", len(problems), strings.Join(problems, "\n"))}
	}
	return m, unchecked, nil
}

// isUnset reports whether the key, or a key under it, holds an unset
// ${NAME} reference.
func isUnset(cfg *config.Config, key string) bool {
	for _, k := range cfg.Unset {
		if k == key || strings.HasPrefix(k, key+".") {
			return true
		}
	}
	return false
}

// addChat builds the adapter of one platform. The adapters' errors name
// their platform already.
func (m *Main) addChat(platform string) error {
	cfg := m.Config.File
	switch platform {
	case "discord":
		if cfg.Discord == nil {
			return errors.New("discord: the forums have discord: addresses but the config has no discord: section (token, application_id)")
		}
		dc := discord.Config{
			Token: cfg.Discord.Token, ApplicationID: cfg.Discord.ApplicationID, GuildID: cfg.Discord.GuildID,
			APIURL: cfg.Discord.APIURL, RequestsPerSecond: cfg.Discord.RequestsPerSecond,
			Options: discord.Options{Log: m.Log},
		}
		if cfg.Discord.Interactions == config.DiscordEndpoint {
			dc.PublicKey = cfg.Discord.PublicKey
		}
		chat, err := discord.New(dc)
		if err != nil {
			return err
		}
		m.Chats[platform] = chat
		if chat.Endpoint() {
			m.Handlers[cfg.Discord.InteractionsPath] = chat.InteractionsHandler()
		}
		return nil
	case "slack":
		if cfg.Slack == nil {
			return errors.New("slack: the forums have slack: addresses but the config has no slack: section (bot_token and app_token or signing_secret)")
		}
		chat, err := slack.New(slack.Config{
			BotToken: cfg.Slack.BotToken, AppToken: cfg.Slack.AppToken, SigningSecret: cfg.Slack.SigningSecret,
			APIURL: cfg.Slack.APIURL, Command: cfg.Slack.Command,
			PostsPerSecond: cfg.Slack.PostsPerSecond, PostBurst: cfg.Slack.PostBurst,
			DMOpensPerMinute: cfg.Slack.DMOpensPerMinute, SocketConnections: cfg.Slack.SocketConnections,
			Options: slack.Options{Log: m.Log},
		})
		if err != nil {
			return err
		}
		m.Chats[platform] = chat
		if !chat.SocketMode() {
			m.Handlers["/slack/"] = chat.HTTPHandler()
		}
		return nil
	case "email":
		if cfg.Email == nil {
			return errors.New("email: the forums have email: addresses (or fallbacks) but the config has no email: section (host, from, base_url, link_secret)")
		}
		e := cfg.Email
		chat, err := email.New(email.Config{
			Host: e.Host, Port: e.Port, Security: e.Security, Username: e.Username, Password: e.Password,
			From: e.From, ReplyTo: e.ReplyTo, BaseURL: e.BaseURL, LinkSecret: e.LinkSecret, LinkGrace: e.Grace,
			MessagesPerSecond: e.MessagesPerSecond, Catalog: bot.MustCatalog(), Options: email.Options{Log: m.Log},
			Journal: emailJournal(e.Journal),
		})
		if err != nil {
			return err
		}
		m.Chats[platform] = chat
		m.Handlers[email.FormPath] = chat.FormHandler()
		return nil
	case "local":
		return errors.New("local: addresses (such as the placeholders import-ogp writes) only work in forumbot demo; use slack: or discord: addresses")
	default:
		return fmt.Errorf("%s: this build has no %s adapter", platform, platform)
	}
}

// emailJournal is the e-mail adapter's journal of j, nil without one.
func emailJournal(j *config.EmailJournalConfig) *email.Journal {
	if j == nil {
		return nil
	}
	return &email.Journal{
		Host: j.Host, Port: j.Port, Security: j.Security, Username: j.Username, Password: j.Password,
		Mailbox: j.Mailbox, Bcc: j.Bcc,
	}
}

// checkStorePath checks that serve can create or open the database at
// path: its directory exists, and the path is not itself a directory. When
// the path came from the environment (fromEnv), messages name it by shown
// (config.Config.Shown) and echo no part of it.
func checkStorePath(path string, fromEnv bool, shown string) []string {
	dir, file := filepath.Dir(path), path
	if fromEnv {
		dir, file = "of "+shown, shown
	}
	info, err := os.Stat(filepath.Dir(path))
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, os.ErrNotExist):
		return []string{fmt.Sprintf("store.path: directory %s does not exist (serve creates the database file, not its directory)", dir)}
	case errors.As(err, &pathErr):
		return []string{fmt.Sprintf("store.path: directory %s cannot be read: %v", dir, pathErr.Err)}
	case err != nil:
		return []string{fmt.Sprintf("store.path: directory %s cannot be read", dir)}
	case !info.IsDir():
		return []string{fmt.Sprintf("store.path: %s is not a directory", dir)}
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return []string{fmt.Sprintf("store.path: %s is a directory (want the database file, e.g. forumbot.db)", file)}
	}
	return nil
}

// checkListen checks the syntax of the HTTP listen address without
// listening: host:port with a port number. When addr came from the
// environment (fromEnv), messages name it by shown and echo no part of it.
func checkListen(addr string, fromEnv bool, shown string) []string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return []string{fmt.Sprintf("http.listen: %s is not host:port (e.g. 127.0.0.1:8080)", shown)}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		which := fmt.Sprintf("port %q", port)
		if fromEnv {
			which = "the port in " + shown
		}
		return []string{fmt.Sprintf("http.listen: %s is not a number from 0 to 65535 (e.g. 127.0.0.1:8080)", which)}
	}
	return nil
}
