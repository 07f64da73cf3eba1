package config

// EmailJournalConfig is the sent-mail journal of the e-mail adapter: an
// IMAP mailbox holding a copy of every message the relay accepted (the
// sending account's Sent folder, or a mailbox that bcc delivers to). After
// a crash between the relay's acceptance and the outbox marking a message
// sent, the bot looks the message up there by its Message-ID instead of
// sending it again.
type EmailJournalConfig struct {
	// Host and Port are the IMAP server's; Port defaults to 993 for tls,
	// 143 for starttls and none.
	Host string `yaml:"host" env:"expand"`
	Port int    `yaml:"port,omitempty"`
	// Security is tls (the default, implicit TLS), starttls (required,
	// not opportunistic) or none (only to a server on this machine).
	Security string `yaml:"security,omitempty"`
	// Username and Password log in to the mailbox's account (the
	// password from the environment).
	Username string `yaml:"username" env:"expand"`
	Password string `yaml:"password" env:"expand"`
	// Mailbox is the journal's mailbox; DefaultJournalMailbox by default.
	Mailbox string `yaml:"mailbox,omitempty"`
	// Bcc, when set, is blind-copied on every message, for relays that
	// file nothing into a Sent folder: an address delivering to Mailbox.
	Bcc string `yaml:"bcc,omitempty" env:"expand"`
}

// Defaults of email.journal.
const (
	DefaultJournalSecurity = "tls"
	DefaultJournalMailbox  = "Sent"
)

// JournalPorts are the default IMAP ports of each email.journal.security.
var JournalPorts = map[string]int{"tls": 993, "starttls": 143, "none": 143}

// emailJournal checks email.journal and fills in its defaults. The
// password is never echoed.
func (v *validator) emailJournal(j *EmailJournalConfig) {
	if j == nil {
		return
	}
	v.mailServer("email.journal", j.Host, &j.Security, &j.Port, mailServerRules{
		ports: JournalPorts, security: DefaultJournalSecurity, modes: "tls, starttls or none",
		host: "the IMAP server of the mailbox that holds the sent messages, e.g. imap.gmail.com", clear: "the password",
		server: "a server", portHint: "993 for tls, 143 for starttls",
	})
	if !v.skipSecrets {
		if j.Username == "" {
			v.errorf("email.journal.username", "missing (want the login of the mailbox's account: IMAP needs one to read a mailbox)")
		}
		if j.Password == "" {
			v.errorf("email.journal.password", "missing (want it from the environment, e.g. ${FORUMBOT_IMAP_PASSWORD})")
		}
	}
	if j.Mailbox == "" {
		j.Mailbox = DefaultJournalMailbox
	}
	if j.Bcc != "" {
		v.mailbox("email.journal.bcc", j.Bcc, false)
	}
}
