// Package email is bot.Chat by e-mail, for members on no chat platform:
// prompts, reminders, notices and digests go out through an SMTP relay
// (github.com/wneessen/go-mail) as multipart messages, plain text and
// simple HTML, in the member's language; each commitment of a prompt has a
// link to a web form that this package serves on serve's HTTP listener.
// The form is the engine's own (bot.Form): the same fields, validation and
// messages as the Slack and Discord modals. A link carries a signed token
// bound to the member, the round and the commitment (token.go); the form
// page adds a nonce per form against cross-site and replayed posts
// (form.go).
//
// E-mail has no threads, commands or edits: a member answers on the form
// only, and a response's edit is left out. Exactly-once sending is argued
// in docs/email.md: each message's Message-ID is derived from its delivery
// key; with a journal (journal.go), an IMAP mailbox holding what the relay
// accepted, Delivered finds a message sent before a crash there; without
// one, the one resend a crash can cause is the same message to the
// recipient's mail system.
package email

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

var _ bot.Chat = (*Chat)(nil)

// platform is the platform of the addresses this adapter serves.
const platform = bot.EmailPlatform

// Security modes of the connection to the relay.
const (
	StartTLS = "starttls"
	TLS      = "tls"
	None     = "none"
)

// Options are the settings every adapter shares, under the same names and
// with the same defaults (adapters/internal/kit).
type Options = kit.Options

// Config connects the adapter to a relay and says where the form is.
type Config struct {
	// Host and Port are the SMTP relay's.
	Host string
	Port int
	// Security is StartTLS (required, not opportunistic), TLS (implicit,
	// port 465) or None (a relay on this machine).
	Security string
	// Username and Password log in to the relay; both empty for none.
	Username, Password string
	// From is the sender ("Forum <forum@example.org>"); ReplyTo, when
	// set, receives what members reply.
	From, ReplyTo string
	// BaseURL is where serve's listener is reached from outside; links
	// point to BaseURL + /email/form.
	BaseURL string
	// LinkSecret signs the links and the forms' nonces.
	LinkSecret string
	// LinkGrace is how long after its round closes a link still opens
	// the form, for corrections; 30 days by default.
	LinkGrace time.Duration
	// MessagesPerSecond paces the relay; 1 by default.
	MessagesPerSecond float64
	// Catalog holds the words of the pages and of the e-mails' own
	// lines, in every language.
	Catalog *bot.Catalog
	// TLSConfig, when set, is used for the relay's TLS (tests trust their
	// own certificate with it); the system's roots otherwise.
	TLSConfig *tls.Config
	// Now is the clock of the tokens; time.Now by default.
	Now func() time.Time
	// Journal, when set, is where Delivered looks for a message this
	// process did not see the relay accept (journal.go).
	Journal *Journal
	Options
}

// Chat is bot.Chat by e-mail. Create it with New.
type Chat struct {
	cfg    Config
	opts   Options
	from   *mail.Address
	domain string
	base   *url.URL
	// origin is base's scheme and host, which form posts must come from
	// (kit.SameOrigin).
	origin string
	sign   signer
	pace   *rate.Limiter
	relay  *relay
	form   *formHandler

	mu       sync.Mutex
	handler  bot.Handler
	accepted map[string]acceptance
	pruned   time.Time
}

// acceptance is a message the relay accepted, as Delivered reports it.
type acceptance struct {
	ref bot.MessageRef
	at  time.Time
}

// acceptedFor is how long Delivered remembers a message the relay
// accepted: longer than the outbox retries a message (a day by default).
const acceptedFor = 48 * time.Hour

// serverProblems lists what is wrong with a mail server's host, security
// and port, each named with prefix (the relay's fields, "Journal.").
func serverProblems(prefix, host, security string, port int) []string {
	var p []string
	if host == "" {
		p = append(p, prefix+"Host: missing")
	}
	switch security {
	case StartTLS, TLS, None:
	default:
		p = append(p, fmt.Sprintf("%sSecurity: %q is not starttls, tls or none", prefix, security))
	}
	if port <= 0 || port > 65535 {
		p = append(p, fmt.Sprintf("%sPort: %d is not a port number", prefix, port))
	}
	return p
}

// New checks cfg and returns the adapter. It makes no network call.
func New(cfg Config) (*Chat, error) {
	problems := serverProblems("", cfg.Host, cfg.Security, cfg.Port)
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		problems = append(problems, fmt.Sprintf("From: %q is not an e-mail address", cfg.From))
	}
	base, err := url.Parse(strings.TrimSuffix(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		problems = append(problems, fmt.Sprintf("BaseURL: %q is not an http(s) address", cfg.BaseURL))
	}
	if len(cfg.LinkSecret) < 32 {
		problems = append(problems, "LinkSecret: want at least 32 characters")
	}
	if cfg.Catalog == nil {
		problems = append(problems, "Catalog: missing")
	}
	if cfg.Journal != nil {
		j := *cfg.Journal
		problems = append(problems, j.problems()...)
		cfg.Journal = &j
	}
	problems = append(problems, cfg.Options.Problems()...)
	if len(problems) > 0 {
		return nil, fmt.Errorf("email: %s", strings.Join(problems, "; "))
	}
	if cfg.LinkGrace <= 0 {
		cfg.LinkGrace = 30 * 24 * time.Hour
	}
	if cfg.MessagesPerSecond <= 0 {
		cfg.MessagesPerSecond = 1
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Chat{
		cfg: cfg, opts: cfg.Options.WithDefaults(platform), from: from, base: base, origin: base.Scheme + "://" + base.Host,
		sign:     newSigner(cfg.LinkSecret),
		pace:     rate.NewLimiter(rate.Limit(cfg.MessagesPerSecond), 1),
		accepted: map[string]acceptance{},
	}
	_, c.domain, _ = strings.Cut(from.Address, "@")
	c.relay = newRelay(cfg, c.opts)
	c.form = newFormHandler(c)
	return c, nil
}

// Send implements bot.Chat: it sends out by the relay, at the adapter's
// pace. The message's Message-ID is derived from out's key and address,
// so that a resend is the same message to the recipient's mail system.
func (c *Chat) Send(ctx context.Context, out bot.Outgoing) (bot.MessageRef, error) {
	if out.To.Platform() != platform {
		return bot.MessageRef{}, bot.Errorf(bot.EINVALID, "%s is not an e-mail address", out.To)
	}
	msg, id, err := c.compose(out)
	if err != nil {
		return bot.MessageRef{}, err
	}
	err = c.opts.Retry(ctx, kit.Call{
		Name:  "send",
		Ready: c.ready,
		Do:    func(ctx context.Context) error { return c.relay.send(ctx, msg) },
		Judge: c.judge,
		// A failure after the relay took the message (the connection
		// closing) must not send it again.
		BeforeRetry: func(context.Context) (bool, error) { return msg.IsDelivered(), nil },
	})
	if err != nil && !msg.IsDelivered() {
		return bot.MessageRef{}, err
	}
	// The relay accepted the message; a failure after that (closing the
	// connection) does not undo it.
	ref := bot.MessageRef{Platform: platform, ID: id}
	c.remember(out, ref)
	return ref, nil
}

// ready waits for the adapter's pace, or returns a *bot.RateLimitError
// when the wait would end after deadline.
func (c *Chat) ready(ctx context.Context, deadline time.Time) error {
	r := c.pace.Reserve()
	wait := r.Delay()
	if wait == 0 {
		return nil
	}
	if time.Now().Add(wait).After(deadline) {
		r.Cancel()
		return &bot.RateLimitError{Wait: wait, Err: fmt.Errorf("email: the relay's pace (%g a second) is reached", c.cfg.MessagesPerSecond)}
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}

// messageID is the Message-ID of the message with key to, without its
// angle brackets: the same key and address give the same id.
func (c *Chat) messageID(key string, to bot.Address) string {
	sum := sha256.Sum256([]byte(key + "\x00" + string(to)))
	return "fb." + hex.EncodeToString(sum[:20]) + "@" + c.domain
}

// remember records that the relay accepted out, for Delivered.
func (c *Chat) remember(out bot.Outgoing, ref bot.MessageRef) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.pruned) > time.Hour {
		for k, a := range c.accepted {
			if now.Sub(a.at) > acceptedFor {
				delete(c.accepted, k)
			}
		}
		c.pruned = now
	}
	c.accepted[string(out.To)+"\x00"+out.Key] = acceptance{ref: ref, at: now}
}

// Delivered implements bot.Chat. No relay can say whether it took a
// message, so this answers from what this process saw the relay accept,
// which covers a send whose answer was lost after the message went
// through (the connection failing as it closed), and, for a message it did
// not see accepted (a crash in between), from the journal when one is
// configured: the message is delivered if the journal's mailbox holds its
// Message-ID. When the journal cannot be read, Delivered returns the error,
// so that the outbox tries again later rather than send blind. Without a
// journal, the outbox sends again after a crash, with the same Message-ID:
// see the package doc.
func (c *Chat) Delivered(ctx context.Context, out bot.Outgoing) (bot.MessageRef, bool, error) {
	if out.Key == "" {
		return bot.MessageRef{}, false, nil
	}
	c.mu.Lock()
	a, ok := c.accepted[string(out.To)+"\x00"+out.Key]
	c.mu.Unlock()
	if ok {
		return a.ref, true, nil
	}
	if c.cfg.Journal == nil || out.To.Platform() != platform {
		return bot.MessageRef{}, false, nil
	}
	id := c.messageID(out.Key, out.To)
	found, err := c.cfg.Journal.holds(ctx, id)
	if err != nil || !found {
		return bot.MessageRef{}, false, err
	}
	return bot.MessageRef{Platform: platform, ID: id}, true, nil
}

// Listen implements bot.Chat: the form hands what members submit to h
// until ctx is done. It first checks that the relay accepts the login, so
// that readiness reflects it, and that the journal, if any, can be read
// (a warning in the log if not), and then waits.
func (c *Chat) Listen(ctx context.Context, h bot.Handler) error {
	c.mu.Lock()
	c.handler = h
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.handler = nil
		c.mu.Unlock()
	}()
	c.relay.probe(ctx)
	if j := c.cfg.Journal; j != nil {
		if err := j.check(ctx); err != nil {
			c.opts.Log.Warn("email journal unreadable: messages that may have been sent before a crash wait until it can be read", "err", err)
		}
	}
	<-ctx.Done()
	return nil
}

// Connected reports whether the relay accepted the last connection the
// adapter made, for /readyz.
func (c *Chat) Connected() bool { return c.relay.connected() }

// listener returns the handler of Listen, nil when nobody listens.
func (c *Chat) listener() bot.Handler {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.handler
}
