package storetest

import (
	"fmt"
	"strings"
	"testing"

	"forumbot/bot"
	"forumbot/store"
)

// chainedRecord stores a small record: three update versions (one sent
// twice), the round's digest and a digest asked for by command.
func chainedRecord(tb testing.TB, h Harness) store.DB {
	tb.Helper()
	db := h.open(tb)
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
	return db
}

func testChainHead(t *testing.T, h Harness) {
	db := chainedRecord(t, h)
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
	if head.Hash != ChainedRecordHead {
		t.Errorf("head %s, want %s: every store hashes the same record to the same head", head.Hash, ChainedRecordHead)
	}
}

// ChainedRecordHead is the chain head of the small record the suite
// stores: every store computes it alike.
const ChainedRecordHead = "7e8b9bf140dce5eded5fa3f77ba7cd262495e4339a94600b3b0025d5ffa22280"

// tamper runs SQL on db's database as someone holding it would, dropping
// the append-only triggers first.
func (h Harness) tamper(tb testing.TB, db store.DB, stmts ...string) {
	tb.Helper()
	tables := map[string]string{"updates_no_update": "updates", "updates_no_delete": "updates", "digests_no_update": "digests",
		"digests_no_delete": "digests", "record_chain_no_update": "record_chain", "record_chain_no_delete": "record_chain"}
	var drops []string
	for _, trig := range store.AppendOnlyGuards {
		drops = append(drops, h.DropTrigger(trig, tables[trig]))
	}
	for _, q := range append(drops, stmts...) {
		if err := h.Exec(tb, db, q); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
}

func testVerifyNamesTheFirstBrokenLink(t *testing.T, h Harness) {
	for _, tt := range []struct {
		name   string
		tamper []string
		want   string
	}{
		{"LevelChanged", []string{"UPDATE updates SET completion = 'complete' WHERE id = 2"},
			"updates id 2 (entry 2 of forum f): column completion differs from what was chained"},
		{"TwoColumnsChanged", []string{"UPDATE updates SET note = 'x', member = 'local:z' WHERE id = 1"},
			"updates id 1 (entry 1 of forum f): columns member, note differ"},
		{"VersionDeleted", []string{"DELETE FROM updates WHERE id = 3"},
			"updates id 3 (entry 3 of forum f): the row is missing"},
		{"MovedToAnotherForum", []string{"UPDATE updates SET forum_id = 'g' WHERE id = 1"},
			"updates id 1 (entry 1 of forum f): column forum_id differs"},
		{"DigestEdited", []string{"UPDATE digests SET message = replace(message, 'digest', 'all fine') WHERE id = 1"},
			"digests id 1 (entry 4 of forum f): column message differs"},
		{"VersionForged", []string{"INSERT INTO updates SELECT 99, forum_id, period, round_id, commitment_id, 'local:c', grp, organisation, 1, 'complete', progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction, 'forged' FROM updates WHERE id = 1"},
			"updates id 99: the row is in no chain: it was added outside the bot"},
		{"EntryRewritten", []string{"UPDATE record_chain SET hash = '" + strings.Repeat("0", 64) + "' WHERE seq = 2"},
			"record_chain (entry 2 of forum f): the hash of the entry for updates id 2 does not follow"},
		{"EntryRemoved", []string{"DELETE FROM record_chain WHERE seq = 2"},
			"record_chain (entry 2 of forum f): entry 2 is missing (the next is 3)"},
		{"EntryRepeated", []string{"INSERT INTO record_chain (forum_id, seq, tbl, row_id, hash, fields) SELECT forum_id, 6, tbl, row_id, hash, fields FROM record_chain WHERE seq = 1"},
			"updates id 1 (entry 6 of forum f): the row is chained a second time (first at entry 1)"},
		{"GuardsOnly", nil, "schema: trigger updates_no_update is missing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := chainedRecord(t, h)
			h.tamper(t, db, tt.tamper...)
			rep, err := db.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Breaks) == 0 {
				t.Fatalf("Verify found nothing; want %q", tt.want)
			}
			if got := rep.Breaks[0].String(); !strings.Contains(got, tt.want) {
				t.Errorf("first break: %q, want %q", got, tt.want)
			}
		})
	}
}
