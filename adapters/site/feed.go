package site

import (
	"context"
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"time"
)

// An Atom feed (RFC 4287) of a forum's digests, newest first, one entry
// per closed round, linking to its permalink.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Base     string      `xml:"http://www.w3.org/XML/1998/namespace base,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Author   atomPerson  `xml:"author"`
	Links    []atomLink  `xml:"link"`
	Rights   string      `xml:"rights"`
	Entries  []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Summary string     `xml:"summary"`
}

// feed writes the Atom feed of a forum's digests in lang.
func (s *Site) feed(ctx context.Context, lang string, sn *snapshot) ([]byte, error) {
	d, err := s.load(ctx, sn)
	if err != nil {
		return nil, err
	}
	f := sn.pub.Forum
	t := s.texts[lang]
	l := &Layout{t: t, num: s.printers[lang]}
	dir := lang + "/forums/" + f.ID + "/"
	feed := atomFeed{Lang: lang, ID: urnUUID("forum", f.ID, f.Plan.ID, lang), Title: t.T("site.feed.title", "Forum", f.Name),
		Subtitle: planText(t, f.Plan), Updated: atomTime(d.modified), Author: atomPerson{Name: f.Name},
		Rights: t.T("site.licence", "Licence", sn.pub.Licence) + " " + sn.pub.LicenceURL}
	if s.cfg.BaseURL != "" {
		feed.Base = s.cfg.BaseURL + dir
	}
	feed.Links = []atomLink{{Rel: "self", Type: "application/atom+xml", Href: "feed.xml"}, {Rel: "alternate", Type: "text/html", Href: "./"}}
	for i := len(sn.closed) - 1; i >= 0; i-- {
		r := sn.closed[i]
		summary := ""
		for _, pr := range d.report.Response {
			if pr.Period == r.Period {
				summary = t.T("digest.response", "Answered", l.Num(pr.Overall.Answered), "Expected", l.Num(pr.Overall.Expected), "Percent", t.Percent(pr.Overall.Percent()))
				for _, g := range pr.Groups {
					summary += " · " + t.Group(g.Group) + " " + rateText(l, g.Rate)
				}
			}
		}
		feed.Entries = append(feed.Entries, atomEntry{
			ID:      urnUUID("digest", f.ID, f.Plan.ID, r.Period.String(), lang),
			Title:   t.T("digest.header", "Forum", f.Name, "Period", t.Period(r.Period)),
			Updated: atomTime(r.ClosedAt),
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: "digests/" + r.Period.String() + "/"}},
			Summary: summary,
		})
	}
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(append([]byte(xml.Header), out...), '\n'), nil
}

// atomTime is an RFC 3339 time in UTC, as Atom wants.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// urnUUID names a thing for ever, as Atom ids must: a version 5 style
// UUID from the SHA-1 of its parts.
func urnUUID(parts ...string) string {
	h := sha1.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	b := h.Sum(nil)
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
