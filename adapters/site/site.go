// Package site publishes what each public forum reports, for anyone to
// read: an index of the forums, a page per forum and per commitment, the
// archive of digests with an Atom feed, the commitments of every forum by
// OGP value and policy area, and every page's data as JSON and CSV.
//
// It is a driving adapter: it reads the record through bot.Store and
// computes every figure with the engine (Engine.Report, Engine.DigestData),
// as the digest and the report do, then renders with html/template from
// templates embedded here and texts from the bot's catalogs. serve mounts
// Site as an http.Handler under a path; Export writes the same pages as
// files, byte for byte, for any static host.
//
// Where a forum takes questions from the public, the site also serves a
// question form per commitment, which hands the question to Engine.Ask,
// and a permalink per question; both are made on request and never
// exported (ask.go). The approved questions, their answers and the counts
// of bot.TallyQuestions are on the cached pages and in the data.
//
// Nothing personal is published: organisations and stakeholder groups,
// never a member's name or chat id; the words of the answers only where a
// forum turns them on; of a question, its text only once approved, the
// asker's name only if they agreed, their e-mail address never. See
// docs/ARCHITECTURE.md.
package site

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"forumbot/bot"
)

// Forum is a forum the site publishes, and what of it.
type Forum struct {
	Forum *bot.Forum
	// Licence is the SPDX id of the data's licence; LicenceURL its text.
	Licence, LicenceURL string
	// Contact is an e-mail address or a web page; optional.
	Contact string
	// Text publishes the members' words (progress, notes, blockers, next
	// steps); off, a blocker is shown to exist without its words.
	Text bool
	// Evidence publishes the members' evidence links.
	Evidence bool
}

// Config is what a Site is built from.
type Config struct {
	// Engine computes the figures; it needs no chat.
	Engine *bot.Engine
	// Store is read for the rounds and the record's head, which say when
	// the published pages must be computed again.
	Store bot.Store
	// Forums are the public forums, in the order the index lists them.
	Forums []Forum
	// Path is where the site is served, starting and ending with "/";
	// "/site/" by default. Export ignores it: its links are relative.
	Path string
	// BaseURL, when set, is the site's public address ending with "/":
	// the Atom feeds then give absolute links.
	BaseURL string
	// Locale is the language of the front page; "en" by default.
	Locale string
	// Now is the clock; time.Now by default.
	Now func() time.Time
	// Refresh is how long served pages are reused before the record is
	// looked at again for changes; 10 s by default.
	Refresh time.Duration
	// Amendments is how long pages are reused when the record grew but no
	// round opened, closed or was voided and the day is the same: answers
	// to an open round are not published until it closes, and a
	// correction to a closed one shows within this time. It bounds how
	// often a forum's report is recomputed while members answer; 10
	// minutes by default.
	Amendments time.Duration
	// RequestTimeout bounds the work on one request; 20 s by default.
	RequestTimeout time.Duration
	// Log receives errors; slog.Default() by default.
	Log *slog.Logger
	// FormSecret signs the question forms' tokens; without it the forms
	// are shown but refuse every post.
	FormSecret string
	// AskPerAddress and AskTotal are how many question posts the site
	// takes an hour from one client address and from everyone;
	// DefaultAskPerAddress and DefaultAskTotal by default.
	AskPerAddress, AskTotal int
}

// Site serves and exports the public pages. It is safe for concurrent use.
type Site struct {
	cfg    Config
	forums map[string]*Forum
	// texts and printers hold each locale's catalog texts and number
	// formats.
	texts    map[string]bot.Texts
	printers map[string]*message.Printer

	asking *asking
	// origin is BaseURL's scheme and host, which the question form's
	// posts must come from; "" without BaseURL (kit.SameOrigin).
	origin string

	mu      sync.Mutex
	state   *state
	checked time.Time
}

// New checks cfg and returns the site.
func New(cfg Config) (*Site, error) {
	if cfg.Engine == nil || cfg.Store == nil {
		return nil, errors.New("site: an engine and a store are required")
	}
	if cfg.Path == "" {
		cfg.Path = "/site/"
	}
	if !strings.HasPrefix(cfg.Path, "/") || !strings.HasSuffix(cfg.Path, "/") {
		return nil, fmt.Errorf("site: path %q must start and end with /", cfg.Path)
	}
	var origin string
	if cfg.BaseURL != "" {
		if !strings.HasSuffix(cfg.BaseURL, "/") {
			cfg.BaseURL += "/"
		}
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("site: base URL %q is not an absolute http(s) address", cfg.BaseURL)
		}
		origin = u.Scheme + "://" + u.Host
	}
	if cfg.Locale == "" {
		cfg.Locale = bot.Locales()[0]
	}
	if !isLocale(cfg.Locale) {
		return nil, fmt.Errorf("site: locale %q: want one of %s", cfg.Locale, strings.Join(bot.Locales(), ", "))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Amendments <= 0 {
		cfg.Amendments = 10 * time.Minute
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = 10 * time.Second
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 20 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Site{cfg: cfg, forums: map[string]*Forum{}, texts: map[string]bot.Texts{}, printers: map[string]*message.Printer{},
		asking: newAsking(cfg.FormSecret, cfg.AskPerAddress, cfg.AskTotal), origin: origin}
	for _, l := range bot.Locales() {
		s.texts[l] = cfg.Engine.Texts(l)
		s.printers[l] = message.NewPrinter(language.Make(l))
	}
	for i := range cfg.Forums {
		f := &s.cfg.Forums[i]
		if f.Forum == nil {
			return nil, fmt.Errorf("site: forums[%d] has no forum", i)
		}
		if _, dup := s.forums[f.Forum.ID]; dup {
			return nil, fmt.Errorf("site: forum %s listed twice", f.Forum.ID)
		}
		if f.Licence == "" {
			return nil, fmt.Errorf("site: forum %s has no licence", f.Forum.ID)
		}
		s.forums[f.Forum.ID] = f
	}
	return s, nil
}

func isLocale(l string) bool {
	for _, x := range bot.Locales() {
		if x == l {
			return true
		}
	}
	return false
}

// current returns the state of the record the pages are computed from,
// looking at the record again when Refresh has passed since it last did
// (or always, with fresh).
func (s *Site) current(ctx context.Context, fresh bool) (*state, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	if s.state != nil && !fresh && now.Sub(s.checked) < s.cfg.Refresh && !now.Before(s.checked) {
		return s.state, nil
	}
	st, err := s.look(ctx, s.state)
	if err != nil {
		return nil, err
	}
	s.state, s.checked = st, now
	return st, nil
}
