package site

import (
	"context"
	"html/template"

	"forumbot/bot"
)

// responseView is a round's response as the digest counts it: overall,
// by stakeholder group and by organisation.
type responseView struct {
	NoAnswers             bool
	NoAnswersText         string
	Summary               string
	Excused, Undelivered  string
	Groups                []rateRow
	Orgs                  []rateRow
	GroupHead, OrgHead    string
	RateHead, OverallHead string
}

// rateRow is one line of a response table.
type rateRow struct{ Label, Group, Rate string }

func newResponse(l *Layout, d *bot.DigestData) *responseView {
	t := l.t
	o := d.Response.Overall
	r := &responseView{
		NoAnswers: o.Answered == 0, NoAnswersText: t.T("digest.no_answers"),
		Summary:   t.T("digest.response", "Answered", l.Num(o.Answered), "Expected", l.Num(o.Expected), "Percent", t.Percent(o.Percent())),
		GroupHead: t.T("site.col.group"), OrgHead: t.T("report.col.who"), RateHead: t.T("site.col.answers"),
	}
	if o.Excused > 0 {
		r.Excused = t.N("digest.excused", o.Excused)
	}
	if d.Undelivered > 0 {
		r.Undelivered = t.N("site.undelivered", d.Undelivered)
	}
	for _, g := range d.Response.Groups {
		r.Groups = append(r.Groups, rateRow{Label: t.Group(g.Group), Rate: rateText(l, g.Rate)})
	}
	for _, o := range d.Response.Orgs {
		if o.Expected > 0 || o.Answered > 0 {
			r.Orgs = append(r.Orgs, rateRow{Label: o.Organisation, Group: t.Group(o.Group), Rate: rateText(l, o.Rate)})
		}
	}
	return r
}

// legendItem names a chart's series, with the class of its swatch.
type legendItem struct{ Key, Label string }

// roundsTable is the response by round: a row per closed round, linking
// to its digest.
type roundsTable struct {
	Caption, PeriodHead string
	Heads               []string
	Rows                []responseRow
}

// responseRow is one round of the response table.
type responseRow struct {
	Period, Href string
	Cells        []string
}

// forumPage is a forum's page: its plan, the latest digest, every
// commitment as a card and the response rate over time.
type forumPage struct {
	Layout
	Name, Plan  string
	AsOf        string
	DigestHref  string
	ArchiveHref string
	Response    *responseView
	NextRound   string
	Record      string
	Cards       []card
	// ResponseChart and the table below it give each round's response by
	// stakeholder group.
	ResponseChart template.HTML
	Legend        []legendItem
	Rounds        roundsTable
	HowToRead     []string
	// Plain lists the commitments before any round has closed.
	Plain []link
	// Questions counts the questions from the public by commitment.
	Questions *forumQuestions
}

func (s *Site) forumPage(ctx context.Context, path, lang string, sn *snapshot) (any, error) {
	d, err := s.load(ctx, sn)
	if err != nil {
		return nil, err
	}
	f := sn.pub.Forum
	base := "forums/" + f.ID + "/"
	v := &forumPage{Layout: s.forumLayout(path, lang, base, sn.pub), Name: f.Name}
	l := &v.Layout
	t := l.t
	l.Title = f.Name
	l.Crumbs = l.Crumbs[:len(l.Crumbs)-1]
	l.dataLinks("data/forums/" + f.ID)
	v.Plan = planText(t, f.Plan)
	v.ArchiveHref = l.Root + lang + "/" + base + "digests/"
	v.HowToRead = bot.HowToRead(t)
	v.Questions = s.forumQuestions(l, sn, base)
	if d.latest == nil {
		for _, c := range f.Plan.Commitments {
			v.Plain = append(v.Plain, link{Label: c.ID + " · " + c.Title, Href: l.Root + lang + "/" + base + "commitments/" + c.ID + "/"})
		}
		return v, nil
	}
	v.AsOf = t.Period(sn.asOf)
	v.DigestHref = l.Root + lang + "/" + base + "digests/" + sn.asOf.String() + "/"
	v.Response = newResponse(l, d.latest)
	v.NextRound = bot.NextRoundText(t, d.latest)
	if c := d.latest.Chain; c.Entries > 0 {
		v.Record = t.N("site.record", int(c.Entries), "Hash", c.Hash)
	}
	for i := range d.latest.Commitments {
		c := &d.latest.Commitments[i]
		v.Cards = append(v.Cards, newCard(l, sn.pub, d.latest.HasRound, sn.asOf, c, l.Root+lang+"/"+base+"commitments/"+c.Commitment.ID+"/", false))
	}
	v.Legend, v.Rounds, _ = roundRows(l, lang, base, sn, d.report)
	if len(d.report.Response) > 0 {
		v.ResponseChart = bot.ResponseChart(t, d.report.From, d.report.To, d.report.Response)
	}
	return v, nil
}

// roundRows is the report's response by closed round, with the legend of
// its chart and the rounds.
func roundRows(l *Layout, lang, base string, sn *snapshot, r bot.Report) ([]legendItem, roundsTable, []bot.Round) {
	t := l.t
	groups := reportGroups(r.Response)
	legend := make([]legendItem, len(groups))
	rows := roundsTable{Caption: t.T("report.response"), PeriodHead: t.T("report.period"), Heads: []string{t.T("report.overall")}}
	for i, g := range groups {
		legend[i] = legendItem{Key: string(g), Label: t.Group(g)}
		rows.Heads = append(rows.Heads, t.Group(g))
	}
	var rounds []bot.Round
	for _, pr := range r.Response {
		round, closed := sn.closedRound(pr.Period)
		if !closed {
			continue
		}
		rounds = append(rounds, round)
		row := responseRow{Period: t.Period(pr.Period), Href: l.Root + lang + "/" + base + "digests/" + pr.Period.String() + "/", Cells: []string{rateText(l, pr.Overall)}}
		for _, g := range groups {
			row.Cells = append(row.Cells, rateText(l, groupRate(pr, g)))
		}
		rows.Rows = append(rows.Rows, row)
	}
	return legend, rows, rounds
}

// reportGroups lists the stakeholder groups with answers owed in any
// round, in the digest's order; government and civil society always.
func reportGroups(rs []bot.PeriodResponse) []bot.Group {
	seen := map[bot.Group]bool{bot.Government: true, bot.CivilSociety: true}
	for _, pr := range rs {
		for _, g := range pr.Groups {
			seen[g.Group] = true
		}
	}
	var out []bot.Group
	for _, g := range bot.Groups {
		if seen[g] {
			out = append(out, g)
		}
	}
	return out
}

func groupRate(pr bot.PeriodResponse, g bot.Group) bot.Rate {
	for _, gr := range pr.Groups {
		if gr.Group == g {
			return gr.Rate
		}
	}
	return bot.Rate{}
}

// planText is "Action plan ID: title (start to end)".
func planText(t bot.Texts, p bot.Plan) string {
	text := p.ID
	if p.Title != "" {
		text = t.T("report.plan", "Plan", p.ID, "Title", p.Title)
	}
	if !p.Start.IsZero() && !p.End.IsZero() {
		text += " (" + t.T("report.plan_dates", "Start", t.Date(p.Start), "End", t.Date(p.End)) + ")"
	}
	return text
}
