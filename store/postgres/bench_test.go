package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store/postgres"
)

// The PostgreSQL write benchmarks: updates stored through the Store
// against raw single-row inserts into the same table on the same server,
// each on an empty database of its own with one round open. Run with
// PGTEST_FSYNC=on for a server that syncs its commits, as a real one does.

var benchT0 = time.Date(2026, time.November, 1, 1, 0, 0, 0, time.UTC)

// benchRound opens a store on a fresh database with one open round.
func benchRound(b *testing.B) (*postgres.DB, bot.Round) {
	db := harness.Open(b)
	p := bot.Period{Year: 2026, Month: time.November}
	r, _, err := db.OpenRound(context.Background(), bot.Round{ForumID: "f", Period: p, ScheduledAt: benchT0, OpenedAt: benchT0, ClosesAt: benchT0.AddDate(0, 0, 7)}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return db.(*postgres.DB), r
}

// benchPair is the i-th member and commitment answered: 100 commitments,
// each answered by a new member every 100 operations, so that every
// operation stores a first version.
func benchPair(i int) (commitment string, member bot.Address) {
	return fmt.Sprintf("C%d", i%100), bot.Address(fmt.Sprintf("local:m%d", i/100))
}

// BenchmarkAddUpdate stores one update per operation through the Store:
// a transaction that takes the forum's lock, numbers the version, skips a
// repeated event, inserts the row (the derived tables' triggers fire) and
// chains it.
func BenchmarkAddUpdate(b *testing.B) {
	db, r := benchRound(b)
	u := bot.Update{ForumID: r.ForumID, Period: r.Period, RoundID: r.ID, Group: bot.Government, Organisation: "O", Completion: bot.Substantial,
		Progress: "Working group met; minutes published.", Evidence: []string{"https://x.example/a"},
		Needs: []bot.Need{bot.NeedResources}, Source: bot.SourceForm, SubmittedAt: benchT0}
	i := 0
	for b.Loop() {
		u.CommitmentID, u.Member = benchPair(i)
		u.EventID = fmt.Sprintf("bench-%d", i)
		i++
		if _, _, err := db.AddUpdate(context.Background(), u); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawInsert is the baseline: one INSERT per transaction of the
// same rows into the same table (its indexes and triggers), on the same
// server through the same pool (pgx prepares and caches the statement),
// with no version lookup, no dedupe, no lock and no chain.
func BenchmarkRawInsert(b *testing.B) {
	db, r := benchRound(b)
	pool := db.Pool()
	ctx := context.Background()
	const insert = `INSERT INTO updates (forum_id, period, round_id, commitment_id, member, grp, organisation, version, completion,
		progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction, event_id)
		VALUES ($1, $2, $3, $4, $5, 'government', 'O', 1, $6, 'Working group met; minutes published.', '', '', '',
			'["https://x.example/a"]', '["resources"]', '[]', 'form', $7, 0, $8)`
	i := 0
	for b.Loop() {
		c, m := benchPair(i)
		tx, err := pool.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(ctx, insert, r.ForumID, r.Period.String(), r.ID, c, string(m), string(bot.Substantial),
			benchT0.Format("2006-01-02T15:04:05.000000000Z"), fmt.Sprintf("raw-%d", i)); err != nil {
			tx.Rollback(ctx)
			b.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
