package bot

import (
	"embed"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.yaml
var localeFiles embed.FS

// Catalog holds the member-facing texts of every supported locale, loaded
// from the YAML catalogs embedded from bot/locales.
type Catalog struct {
	bundle *i18n.Bundle
	// templates caches each message's parsed template by locale, id and
	// plural count, as go-i18n resolved it the first time: a big digest
	// asks for messages tens of thousands of times, and go-i18n resolves
	// the language and builds a map of the values on every call.
	templates sync.Map
}

// newCatalog loads the embedded catalogs.
func newCatalog() (*Catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	for _, l := range langs.locales {
		if _, err := b.ParseMessageFileBytes(langs.files[l], l+".yaml"); err != nil {
			return nil, fmt.Errorf("locale catalog %s.yaml: %w", l, err)
		}
	}
	return &Catalog{bundle: b}, nil
}

// MustCatalog is NewCatalog for tests and main, where a broken embedded
// catalog is a programming error.
func MustCatalog() *Catalog {
	c, err := newCatalog()
	if err != nil {
		panic(err)
	}
	return c
}

// Texts returns the texts of one locale; unknown locales fall back to the
// closest supported one, then English.
func (c *Catalog) Texts(locale string) Texts {
	return Texts{loc: i18n.NewLocalizer(c.bundle, locale, "en"), locale: locale, templates: &c.templates}
}

// Texts localises messages for one locale.
type Texts struct {
	loc       *i18n.Localizer
	locale    string
	templates *sync.Map
}

// Locale returns the locale asked for.
func (t Texts) Locale() string { return t.locale }

// T returns the message id with its placeholders filled from pairs of name
// and value: T("cmd.away.set", "Date", "15 Dec 2026").
func (t Texts) T(id string, pairs ...any) string { return t.localize(id, nil, pairs) }

// N is T for a message with plural forms, chosen by n, which is also
// available to the message as {{.Count}}.
func (t Texts) N(id string, n int, pairs ...any) string {
	return t.localize(id, n, append([]any{"Count", n}, pairs...))
}

// localize fills message id's template with pairs. The template is found
// through go-i18n once per locale, id and count, by a probe its Execute
// recognises, and run directly afterwards.
func (t Texts) localize(id string, count any, pairs []any) string {
	if t.loc == nil {
		return id
	}
	key := templateKey{t.locale, id, count}
	if cached, ok := t.templates.Load(key); ok {
		return cached.(runner).run(pairs)
	}
	probe := &templateProbe{}
	_, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: probe, PluralCount: count, TemplateParser: fields})
	if err != nil || probe.found == nil {
		return "[" + id + "]"
	}
	t.templates.Store(key, probe.found)
	return probe.found.run(pairs)
}

// templateKey names a cached template: a count is part of it because it
// picks the plural form.
type templateKey struct {
	locale, id string
	count      any
}

// Date formats d for the locale, e.g. "15 Dec 2026".
func (t Texts) Date(d Date) string {
	if d.IsZero() {
		return ""
	}
	return t.T("format.date", "Day", d.Day, "Month", t.T(monthKey(d.Month, true)), "Year", d.Year)
}

// Period formats p for the locale, e.g. "November 2026".
func (t Texts) Period(p Period) string {
	if p.IsZero() {
		return ""
	}
	return t.T("format.period", "Month", t.T(monthKey(p.Month, false)), "Year", p.Year)
}

// Time formats a moment on a forum's wall clock, e.g. "1 Dec 2026, 09:00".
func (t Texts) Time(at time.Time) string {
	return t.T("format.time", "Date", t.Date(DateOf(at)), "Clock", at.Format("15:04"))
}

// Percent formats a whole percentage, e.g. "78%" or "78 %".
func (t Texts) Percent(n int) string { return t.T("format.percent", "N", n) }

// Level names a completion level in the locale (the IRM's wording in English).
func (t Texts) Level(c Completion) string {
	if c == NoCompletion {
		return t.T("level.none")
	}
	return t.T("level." + levelSlug(c))
}

// Describe returns the one-line description of a command (of the whole
// /forum command when cmd is empty), or of its argument arg, as a platform
// shows it beside the command's name; under 100 characters.
func (t Texts) Describe(cmd CommandName, arg string) string {
	switch {
	case cmd == "":
		return t.T("syntax.forum")
	case arg == "":
		return t.T("syntax." + string(cmd))
	}
	return t.T("syntax." + string(cmd) + "." + arg)
}

// levelSlug names a completion level in catalog keys: "notstarted",
// "noevidence".
func levelSlug(c Completion) string {
	return strings.ReplaceAll(normalizeWord(string(c)), "available", "")
}

// Group names a stakeholder group.
func (t Texts) Group(g Group) string { return t.T("group." + string(g)) }

// Need names a need.
func (t Texts) Need(n Need) string { return t.T("need." + string(n)) }

func monthKey(m time.Month, short bool) string {
	if short {
		return fmt.Sprintf("month.short.%d", m)
	}
	return fmt.Sprintf("month.long.%d", m)
}

// DIOG names a Did it Open Government level.
func (t Texts) DIOG(d DIOG) string {
	if d == "" {
		return t.T("report.not_assessed")
	}
	return t.T("diog." + normalizeWord(string(d)))
}

// Source names how an update arrived.
func (t Texts) Source(s Source) string { return t.T("source." + string(s)) }
