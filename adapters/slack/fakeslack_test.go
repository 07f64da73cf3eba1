package slack_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	slackgo "github.com/slack-go/slack"

	"forumbot/adapters/chattest"
	"forumbot/adapters/slack"
)

// The fake workspace: one app, its bot user, three members and a channel.
const (
	fakeTeam     = "T0FAKE"
	fakeApp      = "A0FAKE"
	fakeBotUser  = "U0BOT"
	fakeBotID    = "B0BOT"
	fakeBotToken = "xoxb-fake-token"
	fakeAppToken = "xapp-fake-token"
	fakeSecret   = "fake-signing-secret"
	forumChannel = "C0FORUM"
)

// fakeOptions tune the fake Slack.
type fakeOptions struct {
	// http delivers events as signed requests to the adapter's
	// HTTPHandler instead of through Socket Mode.
	http bool
	// postsPerSecond, when set, emulates the workspace's chat.postMessage
	// limit: a token bucket of this rate and postBurst; beyond it Slack
	// answers 429 with Retry-After: 1.
	postsPerSecond float64
	postBurst      int
	// channelPosts, when set, emulates chat.postMessage's limit per
	// channel (Slack: about one a second) with channelBurst.
	channelPosts float64
	channelBurst int
	// opensPerMinute, when set, emulates conversations.open's Tier 3
	// limit with opensBurst; beyond it Slack answers 429 with the wait.
	opensPerMinute float64
	opensBurst     int
	// echo sends message.im events for the bot's own direct messages, as
	// Slack does; the adapter must ignore them.
	echo bool
	// config adjusts the adapter's configuration.
	config func(*slack.Config)
	// secret signs HTTP requests; the adapter's SigningSecret by default.
	secret string
	// now stamps signed requests; time.Now by default.
	now func() time.Time
}

// fakeSlack is a Slack workspace on 127.0.0.1 speaking the Web API methods
// the adapter uses, the Socket Mode websocket and response_url, through
// which tests act as people. It enforces Slack's limits on what it is sent
// and records every breach for Violations.
type fakeSlack struct {
	t     testing.TB
	opts  fakeOptions
	srv   *httptest.Server
	cfg   slack.Config // the adapter's, for restart
	chat  *slack.Chat
	hooks *httptest.Server // the adapter's HTTPHandler, in HTTP mode
	sock  *fakeSocket
	base  int64 // Unix seconds of the first ts
	bg    sync.WaitGroup

	mu           sync.Mutex
	seq          int
	dms          map[string]string // user → direct-message channel
	channels     map[string]*fakeChannel
	views        map[string]*fakeView
	triggers     map[string]*fakeTrigger
	responseURLs map[string]*fakeResponseURL
	shown        map[string][]string // what each user was shown alone, in order
	faults       []chattest.Fault
	violations   []string
	calls        map[string]int
	pace         *fakePace
	done         map[string]chan struct{}
}

// fakeChannel is a conversation: a direct message with user, or a channel.
type fakeChannel struct {
	id   string
	user string
	msgs []*fakeMsg
}

// fakeMsg is a message as Slack stores it.
type fakeMsg struct {
	ts, thread, user, text string
	bot                    bool
	blocks                 slackgo.Blocks
	meta                   *slackgo.SlackMetadata
	edits                  int
	reactions              []string
	deleted                bool
}

// fakeView is an open modal.
type fakeView struct {
	id, hash, user, title, callbackID, metadata string
	blocks                                      slackgo.Blocks
	trigger                                     string
	closed                                      bool
}

// fakeTrigger is a trigger_id Slack issued for a person's action.
type fakeTrigger struct {
	user   string
	issued time.Time
	used   bool
	view   string
}

// fakeResponseURL is a response_url Slack issued.
type fakeResponseURL struct {
	user string
	uses int
}

// newFake starts a fake Slack and an adapter connected to it.
func newFake(t testing.TB, opts fakeOptions) *fakeSlack {
	t.Helper()
	f := &fakeSlack{
		t: t, opts: opts, base: time.Now().Unix(),
		dms: map[string]string{}, channels: map[string]*fakeChannel{forumChannel: {id: forumChannel}},
		views: map[string]*fakeView{}, triggers: map[string]*fakeTrigger{}, responseURLs: map[string]*fakeResponseURL{},
		shown: map[string][]string{}, calls: map[string]int{}, done: map[string]chan struct{}{},
	}
	f.pace = newFakePace(opts)
	f.sock = newFakeSocket(f)
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", f.serveAPI)
	mux.HandleFunc("/link", f.sock.serve)
	mux.HandleFunc("/response/", f.serveResponseURL)
	f.srv = httptest.NewServer(mux)
	cfg := slack.Config{
		BotToken: fakeBotToken, APIURL: f.srv.URL + "/api/", HTTPClient: localClient(),
		PostsPerSecond: 1000, DMOpensPerMinute: 60000,
		Options: slack.Options{Log: testLog(), MaxRateLimitWait: 1500 * time.Millisecond, Retries: 3, RetryBackoff: 10 * time.Millisecond},
	}
	if opts.http {
		cfg.SigningSecret = fakeSecret
	} else {
		cfg.AppToken = fakeAppToken
	}
	if opts.config != nil {
		opts.config(&cfg)
	}
	if f.opts.secret == "" {
		f.opts.secret = cfg.SigningSecret
	}
	if f.opts.now == nil {
		f.opts.now = time.Now
	}
	f.cfg = cfg
	f.restart(t)
	if opts.http {
		f.hooks = httptest.NewServer(f.chat.HTTPHandler())
	}
	t.Cleanup(f.close)
	return f
}

// restart connects a new adapter to the fake, as a process restart does:
// nothing the previous one remembered survives. Tests restart before they
// listen.
func (f *fakeSlack) restart(t testing.TB) {
	t.Helper()
	chat, err := slack.New(f.cfg)
	if err != nil {
		t.Fatal(err)
	}
	slack.SetOnDone(chat, f.markDone)
	f.chat = chat
}

func (f *fakeSlack) close() {
	f.sock.closeAll()
	f.bg.Wait()
	if f.hooks != nil {
		f.hooks.Close()
	}
	f.srv.Close()
}

// localClient is the adapter's HTTP client in tests: it can reach
// 127.0.0.1 and nothing else, so no test ever talks to slack.com.
func localClient() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil || host != "127.0.0.1" {
				return nil, fmt.Errorf("test client refuses %s: only 127.0.0.1", addr)
			}
			return dialer.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: 64,
	}}
}

// testLog discards the adapter's logs unless FAKESLACK_LOG is set.
func testLog() *slog.Logger {
	if os.Getenv("FAKESLACK_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// nextID returns a fresh id with prefix.
func (f *fakeSlack) nextID(prefix string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	return fmt.Sprintf("%s%06d", prefix, f.seq)
}

// nextTS returns a fresh message ts; must be called with f.mu held.
func (f *fakeSlack) nextTS() string {
	f.seq++
	return fmt.Sprintf("%d.%06d", f.base+int64(f.seq/1000000), f.seq%1000000)
}

// dm returns the direct-message channel with user, opening it; must be
// called with f.mu held.
func (f *fakeSlack) dm(user string) *fakeChannel {
	id, ok := f.dms[user]
	if !ok {
		f.seq++
		id = fmt.Sprintf("D%07d", f.seq)
		f.dms[user] = id
		f.channels[id] = &fakeChannel{id: id, user: user}
	}
	return f.channels[id]
}

// violate records a breach of Slack's rules.
func (f *fakeSlack) violate(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.violations = append(f.violations, fmt.Sprintf(format, args...))
}

// count returns how often a Web API method was called.
func (f *fakeSlack) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// Violations lists every breach of Slack's rules so far.
func (f *fakeSlack) Violations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.violations...)
}

// FailNext queues faults for the next calls that post or update a message.
// A zero Fault lets one call through, so a test can fail a later call.
func (f *fakeSlack) FailNext(n int, fault chattest.Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.faults = append(f.faults, fault)
	}
}

// takeFault returns the next queued fault, if any.
func (f *fakeSlack) takeFault() (chattest.Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.faults) == 0 {
		return chattest.Fault{}, false
	}
	fault := f.faults[0]
	f.faults = f.faults[1:]
	return fault, fault.Status != 0
}

// userOf returns the Slack user id of a test address.
func userOf(who string) string {
	_, id, _ := strings.Cut(who, ":")
	return id
}
