package sqlite_test

import (
	"testing"
	"time"

	"forumbot/bot"
)

func TestOutboxBacklog(t *testing.T) {
	db := MustOpenDB(t)
	if b, err := db.OutboxBacklog(ctx); err != nil || b.Pending != 0 || !b.OldestPending.IsZero() || b.Failed != 0 {
		t.Fatalf("empty outbox: %+v %v", b, err)
	}
	r := mustRound(t, db, "local:a", "local:b", "local:c")
	later := t0.Add(time.Hour)
	if _, err := db.Enqueue(ctx, []bot.Delivery{{Key: "late", Kind: bot.KindReminder, ForumID: "f", RoundID: r.ID, To: "local:a", State: bot.Pending, NextAttemptAt: later, CreatedAt: later}}); err != nil {
		t.Fatal(err)
	}
	due, err := db.DueDeliveries(ctx, t0, 0, 10)
	if err != nil || len(due) != 3 {
		t.Fatalf("due: %v %v", due, err)
	}
	if err := db.MarkSent(ctx, due[0].ID, bot.MessageRef{Platform: "local", Channel: "a", ID: "1"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx, due[1].ID, "gone"); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSending(ctx, due[2].ID); err != nil {
		t.Fatal(err)
	}
	b, err := db.OutboxBacklog(ctx)
	if err != nil || b.Pending != 2 || !b.OldestPending.Equal(t0) || b.Failed != 1 {
		t.Errorf("backlog: %+v %v, want 2 to send (one sending, one pending) since %s and 1 failed", b, err, t0)
	}
}
