package site

import (
	"context"
	"html/template"
	"sort"
	"strings"

	"forumbot/bot"
)

// commitmentPage is a commitment's page: what it is, where it stands,
// the IRM's assessment, its milestones on the plan's calendar, its
// completion over time by stakeholder group and every update published.
// It ends with the questions from the public, when the forum takes them
// or any was asked.
type commitmentPage struct {
	Layout
	ID, Title, ShortTitle string
	Description           []string
	Facts                 []fact
	AsOf                  string
	Now                   *card
	IRM                   *irmView
	MilestoneChart        template.HTML
	Milestones            []milestoneRow
	Chart                 template.HTML
	Legend                []legendItem
	Timeline              []timelineRow
	Updates               []updateView
	Questions             *questionsView
}

// fact is one line of what a commitment is: a label and its values,
// some of them links.
type fact struct {
	Label  string
	Values []string
	Links  []link
}

// irmView sets the IRM's assessment beside the forum's own views at the
// plan's midpoint and end.
type irmView struct {
	Progress, End         string
	ReportedProgress      []viewCell
	ReportedEnd           []viewCell
	IRMProgress, IRMEnd   badge
	DIOG                  string
	Reported, IRM, DIOGHd string
}

// milestoneRow is a milestone and where it stands.
type milestoneRow struct {
	ID, Title, Due string
	State, Class   string
}

// timelineRow is a period of the completion chart, as a table.
type timelineRow struct {
	Period       string
	Government   badge
	CivilSociety badge
}

// updateView is one stored version of one organisation's update, as
// published: never the member's name.
type updateView struct {
	Date, Period, Who string
	Level             badge
	Edit, Correction  string
	Source            string
	Lines             []string
	Texts             []labelled
	Evidence          []string
}

// labelled is a text under a label: a member's words, when published.
type labelled struct{ Label, Text string }

func (s *Site) commitmentPage(ctx context.Context, path, lang string, sn *snapshot, c *bot.Commitment) (any, error) {
	d, err := s.load(ctx, sn)
	if err != nil {
		return nil, err
	}
	pub, f := sn.pub, sn.pub.Forum
	rest := "forums/" + f.ID + "/commitments/" + c.ID + "/"
	v := &commitmentPage{Layout: s.forumLayout(path, lang, rest, pub), ID: c.ID, Title: c.Title, ShortTitle: c.ShortTitle}
	l := &v.Layout
	t := l.t
	l.Title = c.ID + " · " + c.Title
	l.dataLinks("data/forums/" + f.ID + "/commitments/" + c.ID)
	for _, para := range strings.Split(strings.ReplaceAll(c.Description, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			v.Description = append(v.Description, para)
		}
	}
	v.Facts = commitmentFacts(t, c)
	v.Questions = s.questionsSection(l, sn, c)
	if d.latest == nil {
		v.Milestones = milestoneRows(t, c, nil, bot.Period{})
		return v, nil
	}
	v.AsOf = t.Period(sn.asOf)
	cd, cr := commitmentOf(d, c.ID)
	k := newCard(l, pub, d.latest.HasRound, sn.asOf, cd, "", true)
	v.Now = &k
	if a := c.IRM; a != (bot.IRMAssessment{}) {
		progress, end := bot.MomentHeaders(t, d.report)
		v.IRM = &irmView{Progress: progress, End: end,
			ReportedProgress: viewCells(t, cr.AtProgressReport, d.report.ProgressReportAt), ReportedEnd: viewCells(t, cr.AtEndOfTerm, d.report.EndOfTermAt),
			IRMProgress: irmBadge(t, a.CompletionProgressReport), IRMEnd: irmBadge(t, a.CompletionEndOfTerm), DIOG: t.DIOG(a.DidItOpenGovernment),
			Reported: t.T("report.reported"), IRM: t.T("report.irm"), DIOGHd: t.T("report.diog")}
	}
	v.Milestones = milestoneRows(t, c, &cd.Milestones, sn.asOf)
	v.MilestoneChart = milestoneChart(t, f, c, &cd.Milestones, sn.asOf)
	v.Chart = bot.CompletionChart(t, d.report.From, d.report.To, cr.Timeline)
	v.Legend = []legendItem{{Key: string(bot.Government), Label: t.Group(bot.Government)}, {Key: string(bot.CivilSociety), Label: t.Group(bot.CivilSociety)}}
	for _, p := range cr.Timeline {
		v.Timeline = append(v.Timeline, timelineRow{Period: t.Period(p.Period), Government: levelBadge(t, p.Government), CivilSociety: levelBadge(t, p.CivilSociety)})
	}
	v.Updates = updateViews(l, pub, c, cr.History)
	return v, nil
}

// commitmentOf finds a commitment's part of the latest digest and of the
// report.
func commitmentOf(d *forumData, id string) (*bot.CommitmentDigest, *bot.CommitmentReport) {
	var cd *bot.CommitmentDigest
	for i := range d.latest.Commitments {
		if d.latest.Commitments[i].Commitment.ID == id {
			cd = &d.latest.Commitments[i]
		}
	}
	var cr *bot.CommitmentReport
	for i := range d.report.Commitments {
		if d.report.Commitments[i].Commitment.ID == id {
			cr = &d.report.Commitments[i]
		}
	}
	return cd, cr
}

func irmBadge(t bot.Texts, c bot.Completion) badge {
	if c == bot.NoCompletion {
		return badge{Class: "none", Label: t.T("report.not_assessed")}
	}
	return levelBadge(t, c)
}

func commitmentFacts(t bot.Texts, c *bot.Commitment) []fact {
	var out []fact
	add := func(label string, values ...string) {
		var vs []string
		for _, v := range values {
			if v != "" {
				vs = append(vs, v)
			}
		}
		if len(vs) > 0 {
			out = append(out, fact{Label: label, Values: vs})
		}
	}
	add(t.T("site.commitment.lead"), c.LeadAgency)
	add(t.T("site.commitment.supporting"), c.SupportingOrganisations...)
	var committee []string
	seen := map[string]bool{}
	for _, g := range bot.Groups {
		for _, m := range c.Committee {
			if m.Group == g && !seen[m.Organisation] {
				seen[m.Organisation] = true
				committee = append(committee, m.Organisation+" ("+t.Group(g)+")")
			}
		}
	}
	add(t.T("site.commitment.committee"), committee...)
	var values []string
	for _, v := range c.Values {
		values = append(values, valueName(t, v))
	}
	add(t.T("site.commitment.values"), values...)
	add(t.T("site.commitment.areas"), c.PolicyAreas...)
	if !c.Start.IsZero() || !c.End.IsZero() {
		add(t.T("site.commitment.dates"), t.T("report.plan_dates", "Start", dateOrDash(t, c.Start), "End", dateOrDash(t, c.End)))
	}
	if c.URL != "" {
		out = append(out, fact{Label: t.T("site.commitment.official"), Links: []link{{Label: c.URL, Href: c.URL}}})
	}
	return out
}

func dateOrDash(t bot.Texts, d bot.Date) string {
	if d.IsZero() {
		return "–"
	}
	return t.Date(d)
}

// valueName names an OGP value in the reader's language.
func valueName(t bot.Texts, v bot.OGPValue) string {
	return t.T("site.value." + strings.ToLower(strings.NewReplacer(" ", "_").Replace(string(v))))
}

// milestoneRows states each milestone at asOf as the digest computed it.
func milestoneRows(t bot.Texts, c *bot.Commitment, m *bot.MilestoneSummary, asOf bot.Period) []milestoneRow {
	var out []milestoneRow
	for _, ms := range c.Milestones {
		row := milestoneRow{ID: ms.ID, Title: ms.Title, Due: dateOrDash(t, ms.Due)}
		row.Class = milestoneState(c, m, ms)
		switch row.Class {
		case "done":
			row.State = t.T("site.milestone.done", "Period", t.Period(m.DoneIn[ms.ID]))
		case "overdue":
			row.State = t.T("site.milestone.overdue")
		case "due":
			row.State = t.T("site.milestone.due")
		case "nodue":
			row.State = t.T("site.milestone.no_due")
		default:
			row.State = t.T("site.milestone.upcoming")
		}
		out = append(out, row)
	}
	return out
}

// milestoneState classes a milestone by the digest's summary: done, due
// this month, overdue, not yet due, or without a due date.
func milestoneState(c *bot.Commitment, m *bot.MilestoneSummary, ms bot.Milestone) string {
	if m != nil {
		if _, done := m.DoneIn[ms.ID]; done {
			return "done"
		}
		for _, x := range m.Overdue {
			if x.ID == ms.ID {
				return "overdue"
			}
		}
		for _, x := range m.DueNow {
			if x.ID == ms.ID {
				return "due"
			}
		}
	}
	if ms.Due.IsZero() {
		return "nodue"
	}
	return "upcoming"
}

// updateViews lists the published versions of a commitment's updates in
// date order, oldest first.
func updateViews(l *Layout, pub *Forum, c *bot.Commitment, history []bot.Update) []updateView {
	t := l.t
	us := append([]bot.Update(nil), history...)
	sort.SliceStable(us, func(i, j int) bool { return us[i].SubmittedAt.Before(us[j].SubmittedAt) })
	titles := map[string]string{}
	for _, m := range c.Milestones {
		titles[m.ID] = m.ID + " " + m.Title
	}
	out := make([]updateView, 0, len(us))
	for _, u := range us {
		uv := updateView{Date: t.Date(bot.DateOf(u.SubmittedAt.In(pub.Forum.Location))), Period: t.Period(u.Period),
			Who: u.Organisation + " (" + t.Group(u.Group) + ")", Source: t.T("site.update.source", "Source", t.Source(u.Source))}
		if u.Answered() {
			uv.Level = levelBadge(t, u.Completion)
		} else {
			uv.Level = badge{Class: "none", Label: t.T("site.update.note")}
		}
		if u.Version > 1 {
			uv.Edit = t.T("site.update.edit", "Version", l.Num(u.Version))
		}
		if u.Correction {
			uv.Correction = t.T("report.correction")
		}
		if len(u.MilestonesDone) > 0 {
			var done []string
			for _, id := range u.MilestonesDone {
				if title, ok := titles[id]; ok {
					done = append(done, title)
				}
			}
			if len(done) > 0 {
				uv.Lines = append(uv.Lines, t.T("site.update.milestones", "List", strings.Join(done, "; ")))
			}
		}
		if len(u.Needs) > 0 {
			var needs []string
			for _, n := range u.Needs {
				needs = append(needs, t.Need(n))
			}
			uv.Lines = append(uv.Lines, t.T("site.update.needs", "List", strings.Join(needs, ", ")))
		}
		if u.Blockers != "" && !pub.Text {
			uv.Lines = append(uv.Lines, t.T("site.update.blocker"))
		}
		if pub.Text {
			for _, x := range []labelled{{t.T("report.col.progress"), u.Progress}, {t.T("site.update.note_label"), u.Note}, {t.T("report.col.blockers"), u.Blockers}, {t.T("site.update.next_steps"), u.NextSteps}} {
				if strings.TrimSpace(x.Text) != "" {
					uv.Texts = append(uv.Texts, labelled{Label: x.Label, Text: bot.Sanitize(x.Text, 0, "")})
				}
			}
		}
		if pub.Evidence {
			uv.Evidence = safeLinks(u.Evidence)
		}
		out = append(out, uv)
	}
	return out
}
