package bot

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// reportCSVColumns are the columns of the CSV report: one row per
// commitment, in the IRM's vocabulary. Each moment (the progress report,
// the end of term, the report's last period) gives the government and the
// civil-society views apart, each with the period it comes from: a period
// earlier than the moment's marks a stale view. A moment whose *_final is
// false had not passed when the report was made: its views are so far.
var reportCSVColumns = []string{
	"commitment", "title", "lead_agency",
	"progress_report_period", "progress_report_final",
	"progress_report_government", "progress_report_government_period",
	"progress_report_civil_society", "progress_report_civil_society_period",
	"end_of_term_period", "end_of_term_final",
	"end_of_term_government", "end_of_term_government_period",
	"end_of_term_civil_society", "end_of_term_civil_society_period",
	"completion_progress_report_irm", "completion_end_of_term_irm", "did_it_open_government",
	"latest_period", "government_latest", "government_latest_period", "civil_society_latest", "civil_society_latest_period",
	"disagreement", "last_reported", "answered", "expected", "excused",
	"milestones_done", "milestones_total", "open_blockers", "updates",
}

// WriteReportCSV writes one row per commitment. The update history is in
// `forumbot export`.
func WriteReportCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(reportCSVColumns); err != nil {
		return err
	}
	for _, c := range r.Commitments {
		cm := c.Commitment
		done := 0
		for _, m := range c.Milestones {
			if !m.DoneIn.IsZero() {
				done++
			}
		}
		row := []string{cm.ID, CSVSafe(cm.Title), CSVSafe(cm.LeadAgency),
			r.ProgressReportAt.String(), strconv.FormatBool(!r.ProgressReportSoFar)}
		row = append(row, viewCells(c.AtProgressReport)...)
		row = append(row, r.EndOfTermAt.String(), strconv.FormatBool(!r.EndOfTermSoFar))
		row = append(row, viewCells(c.AtEndOfTerm)...)
		row = append(row, string(cm.IRM.CompletionProgressReport), string(cm.IRM.CompletionEndOfTerm), string(cm.IRM.DidItOpenGovernment), r.To.String())
		row = append(row, viewCells(c.Latest.Views)...)
		resp := c.Latest.Response
		row = append(row, strconv.FormatBool(c.Latest.Disagreement), c.Latest.LastReported.String(),
			strconv.Itoa(resp.Answered), strconv.Itoa(resp.Expected), strconv.Itoa(resp.Excused),
			strconv.Itoa(done), strconv.Itoa(len(c.Milestones)), strconv.Itoa(len(c.Latest.Blockers)), strconv.Itoa(len(c.History)))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// viewCells gives the government and civil-society views as level and
// period cells.
func viewCells(views []GroupView) []string {
	out := make([]string, 0, 4)
	for _, g := range []Group{Government, CivilSociety} {
		v := groupView(views, g)
		out = append(out, string(v.Completion), v.Period.String())
	}
	return out
}

// groupView returns the view of group g, or an empty one.
func groupView(views []GroupView, g Group) GroupView {
	for _, v := range views {
		if v.Group == g {
			return v
		}
	}
	return GroupView{Group: g}
}

// viewJSON is a group's view as the JSON report and digest write it.
type viewJSON struct {
	Group      Group      `json:"group"`
	Completion Completion `json:"completion"`
	Answers    int        `json:"answers"`
	Period     string     `json:"period,omitempty"`
	Stale      bool       `json:"stale"`
	Previous   Completion `json:"previous,omitempty"`
	Change     *int       `json:"change,omitempty"`
}

func viewsJSON(views []GroupView) []viewJSON {
	out := []viewJSON{}
	for _, v := range views {
		vj := viewJSON{Group: v.Group, Completion: v.Completion, Answers: v.Answers, Period: v.Period.String(), Stale: v.Stale, Previous: v.Previous}
		if delta, ok := v.Change(); ok {
			vj.Change = &delta
		}
		out = append(out, vj)
	}
	return out
}

// WriteReportJSON writes the whole report, history included, as JSON.
func WriteReportJSON(w io.Writer, r Report) error {
	type milestone struct {
		ID     string `json:"id"`
		Title  string `json:"title"`
		Due    Date   `json:"due"`
		DoneIn Period `json:"done_in"`
	}
	type moment struct {
		Period Period     `json:"period"`
		Final  bool       `json:"final"`
		Views  []viewJSON `json:"views"`
	}
	type latest struct {
		Period       Period     `json:"period"`
		Views        []viewJSON `json:"views"`
		Disagreement bool       `json:"disagreement"`
		Response     Rate       `json:"response"`
		NotAnswered  []string   `json:"not_answered"`
	}
	type commitment struct {
		ID             string           `json:"id"`
		Title          string           `json:"title"`
		LeadAgency     string           `json:"lead_agency,omitempty"`
		ProgressReport moment           `json:"progress_report"`
		EndOfTerm      moment           `json:"end_of_term"`
		Latest         latest           `json:"latest"`
		IRM            IRMAssessment    `json:"irm"`
		Timeline       []TimelinePoint  `json:"timeline"`
		Milestones     []milestone      `json:"milestones"`
		History        []ExportedUpdate `json:"history"`
	}
	out := struct {
		Forum       string           `json:"forum"`
		Plan        string           `json:"plan"`
		From        Period           `json:"from"`
		To          Period           `json:"to"`
		GeneratedAt string           `json:"generated_at"`
		Response    []PeriodResponse `json:"response"`
		Commitments []commitment     `json:"commitments"`
	}{Forum: r.Forum.ID, Plan: r.Forum.Plan.ID, From: r.From, To: r.To,
		GeneratedAt: r.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z"), Response: r.Response}
	for _, c := range r.Commitments {
		jc := commitment{ID: c.Commitment.ID, Title: c.Commitment.Title, LeadAgency: c.Commitment.LeadAgency,
			ProgressReport: moment{r.ProgressReportAt, !r.ProgressReportSoFar, viewsJSON(c.AtProgressReport)},
			EndOfTerm:      moment{r.EndOfTermAt, !r.EndOfTermSoFar, viewsJSON(c.AtEndOfTerm)},
			Latest: latest{r.To, viewsJSON(c.Latest.Views), c.Latest.Disagreement, c.Latest.Response,
				append([]string{}, c.Latest.Missing...)},
			IRM: c.Commitment.IRM, Timeline: c.Timeline, Milestones: []milestone{}, History: exportUpdates(c.History)}
		for _, m := range c.Milestones {
			jc.Milestones = append(jc.Milestones, milestone{m.Milestone.ID, m.Milestone.Title, m.Milestone.Due, m.DoneIn})
		}
		out.Commitments = append(out.Commitments, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
