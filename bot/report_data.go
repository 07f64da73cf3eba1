package bot

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// ReportCSVColumns are the columns of the CSV report: one row per
// commitment, in the IRM's vocabulary.
var ReportCSVColumns = []string{
	"commitment", "title", "lead_agency", "progress_report_period", "completion_progress_report_forum",
	"end_of_term_period", "completion_end_of_term_forum", "completion_progress_report_irm", "completion_end_of_term_irm",
	"did_it_open_government", "government_latest", "civil_society_latest", "disagreement", "last_reported",
	"milestones_done", "milestones_total", "open_blockers", "updates",
}

// WriteReportCSV writes one row per commitment. The update history is in
// `forumbot export`.
func WriteReportCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ReportCSVColumns); err != nil {
		return err
	}
	for _, c := range r.Commitments {
		cm := c.Commitment
		view := func(g Group) string {
			for _, v := range c.Latest.Views {
				if v.Group == g {
					return string(v.Completion)
				}
			}
			return ""
		}
		done := 0
		for _, m := range c.Milestones {
			if !m.DoneIn.IsZero() {
				done++
			}
		}
		if err := cw.Write([]string{
			cm.ID, csvSafe(cm.Title), csvSafe(cm.LeadAgency), r.ProgressReportAt.String(), string(c.AtProgressReport),
			r.EndOfTermAt.String(), string(c.AtEndOfTerm), string(cm.IRM.CompletionProgressReport), string(cm.IRM.CompletionEndOfTerm),
			string(cm.IRM.DidItOpenGovernment), view(Government), view(CivilSociety), strconv.FormatBool(c.Latest.Disagreement),
			c.Latest.LastReported.String(), strconv.Itoa(done), strconv.Itoa(len(c.Milestones)), strconv.Itoa(len(c.Latest.Blockers)),
			strconv.Itoa(len(c.History)),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteReportJSON writes the whole report, history included, as JSON.
func WriteReportJSON(w io.Writer, r Report) error {
	type milestone struct {
		ID     string `json:"id"`
		Title  string `json:"title"`
		Due    Date   `json:"due"`
		DoneIn Period `json:"done_in"`
	}
	type commitment struct {
		ID               string           `json:"id"`
		Title            string           `json:"title"`
		LeadAgency       string           `json:"lead_agency,omitempty"`
		AtProgressReport Completion       `json:"completion_progress_report_forum"`
		AtEndOfTerm      Completion       `json:"completion_end_of_term_forum"`
		IRM              IRMAssessment    `json:"irm"`
		Timeline         []TimelinePoint  `json:"timeline"`
		Milestones       []milestone      `json:"milestones"`
		History          []ExportedUpdate `json:"history"`
	}
	out := struct {
		Forum            string           `json:"forum"`
		Plan             string           `json:"plan"`
		From             Period           `json:"from"`
		To               Period           `json:"to"`
		ProgressReportAt Period           `json:"progress_report_period"`
		EndOfTermAt      Period           `json:"end_of_term_period"`
		GeneratedAt      string           `json:"generated_at"`
		Response         []PeriodResponse `json:"response"`
		Commitments      []commitment     `json:"commitments"`
	}{Forum: r.Forum.ID, Plan: r.Forum.Plan.ID, From: r.From, To: r.To, ProgressReportAt: r.ProgressReportAt, EndOfTermAt: r.EndOfTermAt,
		GeneratedAt: r.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z"), Response: r.Response}
	for _, c := range r.Commitments {
		jc := commitment{ID: c.Commitment.ID, Title: c.Commitment.Title, LeadAgency: c.Commitment.LeadAgency,
			AtProgressReport: c.AtProgressReport, AtEndOfTerm: c.AtEndOfTerm, IRM: c.Commitment.IRM, Timeline: c.Timeline,
			Milestones: []milestone{}, History: exportUpdates(c.History)}
		for _, m := range c.Milestones {
			jc.Milestones = append(jc.Milestones, milestone{m.Milestone.ID, m.Milestone.Title, m.Milestone.Due, m.DoneIn})
		}
		out.Commitments = append(out.Commitments, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
