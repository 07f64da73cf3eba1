package site

import (
	"strings"

	"golang.org/x/text/message"

	"forumbot/bot"
)

// Layout is what every HTML page shows around its content: the language,
// the way back to the site's root, the language switcher, the breadcrumbs
// and the footer with the page's data, licence and contact. Pages embed
// it; templates reach the texts through T and numbers through Num.
type Layout struct {
	Lang  string
	Title string
	// Root leads from the page back to the site's root: "../../" or "".
	Root string
	// Langs switches to the same page in each language.
	Langs  []langLink
	Crumbs []link
	// Data links to this page's data as JSON and CSV.
	Data []link
	// Feed is the forum's Atom feed, on a forum's pages.
	Feed    string
	Licence *link
	Contact *link

	t   bot.Texts
	num *message.Printer
}

// link is a labelled address.
type link struct{ Label, Href string }

// langLink is one language of the switcher, named in that language.
type langLink struct {
	Code, Name, Href string
	Current          bool
}

// T returns a catalog text of the page's language.
func (l *Layout) T(id string, pairs ...any) string { return l.t.T(id, pairs...) }

// Num writes a count as the page's language does: 1,234 or 1.234.
func (l *Layout) Num(n int) string { return l.num.Sprintf("%d", n) }

// newLayout starts the layout of the page at file path in lang. rest is
// the page's path after the language, in the form it is linked by
// ("forums/cotabato/", "" for the index), so that the switcher can point
// at the same page in the other languages.
func (s *Site) newLayout(path, lang, rest string) Layout {
	l := Layout{Lang: lang, Root: strings.Repeat("../", strings.Count(path, "/")), t: s.texts[lang], num: s.printers[lang]}
	for _, code := range bot.Locales() {
		l.Langs = append(l.Langs, langLink{Code: code, Name: s.texts[code].T("site.lang_name"),
			Href: l.Root + code + "/" + rest, Current: code == lang && path != "index.html"})
	}
	l.Crumbs = []link{{Label: l.T("site.home"), Href: l.Root + lang + "/"}}
	return l
}

// forumLayout is a layout for a page of a forum, with its licence,
// contact and feed.
func (s *Site) forumLayout(path, lang, rest string, pub *Forum) Layout {
	l := s.newLayout(path, lang, rest)
	f := pub.Forum
	l.Crumbs = append(l.Crumbs, link{Label: f.Name, Href: l.Root + lang + "/forums/" + f.ID + "/"})
	l.Feed = l.Root + lang + "/forums/" + f.ID + "/feed.xml"
	l.Licence = &link{Label: pub.Licence, Href: pub.LicenceURL}
	if c := pub.Contact; c != "" {
		href := c
		if !strings.HasPrefix(c, "http://") && !strings.HasPrefix(c, "https://") {
			href = "mailto:" + c
		}
		l.Contact = &link{Label: c, Href: href}
	}
	return l
}

// dataLinks links a page to its data file (without extension).
func (l *Layout) dataLinks(file string) {
	l.Data = []link{{Label: "JSON", Href: l.Root + file + ".json"}, {Label: "CSV", Href: l.Root + file + ".csv"}}
}
