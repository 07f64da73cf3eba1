package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// DefaultJournalMailbox is the journal's mailbox when Journal.Mailbox is
// not set.
const DefaultJournalMailbox = "Sent"

// Journal is an IMAP mailbox holding a copy of every message the relay
// accepted: the Sent folder of the sending account (Gmail files what it
// accepts over SMTP there), or a mailbox that Bcc delivers to. Delivered
// looks a message up there by its Message-ID when this process did not
// see the relay accept it, so that a crash between the relay's acceptance
// and the outbox marking the message sent does not send it twice.
type Journal struct {
	// Host and Port are the IMAP server's.
	Host string
	Port int
	// Security is TLS (implicit, port 993), StartTLS (required, port
	// 143) or None (a server on this machine).
	Security string
	// Username and Password log in to the server; both are required.
	Username, Password string
	// Mailbox is the journal's mailbox; DefaultJournalMailbox when empty.
	Mailbox string
	// Bcc, when set, is blind-copied on every message (a recipient of the
	// envelope, not a header), for relays that file nothing into a Sent
	// folder: it should deliver to Mailbox.
	Bcc string
	// TLSConfig, when set, is used for the server's TLS (tests trust their
	// own certificate with it); the system's roots otherwise.
	TLSConfig *tls.Config
}

// journalTimeout bounds one look-up in the journal, from connecting to
// logging out.
const journalTimeout = 30 * time.Second

// problems lists what is wrong with j, each naming its field, and fills
// in the mailbox's default.
func (j *Journal) problems() []string {
	p := serverProblems("Journal.", j.Host, j.Security, j.Port)
	if j.Username == "" || j.Password == "" {
		p = append(p, "Journal.Username, Journal.Password: both required (IMAP needs a login to read a mailbox)")
	}
	if j.Bcc != "" {
		if _, err := mail.ParseAddress(j.Bcc); err != nil {
			p = append(p, fmt.Sprintf("Journal.Bcc: %q is not an e-mail address", j.Bcc))
		}
	}
	if j.Mailbox == "" {
		j.Mailbox = DefaultJournalMailbox
	}
	return p
}

// holds reports whether the journal's mailbox holds a message whose
// Message-ID is id (without angle brackets). Any failure to connect, log
// in, open the mailbox or search is an error: the caller cannot tell.
func (j *Journal) holds(ctx context.Context, id string) (found bool, err error) {
	err = j.open(ctx, func(c *imapclient.Client) error {
		found, err = j.search(c, id)
		if err != nil {
			return fmt.Errorf("email journal: searching mailbox %q: %w", j.Mailbox, err)
		}
		return nil
	})
	return found, err
}

// check opens the journal's mailbox and closes it again, so that a wrong
// setting shows at start rather than at the first look-up.
func (j *Journal) check(ctx context.Context) error {
	return j.open(ctx, func(*imapclient.Client) error { return nil })
}

// open connects, logs in, opens the mailbox read-only, runs do on it and
// logs out, all within journalTimeout.
func (j *Journal) open(ctx context.Context, do func(*imapclient.Client) error) error {
	ctx, cancel := context.WithTimeout(ctx, journalTimeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", j.address())
	if err != nil {
		return fmt.Errorf("email journal: connecting to %s: %w", j.address(), err)
	}
	defer conn.Close()
	// The client's commands take no context: closing the connection ends
	// whichever one is waiting when ctx is done.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, err := j.client(ctx, conn)
	if err != nil {
		return fmt.Errorf("email journal: connecting to %s: %w", j.address(), err)
	}
	defer c.Close()
	if err := c.Login(j.Username, j.Password).Wait(); err != nil {
		return fmt.Errorf("email journal: logging in to %s: %w", j.address(), err)
	}
	if _, err := c.Select(j.Mailbox, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return fmt.Errorf("email journal: opening mailbox %q: %w", j.Mailbox, err)
	}
	if err := do(c); err != nil {
		return err
	}
	_ = c.Logout().Wait()
	return nil
}

// search looks for id in the selected mailbox. IMAP's header search
// matches substrings, so each candidate's Message-ID is checked whole.
func (j *Journal) search(c *imapclient.Client, id string) (bool, error) {
	data, err := c.UIDSearch(&imap.SearchCriteria{
		Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: id}},
	}, nil).Wait()
	if err != nil {
		return false, err
	}
	uids := data.AllUIDs()
	if len(uids) == 0 {
		return false, nil
	}
	msgs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{Envelope: true}).Collect()
	if err != nil {
		return false, err
	}
	for _, m := range msgs {
		if m.Envelope != nil && m.Envelope.MessageID == id {
			return true, nil
		}
	}
	return false, nil
}

// client starts the IMAP session on conn as Security says.
func (j *Journal) client(ctx context.Context, conn net.Conn) (*imapclient.Client, error) {
	opts := &imapclient.Options{TLSConfig: j.tlsConfig()}
	switch j.Security {
	case TLS:
		tc := tls.Client(conn, opts.TLSConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		return imapclient.New(tc, opts), nil
	case StartTLS:
		return imapclient.NewStartTLS(conn, opts)
	case None:
		return imapclient.New(conn, opts), nil
	}
	return nil, errors.New("no security mode")
}

func (j *Journal) address() string {
	return net.JoinHostPort(j.Host, strconv.Itoa(j.Port))
}

func (j *Journal) tlsConfig() *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if j.TLSConfig != nil {
		cfg = j.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = strings.TrimSuffix(j.Host, ".")
	}
	return cfg
}
