package sqlite_test

import (
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store/sqlite"
	"forumbot/store/sqlite/sqlitetest"
)

// The store's write benchmarks run on the standard seeded forum (100
// commitments × 30 members × 24 months of history, built through the real
// engine by sqlitetest), so that every index and trigger works at the size
// a forum has after two years. "empty" sub-benchmarks start from an empty
// database, for comparison only.

// seededStore opens a copy of the standard seeded database with a round
// open for the month after its history, and returns that round and every
// member and commitment of the forum: a benchmark answers each once, as a
// month of answers does.
func seededStore(b *testing.B) (*sqlite.DB, bot.Round, []pair) {
	b.Helper()
	path, f := sqlitetest.Copy(b, sqlitetest.Standard)
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	p := sqlitetest.Last.Add(1)
	at := p.First().Time(time.UTC)
	r, _, err := db.OpenRound(ctx, bot.Round{ForumID: f.ID, Period: p, ScheduledAt: at, OpenedAt: at, ClosesAt: at.AddDate(0, 0, 7)}, nil)
	if err != nil {
		b.Fatal(err)
	}
	var pairs []pair
	for _, c := range f.Plan.Commitments {
		for _, m := range c.Committee {
			pairs = append(pairs, pair{c.ID, m.Who, m.Group, m.Organisation})
		}
	}
	return db, r, pairs
}

// pair is one member of one committee.
type pair struct {
	commitment string
	member     bot.Address
	group      bot.Group
	org        string
}

// BenchmarkAddUpdate stores one update per operation through the Store: a
// write transaction that numbers the version, skips a repeated event and
// inserts the row, with the triggers that keep the derived tables. Each
// operation answers the next member's commitment in the new round.
func BenchmarkAddUpdate(b *testing.B) {
	b.Run("history-24mo", func(b *testing.B) {
		db, r, pairs := seededStore(b)
		measureWrites(b, db, adder(b, db, r, pairs))
	})
	// A second version in the same round, as a button and then the form
	// give: every member has answered once before the timer starts.
	b.Run("history-24mo-edit", func(b *testing.B) {
		db, r, pairs := seededStore(b)
		add := adder(b, db, r, pairs)
		for range pairs {
			add()
		}
		measureWrites(b, db, add)
	})
	b.Run("empty", func(b *testing.B) {
		db := MustOpenDB(b)
		var pairs []pair
		for i := range 3000 {
			pairs = append(pairs, pair{fmt.Sprintf("C%d", i%100), bot.Address(fmt.Sprintf("local:m%d", i%600)), bot.Government, "O"})
		}
		measureWrites(b, db, adder(b, db, mustRound(b, db), pairs))
	})
}

// measure runs op once an operation and reports its CPU time too.
func measure(b *testing.B, op func()) {
	cpu := startCPU()
	defer cpu.report(b)
	for b.Loop() {
		op()
	}
}

// measureWrites is measure for an operation that writes to db: it reports
// too the pages each operation appended to the log.
func measureWrites(b *testing.B, db *sqlite.DB, op func()) {
	pages := db.LogPages()
	measure(b, op)
	b.ReportMetric(float64(db.LogPages()-pages)/float64(b.N), "log-pages/op")
}

// adder returns an operation that stores the next member's answer.
func adder(b *testing.B, db *sqlite.DB, r bot.Round, pairs []pair) func() {
	u := bot.Update{ForumID: r.ForumID, Period: r.Period, RoundID: r.ID, Completion: bot.Substantial,
		Progress: "Working group met; minutes published.", Evidence: []string{"https://x.example/a"},
		Needs: []bot.Need{bot.NeedResources}, Source: bot.SourceForm, SubmittedAt: t0}
	i := 0
	return func() {
		p := pairs[i%len(pairs)]
		i++
		u.CommitmentID, u.Member, u.Group, u.Organisation = p.commitment, p.member, p.group, p.org
		u.EventID = fmt.Sprintf("bench-%d", i)
		if _, _, err := db.AddUpdate(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawInsert is the baseline: one prepared INSERT per transaction
// through the same driver and pragmas, with no version lookup and no
// dedupe, into forumbot's own table with its indexes and triggers
// ("schema", on the same history), and into a bare table of the same
// columns ("bare").
func BenchmarkRawInsert(b *testing.B) {
	b.Run("schema-history-24mo", func(b *testing.B) {
		db, r, pairs := seededStore(b)
		db.Close()
		measure(b, inserter(b, openRawAt(b, db.Path), r, pairs))
	})
	b.Run("bare", func(b *testing.B) {
		raw := openRawAt(b, filepath.Join(b.TempDir(), "raw.db"))
		if _, err := raw.Exec(`CREATE TABLE updates (id INTEGER PRIMARY KEY, forum_id TEXT, period TEXT, round_id INTEGER, commitment_id TEXT,
			member TEXT, grp TEXT, organisation TEXT, version INTEGER, completion TEXT, progress TEXT, blockers TEXT, next_steps TEXT,
			note TEXT, evidence TEXT, needs TEXT, milestones_done TEXT, source TEXT, submitted_at TEXT, correction INTEGER, event_id TEXT)`); err != nil {
			b.Fatal(err)
		}
		var pairs []pair
		for i := range 3000 {
			pairs = append(pairs, pair{fmt.Sprintf("C%d", i%100), bot.Address(fmt.Sprintf("local:m%d", i%600)), bot.Government, "O"})
		}
		measure(b, inserter(b, raw, bot.Round{ForumID: "f", Period: nov}, pairs))
	})
}

func openRawAt(b *testing.B, path string) *sql.DB {
	q := url.Values{}
	// The writer's pragmas, its checkpoint bound included (checkpoint.go).
	for _, p := range []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", fmt.Sprintf("wal_autocheckpoint(%d)", sqlite.LogBound)} {
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

// inserter returns an operation that inserts the next member's answer in
// its own transaction, with a statement prepared once, as the store
// prepares its own: the same rows AddUpdate stores.
func inserter(b *testing.B, raw *sql.DB, r bot.Round, pairs []pair) func() {
	stmt, err := raw.Prepare(`INSERT INTO updates (forum_id, period, round_id, commitment_id, member, grp, organisation, version, completion,
		progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction, event_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '', ?, ?, '[]', ?, ?, 0, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stmt.Close() })
	i := 0
	return func() {
		p := pairs[i%len(pairs)]
		i++
		tx, err := raw.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Stmt(stmt).Exec(r.ForumID, r.Period.String(), r.ID, p.commitment, string(p.member), string(p.group), p.org, 1+i/len(pairs),
			"Substantial", "Working group met; minutes published.", `["https://x.example/a"]`, `["resources"]`, "form",
			t0.Format(time.RFC3339Nano), fmt.Sprintf("raw-%d", i)); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAddUpdateVsRawInsert takes issue 9's ratio (AddUpdate at least
// 0.8× as fast as the raw insert) within one run, operation by operation:
// it alternates an AddUpdate on one copy of the seeded database with a raw
// insert on another, each timed on its own, so that the host's load,
// which moves the two separate benchmarks' figures by a fifth from one
// run to the next, weighs on both alike. The order within a pair
// alternates too. raw/add is the ratio the target is about.
func BenchmarkAddUpdateVsRawInsert(b *testing.B) {
	db, r, pairs := seededStore(b)
	other, rawRound, _ := seededStore(b)
	other.Close()
	add := adder(b, db, r, pairs)
	insert := inserter(b, openRawAt(b, other.Path), rawRound, pairs)
	var addTime, rawTime time.Duration
	timed := func(op func(), total *time.Duration) {
		start := time.Now()
		op()
		*total += time.Since(start)
	}
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			timed(add, &addTime)
			timed(insert, &rawTime)
		} else {
			timed(insert, &rawTime)
			timed(add, &addTime)
		}
		i++
	}
	b.ReportMetric(float64(addTime.Microseconds())/float64(b.N), "add-µs/op")
	b.ReportMetric(float64(rawTime.Microseconds())/float64(b.N), "raw-µs/op")
	b.ReportMetric(float64(rawTime)/float64(addTime), "raw/add")
}
