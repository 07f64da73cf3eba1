package site

import (
	"context"
	"strings"

	"forumbot/bot"
)

// The site's files, relative to its root. Every page is a file of one of
// these shapes, so that a static host serves the exported site as serve
// does:
//
//	index.html                                  the index, in the site's locale
//	assets/site.css, assets/icon.svg
//	data/schema.json                            the JSON Schema of the data
//	data/index.json|csv, data/themes.json|csv
//	data/forums/F.json|csv                      a forum page's data
//	data/forums/F/digests.json|csv              its archive of digests
//	data/forums/F/digests/YYYY-MM.json|csv      one digest
//	data/forums/F/commitments/C.json|csv        one commitment
//	L/index.html, L/themes/index.html           in language L
//	L/forums/F/index.html, L/forums/F/feed.xml
//	L/forums/F/digests/index.html, L/forums/F/digests/YYYY-MM/index.html
//	L/forums/F/commitments/C/index.html
//
// Besides these files, serve makes two kinds of pages on request, for the
// forums that take questions from the public; they are not exported:
//
//	L/forums/F/commitments/C/ask/               the question form (GET, POST)
//	L/forums/F/questions/Q-N/                   a question's permalink

// route is a parsed file path.
type route struct {
	kind   pageKind
	lang   string
	forum  *snapshot
	commit *bot.Commitment
	period bot.Period
	// ext is json or csv for data files.
	ext string
}

type pageKind int

const (
	pageIndex pageKind = iota + 1
	pageThemes
	pageForum
	pageFeed
	pageDigests
	pageDigest
	pageCommitment
	pageAsset
	pageSchema
	// Made on request, never cached or exported (ask.go).
	pageAsk
	pageNotice
	pageQuestion
)

// parse reads a file path of the site against the state; ok is false for
// a path the site does not have.
func (s *Site) parse(st *state, path string) (route, bool) {
	parts := strings.Split(path, "/")
	switch {
	case path == "index.html":
		return route{kind: pageIndex, lang: s.cfg.Locale}, true
	case len(parts) == 2 && parts[0] == "assets":
		_, ok := assets[parts[1]]
		return route{kind: pageAsset}, ok
	case len(parts) >= 2 && parts[0] == "data":
		return s.parseData(st, parts[1:])
	case len(parts) >= 2 && isLocale(parts[0]):
		return s.parseHTML(st, parts[0], parts[1:])
	}
	return route{}, false
}

func (s *Site) parseData(st *state, parts []string) (route, bool) {
	last := parts[len(parts)-1]
	name, ext, _ := strings.Cut(last, ".")
	if ext != "json" && ext != "csv" {
		return route{}, false
	}
	r := route{ext: ext}
	switch {
	case len(parts) == 1 && name == "schema" && ext == "json":
		r.kind = pageSchema
		return r, true
	case len(parts) == 1 && name == "index":
		r.kind = pageIndex
		return r, true
	case len(parts) == 1 && name == "themes":
		r.kind = pageThemes
		return r, true
	case len(parts) < 2 || parts[0] != "forums":
		return route{}, false
	}
	if len(parts) == 2 {
		r.kind, r.forum = pageForum, st.snaps[name]
		return r, r.forum != nil
	}
	r.forum = st.snaps[parts[1]]
	if r.forum == nil {
		return route{}, false
	}
	switch {
	case len(parts) == 3 && name == "digests":
		r.kind = pageDigests
		return r, true
	case len(parts) == 4 && parts[2] == "digests":
		return r.withDigest(name)
	case len(parts) == 4 && parts[2] == "commitments":
		return r.withCommitment(name)
	}
	return route{}, false
}

func (s *Site) parseHTML(st *state, lang string, parts []string) (route, bool) {
	r := route{lang: lang}
	n := len(parts)
	switch {
	case n == 1 && parts[0] == "index.html":
		r.kind = pageIndex
		return r, true
	case n == 2 && parts[0] == "themes" && parts[1] == "index.html":
		r.kind = pageThemes
		return r, true
	case n < 3 || parts[0] != "forums":
		return route{}, false
	}
	r.forum = st.snaps[parts[1]]
	if r.forum == nil {
		return route{}, false
	}
	rest := parts[2:]
	switch {
	case len(rest) == 1 && rest[0] == "index.html":
		r.kind = pageForum
		return r, true
	case len(rest) == 1 && rest[0] == "feed.xml":
		r.kind = pageFeed
		return r, true
	case len(rest) == 2 && rest[0] == "digests" && rest[1] == "index.html":
		r.kind = pageDigests
		return r, true
	case len(rest) == 3 && rest[0] == "digests" && rest[2] == "index.html":
		return r.withDigest(rest[1])
	case len(rest) == 3 && rest[0] == "commitments" && rest[2] == "index.html":
		return r.withCommitment(rest[1])
	}
	return route{}, false
}

// withDigest names the digest of a closed round.
func (r route) withDigest(period string) (route, bool) {
	p, err := bot.ParsePeriod(period)
	if err != nil {
		return route{}, false
	}
	if _, ok := r.forum.closedRound(p); !ok {
		return route{}, false
	}
	r.kind, r.period = pageDigest, p
	return r, true
}

// withCommitment names a commitment of the forum's plan, by its exact id.
func (r route) withCommitment(id string) (route, bool) {
	plan := &r.forum.pub.Forum.Plan
	for i := range plan.Commitments {
		if plan.Commitments[i].ID == id {
			r.kind, r.commit = pageCommitment, &plan.Commitments[i]
			return r, true
		}
	}
	return route{}, false
}

// paths lists every file of the site.
func (s *Site) paths(ctx context.Context, st *state) []string {
	out := []string{"index.html", "data/schema.json"}
	for name := range assets {
		out = append(out, "assets/"+name)
	}
	for _, ext := range []string{"json", "csv"} {
		out = append(out, "data/index."+ext, "data/themes."+ext)
		for _, sn := range st.order {
			base := "data/forums/" + sn.pub.Forum.ID
			out = append(out, base+"."+ext, base+"/digests."+ext)
			for _, r := range sn.closed {
				out = append(out, base+"/digests/"+r.Period.String()+"."+ext)
			}
			for _, c := range sn.pub.Forum.Plan.Commitments {
				out = append(out, base+"/commitments/"+c.ID+"."+ext)
			}
		}
	}
	for _, lang := range bot.Locales() {
		out = append(out, lang+"/index.html", lang+"/themes/index.html")
		for _, sn := range st.order {
			base := lang + "/forums/" + sn.pub.Forum.ID + "/"
			out = append(out, base+"index.html", base+"feed.xml", base+"digests/index.html")
			for _, r := range sn.closed {
				out = append(out, base+"digests/"+r.Period.String()+"/index.html")
			}
			for _, c := range sn.pub.Forum.Plan.Commitments {
				out = append(out, base+"commitments/"+c.ID+"/index.html")
			}
		}
	}
	return out
}
