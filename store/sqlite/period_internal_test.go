package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"forumbot/bot"
)

// TestPeriodAnswersUnpackEveryField stores answers whose texts hold what
// could confuse the packed row PeriodAnswers reads (spaces, digits,
// multi-byte characters, empty fields, evidence) and checks that each
// comes back field for field as the record has it.
func TestPeriodAnswersUnpackEveryField(t *testing.T) {
	ctx := context.Background()
	db := NewDB(filepath.Join(t.TempDir(), "period.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, time.November, 1, 9, 0, 0, 0, time.UTC)
	nov := bot.Period{Year: 2026, Month: time.November}
	r, _, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: nov, ScheduledAt: t0, OpenedAt: t0, ClosesAt: t0.AddDate(0, 0, 7)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	answers := []bot.Update{
		{CommitmentID: "C 1", Member: "local:ana maría", Group: bot.Government, Organisation: "Ministério 12 3",
			Completion: bot.Substantial, Progress: "12 34 ñandú — «done»\nnext line", Note: " 7 ",
			Evidence: []string{"https://example.org/a b", "https://example.org/ü"}},
		{CommitmentID: "C2", Member: "local:b", Group: bot.CivilSociety, Organisation: "",
			Completion: bot.NoCompletion, Progress: "", Note: "only a note"},
	}
	for _, u := range answers {
		u.ForumID, u.Period, u.RoundID, u.Source, u.SubmittedAt = "f", nov, r.ID, bot.SourceForm, t0
		if _, _, err := db.AddUpdate(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	want, err := db.LatestUpdates(ctx, "f", nov)
	if err != nil || len(want) != len(answers) {
		t.Fatalf("LatestUpdates: %d %v", len(want), err)
	}
	got, err := db.PeriodAnswers(ctx, bot.AnswerFilter{ForumID: "f"}, nov)
	if err != nil || len(got) != len(want) {
		t.Fatalf("PeriodAnswers: %d %v, want %d", len(got), err, len(want))
	}
	for i, w := range want {
		g := got[i]
		wantRead := bot.Update{ID: w.ID, ForumID: w.ForumID, Period: w.Period, RoundID: w.RoundID, CommitmentID: w.CommitmentID,
			Member: w.Member, Group: w.Group, Organisation: w.Organisation, Version: w.Version, Completion: w.Completion,
			Progress: w.Progress, Note: w.Note, Evidence: w.Evidence}
		if !reflect.DeepEqual(g, wantRead) {
			t.Errorf("answer %d:\n got %+v\nwant %+v", i, g, wantRead)
		}
	}
}

func TestMalformedPeriodRowIsAnError(t *testing.T) {
	for _, row := range []string{"", "1 2 3", "1 2 3 1 1 1 1 1 1 1 ", "1 2 3 9 1 1 1 1 1 1 abc[]", "x 2 3 1 1 1 1 1 1 1 abcdefg[]"} {
		var u bot.Update
		if err := unpackPeriodRow(row, &u); err == nil {
			t.Errorf("%q: no error, read %+v", row, u)
		}
	}
	var u bot.Update
	if err := unpackPeriodRow("5 6 2 2 7 3 1 11 0 0 C1local:aGOVOsubstantial[]", &u); err != nil || u.ID != 5 || u.RoundID != 6 ||
		u.Version != 2 || u.CommitmentID != "C1" || u.Member != "local:a" || u.Group != "GOV" || u.Organisation != "O" || u.Completion != "substantial" {
		t.Errorf("a well-formed row: %+v %v", u, err)
	}
}

// TestUnpackReadsWhatPackedWrites packs values in SQLite as the digest's
// reads do and unpacks them.
func TestUnpackReadsWhatPackedWrites(t *testing.T) {
	db := NewDB(filepath.Join(t.TempDir(), "packed.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		nums  []any
		texts []any
	}{
		{[]any{int64(42), int64(-7)}, []any{"a b", "", "ñandú 1 2 ", "[\"x y\"]"}},
		{nil, []any{"", "", " "}},
		{[]any{int64(0)}, []any{"only"}},
	} {
		var numCols, textCols []string
		for i := range tc.nums {
			numCols = append(numCols, fmt.Sprintf("?%d", i+1))
		}
		for i := range tc.texts {
			textCols = append(textCols, fmt.Sprintf("?%d", len(tc.nums)+i+1))
		}
		var row string
		if err := db.r.QueryRow(`SELECT `+packed(numCols, textCols), append(tc.nums, tc.texts...)...).Scan(&row); err != nil {
			t.Fatal(err)
		}
		nums, texts := make([]int64, len(tc.nums)), make([]string, len(tc.texts))
		if err := unpack(row, nums, texts); err != nil {
			t.Fatalf("%q: %v", row, err)
		}
		for i, n := range tc.nums {
			if nums[i] != n {
				t.Errorf("%q: number %d is %d, want %d", row, i, nums[i], n)
			}
		}
		for i, s := range tc.texts {
			if texts[i] != s {
				t.Errorf("%q: text %d is %q, want %q", row, i, texts[i], s)
			}
		}
	}
}
