package site

import (
	"strings"

	"forumbot/bot"
)

// badge is a completion level as the pages show it: its words, and a
// class that colours it (never the only clue: the words are there).
type badge struct{ Class, Label string }

// levelBadge shows a level; NoCompletion is "no answer yet".
func levelBadge(t bot.Texts, c bot.Completion) badge {
	class := "none"
	switch c {
	case bot.NotStarted:
		class = "notstarted"
	case bot.Limited:
		class = "limited"
	case bot.Substantial:
		class = "substantial"
	case bot.Complete:
		class = "complete"
	case bot.Withdrawn, bot.NoEvidence:
		class = "off"
	}
	return badge{Class: class, Label: t.Level(c)}
}

// viewCell is one stakeholder group's view of a commitment.
type viewCell struct {
	Group string
	Level badge
	// Text is the view in the digest's words: answers, staleness, change.
	Text  string
	Stale bool
}

func viewCells(t bot.Texts, views []bot.GroupView, p bot.Period) []viewCell {
	out := make([]viewCell, len(views))
	for i, v := range views {
		out[i] = viewCell{Group: t.Group(v.Group), Level: levelBadge(t, v.Completion), Text: bot.ViewChangeText(t, v, p), Stale: v.Stale}
	}
	return out
}

// card is a commitment in a digest: its views side by side and what the
// digest flags about it.
type card struct {
	ID, Title, Href, Lead string
	Views                 []viewCell
	// Disagreement says that the groups disagree by two levels or more.
	Disagreement string
	// Stale is set when no answer came in the period: since when.
	Stale string
	// Milestones sums them up; Done and Total draw the bar.
	Milestones      string
	Done, Total     int
	DueNow, Overdue []string
	// Response and NotAnswered are set when a round was held.
	Response, NotAnswered string
	Blockers, Needs       []string
	// Highlights are the members' words of the period, when published.
	Highlights []string
	// Evidence are the period's evidence links, when published.
	Evidence []string
}

// newCard builds the card of c as computed for period p, publishing
// members' words and evidence only as pub allows. detail adds the
// period's highlights and evidence.
func newCard(l *Layout, pub *Forum, hasRound bool, p bot.Period, c *bot.CommitmentDigest, href string, detail bool) card {
	t := l.t
	cm := c.Commitment
	k := card{ID: cm.ID, Title: cm.Title, Href: href, Lead: cm.LeadAgency, Views: viewCells(t, c.Views, p)}
	if c.Disagreement {
		k.Disagreement = t.T("digest.disagreement")
	}
	if c.Stale {
		if c.LastReported.IsZero() {
			k.Stale = t.T("digest.stale_never")
		} else {
			k.Stale = t.T("digest.stale", "Period", t.Period(c.LastReported))
		}
	}
	m := c.Milestones
	if m.Total > 0 {
		k.Milestones = t.T("site.milestones", "Done", l.Num(m.Done), "Total", l.Num(m.Total), "Due", l.Num(m.DueByNow))
		k.Done, k.Total = m.Done, m.Total
		for _, ms := range m.DueNow {
			k.DueNow = append(k.DueNow, t.T("digest.milestone.due", "Title", ms.Title, "Date", t.Date(ms.Due)))
		}
		for _, ms := range m.Overdue {
			k.Overdue = append(k.Overdue, t.T("digest.milestone.overdue", "Title", ms.Title, "Date", t.Date(ms.Due)))
		}
	}
	if hasRound {
		r := c.Response
		k.Response = t.T("digest.commitment.response", "Answered", l.Num(r.Answered), "Expected", l.Num(r.Expected), "Percent", t.Percent(r.Percent()))
		if r.Excused > 0 {
			k.Response += " · " + t.N("digest.excused", r.Excused)
		}
		if len(c.MissingOrganisations) > 0 {
			k.NotAnswered = t.T("digest.missing", "List", strings.Join(c.MissingOrganisations, ", "))
		}
	}
	for _, b := range c.Blockers {
		if pub.Text {
			k.Blockers = append(k.Blockers, t.T("digest.blocker", "Org", b.Organisation, "Group", t.Group(b.Group), "Since", t.Period(b.Since), "Text", bot.Sanitize(b.Text, 0, "")))
		} else {
			k.Blockers = append(k.Blockers, t.T("site.blocker_open", "Org", b.Organisation, "Group", t.Group(b.Group), "Since", t.Period(b.Since)))
		}
	}
	for _, n := range c.Needs {
		k.Needs = append(k.Needs, t.T("digest.need", "Need", t.Need(n.Need), "Orgs", strings.Join(n.Organisations, ", "), "Since", t.Period(n.Since)))
	}
	if detail {
		if pub.Text {
			for _, h := range c.Highlights {
				k.Highlights = append(k.Highlights, h.Organisation+" ("+t.Group(h.Group)+"): "+bot.Sanitize(h.Text, 0, ""))
			}
		}
		if pub.Evidence {
			k.Evidence = safeLinks(c.Evidence)
		}
	}
	return k
}

// safeLinks keeps the http(s) links among links: nothing else is linked.
func safeLinks(links []string) []string {
	var out []string
	for _, s := range links {
		if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
			out = append(out, s)
		}
	}
	return out
}

// rateText is "12 of 40 (30%)", or "–" when nobody was expected.
func rateText(l *Layout, r bot.Rate) string {
	if r.Expected == 0 {
		return "–"
	}
	return l.T("site.rate", "Answered", l.Num(r.Answered), "Expected", l.Num(r.Expected), "Percent", l.t.Percent(r.Percent()))
}
