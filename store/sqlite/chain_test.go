package sqlite_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store/sqlite"
)

// chainedRecord stores a small record: three update versions (one sent
// twice), the round's digest and a digest asked for by command, and
// returns the database, closed.
func chainedRecord(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "chain.db")
	db := sqlite.NewDB(path)
	db.Now = func() time.Time { return t0 }
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	r := mustRound(tb, db, "local:a", "local:b")
	for i, who := range []bot.Address{"local:a", "local:b", "local:a", "local:a"} {
		event := fmt.Sprintf("e%d", min(i, 2)) // the fourth repeats the third's event
		_, _, err := db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: nov, RoundID: r.ID, CommitmentID: "C1", Member: who,
			Group: bot.Government, Completion: bot.Limited, Note: "note " + event, Source: bot.SourceThread, SubmittedAt: t0, EventID: event})
		if err != nil {
			tb.Fatal(err)
		}
	}
	d := bot.Digest{ForumID: "f", Period: nov, CreatedAt: t0, Channel: "local:#c", Message: bot.Message{Text: "digest"}}
	if _, err := db.CloseRound(ctx, r.ID, t0, d); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.AddDigest(ctx, d, "digest/asked"); err != nil {
		tb.Fatal(err)
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

func TestChainHeadCountsEveryVersionAndDigest(t *testing.T) {
	path := chainedRecord(t)
	db, err := openMode(t, path, sqlite.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	head, err := db.ChainHead(ctx, "f")
	if err != nil || head.Entries != 5 || len(head.Hash) != 64 {
		t.Fatalf("ChainHead: %+v %v, want 5 entries (3 versions, 2 digests) and a SHA-256", head, err)
	}
	if short := head.Short(); short != head.Hash[:8]+"…"+head.Hash[60:] {
		t.Errorf("Short: %q", short)
	}
	if none, err := db.ChainHead(ctx, "other"); err != nil || none != (bot.ChainHead{}) {
		t.Errorf("ChainHead of a forum without a record: %+v %v", none, err)
	}
	rep, err := db.Verify(ctx)
	if err != nil || len(rep.Breaks) != 0 {
		t.Fatalf("Verify of an intact record: %+v %v", rep, err)
	}
	if len(rep.Forums) != 1 || rep.Forums[0].Entries != 5 || rep.Forums[0].Head != head.Hash {
		t.Errorf("Verify's chains: %+v, want forum f with 5 entries ending at %s", rep.Forums, head.Hash)
	}
}

// v12Migration is the text of the v12 migration, which the undo steps
// below take the triggers and views of v12 to v14 from, or run backwards.
func v12Migration(tb testing.TB) string {
	tb.Helper()
	body, err := os.ReadFile("migrations/0012_round_first_keys.sql")
	if err != nil {
		tb.Fatal(err)
	}
	return string(body)
}

// undoRecentUpdates takes a database back from schema v16 to v15: the
// table of a commitment's last versions gone, the index of every version
// by commitment back.
func undoRecentUpdates() []string {
	return []string{"DROP TRIGGER updates_recent", "DROP TABLE recent_updates",
		"CREATE INDEX updates_commitment ON updates (forum_id, commitment_id, id)", "PRAGMA user_version = 15"}
}

// undoStandingBefore takes a database back from schema v16 to v14: the
// answer before gone from the standing, answers_member back, and the view
// and the trigger as the v12 migration wrote them.
func undoStandingBefore(tb testing.TB) []string {
	tb.Helper()
	_, v12, found := strings.Cut(v12Migration(tb), "CREATE VIEW standing_of")
	if !found || !strings.Contains(v12, "CREATE TRIGGER updates_answers") {
		tb.Fatal("the v12 migration no longer creates standing_of and then updates_answers")
	}
	undo := append(undoRecentUpdates(), "DROP TRIGGER updates_answers", "DROP VIEW standing_at", "DROP VIEW answered")
	for _, c := range []string{"period", "blockers", "blockers_since", "needs", "needs_since"} {
		undo = append(undo, "ALTER TABLE standing DROP COLUMN before_"+c)
	}
	return append(undo, "CREATE INDEX answers_member ON answers (forum_id, commitment_id, member, period)",
		"CREATE VIEW standing_of"+v12, "PRAGMA user_version = 14")
}

// undoMilestonesFirst takes a database back from schema v16 to v13: the
// table of first reports gone, the trigger as the v12 migration wrote it.
func undoMilestonesFirst(tb testing.TB) []string {
	tb.Helper()
	_, trigger, _ := strings.Cut(v12Migration(tb), "CREATE TRIGGER updates_milestone_reports")
	trigger, _, found := strings.Cut(trigger, "END;")
	if !found {
		tb.Fatal("the v12 migration no longer creates updates_milestone_reports")
	}
	return append(undoStandingBefore(tb), "DROP TABLE milestones_first", "DROP TRIGGER updates_milestone_reports",
		"CREATE TRIGGER updates_milestone_reports"+trigger+"END", "PRAGMA user_version = 13")
}

// undoChainRowCheck takes a database back from schema v16 to v12.
func undoChainRowCheck(tb testing.TB) []string {
	tb.Helper()
	return append(undoMilestonesFirst(tb), "CREATE UNIQUE INDEX record_chain_row ON record_chain (tbl, row_id)", "PRAGMA user_version = 12")
}

// undoRoundFirstKeys takes a database back from schema v16 to v11: the
// chain's index by row put back, then the v12 migration run backwards, the
// keys of v11 in place of v12's.
func undoRoundFirstKeys(tb testing.TB) []string {
	tb.Helper()
	script := v12Migration(tb)
	for _, r := range [][2]string{
		{"UNIQUE (round_id, member, commitment_id, version)", "UNIQUE (member, round_id, commitment_id, version)"},
		{"updates_member_event ON updates (round_id, member, event_id)", "updates_member_event ON updates (member, event_id)"},
		{"PRIMARY KEY (forum_id, period, commitment_id, member)", "PRIMARY KEY (forum_id, commitment_id, member, period)"},
		{"answers_member ON answers (forum_id, commitment_id, member, period)", "answers_commitment_period ON answers (forum_id, commitment_id, period, update_id)"},
		{" INDEXED BY answers_member", ""},
		{"milestone_reports (round_id, member, commitment_id)", "milestone_reports (member, round_id, commitment_id)"},
	} {
		if !strings.Contains(script, r[0]) {
			tb.Fatalf("the v12 migration no longer says %q", r[0])
		}
		script = strings.ReplaceAll(script, r[0], r[1])
	}
	return slices.Concat(undoChainRowCheck(tb), []string{script, "PRAGMA user_version = 11"})
}

// undoLastRefs takes a database back from schema v11 to v10.
var undoLastRefs = []string{"DROP TRIGGER last_refs_sent", "DROP TRIGGER last_refs_readdressed", "DROP TABLE last_refs",
	"CREATE INDEX outbox_recipient ON outbox (recipient, id, ref) WHERE ref <> ''"}

// TestMigrationChainsTheExistingRecord takes a record stored before the
// chain existed (the chain's table and what later versions added gone, the
// schema at v7) and opens it: the migration chains every row, and Verify
// finds it intact.
func TestMigrationChainsTheExistingRecord(t *testing.T) {
	path := chainedRecord(t)
	execIn(t, path, slices.Concat(undoRoundFirstKeys(t), undoLastRefs, []string{"DROP INDEX answers_commitment_period", "DROP TABLE record_chain", "DROP TABLE question_contacts", "DROP TABLE question_events", "DROP TABLE questions",
		"PRAGMA user_version = 7"})...)
	db := openMigrated(t, path)
	rep, err := db.Verify(ctx)
	if err != nil || len(rep.Breaks) != 0 || len(rep.Forums) != 1 || rep.Forums[0].Entries != 5 {
		t.Fatalf("Verify after the migration: %+v %v, want forum f intact with 5 entries", rep, err)
	}
	r, err := db.Round(ctx, "f", nov)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: nov, RoundID: r.ID, CommitmentID: "C1", Member: "local:b",
		Group: bot.Government, Completion: bot.Complete, Source: bot.SourceForm, SubmittedAt: t0, Correction: true}); err != nil {
		t.Fatal(err)
	}
	if head, _ := db.ChainHead(ctx, "f"); head.Entries != 6 {
		t.Errorf("a version stored after the migration: %d entries, want 6", head.Entries)
	}
}

// TestMigrateToChainRowCheck takes a record back to schema v12, whose
// chain has an index by row, and opens it: the index is gone, and the
// chain is intact and goes on. (That Verify names a row chained twice,
// which the index refused, is TestStore's EntryRepeated.)
func TestMigrateToChainRowCheck(t *testing.T) {
	path := chainedRecord(t)
	execIn(t, path, undoChainRowCheck(t)...)
	schemaOf(t, path, "record_chain_row") // fails the test if the index is not there
	db := openMigrated(t, path)
	if s := schemaOf(t, path, "record_chain"); !strings.Contains(s, "PRIMARY KEY (forum_id, seq)") {
		t.Fatalf("record_chain after the migration:\n%s", s)
	}
	if left := present(t, path, "record_chain_row"); left != "" {
		t.Fatalf("after the migration the database still has %s", left)
	}
	r, err := db.Round(ctx, "f", nov)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: nov, RoundID: r.ID, CommitmentID: "C1", Member: "local:b",
		Group: bot.Government, Completion: bot.Complete, Source: bot.SourceForm, SubmittedAt: t0}); err != nil {
		t.Fatal(err)
	}
	rep, err := db.Verify(ctx)
	if err != nil || len(rep.Breaks) != 0 || len(rep.Forums) != 1 || rep.Forums[0].Entries != 6 {
		t.Fatalf("Verify after the migration and one more version: %+v %v, want forum f intact with 6 entries", rep, err)
	}
}
