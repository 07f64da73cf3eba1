package sqlite_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store/sqlite"
)

func update(r bot.Round, who bot.Address) bot.Update {
	return bot.Update{ForumID: r.ForumID, Period: r.Period, RoundID: r.ID, CommitmentID: "C1", Member: who, Group: bot.Government,
		Organisation: "O", Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: t0}
}

func TestVoidRound(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		r := mustRound(t, db, "local:a", "local:b")
		if err := db.VoidRound(ctx, r.ID, t0.Add(time.Hour), "local:coord"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Round(ctx, "f", nov); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("Round of a voided period: %v, want ENOTFOUND", err)
		}
		if rs, _ := db.Rounds(ctx, "f"); len(rs) != 0 {
			t.Errorf("Rounds: %+v, want none held", rs)
		}
		got, err := db.RoundByID(ctx, r.ID)
		if err != nil || got.State != bot.RoundVoided || got.VoidedBy != "local:coord" || !got.VoidedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("RoundByID: %+v %v, want voided by the coordinator", got, err)
		}
		ps, _ := db.Deliveries(ctx, r.ID, bot.KindPrompt)
		for _, p := range ps {
			if p.State != bot.Skipped {
				t.Errorf("prompt to %s: %s, want skipped", p.To, p.State)
			}
		}
		if _, _, err := db.AddUpdate(ctx, update(r, "local:a")); bot.ErrorCode(err) != bot.ECONFLICT {
			t.Errorf("update in a voided round: %v, want ECONFLICT", err)
		}
		if err := db.ReopenRound(ctx, r.ID, t0); err == nil {
			t.Errorf("a voided round was reopened")
		}
		again, created, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: nov, Revision: 1, ScheduledAt: t0, OpenedAt: t0, ClosesAt: t0.Add(time.Hour)}, nil)
		if err != nil || !created || again.ID == r.ID || again.Revision != 1 {
			t.Errorf("a new round of the voided period: %+v created=%v %v", again, created, err)
		}
		if vs, err := db.VoidedRounds(ctx, "f"); err != nil || len(vs) != 1 || vs[0].ID != r.ID {
			t.Errorf("VoidedRounds: %+v %v", vs, err)
		}
	})
	t.Run("ErrConflictWithAnUpdate", func(t *testing.T) {
		db := MustOpenDB(t)
		r := mustRound(t, db, "local:a")
		u := update(r, "local:a")
		u.Completion, u.Note = bot.NoCompletion, "just a note"
		if _, _, err := db.AddUpdate(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := db.VoidRound(ctx, r.ID, t0, "local:coord"); bot.ErrorCode(err) != bot.ECONFLICT {
			t.Errorf("voiding a round with a note: %v, want ECONFLICT", err)
		}
		if got, _ := db.RoundByID(ctx, r.ID); got.State != bot.RoundOpen {
			t.Errorf("round after the refusal: %s, want open", got.State)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := db.VoidRound(ctx, 42, t0, "local:coord"); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("got %v, want ENOTFOUND", err)
		}
	})
}

func TestCommandClaims(t *testing.T) {
	db := MustOpenDB(t)
	c := bot.CommandRecord{Member: "slack:U1", EventID: "T1", Command: bot.CmdRound, ClaimedAt: t0}
	if _, claimed, err := db.ClaimCommand(ctx, c); err != nil || !claimed {
		t.Fatalf("first claim: %v %v", claimed, err)
	}
	prior, claimed, err := db.ClaimCommand(ctx, c)
	if err != nil || claimed || prior.Outcome != "" || !prior.ClaimedAt.Equal(t0) {
		t.Fatalf("second claim before the outcome: %+v %v %v", prior, claimed, err)
	}
	if err := db.FinishCommand(ctx, c.Member, c.EventID, bot.CommandReplied, "done"); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishCommand(ctx, c.Member, c.EventID, bot.CommandRefused, "no"); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("finishing twice: %v, want ECONFLICT", err)
	}
	prior, claimed, _ = db.ClaimCommand(ctx, c)
	if claimed || prior.Outcome != bot.CommandReplied || prior.Text != "done" || prior.Command != bot.CmdRound {
		t.Errorf("claim after the outcome: %+v %v", prior, claimed)
	}
	other := c
	other.Member = "slack:U2"
	if _, claimed, _ := db.ClaimCommand(ctx, other); !claimed {
		t.Errorf("the same id from another member was taken for a replay")
	}
}

func TestNoticesAreSentOnce(t *testing.T) {
	db := MustOpenDB(t)
	n := bot.Notice{Key: "notice/f/2026-11/late", ForumID: "f", CreatedAt: t0, Message: bot.Message{Text: "opened late"}}
	for i, want := range []bool{true, false} {
		added, err := db.AddNotice(ctx, n, []bot.Address{"local:c1", "local:c2"})
		if err != nil || added != want {
			t.Fatalf("AddNotice #%d: added=%v %v, want %v", i+1, added, err, want)
		}
	}
	due, _ := db.DueDeliveries(ctx, t0, 0, 10)
	if len(due) != 2 || due[0].Kind != bot.KindNotice || due[0].To != "local:c1" || due[0].NoticeID == 0 {
		t.Fatalf("queued: %+v, want one notice to each coordinator", due)
	}
	got, err := db.Notice(ctx, due[0].NoticeID)
	if err != nil || got.Message.Text != "opened late" || got.Key != n.Key {
		t.Errorf("Notice: %+v %v", got, err)
	}
}

func TestWaitsAreNotAttemptsAndFailedCanBeRetried(t *testing.T) {
	db := MustOpenDB(t)
	r := mustRound(t, db, "local:a", "local:b")
	ps, _ := db.Deliveries(ctx, r.ID, bot.KindPrompt)
	a, b := ps[0], ps[1]
	if err := db.MarkSending(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkWaiting(ctx, a.ID, t0.Add(time.Minute), "429", true); err != nil {
		t.Fatal(err)
	}
	due, _ := db.DueDeliveries(ctx, t0.Add(time.Minute), 0, 10)
	if len(due) != 2 || due[0].State != bot.Pending || due[0].Attempts != 0 || !due[0].FailingSince.IsZero() {
		t.Fatalf("after a refused send's wait: %+v, want pending, no attempt, not failing", due[0])
	}
	if err := db.MarkSending(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkWaiting(ctx, a.ID, t0, "429", false); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.DueDeliveries(ctx, t0, 0, 10); len(due) != 2 || due[0].State != bot.Sending {
		t.Errorf("a wait before anything was sent keeps the state: %+v", due)
	}
	if err := db.MarkFailed(ctx, b.ID, "user_not_found"); err != nil {
		t.Fatal(err)
	}
	failed, err := db.FailedDeliveries(ctx, "f")
	if err != nil || len(failed) != 1 || failed[0].ID != b.ID || failed[0].LastError != "user_not_found" {
		t.Fatalf("FailedDeliveries: %+v %v", failed, err)
	}
	if n, err := db.RetryFailed(ctx, "f", t0.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("RetryFailed: %d %v", n, err)
	}
	due, _ = db.DueDeliveries(ctx, t0.Add(time.Hour), 0, 10)
	if len(due) != 2 || due[1].ID != b.ID || due[1].State != bot.Pending || due[1].Attempts != 1 {
		t.Errorf("retried entry: %+v, want pending, one attempt kept so the sender asks before resending", due)
	}
	if failed, _ := db.FailedDeliveries(ctx, "f"); len(failed) != 0 {
		t.Errorf("still failed after a retry: %+v", failed)
	}
}

// TestMigrateToVoidableRounds opens a database of schema v6 with rounds,
// an outbox, a digest and updates that reference them, and finds every row
// with its id, every reference intact and enforced.
func TestMigrateToVoidableRounds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v6.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 6; i++ {
		names, _ := filepath.Glob(fmt.Sprintf("migrations/%04d_*.sql", i))
		body, err := os.ReadFile(names[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", names[0], err)
		}
	}
	const at = "'2026-11-01T09:00:00.000000000Z'"
	for _, stmt := range []string{"PRAGMA user_version = 6",
		`INSERT INTO rounds (id, forum_id, period, scheduled_at, opened_at, closes_at, closed_at, state, reminders_sent) VALUES
		 (7, 'f', '2026-10', ` + at + `, ` + at + `, ` + at + `, ` + at + `, 'closed', 2), (9, 'f', '2026-11', ` + at + `, ` + at + `, ` + at + `, NULL, 'open', 1)`,
		`INSERT INTO digests (id, forum_id, period, round_id, created_at, channel, message) VALUES (3, 'f', '2026-10', 7, ` + at + `, 'local:d', '{}')`,
		`INSERT INTO outbox (id, key, kind, forum_id, round_id, recipient, digest_id, state, attempts, next_attempt_at, ref, last_error, created_at)
		 VALUES (11, 'prompt/f/2026-11/local:a', 'prompt', 'f', 9, 'local:a', NULL, 'failed', 8, ` + at + `, '', 'rate limited', ` + at + `),
		        (12, 'digest/f/2026-10/3', 'digest', 'f', 7, 'local:d', 3, 'sent', 0, ` + at + `, 'local:d:1', '', ` + at + `)`,
		`INSERT INTO updates (forum_id, period, round_id, commitment_id, member, grp, organisation, version, completion, progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction)
		 VALUES ('f', '2026-11', 9, 'C1', 'local:a', 'government', 'O', 1, 'Limited', '', '', '', '', '[]', '[]', '[]', 'form', ` + at + `, 0)`} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rs, err := db.Rounds(ctx, "f")
	if err != nil || len(rs) != 2 || rs[0].ID != 7 || rs[0].RemindersSent != 2 || rs[1].ID != 9 || rs[1].State != bot.RoundOpen || rs[1].Revision != 0 {
		t.Fatalf("migrated rounds: %+v %v", rs, err)
	}
	failed, err := db.FailedDeliveries(ctx, "f")
	if err != nil || len(failed) != 1 || failed[0].ID != 11 || failed[0].Attempts != 8 || failed[0].LastError != "rate limited" {
		t.Fatalf("migrated outbox: %+v %v", failed, err)
	}
	if d, err := db.Digest(ctx, 3); err != nil || d.RoundID != 7 {
		t.Errorf("migrated digest: %+v %v", d, err)
	}
	check, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var problems int
	if err := check.QueryRow(`SELECT COUNT(*) FROM pragma_foreign_key_check`).Scan(&problems); err != nil || problems != 0 {
		t.Errorf("foreign key check after the migration: %d problems, %v", problems, err)
	}
	if _, err := check.Exec(`INSERT INTO outbox (key, kind, forum_id, round_id, recipient, state, next_attempt_at, created_at) VALUES ('k', 'prompt', 'f', 99, 'local:a', 'pending', 'n', 'c')`); err == nil {
		t.Errorf("an outbox entry of a missing round was stored: references are no longer enforced")
	}
}
