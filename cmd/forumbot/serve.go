package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"forumbot/adapters/discord"
	"forumbot/adapters/slack"
	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/store/sqlite"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve --config FILE", stdout)
	path := fs.String("config", "", "config file")
	if err := parse(fs, args); err != nil {
		return err
	}
	start := time.Now()
	log := slog.New(slog.NewTextHandler(stderr, nil))
	cfg, err := loadConfig(*path, secretsRequired, stderr)
	if err != nil {
		return err
	}
	m, err := NewMain(cfg, log)
	if err != nil {
		return err
	}
	defer m.Close()
	return m.Run(ctx, func(addr net.Addr) {
		log.Info("ready", "http", addr.String(), "forums", len(cfg.Forums), "startup", time.Since(start).Round(time.Millisecond))
	})
}

// Main holds the wired parts of a running bot: the store, the chats of the
// configured platforms, the engine and the HTTP listener.
type Main struct {
	Config *config.Config
	Log    *slog.Logger
	Store  *sqlite.DB
	Chats  map[string]bot.Chat
	Engine *bot.Engine
	// Handlers are mounted on the HTTP listener beside /healthz, e.g. the
	// Slack Events API in HTTP mode.
	Handlers map[string]http.Handler
}

// NewMain opens the store and builds a chat for every platform the forums
// use. A platform without its config section is a configuration error.
func NewMain(cfg *config.Config, log *slog.Logger) (*Main, error) {
	m := &Main{Config: cfg, Log: log, Chats: map[string]bot.Chat{}, Handlers: map[string]http.Handler{}}
	var missing []string
	for p := range cfg.Platforms() {
		if err := m.addChat(p); err != nil {
			missing = append(missing, err.Error())
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, usageError{errors.New(strings.Join(missing, "\n"))}
	}
	db, err := openStore(cfg)
	if err != nil {
		return nil, err
	}
	m.Store = db
	eng, err := bot.New(cfg.Forums, db, m.Chats, bot.Options{
		Log: log,
		Sender: bot.SenderOptions{
			Rate: cfg.File.Sender.Rate, Workers: cfg.File.Sender.Workers, MaxAttempts: cfg.File.Sender.MaxAttempts,
		},
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	m.Engine = eng
	return m, nil
}

// addChat builds the adapter of one platform.
func (m *Main) addChat(platform string) error {
	cfg := m.Config.File
	switch platform {
	case "discord":
		if cfg.Discord == nil {
			return fmt.Errorf("discord: the forums have discord: addresses but the config has no discord: section (token, application_id)")
		}
		chat, err := discord.New(discord.Config{
			Token: cfg.Discord.Token, ApplicationID: cfg.Discord.ApplicationID, GuildID: cfg.Discord.GuildID,
			APIURL: cfg.Discord.APIURL, Log: m.Log.With("platform", "discord"),
		})
		if err != nil {
			return fmt.Errorf("discord: %w", err)
		}
		m.Chats[platform] = chat
		return nil
	case "slack":
		if cfg.Slack == nil {
			return fmt.Errorf("slack: the forums have slack: addresses but the config has no slack: section (bot_token and app_token or signing_secret)")
		}
		chat, err := slack.New(slack.Config{
			BotToken: cfg.Slack.BotToken, AppToken: cfg.Slack.AppToken, SigningSecret: cfg.Slack.SigningSecret,
			APIURL: cfg.Slack.APIURL, Command: cfg.Slack.Command, Log: m.Log.With("platform", "slack"),
		})
		if err != nil {
			return fmt.Errorf("slack: %w", err)
		}
		m.Chats[platform] = chat
		if !chat.SocketMode() {
			m.Handlers["/slack/"] = chat.HTTPHandler()
		}
		return nil
	case "local":
		return fmt.Errorf("local: addresses (such as the placeholders import-ogp writes) only work in forumbot demo; use slack: or discord: addresses")
	default:
		return fmt.Errorf("%s: this build has no %s adapter", platform, platform)
	}
}

// Run serves HTTP and runs the engine until ctx is done. ready is called
// once the listener is open, before platforms connect.
func (m *Main) Run(ctx context.Context, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", m.Config.File.HTTP.Listen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", m.healthz)
	for path, h := range m.Handlers {
		mux.Handle(path, h)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Log.Error("http", "err", err)
		}
	}()
	if ready != nil {
		ready(ln.Addr())
	}
	err = m.Engine.Run(ctx)
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shutdown)
	wg.Wait()
	return err
}

// healthz answers 200 when the database answers.
func (m *Main) healthz(w http.ResponseWriter, r *http.Request) {
	if _, err := m.Store.OpenRounds(r.Context()); err != nil {
		http.Error(w, "database: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

// Close closes the store.
func (m *Main) Close() error {
	if m.Store != nil {
		return m.Store.Close()
	}
	return nil
}
