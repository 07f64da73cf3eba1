package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"forumbot/bot"
	"forumbot/store/postgres/pgtest"
)

// BenchmarkHistory reads from PostgreSQL what a prompt's refresh and a
// digest read from the store, and stores a round's answers, on the
// standard forum (100 commitments of 30 members from 600 people) with 1
// and with 24 months of history: what history costs them is the ratio of
// the two. The engine's own work is left out (bot's BenchmarkFollowUp,
// BenchmarkDigestFromStore and BenchmarkAck200 measure it on SQLite).
//
//   - refresh: one member after another, in the round after the history,
//     their updates in it, their standing on their commitments and the
//     milestones done of those;
//   - digest: the month's answers, the level counts, the open flags and
//     the milestones done, of the whole forum, one after another;
//   - write: the answers of the round after the history (benchWrites);
//   - migrate-v13: the database taken back to schema v12 (not timed),
//     then opened: migration 0013 rebuilds the update's key and the
//     milestone reports' index, round first, over the whole history.
func BenchmarkHistory(b *testing.B) {
	ctx := context.Background()
	for _, months := range []int{1, 24} {
		h := history{Commitments: 100, People: 600, Months: months}
		db := NewDB(pgtest.URL(b))
		if err := db.Open(); err != nil {
			b.Fatal(err)
		}
		last := h.seed(b, db)
		// The round after the history, as a member sees it: their
		// standing is of the months before.
		at := last.OpenedAt.AddDate(0, 1, 0)
		next, _, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: last.Period.Add(1), ScheduledAt: at, OpenedAt: at, ClosesAt: at.AddDate(0, 0, 7)}, nil)
		if err != nil {
			b.Fatal(err)
		}
		all := h.commitments()
		committees := h.committees()
		done := make([][]bot.MilestoneKey, h.People)
		for i, mine := range committees {
			done[i] = milestones(mine)
		}
		b.Run(fmt.Sprintf("refresh-%dmo", months), func(b *testing.B) {
			i := 0
			for b.Loop() {
				k := i % h.People
				who, mine := h.person(k), committees[k]
				i++
				if _, err := db.Updates(ctx, bot.UpdateFilter{Member: who, RoundID: next.ID}); err != nil {
					b.Fatal(err)
				}
				standing, err := db.Standing(ctx, bot.AnswerFilter{ForumID: "f", Commitments: mine, Member: who}, last.Period)
				if err != nil {
					b.Fatal(err)
				}
				if len(standing) != len(mine) {
					b.Fatalf("%s: standing on %d commitments, want %d", who, len(standing), len(mine))
				}
				if _, err := db.MilestonesDone(ctx, "f", done[k], next.Period); err != nil {
					b.Fatal(err)
				}
			}
		})
		allDone := milestones(all)
		b.Run(fmt.Sprintf("digest-%dmo", months), func(b *testing.B) {
			for b.Loop() {
				answers, err := db.PeriodAnswers(ctx, bot.AnswerFilter{ForumID: "f"}, last.Period)
				if err != nil {
					b.Fatal(err)
				}
				if len(answers) != h.perMonth() {
					b.Fatalf("%d answers, want %d", len(answers), h.perMonth())
				}
				if _, err := db.LevelCounts(ctx, "f", all, last.Period); err != nil {
					b.Fatal(err)
				}
				if _, err := db.OpenFlags(ctx, bot.AnswerFilter{ForumID: "f"}); err != nil {
					b.Fatal(err)
				}
				if _, err := db.MilestonesDone(ctx, "f", allDone, last.Period); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("write-%dmo", months), func(b *testing.B) {
			benchWrites(b, db, h, committees, next)
		})
		b.Run(fmt.Sprintf("migrate-v13-%dmo", months), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				if _, err := db.Pool().Exec(ctx, UndoRoundFirstKeys); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				migrated := NewDB(db.URL)
				if err := migrated.Open(); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				var def string
				if err := migrated.Pool().QueryRow(ctx, `SELECT indexdef FROM pg_indexes WHERE indexname = 'updates_round_member'`).Scan(&def); err != nil {
					b.Fatalf("after the migration: %v", err)
				}
				migrated.Close()
				b.StartTimer()
			}
		})
		db.Close()
	}
}

// benchWrites stores the members' answers of round next (committees
// lists each person's commitments, as history.committees does), in a
// random order across the commitments as a round's come in, each in its
// own transaction, and reports the write-ahead log each wrote: after a
// checkpoint, the server logs the whole of each page the first time a
// write changes it (with full_page_writes on, the default, which pgtest
// sets with PGTEST_FSYNC=on), so the log an answer writes grows with how
// many pages a round's answers spread over.
func benchWrites(b *testing.B, db *DB, h history, committees [][]string, next bot.Round) {
	ctx := context.Background()
	type pair struct {
		who bot.Address
		c   string
	}
	var pairs []pair
	for k, mine := range committees {
		for _, c := range mine {
			pairs = append(pairs, pair{h.person(k), c})
		}
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
	if _, err := db.pool.Exec(ctx, "CHECKPOINT"); err != nil {
		b.Fatal(err)
	}
	var lsn0, lsn1 int64
	wal := `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint`
	if err := db.pool.QueryRow(ctx, wal).Scan(&lsn0); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		p := pairs[i%len(pairs)]
		i++
		if _, _, err := db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: next.Period, RoundID: next.ID, CommitmentID: p.c, Member: p.who,
			Group: bot.Government, Organisation: "O", Completion: bot.Substantial, Progress: "p", Source: bot.SourceForm, SubmittedAt: next.OpenedAt}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if err := db.pool.QueryRow(ctx, wal).Scan(&lsn1); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(lsn1-lsn0)/1024/float64(i), "wal-kB/op")
}

// milestones are the three milestones of each of the commitments.
func milestones(commitments []string) []bot.MilestoneKey {
	var out []bot.MilestoneKey
	for _, c := range commitments {
		for m := 1; m <= 3; m++ {
			out = append(out, bot.MilestoneKey{CommitmentID: c, MilestoneID: fmt.Sprint("M", m)})
		}
	}
	return out
}
