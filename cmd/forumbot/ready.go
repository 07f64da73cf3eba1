package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"forumbot/bot"
	"forumbot/store"
	"forumbot/store/sqlite"
)

// readiness answers /readyz: ready when the store accepts writes and every
// platform is connected. /healthz stays a liveness check: the process
// serves and its database answers reads.
type readiness struct {
	db  store.DB
	log *slog.Logger
	// chats are the adapters, asked whether they are connected when they
	// can say (Connected() bool).
	chats map[string]bot.Chat
	// probes check a platform that cannot say: Slack in HTTP mode.
	probes map[string]func() error
	// leading says whether this instance leads the instances sharing a
	// PostgreSQL store; nil on SQLite, where the one instance always leads.
	leading func() bool

	mu        sync.Mutex
	listening map[string]bool
	last      string // the last answer, to log changes
}

// connectedChat is an adapter that can say whether it is connected now.
type connectedChat interface{ Connected() bool }

func newReadiness(db store.DB, chats map[string]bot.Chat, log *slog.Logger) *readiness {
	return &readiness{db: db, log: log, chats: chats, probes: map[string]func() error{}, listening: map[string]bool{}}
}

func (r *readiness) setListening(platform string, on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.listening[platform] = on
}

// platforms names the configured platforms, sorted.
func (r *readiness) platforms() []string {
	var ps []string
	for p := range r.chats {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

// connected says why platform is not connected, or nil: the adapter's
// own word, else its probe, else whether its Listen runs.
func (r *readiness) connected(platform string) error {
	if c, ok := r.chats[platform].(connectedChat); ok {
		if !c.Connected() {
			return errors.New("not connected")
		}
		return nil
	}
	if probe := r.probes[platform]; probe != nil {
		return probe()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.listening[platform] {
		return errors.New("not listening")
	}
	return nil
}

// leads says whether this instance runs the tick and the sender.
func (r *readiness) leads() bool { return r.leading == nil || r.leading() }

// leaderLine says which part this instance plays. A follower is ready:
// it answers members while another instance ticks and sends.
func (r *readiness) leaderLine() string {
	switch {
	case r.leading == nil:
		return "leader: yes (one instance on SQLite)"
	case r.leading():
		return "leader: yes (this instance runs the tick and the sender)"
	default:
		return "leader: no (another instance runs the tick and the sender; this one answers members)"
	}
}

// readyTimeout bounds the store's probe in /readyz.
const readyTimeout = 2 * time.Second

// check returns one line per part and whether all are ready.
func (r *readiness) check(ctx context.Context) (lines []string, ok bool) {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	ok = true
	switch err := r.db.Writable(ctx); {
	case err == nil:
		lines = append(lines, "store: writable")
	case errors.Is(err, sqlite.ErrUnwritable):
		lines, ok = append(lines, "store: the database cannot be written (read-only file or volume, disk full or failing)"), false
	default:
		lines, ok = append(lines, "store: not answering"), false
	}
	lines = append(lines, r.leaderLine())
	for _, p := range r.platforms() {
		if err := r.connected(p); err != nil {
			lines, ok = append(lines, fmt.Sprintf("%s: %v", p, err)), false
		} else {
			lines = append(lines, p+": connected")
		}
	}
	return lines, ok
}

// ServeHTTP answers /readyz: 200 and one line per part when ready, 503
// naming what is not. A change of answer is logged.
func (r *readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	lines, ok := r.check(req.Context())
	text := strings.Join(lines, "\n") + "\n"
	r.mu.Lock()
	changed := text != r.last
	r.last = text
	r.mu.Unlock()
	if changed {
		r.log.Info("readiness", "ready", ok, "parts", strings.Join(lines, "; "))
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	fmt.Fprint(w, text)
}

// slackHTTPProbe checks Slack in HTTP mode through its handler: a signed
// ssl_check request is answered 200 once Listen has checked the token
// and accepts events, and 503 before (the handler's documented answer
// while Listen is not running).
func slackHTTPProbe(h http.Handler, secret string) func() error {
	return func() error {
		body := "ssl_check=1"
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte("v0:" + ts + ":" + body))
		req, err := http.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
		rec := &statusRecorder{header: http.Header{}}
		h.ServeHTTP(rec, req)
		if rec.status != http.StatusOK {
			return fmt.Errorf("not accepting events yet (HTTP %d)", rec.status)
		}
		return nil
	}
}

// statusRecorder is a ResponseWriter that keeps only the status.
type statusRecorder struct {
	header http.Header
	status int
}

func (s *statusRecorder) Header() http.Header { return s.header }

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return len(b), nil
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}
