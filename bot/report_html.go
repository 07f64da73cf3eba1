package bot

import (
	"embed"
	"html/template"
	"io"
	"strings"
)

//go:embed templates/report.html.tmpl
var reportTemplates embed.FS

var reportTemplate = template.Must(template.ParseFS(reportTemplates, "templates/report.html.tmpl"))

// levelView is a completion level with its CSS class.
type levelView struct{ Class, Label string }

type historyRow struct {
	Date, Who, Progress, Blockers, Source, Correction string
	Version                                           int
	Level                                             levelView
	Evidence                                          []string
}

type commitmentView struct {
	ID, Title, Anchor, Lead, Values, DIOG string
	AtProgress, AtEnd                     []string
	IRMProgress, IRMEnd                   levelView
	Latest, Milestones                    []string
	Chart                                 template.HTML
	History                               []historyRow
}

type legendItem struct{ Key, Label string }

type responseRow struct {
	Period string
	Cells  []string
}

// reportView is the report with every text localised, ready for the
// template; the template escapes it all.
type reportView struct {
	Lang, Title, Plan, Generated string
	L                            map[string]string
	HowToRead                    []string
	Commitments                  []commitmentView
	Legend                       []legendItem
	Response                     []responseRow
	ResponseChart                template.HTML
}

// WriteReportHTML writes the report as one self-contained HTML page: inline
// CSS sized for A4, inline SVG charts of completion over time and of the
// response rate by group, and no external resources.
func WriteReportHTML(w io.Writer, t Texts, r Report) error {
	return reportTemplate.Execute(w, htmlView(t, r))
}

// level shows a completion level; empty is labelled by name (e.g. "not
// assessed").
func level(t Texts, c Completion, name func(Texts, Completion) string) levelView {
	class := normalizeWord(string(c))
	if c == NoCompletion {
		class = "none"
	}
	return levelView{Class: strings.ReplaceAll(class, "available", ""), Label: name(t, c)}
}

func htmlView(t Texts, r Report) reportView {
	f := r.Forum
	progress, end := MomentHeaders(t, r)
	v := reportView{
		HowToRead: HowToRead(t),
		Lang:      t.Locale(),
		Title:     t.T("report.title", "Forum", f.Name, "From", t.Period(r.From), "To", t.Period(r.To)),
		Generated: t.T("report.generated", "When", t.Date(DateOf(r.GeneratedAt.In(f.Location)))),
		L: map[string]string{
			"Summary": t.T("report.summary"), "Commitment": t.T("report.commitment"), "IRM": t.T("report.irm"), "DIOG": t.T("report.diog"),
			"AtProgress": progress, "AtEnd": end, "HowTo": t.T("report.howto.title"),
			"Response": t.T("report.response"), "Period": t.T("report.period"), "Overall": t.T("report.overall"), "Completion": t.T("report.completion"),
			"Reported": t.T("report.reported"), "Latest": t.T("report.latest", "Period", t.Period(r.To)), "Milestones": t.T("report.milestones"),
			"Timeline": t.T("report.timeline"), "History": t.T("report.history"), "NoHistory": t.T("report.no_history"),
			"Date": t.T("report.col.date"), "Who": t.T("report.col.who"), "Version": t.T("report.col.version"), "Level": t.T("report.col.completion"),
			"Progress": t.T("report.col.progress"), "Blockers": t.T("report.col.blockers"), "Evidence": t.T("report.col.evidence"), "Source": t.T("report.col.source"),
		},
	}
	if f.Plan.Title != "" {
		v.Plan = t.T("report.plan", "Plan", f.Plan.ID, "Title", f.Plan.Title)
		if !f.Plan.Start.IsZero() {
			v.Plan += " (" + t.T("report.plan_dates", "Start", t.Date(f.Plan.Start), "End", t.Date(f.Plan.End)) + ")"
		}
	}
	groups := responseGroups(r.Response)
	if len(groups) == 0 {
		groups = []Group{Government, CivilSociety}
	}
	for _, g := range groups {
		v.Legend = append(v.Legend, legendItem{Key: string(g), Label: t.Group(g)})
	}
	for _, pr := range r.Response {
		row := responseRow{Period: t.Period(pr.Period), Cells: []string{rateText(t, pr.Overall)}}
		for _, g := range groups {
			row.Cells = append(row.Cells, rateText(t, groupRate(pr, g)))
		}
		v.Response = append(v.Response, row)
	}
	if len(r.Response) > 0 {
		v.ResponseChart = ResponseChart(t, r.From, r.To, r.Response)
	}
	for _, c := range r.Commitments {
		v.Commitments = append(v.Commitments, commitmentHTML(t, r, c))
	}
	return v
}

// viewLines gives each group's view on its own line.
func viewLines(t Texts, views []GroupView) []string {
	out := make([]string, len(views))
	for i, v := range views {
		out[i] = t.Group(v.Group) + ": " + viewText(t, v)
	}
	return out
}

func commitmentHTML(t Texts, r Report, c CommitmentReport) commitmentView {
	cm := c.Commitment
	cv := commitmentView{
		ID: cm.ID, Title: cm.Title, Anchor: "c-" + cm.ID, DIOG: t.DIOG(cm.IRM.DidItOpenGovernment),
		AtProgress: viewLines(t, c.AtProgressReport), AtEnd: viewLines(t, c.AtEndOfTerm),
		IRMProgress: level(t, cm.IRM.CompletionProgressReport, irmLevel), IRMEnd: level(t, cm.IRM.CompletionEndOfTerm, irmLevel),
		Chart: CompletionChart(t, r.From, r.To, c.Timeline),
	}
	if cm.LeadAgency != "" {
		cv.Lead = t.T("report.lead", "Agency", cm.LeadAgency)
	}
	if len(cm.Values) > 0 {
		vals := make([]string, len(cm.Values))
		for i, val := range cm.Values {
			vals[i] = string(val)
		}
		cv.Values = t.T("report.values", "List", strings.Join(vals, ", "))
	}
	cv.Latest = latestLines(t, r, c)
	for _, m := range c.Milestones {
		cv.Milestones = append(cv.Milestones, milestoneStateText(t, m))
	}
	for _, u := range c.History {
		row := historyRow{
			Date: t.Date(DateOf(u.SubmittedAt.In(r.Forum.Location))), Who: u.Organisation + " (" + t.Group(u.Group) + ")",
			Version: u.Version, Level: level(t, u.Completion, Texts.Level), Progress: Sanitize(strings.TrimSpace(u.Progress+"\n"+u.Note), 0, ""),
			Blockers: Sanitize(u.Blockers, 0, ""), Source: t.Source(u.Source), Evidence: u.Evidence,
		}
		if u.Correction {
			row.Correction = t.T("report.correction")
		}
		cv.History = append(cv.History, row)
	}
	return cv
}
