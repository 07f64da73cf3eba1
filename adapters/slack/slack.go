// Package slack is forumbot's Slack adapter: it implements bot.Chat through
// github.com/slack-go/slack. Prompts go to members' direct messages as Block
// Kit, forms open as modals, replies in a direct message become notes, and
// the slash command (/forum by default) runs the bot's commands.
//
// Events arrive through Socket Mode when Config.AppToken is set (no public
// URL needed) and otherwise through the HTTP Events API, served by
// HTTPHandler on the bot's own listener and verified with the signing
// secret.
package slack

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"golang.org/x/time/rate"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

var _ bot.Chat = (*Chat)(nil)

// platform is the platform name in addresses and message references.
const platform = "slack"

// The adapter's pace on Slack by default, within Slack's documented limits:
// chat.postMessage is allowed "several hundred messages per minute" across
// a workspace (4 a second is 240 a minute, under the lowest reading of
// that), and conversations.open is a Tier 3 method, 50 or more calls a
// minute.
const (
	DefaultPostsPerSecond   = 4
	DefaultPostBurst        = 1
	DefaultDMOpensPerMinute = 50
)

// Socket Mode connections: slack-go decodes each connection's envelopes on
// one goroutine, so two connections decode a burst of submissions on two
// cores; Slack allows an app up to 10 connections at once.
const (
	DefaultSocketConnections = 2
	MaxSocketConnections     = 10
)

// Config connects the adapter to one Slack workspace. BotToken and one of
// AppToken (Socket Mode) or SigningSecret (HTTP mode) are required; every
// other field has a default.
type Config struct {
	// BotToken is the bot user's token, xoxb-….
	BotToken string
	// AppToken is the app-level token, xapp-…, with connections:write. When
	// set, events arrive through Socket Mode.
	AppToken string
	// SigningSecret verifies requests in HTTP mode.
	SigningSecret string
	// APIURL is the Web API base; https://slack.com/api/ by default. GovSlack
	// uses https://slack-gov.com/api/; tests point it at a fake.
	APIURL string
	// Command is the slash command's name, as in the app's settings; /forum
	// by default. Every slash command the app receives is handled; one
	// under another name is logged, as the settings and the config differ.
	Command string
	// HTTPClient makes Web API calls; a client with a 30 s timeout by
	// default.
	HTTPClient *http.Client
	// PostsPerSecond paces chat.postMessage across the workspace;
	// DefaultPostsPerSecond by default. Slack allows about one message per
	// second per channel (each direct message is a channel of its own) and
	// "several hundred messages per minute" across the workspace.
	PostsPerSecond float64
	// PostBurst is how many posts may go out back to back after a pause,
	// still within PostsPerSecond on average; DefaultPostBurst by default.
	PostBurst int
	// DMOpensPerMinute paces conversations.open, which finds the direct
	// message of a member the adapter has not reached before: a Tier 3
	// method; DefaultDMOpensPerMinute by default.
	DMOpensPerMinute float64
	// SocketConnections is how many Socket Mode connections Listen keeps
	// open; Slack allows an app up to MaxSocketConnections and hands each
	// envelope to one of them. DefaultSocketConnections by default.
	SocketConnections int
	// Now is the clock for request signatures and the duplicate filter;
	// time.Now by default.
	Now func() time.Time
	// Options are what every adapter does alike: logging, rate-limit waits
	// and retries, the acknowledgement deadline, the event timeout.
	Options
}

// Options are the settings every adapter shares, under the same names and
// with the same defaults; package forumbot/adapters/internal/kit documents
// them.
type Options = kit.Options

// Chat is the Slack adapter. Create it with New; it is safe for concurrent
// use.
type Chat struct {
	cfg Config
	api *slack.Client
	log *slog.Logger
	now func() time.Time
	// post and opens pace chat.postMessage and conversations.open.
	post  *rate.Limiter
	opens *rate.Limiter
	// limits remembers, per Web API method, until when Slack asked us to
	// hold off.
	limits *holdOffs
	// dms caches the direct-message channel of each user id.
	dms *dmCache
	// seen filters requests Slack delivered more than once.
	seen *seenSet

	mu sync.Mutex
	// session is the running Listen, nil when not listening.
	session *session
	// self is the bot's own user id, learned by Listen from auth.test.
	self string
	// onDone, when set (by tests), is called after an inbound request was
	// fully handled, acknowledgement and follow-up calls included, with its
	// event_id or trigger_id.
	onDone func(key string)
	// lull holds the edits back while requests keep arriving; the
	// kit's defaults unless a test sets them before Listen.
	lull kit.Lull
}

// New checks cfg and returns an adapter. It does not connect: Listen does.
func New(cfg Config) (*Chat, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	opts := []slack.Option{slack.OptionAPIURL(cfg.APIURL), slack.OptionHTTPClient(cfg.HTTPClient)}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	return &Chat{
		cfg:    cfg,
		api:    slack.New(cfg.BotToken, opts...),
		log:    cfg.Log,
		now:    cfg.Now,
		post:   rate.NewLimiter(rate.Limit(cfg.PostsPerSecond), cfg.PostBurst),
		opens:  rate.NewLimiter(rate.Limit(cfg.DMOpensPerMinute/60), 1),
		limits: &holdOffs{until: map[string]time.Time{}},
		dms:    &dmCache{byUser: map[string]string{}},
		seen:   newSeenSet(10000, 10*time.Minute),
	}, nil
}

func (cfg Config) validate() error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	switch {
	case cfg.BotToken == "":
		bad("BotToken: missing (want the bot token, xoxb-…)")
	case !strings.HasPrefix(cfg.BotToken, "xoxb-"):
		bad("BotToken: not a bot token (want xoxb-…)")
	}
	if cfg.AppToken != "" && !strings.HasPrefix(cfg.AppToken, "xapp-") {
		bad("AppToken: not an app-level token (want xapp-…, with the connections:write scope)")
	}
	if cfg.AppToken == "" && cfg.SigningSecret == "" {
		bad("set AppToken for Socket Mode or SigningSecret for the HTTP Events API")
	}
	if cfg.APIURL != "" {
		if u, err := url.Parse(cfg.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("APIURL: %q is not an http(s) URL (want e.g. https://slack.com/api/)", cfg.APIURL)
		}
	}
	if cfg.Command != "" && (!strings.HasPrefix(cfg.Command, "/") || strings.ContainsAny(cfg.Command, " \t\n")) {
		bad("Command: %q is not a slash command (want e.g. /forum)", cfg.Command)
	}
	if cfg.PostsPerSecond < 0 {
		bad("PostsPerSecond: %v is negative", cfg.PostsPerSecond)
	}
	if cfg.PostBurst < 0 {
		bad("PostBurst: %d is negative", cfg.PostBurst)
	}
	if cfg.DMOpensPerMinute < 0 {
		bad("DMOpensPerMinute: %v is negative", cfg.DMOpensPerMinute)
	}
	if cfg.SocketConnections < 0 || cfg.SocketConnections > MaxSocketConnections {
		bad("SocketConnections: %d is out of range (want 1 to %d; Slack allows an app %d connections)", cfg.SocketConnections, MaxSocketConnections, MaxSocketConnections)
	}
	problems = append(problems, cfg.Options.Problems()...)
	if len(problems) > 0 {
		return errors.New("slack: " + strings.Join(problems, "; "))
	}
	return nil
}

func (cfg Config) withDefaults() Config {
	if cfg.APIURL == "" {
		cfg.APIURL = slack.APIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/"
	}
	if cfg.Command == "" {
		cfg.Command = "/forum"
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.PostsPerSecond == 0 {
		cfg.PostsPerSecond = DefaultPostsPerSecond
	}
	if cfg.PostBurst == 0 {
		cfg.PostBurst = DefaultPostBurst
	}
	if cfg.DMOpensPerMinute == 0 {
		cfg.DMOpensPerMinute = DefaultDMOpensPerMinute
	}
	if cfg.SocketConnections == 0 {
		cfg.SocketConnections = DefaultSocketConnections
	}
	cfg.Options = cfg.Options.WithDefaults(platform)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// SocketMode reports whether the adapter receives events through Socket
// Mode rather than HTTP.
func (c *Chat) SocketMode() bool { return c.cfg.AppToken != "" }

// userAddress is the address of a Slack user id.
func userAddress(id string) bot.Address { return bot.Address(platform + ":" + id) }

// ref is the reference of the message ts in channel.
func ref(channel, ts string) bot.MessageRef {
	return bot.MessageRef{Platform: platform, Channel: channel, ID: ts}
}

// errorf returns an error prefixed with the adapter's name.
func errorf(format string, args ...any) error { return fmt.Errorf("slack: "+format, args...) }
