// Package config reads forumbot's YAML configuration, expands ${ENV}
// references, and validates it once into the domain types of package bot.
// Every error names the key path and what is allowed there.
package config

import "time"

// File is the YAML configuration as written. Dates, durations and enums are
// strings here; Load checks them and turns them into bot types.
//
// ${NAME} is replaced with the environment variable NAME only in the keys
// tagged env:"expand": the secrets and the deployment settings. Every
// other string, and all text shown to people, is read as written, and $${
// writes a literal ${ anywhere.
type File struct {
	Store   StoreConfig    `yaml:"store,omitempty"`
	HTTP    HTTPConfig     `yaml:"http,omitempty"`
	Sender  SenderConfig   `yaml:"sender,omitempty"`
	Slack   *SlackConfig   `yaml:"slack,omitempty"`
	Discord *DiscordConfig `yaml:"discord,omitempty"`
	Email   *EmailConfig   `yaml:"email,omitempty"`
	// Site says where serve publishes the public site of the forums
	// whose site: block makes them public.
	Site   *SiteConfig   `yaml:"site,omitempty"`
	Forums []ForumConfig `yaml:"forums"`
	// ForumFiles lists more files of forums, each a YAML document with a
	// forums: list alone: paths or glob patterns (forums/*.yaml),
	// relative to this file's directory. Their forums come after those of
	// forums:, file by file, a pattern's files in name order. An instance
	// of many forums keeps each in a file of its own, each within
	// MaxFileSize.
	ForumFiles []string `yaml:"forum_files,omitempty" env:"expand"`
}

// forumFile is a file named by forum_files.
type forumFile struct {
	Forums []ForumConfig `yaml:"forums"`
}

// StoreConfig says where the database lives: a SQLite file (path, the
// default, for one instance) or a PostgreSQL database (url, for several
// instances sharing it). Set one of the two.
type StoreConfig struct {
	Path string `yaml:"path,omitempty" env:"expand"`
	// URL is a PostgreSQL connection string, postgres://user@host/db;
	// write its password as ${NAME} or leave it to PGPASSWORD.
	URL string `yaml:"url,omitempty" env:"expand"`
	// Lease bounds leadership on PostgreSQL: the leader checks its lock's
	// connection this often and steps down when a check fails; another
	// instance takes over within twice the lease. 10s by default.
	Lease string `yaml:"lease,omitempty"`
}

// HTTPConfig is the bot's own HTTP listener: /healthz and the
// Slack Events API in HTTP mode.
type HTTPConfig struct {
	Listen string `yaml:"listen,omitempty" env:"expand"`
}

// SenderConfig paces and retries outbound messages.
type SenderConfig struct {
	Rate    float64 `yaml:"rate,omitempty"`
	Workers int     `yaml:"workers,omitempty"`
	// GiveUpAfter is how long a message may keep failing before the
	// sender gives up on it (7d, 36h, 90m); 24h by default.
	GiveUpAfter string `yaml:"give_up_after,omitempty"`
	// MaxAttempts is read for configurations written before
	// give_up_after, with a warning; it changes nothing.
	MaxAttempts int `yaml:"max_attempts,omitempty"`
}

// SlackConfig connects the Slack adapter.
type SlackConfig struct {
	BotToken      string `yaml:"bot_token" env:"expand"`
	AppToken      string `yaml:"app_token,omitempty" env:"expand"`
	SigningSecret string `yaml:"signing_secret,omitempty" env:"expand"`
	APIURL        string `yaml:"api_url,omitempty" env:"expand"`
	// Command is the slash command's name; /forum by default.
	Command string `yaml:"command,omitempty"`
	// PostsPerSecond paces chat.postMessage across the workspace and
	// PostBurst is how many posts may go back to back; DMOpensPerMinute
	// paces conversations.open. Zero leaves the adapter's defaults.
	PostsPerSecond   float64 `yaml:"posts_per_second,omitempty"`
	PostBurst        int     `yaml:"post_burst,omitempty"`
	DMOpensPerMinute float64 `yaml:"dm_opens_per_minute,omitempty"`
	// SocketConnections is how many Socket Mode connections each
	// instance keeps open; zero leaves the adapter's default (2).
	SocketConnections int `yaml:"socket_connections,omitempty"`
}

// DiscordConfig connects the Discord adapter.
type DiscordConfig struct {
	Token         string `yaml:"token" env:"expand"`
	ApplicationID string `yaml:"application_id" env:"expand"`
	GuildID       string `yaml:"guild_id,omitempty" env:"expand"`
	APIURL        string `yaml:"api_url,omitempty" env:"expand"`
	// Interactions says where Discord sends interactions (commands,
	// buttons, menus, forms): "gateway" (the default) or "endpoint", the
	// application's Interactions Endpoint URL on the bot's HTTP listener,
	// which every instance behind a load balancer can answer.
	Interactions string `yaml:"interactions,omitempty"`
	// PublicKey is the application's public key (64 hexadecimal digits),
	// which signs every request to the endpoint; needed with
	// interactions: endpoint.
	PublicKey string `yaml:"public_key,omitempty" env:"expand"`
	// InteractionsPath is the endpoint's path on the HTTP listener;
	// DefaultInteractionsPath by default.
	InteractionsPath string `yaml:"interactions_path,omitempty"`
	// RequestsPerSecond paces the requests that count toward Discord's
	// global limit (50 a second); zero leaves the adapter's default (45).
	RequestsPerSecond float64 `yaml:"requests_per_second,omitempty"`
}

// EmailConfig connects the e-mail adapter: prompts, reminders and digests
// sent through an SMTP relay, answered on a web form that serve hosts at
// base_url.
type EmailConfig struct {
	// Host and Port are the SMTP relay's; Port defaults to 587 for
	// starttls, 465 for tls and 25 for none.
	Host string `yaml:"host" env:"expand"`
	Port int    `yaml:"port,omitempty"`
	// Security is starttls (the default), tls (implicit TLS, port 465) or
	// none (only to a relay on this machine).
	Security string `yaml:"security,omitempty"`
	Username string `yaml:"username,omitempty" env:"expand"`
	Password string `yaml:"password,omitempty" env:"expand"`
	// From is the sender, "Forum name <forum@example.org>" or an address;
	// ReplyTo, when set, is where members' replies go (the coordinators).
	From    string `yaml:"from" env:"expand"`
	ReplyTo string `yaml:"reply_to,omitempty" env:"expand"`
	// BaseURL is the public address of serve's HTTP listener, to which
	// the links in the e-mails point (https://forum.example.org).
	BaseURL string `yaml:"base_url" env:"expand"`
	// LinkSecret signs the links (at least 32 characters, from the
	// environment); LinkGrace is how long after its round closes a link
	// still opens the form (for corrections); 30d by default.
	LinkSecret string `yaml:"link_secret" env:"expand"`
	LinkGrace  string `yaml:"link_grace,omitempty"`
	// Grace is LinkGrace read, DefaultLinkGrace when it is not set.
	Grace time.Duration `yaml:"-"`
	// MessagesPerSecond paces the relay; 1 by default.
	MessagesPerSecond float64 `yaml:"messages_per_second,omitempty"`
	// Journal, when set, is the IMAP mailbox where the bot finds, after a
	// crash, whether the relay already took a message (journal.go).
	Journal *EmailJournalConfig `yaml:"journal,omitempty"`
}

// ForumConfig is one multistakeholder forum.
type ForumConfig struct {
	ID               string         `yaml:"id"`
	Name             string         `yaml:"name"`
	Timezone         string         `yaml:"timezone"`
	Locale           string         `yaml:"locale,omitempty"`
	DigestChannel    string         `yaml:"digest_channel"`
	Coordinators     []string       `yaml:"coordinators"`
	Officials        []string       `yaml:"officials,omitempty"`
	StatusVisibility string         `yaml:"status_visibility,omitempty"`
	ShowNames        bool           `yaml:"show_names,omitempty"`
	Schedule         ScheduleConfig `yaml:"schedule"`
	Plan             PlanConfig     `yaml:"plan"`
	// Site says whether and what the forum publishes on the public site.
	Site *ForumSiteConfig `yaml:"site,omitempty"`
}

// ScheduleConfig says when rounds open, how long they last and when the
// silent are reminded. Durations are written 7d, 36h or 90m.
type ScheduleConfig struct {
	Prompt    string   `yaml:"prompt"`
	Window    string   `yaml:"window"`
	Reminders []string `yaml:"reminders,omitempty"`
	// FinalRoundGrace lets rounds open this long after the plan's end
	// date, for a final round on its last month; none by default.
	FinalRoundGrace string `yaml:"final_round_grace,omitempty"`
}

// PlanConfig is an action plan.
type PlanConfig struct {
	ID          string             `yaml:"id"`
	Title       string             `yaml:"title,omitempty"`
	Start       string             `yaml:"start,omitempty"`
	End         string             `yaml:"end,omitempty"`
	Commitments []CommitmentConfig `yaml:"commitments"`
}

// CommitmentConfig is one commitment and its follow-up committee.
type CommitmentConfig struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	// ShortTitle is an optional one-line label of at most MaxShortTitle
	// characters, such as OGP's "Short Title"; Title is the full title.
	ShortTitle              string            `yaml:"short_title,omitempty"`
	Description             string            `yaml:"description,omitempty"`
	LeadAgency              string            `yaml:"lead_agency,omitempty"`
	SupportingOrganisations []string          `yaml:"supporting_organisations,omitempty"`
	Values                  []string          `yaml:"values,omitempty"`
	PolicyAreas             []string          `yaml:"policy_areas,omitempty"`
	Start                   string            `yaml:"start,omitempty"`
	End                     string            `yaml:"end,omitempty"`
	URL                     string            `yaml:"url,omitempty"`
	IRM                     *IRMConfig        `yaml:"irm,omitempty"`
	Milestones              []MilestoneConfig `yaml:"milestones,omitempty"`
	Committee               []MemberConfig    `yaml:"committee"`
}

// IRMConfig holds the IRM's assessment of a commitment, in its wording.
type IRMConfig struct {
	CompletionProgressReport string `yaml:"completion_progress_report,omitempty"`
	CompletionEndOfTerm      string `yaml:"completion_end_of_term,omitempty"`
	DidItOpenGovernment      string `yaml:"did_it_open_government,omitempty"`
}

// MilestoneConfig is a dated step of a commitment.
type MilestoneConfig struct {
	ID     string  `yaml:"id"`
	Title  string  `yaml:"title"`
	Start  string  `yaml:"start,omitempty"`
	Due    string  `yaml:"due,omitempty"`
	Weight float64 `yaml:"weight,omitempty"`
}

// MemberConfig is a person on a committee. The same person may sit on
// several committees; their name, group and organisation must agree.
type MemberConfig struct {
	Who       string `yaml:"who"`
	Name      string `yaml:"name"`
	Group     string `yaml:"group"`
	Org       string `yaml:"org"`
	Role      string `yaml:"role,omitempty"`
	Locale    string `yaml:"locale,omitempty"`
	AwayUntil string `yaml:"away_until,omitempty"`
	// Fallback is an email: address where the person's prompts and
	// reminders go when their chat platform refuses them for good.
	Fallback string `yaml:"fallback,omitempty"`
}
