package config_test

import (
	"strings"
	"testing"

	"forumbot/bot/config"
)

const journalForum = `
forums:
  - id: f
    name: F
    timezone: UTC
    digest_channel: email:list@example.org
    coordinators: [email:coord@example.org]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan: {id: P, commitments: [{id: C, title: T, committee: [{who: email:a@example.org, name: A, group: government, org: O}]}]}
`

const journalEmail = `
email:
  host: smtp.gmail.com
  username: forum@example.org
  password: ${SMTP_PASSWORD}
  from: forum@example.org
  base_url: https://forum.example.org
  link_secret: 0123456789abcdef0123456789abcdef
`

// TestEmailJournal: email.journal gets its defaults (tls, port 993, the
// Sent mailbox), its password from the environment, and none only to this
// machine; a wrong value is named without echoing the password.
func TestEmailJournal(t *testing.T) {
	env := map[string]string{"SMTP_PASSWORD": "smtp-secret", "IMAP_PASSWORD": "imap-secret-value"}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	parse := func(journal string) (*config.Config, error) {
		return config.Parse([]byte(journalEmail+journal+journalForum), "j.yaml", config.Options{RequireEnv: true, Getenv: getenv})
	}
	cfg, err := parse("  journal: {host: imap.gmail.com, username: forum@example.org, password: '${IMAP_PASSWORD}'}\n")
	if err != nil {
		t.Fatal(err)
	}
	j := cfg.File.Email.Journal
	if j == nil || j.Security != "tls" || j.Port != 993 || j.Mailbox != "Sent" || j.Password != "imap-secret-value" || j.Bcc != "" {
		t.Errorf("journal %+v, want tls, port 993, mailbox Sent, the password from the environment", j)
	}
	cfg, err = parse("  journal: {host: 127.0.0.1, security: none, username: u, password: '${IMAP_PASSWORD}', mailbox: '[Gmail]/Sent Mail', bcc: 'Journal <journal@example.org>'}\n")
	if err != nil {
		t.Fatal(err)
	}
	if j := cfg.File.Email.Journal; j.Port != 143 || j.Mailbox != "[Gmail]/Sent Mail" || j.Bcc != "Journal <journal@example.org>" {
		t.Errorf("journal %+v, want port 143, the mailbox and bcc as written", j)
	}
	_, err = parse("  journal: {host: imap.example.org, security: none, port: 70000, username: u, password: '${IMAP_PASSWORD}'}\n")
	for _, want := range []string{
		"email.journal.security: none sends the password in clear text: allowed only to a server on this machine",
		"email.journal.port: 70000 is not a port number",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want an error containing %q", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "imap-secret-value") {
		t.Errorf("the error echoes the password: %v", err)
	}
	if _, err := parse("  journal: {host: imap.example.org, usernme: u}\n"); err == nil || !strings.Contains(err.Error(), "usernme") {
		t.Errorf("a misspelt key: got %v, want it named", err)
	}
}
