// Package discord is forumbot's Discord adapter: it implements bot.Chat
// through github.com/bwmarrin/discordgo. Prompts go to members' direct
// messages as embeds with buttons; the update form is an ephemeral panel of
// select menus (completion level, needs, milestones) whose level menu opens
// a modal for the text fields; /forum is an application command with typed
// options; a plain reply in the direct message is a note.
//
// The adapter imports only package bot and libraries. Every REST call goes
// through Config.HTTPClient, whose transport points discordgo at
// Config.APIURL when it is set; no package global of discordgo is changed.
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

var _ bot.Chat = (*Chat)(nil)

// Platform is the platform name in addresses and message references.
const Platform = "discord"

// Intents are the gateway intents the adapter asks for: direct messages
// only. Interactions (commands, buttons, menus, modals) arrive without any
// intent, and Discord gives an app the content of its own DMs without the
// privileged Message Content intent.
const Intents = discordgo.IntentsDirectMessages

// DefaultRequestsPerSecond is the adapter's pace by default for the
// requests Discord counts toward a bot's global limit, 50 a second: a
// little under it, so that the requests of a round's fan-out are not
// refused with 429s, which Discord also counts toward the limit on
// invalid requests (10,000 in 10 minutes bars the address for an hour).
const DefaultRequestsPerSecond = 45

// Config connects the adapter. Token and ApplicationID are required; every
// other field has a default.
type Config struct {
	// Token is the bot token from the developer portal, with or without the
	// "Bot " prefix. It is never logged.
	Token string
	// ApplicationID is the application's id; /forum is registered under it.
	ApplicationID string
	// GuildID, when set, registers /forum on that server only (updates are
	// instant); otherwise it is registered globally.
	GuildID string
	// PublicKey is the application's public key (General Information →
	// Public Key: 64 hexadecimal digits). When set, interactions are
	// answered on the application's Interactions Endpoint URL
	// (InteractionsHandler), every request checked against it, so that
	// any of several instances behind a load balancer can answer them;
	// direct messages still come over the gateway. Without it,
	// interactions come over the gateway too.
	PublicKey string
	// APIURL replaces https://discord.com/api/v9/ for proxies and tests; the
	// gateway URL is whatever that API's GET /gateway hands out.
	APIURL string
	// HTTPClient makes the REST calls; a client with a 20 s timeout by
	// default. The adapter wraps its transport and leaves it unchanged.
	HTTPClient *http.Client
	// HistoryLimit is how many recent messages Delivered reads in a
	// conversation to find an earlier delivery; 100 by default, the most one
	// page holds.
	HistoryLimit int
	// Now is the clock for drafts of rejected forms; time.Now by default.
	Now func() time.Time
	// RequestsPerSecond paces the requests that count toward Discord's
	// global limit (every one but the answers to interactions, which are
	// exempt): messages sent, edited and read, direct messages opened,
	// reactions; DefaultRequestsPerSecond by default.
	RequestsPerSecond float64
	// Options are what every adapter does alike: logging, rate-limit waits
	// and retries, the acknowledgement deadline, the event timeout.
	Options
}

// Options are the settings every adapter shares, under the same names and
// with the same defaults; package forumbot/adapters/internal/kit documents
// them.
type Options = kit.Options

// withDefaults validates c and fills in defaults.
func (c Config) withDefaults() (Config, error) {
	var errs []error
	c.Token = strings.TrimSpace(c.Token)
	if c.Token == "" {
		errs = append(errs, errors.New("discord: token is missing (want the bot token from the developer portal, usually ${DISCORD_BOT_TOKEN})"))
	} else if !strings.HasPrefix(c.Token, "Bot ") {
		c.Token = "Bot " + c.Token
	}
	if !isSnowflake(c.ApplicationID) {
		errs = append(errs, fmt.Errorf("discord: application id %q is not a Discord id (want the application's numeric id from the developer portal)", c.ApplicationID))
	}
	if c.GuildID != "" && !isSnowflake(c.GuildID) {
		errs = append(errs, fmt.Errorf("discord: guild id %q is not a Discord id (want the server's numeric id, or leave it out to register /forum globally)", c.GuildID))
	}
	if c.APIURL != "" {
		u, err := url.Parse(c.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("discord: api url %q is not an http(s) URL (want e.g. https://discord.com/api/v9/)", c.APIURL))
		} else if !strings.HasSuffix(c.APIURL, "/") {
			c.APIURL += "/"
		}
	}
	c.PublicKey = strings.TrimSpace(c.PublicKey)
	if c.PublicKey != "" {
		if _, err := parsePublicKey(c.PublicKey); err != nil {
			errs = append(errs, err)
		}
	}
	if c.RequestsPerSecond < 0 {
		errs = append(errs, fmt.Errorf("discord: RequestsPerSecond: %v is negative (want more than 0, or 0 for the default %d)", c.RequestsPerSecond, DefaultRequestsPerSecond))
	}
	for _, p := range c.Options.Problems() {
		errs = append(errs, errors.New("discord: "+p))
	}
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 20 * time.Second}
	}
	c.Options = c.Options.WithDefaults(Platform)
	if c.HistoryLimit <= 0 || c.HistoryLimit > 100 {
		c.HistoryLimit = 100
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.RequestsPerSecond == 0 {
		c.RequestsPerSecond = DefaultRequestsPerSecond
	}
	return c, nil
}

// Chat is the Discord adapter. Create it with New; Send and Delivered work
// at once, Listen connects the gateway (and, with a public key, accepts
// interactions on InteractionsHandler).
type Chat struct {
	cfg     Config
	log     *slog.Logger
	session *discordgo.Session
	drafts  *drafts
	marks   marks

	// publicKey verifies the interactions endpoint's requests; nil when
	// interactions arrive over the gateway only.
	publicKey ed25519.PublicKey
	replays   *replays

	// dms are the direct-message channels known in this process.
	dms *dmBook

	// pace holds the requests that count toward the global limit to
	// Config.RequestsPerSecond, evenly spaced.
	pace *rate.Limiter

	mu   sync.Mutex
	self string // the bot's user id, once known
	// gateway and endpoint are the running receivers of events, nil when
	// not running.
	gateway, endpoint *receiver
	// busy counts event goroutines, and idle is signalled when it drops to
	// zero: follow-up work (editing a prompt) runs after a person is
	// answered, and tests wait for it through WaitIdle.
	busy int
	idle sync.Cond

	// lull holds the edits back while events keep arriving; the
	// interactions' acknowledgements and the answers go first.
	lull kit.Lull
}

// WaitIdle waits until no event is being handled, follow-up work
// included.
func (c *Chat) WaitIdle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.busy > 0 {
		c.idle.Wait()
	}
}

// New checks cfg and returns a Chat. It makes no network call.
func New(cfg Config) (*Chat, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s, err := discordgo.New(cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	client := *cfg.HTTPClient
	client.Transport = newTransport(cfg.APIURL, cfg.HTTPClient.Transport)
	s.Client = &client
	s.Dialer = &websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: 15 * time.Second}
	s.Identify.Intents = Intents
	s.StateEnabled = false
	// Handlers run on the gateway's goroutine and hand each event to a
	// goroutine the Chat owns and waits for.
	s.SyncEvents = true
	s.ShouldRetryOnRateLimit = false
	s.MaxRestRetries = 0
	// The adapter reconnects the gateway itself (Chat.redial).
	s.ShouldReconnectOnError = false
	s.ShouldReconnectVoiceOnSessionError = false
	c := &Chat{
		cfg: cfg, log: cfg.Log, session: s,
		drafts:  newDrafts(cfg.Now),
		dms:     newDMBook(),
		replays: newReplays(replayWindow, maxReplays),
		pace:    rate.NewLimiter(rate.Limit(cfg.RequestsPerSecond), 1),
	}
	if cfg.PublicKey != "" {
		c.publicKey, _ = parsePublicKey(cfg.PublicKey)
	}
	c.idle.L = &c.mu
	return c, nil
}

// userID returns the Discord user id of a member's address.
func userID(a bot.Address) (string, error) {
	if a.Platform() != Platform || !isSnowflake(a.ID()) {
		return "", bot.Errorf(bot.EINVALID, "%q is not a Discord address (want discord:<numeric id>)", a)
	}
	return a.ID(), nil
}

// address returns the bot address of a Discord user.
func address(id string) bot.Address { return bot.Address(Platform + ":" + id) }

// ref returns the bot reference of a Discord message.
func ref(channelID, messageID string) bot.MessageRef {
	return bot.MessageRef{Platform: Platform, Channel: channelID, ID: messageID}
}

// parsePublicKey reads an application's public key: 32 bytes written as
// 64 hexadecimal digits. Its errors do not echo the value.
func parsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := hex.DecodeString(s)
	switch {
	case err != nil:
		return nil, errors.New("discord: public key is not hexadecimal (want the 64 hexadecimal digits of General Information → Public Key in the developer portal)")
	case len(b) != ed25519.PublicKeySize:
		return nil, fmt.Errorf("discord: public key has %d hexadecimal digits, want %d (General Information → Public Key in the developer portal)", len(s), 2*ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}

// Endpoint reports whether interactions are answered on the interactions
// endpoint (Config.PublicKey is set) rather than over the gateway.
func (c *Chat) Endpoint() bool { return c.publicKey != nil }

func isSnowflake(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// selfID returns the bot's own user id, asking Discord once.
func (c *Chat) selfID(ctx context.Context) (string, error) {
	c.mu.Lock()
	id := c.self
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	var u *discordgo.User
	err := c.call(ctx, "", func(opts ...discordgo.RequestOption) (err error) {
		u, err = c.session.User("@me", opts...)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("discord: who am I: %w", err)
	}
	c.mu.Lock()
	c.self = u.ID
	c.mu.Unlock()
	return u.ID, nil
}
