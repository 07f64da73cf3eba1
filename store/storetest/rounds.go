package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"forumbot/bot"
)

func testOpenRound(t *testing.T, h Harness) {
	t.Run("OK", func(t *testing.T) {
		db := h.open(t)
		r := mustRound(t, db, "local:a", "local:b")
		got, err := db.Round(ctx, "f", nov)
		if err != nil || got.ID != r.ID || got.State != bot.RoundOpen || !got.ClosesAt.Equal(r.ClosesAt) {
			t.Fatalf("Round: %+v %v, want %+v", got, err, r)
		}
		ps, _ := db.Deliveries(ctx, r.ID, bot.KindPrompt)
		if len(ps) != 2 || ps[0].RoundID != r.ID || ps[0].State != bot.Pending {
			t.Fatalf("prompts: %+v", ps)
		}
		if open, err := db.OpenRounds(ctx); err != nil || len(open) != 1 || open[0].ID != r.ID {
			t.Errorf("OpenRounds: %+v %v", open, err)
		}
		if got, err := db.RoundByID(ctx, r.ID); err != nil || got.Period != nov {
			t.Errorf("RoundByID: %+v %v", got, err)
		}
	})
	t.Run("Idempotent", func(t *testing.T) {
		db := h.open(t)
		r := mustRound(t, db, "local:a")
		again, created, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: nov, ScheduledAt: t0.Add(time.Hour), OpenedAt: t0, ClosesAt: t0}, []bot.Delivery{
			{Key: "prompt/f/local:z", Kind: bot.KindPrompt, ForumID: "f", To: "local:z", NextAttemptAt: t0, CreatedAt: t0},
		})
		if err != nil || created || again.ID != r.ID || !again.ScheduledAt.Equal(t0) {
			t.Fatalf("second OpenRound: %+v created=%v %v", again, created, err)
		}
		ps, _ := db.Deliveries(ctx, r.ID, bot.KindPrompt)
		if len(ps) != 1 {
			t.Errorf("prompts after a repeated open: %d, want 1", len(ps))
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		db := h.open(t)
		if _, err := db.Round(ctx, "f", nov); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("got %v, want ENOTFOUND", err)
		}
		if _, err := db.RoundByID(ctx, 42); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("got %v, want ENOTFOUND", err)
		}
	})
}

// testOpenRoundAtOnce opens the same round from 16 goroutines on two
// handles at once: one round is created, every caller gets it, and its
// prompts are queued once.
func testOpenRoundAtOnce(t *testing.T, h Harness) {
	db := h.open(t)
	other := h.Reopen(t, db)
	const n = 16
	var wg sync.WaitGroup
	rounds := make([]bot.Round, n)
	created := make([]bool, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := db
			if i%2 == 1 {
				s = other
			}
			var ps []bot.Delivery
			for _, m := range []string{"a", "b", "c"} {
				ps = append(ps, bot.Delivery{Key: "prompt/f/2026-11/local:" + m, Kind: bot.KindPrompt, ForumID: "f", To: bot.Address("local:" + m),
					State: bot.Pending, NextAttemptAt: t0, CreatedAt: t0})
			}
			rounds[i], created[i], errs[i] = s.OpenRound(ctx, bot.Round{ForumID: "f", Period: nov, ScheduledAt: t0, OpenedAt: t0.Add(time.Duration(i)), ClosesAt: t0.Add(time.Hour)}, ps)
		}()
	}
	wg.Wait()
	made := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("OpenRound %d: %v", i, errs[i])
		}
		if created[i] {
			made++
		}
		if rounds[i].ID != rounds[0].ID {
			t.Errorf("caller %d got round %d, caller 0 round %d", i, rounds[i].ID, rounds[0].ID)
		}
	}
	if made != 1 {
		t.Errorf("%d callers created the round, want 1", made)
	}
	if ps, _ := db.Deliveries(ctx, rounds[0].ID, bot.KindPrompt); len(ps) != 3 {
		t.Errorf("%d prompts queued, want 3", len(ps))
	}
	if rs, _ := other.Rounds(ctx, "f"); len(rs) != 1 {
		t.Errorf("rounds of November: %d, want 1: %s", len(rs), fmt.Sprint(rs))
	}
}

func testCloseRound(t *testing.T, h Harness) {
	db := h.open(t)
	r := mustRound(t, db)
	msg := bot.Message{Header: "Digest", Sections: []bot.Section{{Title: "C1", Fields: []bot.Field{{Label: "Government", Value: "Limited"}}}}}
	d, err := db.CloseRound(ctx, r.ID, t0.Add(time.Hour), bot.Digest{ForumID: "f", Period: nov, CreatedAt: t0, Channel: "local:d", Message: msg})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Digest(ctx, d.ID)
	if err != nil || got.RoundID != r.ID || got.Message.Sections[0].Fields[0].Value != "Limited" {
		t.Fatalf("digest: %+v %v", got, err)
	}
	due, _ := db.DueDeliveries(ctx, t0, 0, 10)
	if len(due) != 1 || due[0].Kind != bot.KindDigest || due[0].DigestID != d.ID || !due[0].Channel {
		t.Fatalf("queued: %+v", due)
	}
	if _, err := db.CloseRound(ctx, r.ID, t0, bot.Digest{ForumID: "f", Period: nov, CreatedAt: t0, Channel: "local:d"}); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("closing twice: %v, want ECONFLICT", err)
	}
	if _, err := db.Digest(ctx, d.ID+100); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("a missing digest: %v, want ENOTFOUND", err)
	}
	h.refused(t, db, "digests are append-only", "UPDATE digests SET message = '{}'", "DELETE FROM digests")
	if err := db.ReopenRound(ctx, r.ID, t0.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if r2, _ := db.RoundByID(ctx, r.ID); r2.State != bot.RoundOpen || !r2.ClosedAt.IsZero() || !r2.ClosesAt.Equal(t0.Add(48*time.Hour)) {
		t.Errorf("reopened: %+v", r2)
	}
	if err := db.ReopenRound(ctx, r.ID, t0); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("reopening an open round: %v, want ECONFLICT", err)
	}
	if _, err := db.AddDigest(ctx, bot.Digest{ForumID: "f", Period: nov, CreatedAt: t0, Channel: "local:d"}, "digest/asked"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddDigest(ctx, bot.Digest{ForumID: "f", Period: nov, CreatedAt: t0, Channel: "local:d"}, "digest/asked"); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("a digest under a key already queued: %v, want ECONFLICT", err)
	}
}

func testReminderRecordedOnce(t *testing.T, h Harness) {
	db := h.open(t)
	r := mustRound(t, db)
	ds := []bot.Delivery{{Key: "reminder/1/a", Kind: bot.KindReminder, ForumID: "f", RoundID: r.ID, To: "local:a", NextAttemptAt: t0, CreatedAt: t0}}
	if err := db.RecordReminders(ctx, r.ID, 1, false, ds); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordReminders(ctx, r.ID, 1, false, ds); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("second record: %v, want ECONFLICT", err)
	}
	if err := db.RecordReminders(ctx, r.ID, 1, true, nil); err != nil {
		t.Errorf("manual reminders count apart: %v", err)
	}
	got, _ := db.RoundByID(ctx, r.ID)
	if got.RemindersSent != 1 || got.ManualReminders != 1 {
		t.Errorf("counters: %+v", got)
	}
	if n, _ := db.CountDeliveries(ctx, r.ID, bot.KindReminder, bot.Pending); n != 1 {
		t.Errorf("reminders queued: %d, want 1", n)
	}
}

func testVoidRound(t *testing.T, h Harness) {
	t.Run("OK", func(t *testing.T) {
		db := h.open(t)
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
		if err := db.VoidRound(ctx, r.ID, t0, "local:coord"); bot.ErrorCode(err) != bot.ECONFLICT {
			t.Errorf("voiding twice: %v, want ECONFLICT", err)
		}
		again, created, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: nov, Revision: 1, ScheduledAt: t0, OpenedAt: t0, ClosesAt: t0.Add(time.Hour)}, nil)
		if err != nil || !created || again.ID == r.ID || again.Revision != 1 {
			t.Errorf("a new round of the voided period: %+v created=%v %v", again, created, err)
		}
		if vs, err := db.VoidedRounds(ctx, "f"); err != nil || len(vs) != 1 || vs[0].ID != r.ID {
			t.Errorf("VoidedRounds: %+v %v", vs, err)
		}
		h.refused(t, db, "rounds are part of the record", "DELETE FROM rounds")
	})
	t.Run("ErrConflictWithAnUpdate", func(t *testing.T) {
		db := h.open(t)
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
		db := h.open(t)
		if err := db.VoidRound(ctx, 42, t0, "local:coord"); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("got %v, want ENOTFOUND", err)
		}
	})
}
