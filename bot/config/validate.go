package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"

	"forumbot/bot"
)

// Defaults applied where the configuration is silent.
const (
	DefaultStorePath = "forumbot.db"
	DefaultListen    = "127.0.0.1:8080"
	DefaultLocale    = "en"
	// DefaultLease is store.lease's default.
	DefaultLease = 10 * time.Second
)

var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$`)

const idAllowed = "letters, digits, - _ . ; at most 64, starting with a letter or digit"

// forums checks the whole file, fills defaults into f, and returns the
// forums as domain values. Problems go to v.errs and v.warnings.
func (v *validator) forums(f *File) []*bot.Forum {
	if f.Store.Path == "" && f.Store.URL == "" {
		f.Store.Path = DefaultStorePath
	}
	if f.HTTP.Listen == "" {
		f.HTTP.Listen = DefaultListen
	} else if _, _, err := net.SplitHostPort(f.HTTP.Listen); err != nil {
		v.errorf("http.listen", "%s is not host:port (e.g. 127.0.0.1:8080)", v.shown("http.listen", f.HTTP.Listen))
	}
	v.slack(f.Slack)
	v.discord(f.Discord)
	v.email(f.Email)
	if len(f.Forums) == 0 {
		v.errorf("forums", "no forums configured (want at least one)")
	}
	var out []*bot.Forum
	ids := map[string]int{}
	for i := range f.Forums {
		path := fmt.Sprintf("forums[%d]", i)
		fc := &f.Forums[i]
		if j, dup := ids[fc.ID]; dup && fc.ID != "" {
			v.errorf(path+".id", "%q is already the id of %s", fc.ID, v.place(j))
		}
		ids[fc.ID] = i
		out = append(out, v.forum(path, fc))
	}
	v.crossForum(out)
	return out
}

// sender checks the sender settings and returns them as the engine takes
// them.
func (v *validator) sender(s SenderConfig) bot.SenderOptions {
	out := bot.SenderOptions{Rate: s.Rate, Workers: s.Workers}
	if s.Rate < 0 {
		v.errorf("sender.rate", "%g is negative (want messages per second, 0 for no cap)", s.Rate)
	}
	if s.Workers < 0 || s.Workers > 64 {
		v.errorf("sender.workers", "%d is out of range (want 1 to 64)", s.Workers)
	}
	if s.GiveUpAfter != "" {
		out.GiveUpAfter = v.duration("sender.give_up_after", s.GiveUpAfter)
		if out.GiveUpAfter > 0 && out.GiveUpAfter < time.Hour {
			v.errorf("sender.give_up_after", "%q is shorter than an hour (want e.g. 24h or 3d: a message is retried this long)", s.GiveUpAfter)
		}
	}
	if s.MaxAttempts != 0 {
		v.warnf("sender.max_attempts", "no longer used: a message is retried until sender.give_up_after (%dh by default) or a permanent refusal; remove it",
			int(bot.DefaultGiveUpAfter.Hours()))
	}
	return out
}

func (v *validator) slack(s *SlackConfig) {
	if s == nil {
		return
	}
	if !v.skipSecrets {
		v.slackSecrets(s)
	}
	if s.APIURL != "" {
		v.url("slack.api_url", s.APIURL)
		if !strings.HasSuffix(s.APIURL, "/") {
			s.APIURL += "/"
		}
	}
	if s.Command == "" {
		s.Command = "/forum"
	} else if !strings.HasPrefix(s.Command, "/") {
		v.errorf("slack.command", "%q does not start with / (want e.g. /forum)", s.Command)
	}
	v.slackPace(s)
}

// Bounds of the Slack adapter's pace: Slack allows several hundred posts
// a minute across a workspace and conversations.open is a Tier 3 method
// (50 or more calls a minute); well above either, every call would wait
// out 429s.
const (
	maxPostsPerSecond   = 20
	maxPostBurst        = 50
	maxDMOpensPerMinute = 100
)

// maxSocketConnections is how many Socket Mode connections Slack allows an
// app at once, across all its instances.
const maxSocketConnections = 10

// slackPace checks the pace settings; zero leaves the adapter's defaults.
func (v *validator) slackPace(s *SlackConfig) {
	if s.PostsPerSecond < 0 || s.PostsPerSecond > maxPostsPerSecond {
		v.errorf("slack.posts_per_second", "%g is out of range (want more than 0 and at most %d, or leave it out for the default; Slack allows several hundred posts a minute across a workspace)", s.PostsPerSecond, maxPostsPerSecond)
	}
	if s.PostBurst < 0 || s.PostBurst > maxPostBurst {
		v.errorf("slack.post_burst", "%d is out of range (want 1 to %d, or leave it out for the default)", s.PostBurst, maxPostBurst)
	}
	if s.DMOpensPerMinute < 0 || s.DMOpensPerMinute > maxDMOpensPerMinute {
		v.errorf("slack.dm_opens_per_minute", "%g is out of range (want more than 0 and at most %d, or leave it out for the default; conversations.open allows 50 or more a minute)", s.DMOpensPerMinute, maxDMOpensPerMinute)
	}
	if s.SocketConnections < 0 || s.SocketConnections > maxSocketConnections {
		v.errorf("slack.socket_connections", "%d is out of range (want 1 to %d, or leave it out for the default 2; Slack allows an app %d Socket Mode connections, across all its instances)", s.SocketConnections, maxSocketConnections, maxSocketConnections)
	}
}

// slackSecrets checks the tokens and the signing secret; their values are
// never echoed.
func (v *validator) slackSecrets(s *SlackConfig) {
	if s.BotToken == "" {
		v.errorf("slack.bot_token", "missing (want the bot token, xoxb-…, usually ${SLACK_BOT_TOKEN})")
	}
	if s.AppToken == "" && s.SigningSecret == "" {
		v.errorf("slack", "set app_token for Socket Mode or signing_secret for the HTTP Events API")
	}
	if s.AppToken != "" && !strings.HasPrefix(s.AppToken, "xapp-") && !envRef.MatchString(s.AppToken) {
		v.errorf("slack.app_token", "is not an app-level token (want xapp-…, with the connections:write scope)")
	}
}

func (v *validator) discord(d *DiscordConfig) {
	if d == nil {
		return
	}
	if d.Token == "" && !v.skipSecrets {
		v.errorf("discord.token", "missing (want the bot token, usually ${DISCORD_BOT_TOKEN})")
	}
	if !isSnowflake(d.ApplicationID) {
		v.errorf("discord.application_id", "%s is not a Discord id (want the application's numeric id)", v.shown("discord.application_id", d.ApplicationID))
	}
	if d.GuildID != "" && !isSnowflake(d.GuildID) {
		v.errorf("discord.guild_id", "%s is not a Discord id (want the server's numeric id)", v.shown("discord.guild_id", d.GuildID))
	}
	if d.APIURL != "" {
		v.url("discord.api_url", d.APIURL)
	}
	v.discordInteractions(d)
	if d.RequestsPerSecond < 0 || d.RequestsPerSecond > maxDiscordRequestsPerSecond {
		v.errorf("discord.requests_per_second", "%g is out of range (want more than 0 and at most %d, or leave it out for the default 45; Discord allows a bot %d requests a second)", d.RequestsPerSecond, maxDiscordRequestsPerSecond, maxDiscordRequestsPerSecond)
	}
}

// maxDiscordRequestsPerSecond is Discord's global limit for a bot; a pace
// above it would only meet 429s.
const maxDiscordRequestsPerSecond = 50

func isSnowflake(s string) bool {
	if len(s) < 1 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (v *validator) url(path, s string) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.errorf(path, "%s is not an http(s) URL", v.shown(path, s))
	}
}

func (v *validator) id(path, s, what string) {
	switch {
	case s == "":
		v.errorf(path, "missing (want the %s id)", what)
	case !idRE.MatchString(s):
		v.errorf(path, "%q is not a valid id (%s)", s, idAllowed)
	}
}

func (v *validator) date(path, s string) bot.Date {
	if s == "" {
		return bot.Date{}
	}
	d, err := bot.ParseDate(s)
	if err != nil {
		v.errorf(path, "%s", bot.ErrorMessage(err))
	}
	return d
}

func (v *validator) address(path, s string) bot.Address {
	a, err := bot.ParseAddress(s)
	if err != nil {
		v.errorf(path, "%s", bot.ErrorMessage(err))
	}
	return a
}

func (v *validator) addresses(path string, ss []string) []bot.Address {
	out := make([]bot.Address, 0, len(ss))
	for i, s := range ss {
		if a := v.address(fmt.Sprintf("%s[%d]", path, i), s); a != "" {
			out = append(out, a)
		}
	}
	return out
}

func (v *validator) locale(path, s string) string {
	if s == "" {
		return ""
	}
	for _, l := range bot.Locales() {
		if s == l {
			return s
		}
	}
	v.errorf(path, "%q is not a supported locale (want %s)", s, strings.Join(bot.Locales(), ", "))
	return ""
}

// store checks store.url against store.path and reads store.lease; it
// runs before forums fills store.path's default.
func (v *validator) store(s *StoreConfig) time.Duration {
	if s.URL != "" {
		if s.Path != "" {
			v.errorf("store", "both path and url are set (want path for a SQLite file on one machine, or url for PostgreSQL shared by several instances)")
		}
		if !strings.HasPrefix(s.URL, "postgres://") && !strings.HasPrefix(s.URL, "postgresql://") && !strings.HasPrefix(s.URL, "${") {
			v.errorf("store.url", "not a PostgreSQL URL (want postgres://user@host:5432/dbname; the value is not shown, as it may hold a password)")
		}
	}
	if s.Lease == "" {
		return DefaultLease
	}
	if s.URL == "" {
		v.errorf("store.lease", "set without store.url (the lease is for several instances on PostgreSQL; SQLite runs one instance, always the leader)")
	}
	d := v.duration("store.lease", s.Lease)
	if d > 0 && (d < time.Second || d > 5*time.Minute) {
		v.errorf("store.lease", "%q is out of range (want 1s to 5m; 10s by default)", s.Lease)
	}
	return d
}

// duration reads 7d, 36h, 90m or a Go duration such as 1h30m.
func (v *validator) duration(path, s string) time.Duration {
	if s == "" {
		v.errorf(path, "missing (want a duration such as 7d, 36h or 90m)")
		return 0
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err == nil && fmt.Sprint(n) == days && n > 0 {
			return time.Duration(n) * 24 * time.Hour
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		v.errorf(path, "%q is not a duration (want e.g. 7d, 36h or 90m)", s)
		return 0
	}
	return d
}

// Defaults and bounds of the e-mail settings.
const (
	DefaultEmailSecurity      = "starttls"
	DefaultLinkGrace          = 30 * 24 * time.Hour
	maxLinkGrace              = 366 * 24 * time.Hour
	minLinkSecret             = 32
	maxEmailMessagesPerSecond = 50
)

// EmailPorts are the default SMTP ports of each email.security.
var EmailPorts = map[string]int{"starttls": 587, "tls": 465, "none": 25}

// mailServerRules are what a mail server's settings allow, and the words
// of their errors.
type mailServerRules struct {
	// ports are the default ports of each security mode; security is the
	// default mode, modes the modes as errors list them.
	ports           map[string]int
	security, modes string
	// host, clear, server and portHint fill in the errors.
	host, clear, server, portHint string
}

// mailServer checks the host, security mode and port of a mail server
// (the SMTP relay, the IMAP journal) under prefix, and fills in the
// default mode and that mode's port. A mode without encryption is allowed
// only to this machine.
func (v *validator) mailServer(prefix, host string, security *string, port *int, r mailServerRules) {
	if host == "" {
		v.errorf(prefix+".host", "missing (want %s)", r.host)
	}
	if *security == "" {
		*security = r.security
	}
	if _, ok := r.ports[*security]; !ok {
		v.errorf(prefix+".security", "%q is not a security mode (want %s)", *security, r.modes)
	} else if *security == "none" && host != "" && !isLoopback(host) {
		v.errorf(prefix+".security", "none sends %s in clear text: allowed only to %s on this machine (localhost, 127.0.0.1, ::1), not %s", r.clear, r.server, v.shown(prefix+".host", host))
	}
	if *port == 0 {
		*port = r.ports[*security]
	} else if *port < 1 || *port > 65535 {
		v.errorf(prefix+".port", "%d is not a port number (want 1 to 65535; %s)", *port, r.portHint)
	}
}

// email checks the e-mail settings and fills in their defaults. A link
// secret or password is never echoed.
func (v *validator) email(e *EmailConfig) {
	if e == nil {
		return
	}
	v.mailServer("email", e.Host, &e.Security, &e.Port, mailServerRules{
		ports: EmailPorts, security: DefaultEmailSecurity, modes: "starttls, tls or none",
		host: "the SMTP relay's host name, e.g. smtp.example.org", clear: "the password and the messages",
		server: "a relay", portHint: "587 for starttls, 465 for tls",
	})
	if (e.Username == "") != (e.Password == "") && !v.skipSecrets {
		v.errorf("email.username", "username and password go together (set both, or neither for a relay that needs no login)")
	}
	v.mailbox("email.from", e.From, true)
	v.mailbox("email.reply_to", e.ReplyTo, false)
	v.baseURL(e.BaseURL)
	if !v.skipSecrets {
		switch n := len(e.LinkSecret); {
		case n == 0:
			v.errorf("email.link_secret", "missing (want at least %d random characters from the environment, e.g. ${FORUMBOT_LINK_SECRET}: it signs the links to the form)", minLinkSecret)
		case n < minLinkSecret && !envRef.MatchString(e.LinkSecret):
			v.errorf("email.link_secret", "is %d characters (want at least %d random characters, e.g. from openssl rand -base64 32)", n, minLinkSecret)
		}
	}
	e.Grace = DefaultLinkGrace
	if e.LinkGrace != "" {
		if d := v.duration("email.link_grace", e.LinkGrace); d > maxLinkGrace {
			v.errorf("email.link_grace", "%q is over a year (want e.g. 30d: how long after a round closes its links still open the form)", e.LinkGrace)
		} else if d > 0 {
			e.Grace = d
		}
	}
	if e.MessagesPerSecond < 0 || e.MessagesPerSecond > maxEmailMessagesPerSecond {
		v.errorf("email.messages_per_second", "%g is out of range (want more than 0 and at most %d, or leave it out for 1 a second; check your relay's limit)", e.MessagesPerSecond, maxEmailMessagesPerSecond)
	}
	v.emailJournal(e.Journal)
}

// mailbox checks an e-mail sender or reply address: an address, or a name
// and an address ("Forum <forum@example.org>").
func (v *validator) mailbox(path, s string, required bool) {
	if s == "" {
		if required {
			v.errorf(path, "missing (want the sender, e.g. \"Forum <forum@example.org>\")")
		}
		return
	}
	if _, err := mail.ParseAddress(s); err != nil {
		v.errorf(path, "%s is not an e-mail address (want forum@example.org or \"Forum <forum@example.org>\")", v.shown(path, s))
	}
}

// baseURL checks the public address of the form: an http(s) URL without
// a query, https unless it is this machine (the links carry personal
// tokens).
func (v *validator) baseURL(s string) {
	if s == "" {
		v.errorf("email.base_url", "missing (want the public https address of serve's listener, e.g. https://forum.example.org: the links in e-mails point there)")
		return
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "":
		v.errorf("email.base_url", "%s is not an http(s) address without a query (want e.g. https://forum.example.org)", v.shown("email.base_url", s))
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		v.errorf("email.base_url", "%s is not https: the links carry personal tokens (http is allowed only for localhost)", v.shown("email.base_url", s))
	}
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
