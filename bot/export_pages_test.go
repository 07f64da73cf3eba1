package bot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// TestExportPagesMatchWholeExport checks that an export written a page at
// a time is byte for byte the export of every update at once, as
// encoding/json and encoding/csv write it whole, however it is paged
// (empty pages included), and that an empty export is still valid.
func TestExportPagesMatchWholeExport(t *testing.T) {
	var us []Update
	for i := range 7 {
		us = append(us, Update{
			ForumID: "f", Period: Period{Year: 2026, Month: time.Month(1 + i%12)}, CommitmentID: fmt.Sprintf("C%d", i%3),
			Member: Address(fmt.Sprintf("slack:U%d", i)), Group: CivilSociety, Organisation: "Semillas <&> \"Democracia\"",
			Version: 1 + i%2, Completion: Substantial, Progress: "=cmd ✓ línea\nsegunda", Evidence: []string{"https://a.example/x?y=1&z=2"},
			Needs: []Need{NeedResources}, MilestonesDone: []string{"M1"}, Source: SourceForm,
			SubmittedAt: time.Date(2026, 11, 3, 9, i, 0, 0, time.UTC), Correction: i%3 == 0,
		})
	}
	var whole bytes.Buffer
	enc := json.NewEncoder(&whole)
	enc.SetIndent("", "  ")
	if err := enc.Encode(exportUpdates(us)); err != nil {
		t.Fatal(err)
	}
	var wholeCSV bytes.Buffer
	if err := writeAll(NewExportWriter(&wholeCSV, ExportCSV), us); err != nil {
		t.Fatal(err)
	}
	pagings := [][]int{{7}, {0, 1, 0, 2, 4, 0}, {1, 1, 1, 1, 1, 1, 1}}
	for _, sizes := range pagings {
		for _, format := range []string{ExportJSON, ExportCSV} {
			var b bytes.Buffer
			e := NewExportWriter(&b, format)
			rest := us
			for _, n := range sizes {
				if err := e.Write(rest[:n]); err != nil {
					t.Fatal(err)
				}
				rest = rest[n:]
			}
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			want := whole.String()
			if format == ExportCSV {
				want = wholeCSV.String()
			}
			if b.String() != want {
				t.Errorf("%s in pages %v:\n%s\nwant\n%s", format, sizes, b.String(), want)
			}
		}
	}
	if err := json.Unmarshal(whole.Bytes(), new([]ExportedUpdate)); err != nil {
		t.Errorf("the whole export is not JSON: %v", err)
	}
	if n := bytes.Count(wholeCSV.Bytes(), []byte("\n")); n < len(us)+1 {
		t.Errorf("CSV of %d lines for %d updates", n, len(us))
	}
	for _, format := range []string{ExportJSON, ExportCSV} {
		var b bytes.Buffer
		e := NewExportWriter(&b, format)
		if err := e.Write(nil); err != nil {
			t.Fatal(err)
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		want := "[]\n"
		if format == ExportCSV {
			want = "forum,period,commitment,member,group,organisation,version,completion,progress,blockers,next_steps,note,evidence,needs,milestones_done,source,submitted_at,correction\n"
		}
		if b.String() != want {
			t.Errorf("empty %s export %q, want %q", format, b.String(), want)
		}
	}
}
