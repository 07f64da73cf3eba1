package bot

import "encoding/json"

// MarshalJSON writes the computed digest as data (not as rendered text), for
// tools that build on it. The figures are the same as the rendered
// digest's: the response counts answers owed (one per member and
// commitment), and each group's view is given apart.
func (d DigestData) MarshalJSON() ([]byte, error) {
	type milestone struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		Due   string `json:"due"`
	}
	type commitment struct {
		ID           string      `json:"id"`
		Title        string      `json:"title"`
		Response     Rate        `json:"response"`
		Views        []viewJSON  `json:"views"`
		Disagreement bool        `json:"disagreement"`
		Stale        bool        `json:"stale"`
		LastReported string      `json:"last_reported,omitempty"`
		Done         int         `json:"milestones_done"`
		Total        int         `json:"milestones_total"`
		DueNow       []milestone `json:"milestones_due"`
		Overdue      []milestone `json:"milestones_overdue"`
		Highlights   []Highlight `json:"highlights"`
		Blockers     []Flag      `json:"blockers"`
		Needs        []NeedFlag  `json:"needs"`
		Evidence     []string    `json:"evidence"`
		Missing      []string    `json:"not_answered"`
	}
	ms := func(in []Milestone) []milestone {
		out := []milestone{}
		for _, m := range in {
			out = append(out, milestone{m.ID, m.Title, m.Due.String()})
		}
		return out
	}
	cs := []commitment{}
	for _, c := range d.Commitments {
		cs = append(cs, commitment{
			ID: c.Commitment.ID, Title: c.Commitment.Title, Response: c.Response, Views: viewsJSON(c.Views), Disagreement: c.Disagreement,
			Stale: c.Stale, LastReported: c.LastReported.String(),
			Done: c.Milestones.Done, Total: c.Milestones.Total, DueNow: ms(c.Milestones.DueNow), Overdue: ms(c.Milestones.Overdue),
			Highlights: c.Highlights, Blockers: c.Blockers, Needs: c.Needs, Evidence: c.Evidence, Missing: c.Missing,
		})
	}
	type record struct {
		Entries int64  `json:"entries"`
		Head    string `json:"head"`
	}
	var chain *record
	if d.Chain.Entries > 0 {
		chain = &record{d.Chain.Entries, d.Chain.Hash}
	}
	next := ""
	if !d.NextRound.IsZero() {
		next = d.NextRound.Format("2006-01-02T15:04:05Z07:00")
	}
	return json.Marshal(struct {
		Forum       string        `json:"forum"`
		Period      string        `json:"period"`
		Response    Participation `json:"response"`
		Commitments []commitment  `json:"commitments"`
		NextRound   string        `json:"next_round,omitempty"`
		LastRound   string        `json:"last_round,omitempty"`
		Undelivered int           `json:"prompts_not_delivered,omitempty"`
		ByFallback  int           `json:"prompts_by_fallback,omitempty"`
		Record      *record       `json:"record,omitempty"`
	}{d.Forum.ID, d.Period.String(), d.Response, cs, next, d.LastRound.String(), d.Undelivered, d.ByFallback, chain})
}
