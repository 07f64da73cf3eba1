package bot_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"forumbot/bot"
)

// csvCell writes an update whose progress is text through the CSV export
// and reads the cell back as a spreadsheet would.
func csvCell(t *testing.T, text string) string {
	t.Helper()
	var b bytes.Buffer
	if err := bot.WriteUpdatesCSV(&b, []bot.Update{{ForumID: "f", CommitmentID: "C1", Member: "slack:U1", Progress: text}}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("the export reads back as %q, %v", rows, err)
	}
	for i, name := range bot.ExportColumns {
		if name == "progress" {
			return rows[1][i]
		}
	}
	t.Fatal("no progress column")
	return ""
}

func TestCSVCellsAreInert(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"Formula", "=1+1", "'=1+1"},
		{"Plus", "+33 1 23", "'+33 1 23"},
		{"Minus", "-2+3", "'-2+3"},
		{"At", "@SUM(A1)", "'@SUM(A1)"},
		{"Tab", "\t=1", "'\t=1"},
		{"LeadingSpace", "  =1", "'  =1"},
		{"FullWidthEquals", "＝1+1", "'＝1+1"},
		{"FullWidthPlus", "＋1", "'＋1"},
		{"FullWidthMinus", "－1", "'－1"},
		{"FullWidthAt", "＠SUM(A1)", "'＠SUM(A1)"},
		{"SemicolonFormula", ";=cmd|' /C calc'!A0", ";'=cmd|' /C calc'!A0"},
		{"SemicolonPlus", "budget;+1;ok", "budget;'+1;ok"},
		{"Escape", "a\x1b[2Jb", "a␛[2Jb"},
		{"ControlA", "x\x01y", "x␁y"},
		{"Delete", "x\x7fy", "x␡y"},
		{"C1Control", "x\u009b2Jy", "x\ufffd2Jy"},
		{"CarriageReturn", "one\r\ntwo\rthree", "one\ntwo␍three"},
		{"RightToLeftOverride", "invoice\u202eexe.pdf", "invoiceexe.pdf"},
		{"BidiIsolates", "\u2067x\u2069 \u202ay\u202c \u200fz", "x y z"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := csvCell(t, tt.in); got != tt.want {
				t.Errorf("cell for %q:\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCSVOrdinaryTextUnchanged(t *testing.T) {
	for _, text := range []string{
		"Budget approved.",
		"Ação concluída — 50% (3/6), ver https://data.example/a?b=1&c=2",
		"تم نشر الميزانية",
		"Two lines\n\tindented second",
		"Write to budget@city.example; next: 2026-12",
		"Costs fell 5%; more in December",
		"",
	} {
		if got := csvCell(t, text); got != text {
			t.Errorf("ordinary text changed:\n got %q\nwant %q", got, text)
		}
	}
}

func TestReportCSVTitleIsInert(t *testing.T) {
	r := importedReport(t)
	r.Commitments[0].Commitment.Title = "＝HYPERLINK(\"http://evil.example\";\"x\")\x1b]0;pwned\x07"
	var b bytes.Buffer
	if err := bot.WriteReportCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows[1][1], "'＝HYPERLINK(\"http://evil.example\";\"x\")␛]0;pwned␇"; got != want {
		t.Errorf("title cell:\n got %q\nwant %q", got, want)
	}
}
