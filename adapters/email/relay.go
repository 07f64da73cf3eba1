package email

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gomail "github.com/wneessen/go-mail"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// relay is the connection to the SMTP relay: one SMTP session per message
// (the adapter sends about one a second; a session kept open would time
// out between rounds).
type relay struct {
	mu     sync.Mutex
	client *gomail.Client
	err    error
	ok     atomic.Bool
	log    func(msg string, args ...any)
}

// dialTimeout bounds connecting to the relay and each of its answers.
const dialTimeout = 30 * time.Second

func newRelay(cfg Config, opts kit.Options) *relay {
	o := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(dialTimeout)}
	switch cfg.Security {
	case TLS:
		o = append(o, gomail.WithSSL())
	case StartTLS:
		o = append(o, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		o = append(o, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if cfg.TLSConfig != nil {
		o = append(o, gomail.WithTLSConfig(cfg.TLSConfig))
	}
	if cfg.Username != "" {
		o = append(o, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	client, err := gomail.NewClient(cfg.Host, o...)
	return &relay{client: client, err: err, log: opts.Log.Warn}
}

// send hands msg to the relay in one SMTP session. msg.IsDelivered()
// reports afterwards whether the relay accepted it, whatever the error.
func (r *relay) send(ctx context.Context, msg *gomail.Msg) error {
	if r.err != nil {
		return r.err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	err := r.client.DialAndSendWithContext(ctx, msg)
	r.ok.Store(err == nil || msg.IsDelivered())
	return err
}

// probe connects and logs in once, so that Connected reflects whether
// the relay takes the bot's login before the first message.
func (r *relay) probe(ctx context.Context) {
	if r.err != nil {
		r.log("email relay misconfigured", "err", r.err)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		r.log("email relay unreachable", "err", err)
		r.ok.Store(false)
		return
	}
	r.ok.Store(true)
	_ = r.client.CloseWithSMTPClient(c)
}

func (r *relay) connected() bool { return r.ok.Load() }

// judge reads a failed send by the relay's answer: a 4xx, or no answer
// at all (a broken connection, a timeout), is worth trying again; a 5xx
// to the recipient is permanent (the address is refused); any other 5xx
// (a login or a sender refused) is a problem of the settings, which the
// outbox tries again later; so is a refused journal bcc address, which
// go-mail names among the refused recipients.
func (c *Chat) judge(err error) kit.Verdict {
	bcc := ""
	if c.cfg.Journal != nil {
		if a, err := mail.ParseAddress(c.cfg.Journal.Bcc); err == nil {
			bcc = a.Address
		}
	}
	code := 0
	var se *gomail.SendError
	var reply *textproto.Error
	switch {
	case errors.As(err, &se):
		code = se.ErrorCode()
	case errors.As(err, &reply):
		code = reply.Code
	}
	switch {
	case code < 500:
		return kit.Verdict{Transient: true}
	case se != nil && se.Reason == gomail.ErrSMTPRcptTo && bcc != "" && strings.Contains(se.Error(), bcc):
		// The journal's address is refused: the settings are wrong, not
		// the member's address.
		return kit.Verdict{Err: fmt.Errorf("email: the relay refuses the journal's bcc address: %w", err)}
	case se != nil && se.Reason == gomail.ErrSMTPRcptTo:
		return kit.Verdict{Err: bot.Errorf(bot.EFORBIDDEN, "email: the relay refuses the recipient: %v", err)}
	}
	return kit.Verdict{Err: fmt.Errorf("email: the relay refused the message: %w", err)}
}
