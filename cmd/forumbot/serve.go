package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/store"
	"forumbot/store/postgres"
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
		// Starting (the config read, the store opened and checked) leaves
		// garbage behind: up to 370 MB of heap for a forum of 1,000
		// commitments, which an idle process would keep until the
		// runtime's next forced collection. Give it back once, now
		// (docs/BENCHMARKS.md, "Idle memory and readiness").
		debug.FreeOSMemory()
		log.Info("ready", "http", addr.String(), "forums", len(cfg.Forums), "startup", time.Since(start).Round(time.Millisecond))
	})
}

// Main holds the wired parts of a running bot: the store, the chats of the
// configured platforms, the engine and the HTTP listener.
type Main struct {
	Config *config.Config
	Log    *slog.Logger
	Store  store.DB
	Chats  map[string]bot.Chat
	Engine *bot.Engine
	// Handlers are mounted on the HTTP listener beside /healthz, /readyz
	// and /metrics, e.g. the Slack Events API in HTTP mode.
	Handlers map[string]http.Handler
	// HTTPTimeouts bound how long the listener waits on clients; zero
	// fields take their defaults.
	HTTPTimeouts HTTPTimeouts
	// Metrics are served at /metrics.
	Metrics *Metrics

	ready *readiness
	// leader elects the instance that ticks and sends when the store is
	// PostgreSQL; nil on SQLite.
	leader *postgres.Leader
}

// NewMain checks the config as validate does, opens the store (creating
// it if needed) and builds the engine over the chats.
func NewMain(cfg *config.Config, log *slog.Logger) (*Main, error) {
	m, unchecked, err := prepare(cfg, log)
	if err != nil {
		return nil, err
	}
	if len(unchecked) > 0 {
		return nil, fmt.Errorf("unset variables in the settings of %s", strings.Join(unchecked, ", "))
	}
	db, err := openStore(cfg, false)
	if err != nil {
		return nil, err
	}
	m.Store = db
	if u := cfg.File.Store.URL; u != "" {
		m.leader = &postgres.Leader{URL: u, Lease: cfg.Lease, Log: log}
	} else {
		warnPagePool(log, sqlite.PagePoolErr())
	}
	m.instrument()
	chats := map[string]bot.Chat{}
	for p, c := range m.Chats {
		chats[p] = metered(c, p, m.Metrics, m.ready)
	}
	eng, err := m.newEngine(&meteredStore{Store: db, m: m.Metrics}, chats)
	if err != nil {
		db.Close()
		return nil, err
	}
	m.Engine = eng
	if err := m.mountSite(); err != nil {
		db.Close()
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	if err := db.Writable(ctx); err != nil {
		log.Error("the database cannot be written: answers and rounds are refused until it can, and /readyz answers 503; the store tries again at every write", "err", err)
	}
	return m, nil
}

// mountSite serves the public site on the listener under site.path when
// a forum is public.
func (m *Main) mountSite() error {
	s, err := newSite(m.Config, m.Engine, m.Store, m.Log)
	if err != nil || s == nil {
		return err
	}
	m.Handlers[m.Config.Site.Path] = s
	return nil
}

// instrument sets up the metrics and the readiness checks of the store
// and the prepared chats.
func (m *Main) instrument() {
	m.Metrics = newMetrics()
	m.ready = newReadiness(m.Store, m.Chats, m.Log)
	if s := m.Config.File.Slack; s != nil && m.Handlers["/slack/"] != nil {
		m.ready.probes["slack"] = slackHTTPProbe(m.Handlers["/slack/"], s.SigningSecret)
	}
	if m.leader != nil {
		m.ready.leading = m.leader.Leading
		m.leader.OnChange = func(bool) { m.Metrics.leaderChanges.Inc() }
	}
	m.Metrics.reg.MustRegister(newStateCollector(m.Store, m.ready))
}

// newEngine builds the engine over store and chats.
func (m *Main) newEngine(store bot.Store, chats map[string]bot.Chat) (*bot.Engine, error) {
	opts := bot.Options{Log: m.Log, Sender: m.Config.Sender}
	if m.leader != nil {
		opts.Lead = m.leader.Run
	}
	return bot.New(m.Config.Forums, store, chats, opts)
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
	mux.Handle("GET /readyz", m.ready)
	mux.Handle("GET /metrics", m.Metrics.Handler())
	for path, h := range m.Handlers {
		mux.Handle(path, h)
	}
	srv := m.newServer(mux)
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

// healthz is the liveness check: 200 when the database answers a read.
// Readiness, which a write needs, is /readyz.
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

// warnPagePool logs that SQLite's page pool could not be set aside, when
// err says so: the bot works without it, slower.
func warnPagePool(log *slog.Logger, err error) {
	if err != nil {
		log.Warn("SQLite's page pool could not be set aside: its page caches take memory from the allocator instead, and reads after each commit are slower", "err", err)
	}
}
