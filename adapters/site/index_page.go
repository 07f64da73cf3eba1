package site

import (
	"context"
	"sort"
	"strings"

	"forumbot/bot"
)

// indexPage lists the public forums of this instance.
type indexPage struct {
	Layout
	Forums     []forumSummary
	ThemesHref string
}

// forumSummary is a forum as the index lists it.
type forumSummary struct {
	ID, Name, Href, Plan string
	Commitments          string
	Latest, Response     string
	Licence              link
}

func (s *Site) indexPage(ctx context.Context, st *state, path, lang string) (any, error) {
	v := &indexPage{Layout: s.newLayout(path, lang, "")}
	l := &v.Layout
	t := l.t
	l.Title = t.T("site.index.title")
	l.Crumbs = nil
	l.dataLinks("data/index")
	v.ThemesHref = l.Root + lang + "/themes/"
	for _, sn := range st.order {
		d, err := s.load(ctx, sn)
		if err != nil {
			return nil, err
		}
		f := sn.pub.Forum
		// The front page, in no language of its own choosing, opens each
		// forum in the forum's locale; a language's index keeps to it.
		to := lang
		if path == "index.html" {
			to = f.Locale
		}
		fs := forumSummary{ID: f.ID, Name: f.Name, Href: l.Root + to + "/forums/" + f.ID + "/", Plan: planText(t, f.Plan),
			Commitments: t.N("site.index.commitments", len(f.Plan.Commitments), "N", l.Num(len(f.Plan.Commitments))),
			Latest:      t.T("site.index.no_digest"), Licence: link{Label: sn.pub.Licence, Href: sn.pub.LicenceURL}}
		if d.latest != nil {
			fs.Latest = t.T("site.index.latest", "Period", t.Period(sn.asOf))
			fs.Response = rateText(l, d.latest.Response.Overall)
		}
		v.Forums = append(v.Forums, fs)
	}
	return v, nil
}

// themesPage groups the commitments of every public forum by OGP value
// and by policy area.
type themesPage struct {
	Layout
	Values, Areas []themeGroup
}

// themeGroup is one OGP value or policy area and its commitments.
type themeGroup struct {
	Name, Anchor string
	Items        []themeItem
}

// themeItem is a commitment of some forum, with its latest views.
type themeItem struct {
	Title, Href, Forum string
	Views              []viewCell
}

// themeEntry is a commitment of a public forum with its latest digest
// view, as the themes page and its data take it.
type themeEntry struct {
	sn *snapshot
	c  *bot.Commitment
	cd *bot.CommitmentDigest
}

// themes groups the public forums' commitments by OGP value, in OGP's
// order, and by policy area, alphabetically and case folded.
func (s *Site) themes(ctx context.Context, st *state) (values, areas []string, by map[string][]themeEntry, err error) {
	by = map[string][]themeEntry{}
	areaNames := map[string]string{}
	for _, sn := range st.order {
		d, err := s.load(ctx, sn)
		if err != nil {
			return nil, nil, nil, err
		}
		plan := &sn.pub.Forum.Plan
		for i := range plan.Commitments {
			c := &plan.Commitments[i]
			e := themeEntry{sn: sn, c: c}
			if d.latest != nil {
				e.cd, _ = commitmentOf(d, c.ID)
			}
			for _, v := range c.Values {
				by["value:"+string(v)] = append(by["value:"+string(v)], e)
			}
			for _, a := range c.PolicyAreas {
				key := strings.ToLower(strings.TrimSpace(a))
				if key == "" {
					continue
				}
				if _, seen := areaNames[key]; !seen {
					areaNames[key] = strings.TrimSpace(a)
					areas = append(areas, key)
				}
				if n := len(by["area:"+key]); n == 0 || by["area:"+key][n-1].c != c {
					by["area:"+key] = append(by["area:"+key], e)
				}
			}
		}
	}
	for _, v := range bot.OGPValues {
		if len(by["value:"+string(v)]) > 0 {
			values = append(values, string(v))
		}
	}
	sort.Strings(areas)
	for i, key := range areas {
		by["area:"+areaNames[key]] = by["area:"+key]
		areas[i] = areaNames[key]
	}
	return values, areas, by, nil
}

func (s *Site) themesPage(ctx context.Context, st *state, path, lang string) (any, error) {
	v := &themesPage{Layout: s.newLayout(path, lang, "themes/")}
	l := &v.Layout
	t := l.t
	l.Title = t.T("site.themes.title")
	l.dataLinks("data/themes")
	values, areas, by, err := s.themes(ctx, st)
	if err != nil {
		return nil, err
	}
	items := func(es []themeEntry) []themeItem {
		out := make([]themeItem, len(es))
		for i, e := range es {
			f := e.sn.pub.Forum
			out[i] = themeItem{Title: e.c.ID + " · " + e.c.Title, Forum: f.Name, Href: l.Root + lang + "/forums/" + f.ID + "/commitments/" + e.c.ID + "/"}
			if e.cd != nil {
				out[i].Views = viewCells(t, e.cd.Views, e.sn.asOf)
			}
		}
		return out
	}
	for i, val := range values {
		v.Values = append(v.Values, themeGroup{Name: valueName(t, bot.OGPValue(val)), Anchor: "value-" + itoa(i+1), Items: items(by["value:"+val])})
	}
	for i, a := range areas {
		v.Areas = append(v.Areas, themeGroup{Name: a, Anchor: "area-" + itoa(i+1), Items: items(by["area:"+a])})
	}
	return v, nil
}
