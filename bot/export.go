package bot

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
)

// ExportColumns are the columns of the CSV export, one row per stored
// version of an update: the full audit trail.
var ExportColumns = []string{
	"forum", "period", "commitment", "member", "group", "organisation", "version",
	"completion", "progress", "blockers", "next_steps", "note", "evidence", "needs",
	"milestones_done", "source", "submitted_at", "correction",
}

// WriteUpdatesCSV writes every version of every update as CSV, in the IRM's
// vocabulary. Multi-valued cells are separated by " | ".
func WriteUpdatesCSV(w io.Writer, us []Update) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportColumns); err != nil {
		return err
	}
	for _, u := range us {
		needs := make([]string, len(u.Needs))
		for i, n := range u.Needs {
			needs[i] = string(n)
		}
		if err := cw.Write([]string{
			u.ForumID, u.Period.String(), u.CommitmentID, string(u.Member), string(u.Group), csvSafe(u.Organisation), strconv.Itoa(u.Version),
			string(u.Completion), csvSafe(u.Progress), csvSafe(u.Blockers), csvSafe(u.NextSteps), csvSafe(u.Note),
			strings.Join(u.Evidence, " | "), strings.Join(needs, " | "), strings.Join(u.MilestonesDone, " | "),
			string(u.Source), u.SubmittedAt.UTC().Format(time.RFC3339), strconv.FormatBool(u.Correction),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportedUpdate is the JSON form of a stored update version.
type ExportedUpdate struct {
	Forum          string   `json:"forum"`
	Period         string   `json:"period"`
	Commitment     string   `json:"commitment"`
	Member         string   `json:"member"`
	Group          string   `json:"group"`
	Organisation   string   `json:"organisation"`
	Version        int      `json:"version"`
	Completion     string   `json:"completion"`
	Progress       string   `json:"progress,omitempty"`
	Blockers       string   `json:"blockers,omitempty"`
	NextSteps      string   `json:"next_steps,omitempty"`
	Note           string   `json:"note,omitempty"`
	Evidence       []string `json:"evidence,omitempty"`
	Needs          []Need   `json:"needs,omitempty"`
	MilestonesDone []string `json:"milestones_done,omitempty"`
	Source         string   `json:"source"`
	SubmittedAt    string   `json:"submitted_at"`
	Correction     bool     `json:"correction"`
}

// WriteUpdatesJSON writes every version of every update as a JSON array.
func WriteUpdatesJSON(w io.Writer, us []Update) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(exportUpdates(us))
}

func exportUpdates(us []Update) []ExportedUpdate {
	out := make([]ExportedUpdate, len(us))
	for i, u := range us {
		out[i] = ExportedUpdate{
			Forum: u.ForumID, Period: u.Period.String(), Commitment: u.CommitmentID, Member: string(u.Member),
			Group: string(u.Group), Organisation: u.Organisation, Version: u.Version, Completion: string(u.Completion),
			Progress: u.Progress, Blockers: u.Blockers, NextSteps: u.NextSteps, Note: u.Note, Evidence: u.Evidence,
			Needs: u.Needs, MilestonesDone: u.MilestonesDone, Source: string(u.Source),
			SubmittedAt: u.SubmittedAt.UTC().Format(time.RFC3339), Correction: u.Correction,
		}
	}
	return out
}
