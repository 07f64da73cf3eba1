package bot

import (
	"fmt"
	"io"
	"strings"
)

// WriteReportMarkdown writes the report as Markdown: a summary table, the
// response rate by round, then each commitment with its completion at the
// IRM's dates, milestones, timeline and the full update history.
func WriteReportMarkdown(w io.Writer, t Texts, r Report) error {
	esc := markdownEscape
	cell := func(s string) string { return esc(strings.Join(strings.Fields(s), " ")) }
	var b strings.Builder
	f := r.Forum
	fmt.Fprintf(&b, "# %s\n\n", esc(t.T("report.title", "Forum", f.Name, "From", t.Period(r.From), "To", t.Period(r.To))))
	if f.Plan.Title != "" {
		fmt.Fprintf(&b, "%s", esc(t.T("report.plan", "Plan", f.Plan.ID, "Title", f.Plan.Title)))
		if !f.Plan.Start.IsZero() {
			fmt.Fprintf(&b, " (%s)", esc(t.T("report.plan_dates", "Start", t.Date(f.Plan.Start), "End", t.Date(f.Plan.End))))
		}
		b.WriteString("\n\n")
	}
	fmt.Fprintf(&b, "_%s_\n\n", esc(t.T("report.generated", "When", t.Date(DateOf(r.GeneratedAt.In(f.Location))))))

	fmt.Fprintf(&b, "## %s\n\n", esc(t.T("report.summary")))
	progress, end := MomentHeaders(t, r)
	fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", esc(t.T("report.commitment")),
		esc(progress), esc(end), esc(t.T("report.irm")), esc(t.T("report.diog")))
	for _, c := range r.Commitments {
		irm := c.Commitment.IRM
		fmt.Fprintf(&b, "| %s | %s | %s | %s / %s | %s |\n", cell(c.Commitment.ID+" · "+c.Commitment.Title),
			esc(viewsText(t, c.AtProgressReport)), esc(viewsText(t, c.AtEndOfTerm)), irmLevel(t, irm.CompletionProgressReport), irmLevel(t, irm.CompletionEndOfTerm), t.DIOG(irm.DidItOpenGovernment))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "### %s\n\n", esc(t.T("report.howto.title")))
	for _, line := range HowToRead(t) {
		b.WriteString(mdItem(line))
	}
	b.WriteString("\n")

	if len(r.Response) > 0 {
		fmt.Fprintf(&b, "## %s\n\n| %s | %s |", esc(t.T("report.response")), esc(t.T("report.period")), esc(t.T("report.overall")))
		groups := responseGroups(r.Response)
		for _, g := range groups {
			fmt.Fprintf(&b, " %s |", esc(t.Group(g)))
		}
		b.WriteString("\n|---|---|" + strings.Repeat("---|", len(groups)) + "\n")
		for _, pr := range r.Response {
			fmt.Fprintf(&b, "| %s | %s |", t.Period(pr.Period), rateText(t, pr.Overall))
			for _, g := range groups {
				fmt.Fprintf(&b, " %s |", rateText(t, groupRate(pr, g)))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	for _, c := range r.Commitments {
		writeCommitmentMarkdown(&b, t, r, c)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCommitmentMarkdown(b *strings.Builder, t Texts, r Report, c CommitmentReport) {
	esc := markdownEscape
	cell := func(s string) string { return esc(strings.Join(strings.Fields(s), " ")) }
	cm := c.Commitment
	fmt.Fprintf(b, "## %s\n\n", esc(cm.ID+" · "+cm.Title))
	if cm.LeadAgency != "" {
		fmt.Fprintf(b, "%s  \n", esc(t.T("report.lead", "Agency", cm.LeadAgency)))
	}
	if len(cm.Values) > 0 {
		vals := make([]string, len(cm.Values))
		for i, v := range cm.Values {
			vals[i] = string(v)
		}
		fmt.Fprintf(b, "%s  \n", esc(t.T("report.values", "List", strings.Join(vals, ", "))))
	}
	progress, end := MomentHeaders(t, r)
	fmt.Fprintf(b, "\n| %s | %s | %s |\n|---|---|---|\n", esc(t.T("report.completion")), esc(progress), esc(end))
	fmt.Fprintf(b, "| %s | %s | %s |\n", esc(t.T("report.reported")), esc(viewsText(t, c.AtProgressReport)), esc(viewsText(t, c.AtEndOfTerm)))
	fmt.Fprintf(b, "| %s | %s | %s |\n\n", esc(t.T("report.irm")), irmLevel(t, cm.IRM.CompletionProgressReport), irmLevel(t, cm.IRM.CompletionEndOfTerm))
	fmt.Fprintf(b, "**%s** %s\n\n", esc(t.T("report.diog")), t.DIOG(cm.IRM.DidItOpenGovernment))
	fmt.Fprintf(b, "**%s**\n\n", esc(t.T("report.latest", "Period", t.Period(r.To))))
	for _, line := range latestLines(t, r, c) {
		b.WriteString(mdItem(line))
	}
	b.WriteString("\n")
	if len(c.Milestones) > 0 {
		fmt.Fprintf(b, "**%s**\n\n", esc(t.T("report.milestones")))
		for _, m := range c.Milestones {
			b.WriteString(mdItem(milestoneStateText(t, m)))
		}
		b.WriteString("\n")
	}
	if len(c.Timeline) > 0 {
		fmt.Fprintf(b, "**%s**\n\n| %s | %s | %s |\n|---|---|---|\n", esc(t.T("report.timeline")), esc(t.T("report.period")), esc(t.Group(Government)), esc(t.Group(CivilSociety)))
		for _, p := range c.Timeline {
			fmt.Fprintf(b, "| %s | %s | %s |\n", t.Period(p.Period), t.Level(p.Government), t.Level(p.CivilSociety))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "**%s**\n\n", esc(t.T("report.history")))
	if len(c.History) == 0 {
		fmt.Fprintf(b, "%s\n\n", esc(t.T("report.no_history")))
		return
	}
	fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|---|---|\n",
		esc(t.T("report.col.date")), esc(t.T("report.col.who")), esc(t.T("report.col.version")), esc(t.T("report.col.completion")),
		esc(t.T("report.col.progress")), esc(t.T("report.col.blockers")), esc(t.T("report.col.evidence")), esc(t.T("report.col.source")))
	for _, u := range c.History {
		source := t.Source(u.Source)
		if u.Correction {
			source += ", " + t.T("report.correction")
		}
		fmt.Fprintf(b, "| %s | %s | %d | %s | %s | %s | %s | %s |\n",
			t.Date(DateOf(u.SubmittedAt.In(r.Forum.Location))), cell(u.Organisation+" ("+t.Group(u.Group)+")"), u.Version, t.Level(u.Completion),
			cell(Sanitize(strings.TrimSpace(u.Progress+" "+u.Note), 0, "")), cell(Sanitize(u.Blockers, 0, "")), cell(strings.Join(u.Evidence, " ")), cell(source))
	}
	b.WriteString("\n")
}

func milestoneStateText(t Texts, m MilestoneState) string {
	due := t.T("report.milestone.nodue")
	if !m.Milestone.Due.IsZero() {
		due = t.Date(m.Milestone.Due)
	}
	if m.DoneIn.IsZero() {
		return t.T("report.milestone.open", "ID", m.Milestone.ID, "Title", OneLine(m.Milestone.Title, maxEchoShort, "…"), "Due", due)
	}
	return t.T("report.milestone.done", "ID", m.Milestone.ID, "Title", OneLine(m.Milestone.Title, maxEchoShort, "…"), "Due", due, "Done", t.Period(m.DoneIn))
}

func rateText(t Texts, r Rate) string {
	if r.Expected == 0 {
		return "–"
	}
	return fmt.Sprintf("%d/%d (%s)", r.Answered, r.Expected, t.Percent(r.Percent()))
}

// responseGroups lists the groups present in any round, in display order.
func responseGroups(rs []PeriodResponse) []Group {
	seen := map[Group]bool{}
	for _, pr := range rs {
		for _, g := range pr.Groups {
			seen[g.Group] = true
		}
	}
	var out []Group
	for _, g := range Groups {
		if seen[g] {
			out = append(out, g)
		}
	}
	return out
}

func groupRate(pr PeriodResponse, g Group) Rate {
	for _, gr := range pr.Groups {
		if gr.Group == g {
			return gr.Rate
		}
	}
	return Rate{}
}

// viewsText shows every group's view, each stale one with its month:
// "Government: Substantial (2 answers) · Civil society: Limited (last
// reported March 2026)".
func viewsText(t Texts, views []GroupView) string {
	parts := make([]string, len(views))
	for i, v := range views {
		parts[i] = t.Group(v.Group) + ": " + viewText(t, v)
	}
	return strings.Join(parts, " · ")
}

// MomentHeaders names the progress-report and end-of-term columns; a moment
// not yet passed is marked "so far" with the period the views are as of.
func MomentHeaders(t Texts, r Report) (progress, end string) {
	soFar := func(h string, p Period, yes bool) string {
		if !yes {
			return h
		}
		return t.T("report.so_far", "Column", h, "Period", t.Period(minPeriod(p, r.To)))
	}
	progress = soFar(t.T("report.at_progress", "Period", t.Period(r.ProgressReportAt)), r.ProgressReportAt, r.ProgressReportSoFar)
	end = soFar(t.T("report.at_end", "Period", t.Period(r.EndOfTermAt)), r.EndOfTermAt, r.EndOfTermSoFar)
	return progress, end
}

// latestLines is a commitment's state at the report's last period: the
// views with their change, the round's answers, disagreement and open
// flags.
func latestLines(t Texts, r Report, c CommitmentReport) []string {
	var lines []string
	for _, v := range c.Latest.Views {
		lines = append(lines, t.Group(v.Group)+": "+ViewChangeText(t, v, r.To))
	}
	if c.Latest.Disagreement {
		lines = append(lines, "⚠ "+t.T("digest.disagreement"))
	}
	if c.Latest.Response.Expected+c.Latest.Response.Excused > 0 {
		lines = append(lines, commitmentResponseText(t, &c.Latest))
	}
	lines = append(lines, reportFlags(t, c.Latest)...)
	return append(lines, questionLines(t, r.Forum.Location, &c.Latest)...)
}

// HowToRead is the report's note on how its figures are defined, one
// sentence per figure, in the reader's language.
func HowToRead(t Texts) []string {
	return []string{
		t.T("report.howto.response"), t.T("report.howto.views"), t.T("report.howto.stale"), t.T("report.howto.change"),
		t.T("report.howto.disagreement"), t.T("report.howto.milestones"), t.T("report.howto.flags"), t.T("report.howto.columns"),
	}
}

// irmLevel names the IRM's level, or says the IRM has not assessed it.
func irmLevel(t Texts, c Completion) string {
	if c == NoCompletion {
		return t.T("report.not_assessed")
	}
	return t.Level(c)
}

// reportFlags lists open blockers and needs one per line, each line whole.
func reportFlags(t Texts, c CommitmentDigest) []string {
	var lines []string
	for _, bl := range c.Blockers {
		lines = append(lines, t.T("digest.blockers")+" "+t.T("digest.blocker", "Org", bl.Organisation, "Group", t.Group(bl.Group), "Since", t.Period(bl.Since), "Text", Sanitize(bl.Text, maxEchoNote, t.T("echo.more"))))
	}
	for _, n := range c.Needs {
		lines = append(lines, t.T("digest.need", "Need", t.Need(n.Need), "Orgs", strings.Join(n.Organisations, ", "), "Since", t.Period(n.Since)))
	}
	return lines
}
