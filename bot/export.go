package bot

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
)

// exportColumns are the columns of the CSV export, one row per stored
// version of an update: the full audit trail.
var exportColumns = []string{
	"forum", "period", "commitment", "member", "group", "organisation", "version",
	"completion", "progress", "blockers", "next_steps", "note", "evidence", "needs",
	"milestones_done", "source", "submitted_at", "correction",
}

// writeUpdatesCSV writes every version of every update as CSV, in the IRM's
// vocabulary. Multi-valued cells are separated by " | ".
func writeUpdatesCSV(w io.Writer, us []Update) error {
	return writeAll(NewExportWriter(w, ExportCSV), us)
}

// writeUpdatesJSON writes every version of every update as a JSON array.
func writeUpdatesJSON(w io.Writer, us []Update) error {
	return writeAll(NewExportWriter(w, ExportJSON), us)
}

func writeAll(e *ExportWriter, us []Update) error {
	if err := e.Write(us); err != nil {
		return err
	}
	return e.Close()
}

// Export formats.
const (
	ExportCSV  = "csv"
	ExportJSON = "json"
)

// An ExportWriter writes stored update versions as CSV or as a JSON
// array a page at a time, so that exporting years of history holds one
// page in memory rather than the whole record. The output is the same as
// writing every page at once.
type ExportWriter struct {
	csv  *csv.Writer
	json io.Writer
	n    int
	err  error
}

// NewExportWriter returns a writer of format (ExportCSV or ExportJSON) to
// w; the CSV header is written with the first page.
func NewExportWriter(w io.Writer, format string) *ExportWriter {
	if format == ExportJSON {
		return &ExportWriter{json: w}
	}
	return &ExportWriter{csv: csv.NewWriter(w)}
}

// Write writes one page of update versions.
func (e *ExportWriter) Write(us []Update) error {
	if e.err != nil {
		return e.err
	}
	if e.json != nil {
		e.err = e.writeJSON(us)
	} else {
		e.err = e.writeCSV(us)
	}
	return e.err
}

// Close ends the output: the CSV header alone or the closing bracket when
// nothing was written, and flushes.
func (e *ExportWriter) Close() error {
	if e.err != nil {
		return e.err
	}
	if e.json != nil {
		end := "\n]\n"
		if e.n == 0 {
			end = "[]\n"
		}
		_, e.err = io.WriteString(e.json, end)
		return e.err
	}
	if e.n == 0 {
		if e.err = e.csv.Write(exportColumns); e.err != nil {
			return e.err
		}
	}
	e.csv.Flush()
	e.err = e.csv.Error()
	return e.err
}

func (e *ExportWriter) writeCSV(us []Update) error {
	if e.n == 0 && len(us) > 0 {
		if err := e.csv.Write(exportColumns); err != nil {
			return err
		}
	}
	for _, u := range us {
		needs := make([]string, len(u.Needs))
		for i, n := range u.Needs {
			needs[i] = string(n)
		}
		if err := e.csv.Write([]string{
			u.ForumID, u.Period.String(), u.CommitmentID, string(u.Member), string(u.Group), CSVSafe(u.Organisation), strconv.Itoa(u.Version),
			string(u.Completion), CSVSafe(u.Progress), CSVSafe(u.Blockers), CSVSafe(u.NextSteps), CSVSafe(u.Note),
			strings.Join(u.Evidence, " | "), strings.Join(needs, " | "), strings.Join(u.MilestonesDone, " | "),
			string(u.Source), u.SubmittedAt.UTC().Format(time.RFC3339), strconv.FormatBool(u.Correction),
		}); err != nil {
			return err
		}
		e.n++
	}
	return nil
}

// writeJSON writes each update as an element of one indented array, as
// encoding/json indents a whole array.
func (e *ExportWriter) writeJSON(us []Update) error {
	for _, x := range exportUpdates(us) {
		b, err := json.MarshalIndent(x, "  ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n  "
		if e.n == 0 {
			sep = "[\n  "
		}
		if _, err := io.WriteString(e.json, sep); err != nil {
			return err
		}
		if _, err := e.json.Write(b); err != nil {
			return err
		}
		e.n++
	}
	return nil
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
