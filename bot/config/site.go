package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"forumbot/bot"
)

// SiteConfig is the instance's public site as written: where serve
// mounts it on http.listen, the address it is published at, and the
// language of its front page.
type SiteConfig struct {
	// Path is the URL path under which serve answers the site's pages,
	// /site/ by default.
	Path string `yaml:"path,omitempty"`
	// BaseURL is the public address of the site (https://…/site/), used
	// for the absolute links of the Atom feeds; relative links otherwise.
	BaseURL string `yaml:"base_url,omitempty" env:"expand"`
	// Locale is the language of the site's front page; each forum's pages
	// default to the forum's own.
	Locale string `yaml:"locale,omitempty"`
	// FormSecret signs the question forms (their CSRF tokens); required
	// when a forum takes questions, usually ${FORUMBOT_FORM_SECRET}.
	FormSecret string `yaml:"form_secret,omitempty" env:"expand"`
	// Asking bounds how many questions the site takes.
	Asking *AskingConfig `yaml:"asking,omitempty"`
}

// AskingConfig bounds the questions posted to the site, per hour.
type AskingConfig struct {
	// PerAddress is how many posts one client address may make an hour:
	// 10 by default.
	PerAddress int `yaml:"per_address_per_hour,omitempty"`
	// Total is how many posts the site takes an hour from everyone: 200
	// by default.
	Total int `yaml:"per_hour,omitempty"`
}

// ForumSiteConfig is what one forum publishes on the public site.
type ForumSiteConfig struct {
	// Public opts the forum in: without it nothing of the forum is
	// published.
	Public bool `yaml:"public,omitempty"`
	// Licence is the SPDX id of the licence of the published data.
	Licence string `yaml:"licence,omitempty"`
	// Contact is an e-mail address or a web page where the public can
	// reach the forum.
	Contact string         `yaml:"contact,omitempty"`
	Publish *PublishConfig `yaml:"publish,omitempty"`
	// Questions lets the public ask the committees questions on the
	// forum's commitment pages.
	Questions *QuestionsConfig `yaml:"questions,omitempty"`
}

// QuestionsConfig is how a public forum takes questions from the public.
type QuestionsConfig struct {
	// Enabled shows the question form on the commitment pages.
	Enabled bool `yaml:"enabled"`
	// Deadline is how long the committee has to answer: 15d by default.
	Deadline string `yaml:"deadline,omitempty"`
	// RemindBefore are the reminders to the committee before the
	// deadline: [5d, 1d] by default.
	RemindBefore []string `yaml:"remind_before,omitempty"`
	// SendTo is who an approved question goes to first: leads (the
	// chairs and the lead agency's members, the default) or committee.
	SendTo string `yaml:"send_to,omitempty"`
	// KeepContacts is how long an asker's e-mail address is kept after
	// the question is answered or rejected: 30d by default.
	KeepContacts string `yaml:"keep_contacts,omitempty"`
}

// PublishConfig chooses what of the members' answers is published beyond
// the figures, the levels, the milestones and the organisations.
type PublishConfig struct {
	// Text publishes progress, notes, blockers and next steps as the
	// members wrote them; off by default (a blocker is then shown to exist,
	// without its words).
	Text bool `yaml:"text,omitempty"`
	// Evidence publishes the members' evidence links; on by default.
	Evidence *bool `yaml:"evidence,omitempty"`
}

// Site is the validated public site.
type Site struct {
	// Path starts and ends with a slash.
	Path string
	// BaseURL is empty or an http(s) URL ending with a slash.
	BaseURL string
	Locale  string
	// Forums holds the public forums' settings, by forum id; a forum not
	// listed publishes nothing.
	Forums map[string]SiteForum
	// FormSecret signs the question forms; AskPerAddress and AskTotal
	// are the posts taken an hour per client address and in all.
	FormSecret              string
	AskPerAddress, AskTotal int
}

// Question form defaults: posts an hour per client address and in all,
// and the shortest form secret.
const (
	DefaultAskPerAddress = 10
	DefaultAskTotal      = 200
	minFormSecret        = 32
)

// SiteForum is what a public forum publishes.
type SiteForum struct {
	// Licence is an SPDX id of Licences, LicenceURL its text.
	Licence, LicenceURL string
	Contact             string
	// Text and Evidence say whether the members' words and evidence links
	// are published.
	Text, Evidence bool
}

// DefaultSitePath is where serve mounts the public site.
const DefaultSitePath = "/site/"

// Licences are the open licences a forum may publish its data under, by
// SPDX id, with the address of their text.
var Licences = map[string]string{
	"CC-BY-4.0":    "https://creativecommons.org/licenses/by/4.0/",
	"CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
	"CC0-1.0":      "https://creativecommons.org/publicdomain/zero/1.0/",
	"ODC-By-1.0":   "https://opendatacommons.org/licenses/by/1-0/",
	"ODbL-1.0":     "https://opendatacommons.org/licenses/odbl/1-0/",
	"PDDL-1.0":     "https://opendatacommons.org/licenses/pddl/1-0/",
	"OGL-UK-3.0":   "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}

func licenceIDs() string {
	ids := make([]string, 0, len(Licences))
	for id := range Licences {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}

// sitePathRE is a URL path of plain segments, starting and ending with /.
var sitePathRE = regexp.MustCompile(`^/([A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*/)*$`)

// siteReserved are the routes the site may not take: the listener's and,
// when Discord answers on its interactions endpoint, that path.
func siteReserved(f *File) []string {
	routes := listenerRoutes
	if d := f.Discord; d != nil && d.Interactions == DiscordEndpoint {
		p := d.InteractionsPath
		if p == "" {
			p = DefaultInteractionsPath
		}
		routes = append(append([]string(nil), routes...), p)
	}
	return routes
}

// site checks the site: blocks of the file and returns the site.
func (v *validator) site(f *File) Site {
	s := Site{Path: DefaultSitePath, Locale: DefaultLocale, Forums: map[string]SiteForum{}, AskPerAddress: DefaultAskPerAddress, AskTotal: DefaultAskTotal}
	if sc := f.Site; sc != nil {
		s.FormSecret = sc.FormSecret
		v.asking(sc.Asking, &s)
		if sc.Path != "" {
			s.Path = sc.Path
			v.sitePath(sc.Path, siteReserved(f))
		}
		if sc.BaseURL != "" {
			v.url("site.base_url", sc.BaseURL)
			s.BaseURL = sc.BaseURL
			if !strings.HasSuffix(s.BaseURL, "/") {
				s.BaseURL += "/"
			}
		}
		if sc.Locale != "" {
			s.Locale = v.locale("site.locale", sc.Locale)
		}
	}
	for i, fc := range f.Forums {
		if fc.Site == nil {
			continue
		}
		path := fmt.Sprintf("forums[%d].site", i)
		sf := v.forumSite(path, fc.Site)
		if fc.Site.Public {
			s.Forums[fc.ID] = sf
		}
	}
	v.formSecret(f, s.FormSecret)
	return s
}

// asking checks the site's limits on questions posted.
func (v *validator) asking(a *AskingConfig, s *Site) {
	if a == nil {
		return
	}
	for _, x := range []struct {
		key string
		n   int
		to  *int
		max int
	}{{"per_address_per_hour", a.PerAddress, &s.AskPerAddress, 1000}, {"per_hour", a.Total, &s.AskTotal, 100000}} {
		switch {
		case x.n == 0:
		case x.n < 0 || x.n > x.max:
			v.errorf("site.asking."+x.key, "%d is out of range (want 1 to %d, or leave it out for the default)", x.n, x.max)
		default:
			*x.to = x.n
		}
	}
}

// formSecret requires the secret that signs the question forms when a
// forum takes questions; its value is never echoed.
func (v *validator) formSecret(f *File, secret string) {
	if v.skipSecrets {
		return
	}
	for i, fc := range f.Forums {
		if fc.Site == nil || fc.Site.Questions == nil || !fc.Site.Questions.Enabled {
			continue
		}
		switch {
		case secret == "":
			v.errorf("site.form_secret", "missing, and %s has site.questions.enabled: true (want a random secret of at least %d characters that signs the question forms, usually ${FORUMBOT_FORM_SECRET}; e.g. openssl rand -hex 32)", v.place(i), minFormSecret)
		case len(secret) < minFormSecret && !envRef.MatchString(secret):
			v.errorf("site.form_secret", "too short (want at least %d characters, e.g. openssl rand -hex 32)", minFormSecret)
		}
		return
	}
}

func (v *validator) sitePath(p string, reserved []string) {
	if !sitePathRE.MatchString(p) {
		v.errorf("site.path", "%q is not allowed (want a URL path that starts and ends with /, of letters, digits, - _ and ., e.g. /site/)", p)
		return
	}
	if r := routeTaken(strings.TrimSuffix(p, "/"), reserved); r != "" {
		v.errorf("site.path", "%q is taken by %s on the same listener (want another path, e.g. /site/)", p, r)
	}
}

// forumSite checks a forum's site: block, whether it is public or not, so
// that turning it on later holds no surprise.
func (v *validator) forumSite(path string, fs *ForumSiteConfig) SiteForum {
	sf := SiteForum{Licence: fs.Licence, Contact: fs.Contact, Evidence: true}
	switch u, ok := Licences[fs.Licence]; {
	case fs.Licence == "" && fs.Public:
		v.errorf(path+".licence", "missing (want the licence of the published data, one of %s; e.g. CC-BY-4.0)", licenceIDs())
	case fs.Licence != "" && !ok:
		v.errorf(path+".licence", "%q is not a licence forumbot knows (want one of %s)", fs.Licence, licenceIDs())
	default:
		sf.LicenceURL = u
	}
	if fs.Contact != "" && !isContact(fs.Contact) {
		v.errorf(path+".contact", "%q is not an e-mail address or an http(s) URL (want where the public can reach the forum, e.g. forum@example.org)", fs.Contact)
	}
	if p := fs.Publish; p != nil {
		sf.Text = p.Text
		if p.Evidence != nil {
			sf.Evidence = *p.Evidence
		}
	}
	return sf
}

// isContact reports whether s is a bare e-mail address or an http(s) URL.
func isContact(s string) bool {
	if u, err := url.Parse(s); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return true
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// questions checks a forum's site.questions block.
func (v *validator) questions(path string, qc *QuestionsConfig, public bool) bot.QuestionPolicy {
	p := bot.QuestionPolicy{
		Enabled: qc.Enabled, Deadline: bot.DefaultQuestionDeadline, RemindBefore: bot.DefaultRemindBefore,
		SendTo: bot.SendToLeads, KeepContacts: bot.DefaultKeepContacts,
	}
	if qc.Enabled && !public {
		v.errorf(path+".enabled", "true on a forum that is not public (want site.public: true too, or enabled: false): questions are asked on the public site")
	}
	if qc.Deadline != "" {
		p.Deadline = v.duration(path+".deadline", qc.Deadline)
	}
	if qc.RemindBefore != nil {
		p.RemindBefore = nil
		for i, s := range qc.RemindBefore {
			at := fmt.Sprintf("%s.remind_before[%d]", path, i)
			d := v.duration(at, s)
			switch {
			case d >= p.Deadline && d > 0:
				v.errorf(at, "%q is not shorter than the deadline (%s): a reminder comes before it", s, qc.Deadline)
			case i > 0 && d >= p.RemindBefore[i-1]:
				v.errorf(at, "%q is not shorter than the reminder before it (want the longest first, e.g. [5d, 1d])", s)
			}
			p.RemindBefore = append(p.RemindBefore, d)
		}
	}
	switch bot.QuestionRecipients(qc.SendTo) {
	case "":
	case bot.SendToLeads, bot.SendToCommittee:
		p.SendTo = bot.QuestionRecipients(qc.SendTo)
	default:
		v.errorf(path+".send_to", "%q is not allowed (want leads or committee)", qc.SendTo)
	}
	if qc.KeepContacts != "" {
		p.KeepContacts = v.duration(path+".keep_contacts", qc.KeepContacts)
	}
	return p
}
