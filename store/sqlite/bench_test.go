package sqlite_test

import (
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"forumbot/bot"
)

// BenchmarkAddUpdate stores one update per operation through the Store:
// a write transaction that finds the next version and inserts the row
// (DESIGN.md §8: at least half the rate of raw single-row transactions).
func BenchmarkAddUpdate(b *testing.B) {
	db := MustOpenDB(b)
	r := mustRound(b, db)
	u := bot.Update{ForumID: "f", Period: nov, RoundID: r.ID, CommitmentID: "C1", Group: bot.Government, Organisation: "O",
		Completion: bot.Substantial, Progress: "Working group met; minutes published.", Evidence: []string{"https://x.example/a"},
		Needs: []bot.Need{bot.NeedResources}, Source: bot.SourceForm, SubmittedAt: t0}
	i := 0
	for b.Loop() {
		i++
		u.Member = bot.Address(fmt.Sprintf("local:m%d", i%500))
		u.EventID = fmt.Sprintf("evt-%d", i)
		if _, _, err := db.AddUpdate(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawInsert is the baseline: one INSERT per transaction through
// the same driver and pragmas, with no version lookup and no dedupe, into
// a bare table of the same columns ("bare") and into forumbot's own table
// with its indexes ("schema").
func BenchmarkRawInsert(b *testing.B) {
	b.Run("bare", func(b *testing.B) {
		raw := openRaw(b)
		if _, err := raw.Exec(`CREATE TABLE updates (id INTEGER PRIMARY KEY, forum_id TEXT, period TEXT, round_id INTEGER, commitment_id TEXT,
			member TEXT, grp TEXT, organisation TEXT, version INTEGER, completion TEXT, progress TEXT, blockers TEXT, next_steps TEXT,
			note TEXT, evidence TEXT, needs TEXT, milestones_done TEXT, source TEXT, submitted_at TEXT, correction INTEGER, event_id TEXT)`); err != nil {
			b.Fatal(err)
		}
		rawInserts(b, raw, 0)
	})
	b.Run("schema", func(b *testing.B) {
		db := MustOpenDB(b)
		r := mustRound(b, db)
		db.Close()
		raw := openRawAt(b, db.Path)
		rawInserts(b, raw, r.ID)
	})
}

func openRaw(b *testing.B) *sql.DB { return openRawAt(b, filepath.Join(b.TempDir(), "raw.db")) }

func openRawAt(b *testing.B, path string) *sql.DB {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	raw, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		b.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	b.Cleanup(func() { raw.Close() })
	return raw
}

func rawInserts(b *testing.B, raw *sql.DB, round int64) {
	i := 0
	for b.Loop() {
		i++
		tx, err := raw.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO updates (forum_id, period, round_id, commitment_id, member, grp, organisation, version, completion,
			progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction, event_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '', ?, ?, '[]', ?, ?, 0, ?)`,
			"f", "2026-11", round, "C1", fmt.Sprintf("local:m%d", i%500), "government", "O", i, "Substantial",
			"Working group met; minutes published.", `["https://x.example/a"]`, `["resources"]`, "form", t0.Format(time.RFC3339Nano), fmt.Sprintf("evt-%d", i)); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}
