package bot_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"forumbot/adapters/local"
	"forumbot/bot"
	"forumbot/store/sqlite"
)

// TestRunTicksOnlyWhileLeading: with Options.Lead, Run hands the tick and
// the sender to Lead; nothing is opened or sent until Lead runs them, and
// they stop when the context Lead gives them ends (the instance stepped
// down), while Run goes on.
func TestRunTicksOnlyWhileLeading(t *testing.T) {
	madrid, _ := time.LoadLocation("Europe/Madrid")
	now := time.Date(2026, time.November, 1, 9, 30, 0, 0, madrid) // the round is due
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "lead.db"))
	db.Now = func() time.Time { return now }
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	handed := make(chan func(context.Context), 1)
	eng, err := bot.New(mustForums(t, testForum), db, map[string]bot.Chat{"local": local.New()}, bot.Options{
		Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		TickEvery: time.Hour, PollEvery: time.Hour,
		Lead: func(ctx context.Context, lead func(context.Context)) error {
			handed <- lead
			<-ctx.Done()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- eng.Run(ctx) }()
	lead := <-handed
	if rs, err := db.Rounds(ctx, "f1"); err != nil || len(rs) != 0 {
		t.Fatalf("before leading: %d rounds (%v), want none opened", len(rs), err)
	}

	term, stepDown := context.WithCancel(ctx)
	led := make(chan struct{})
	go func() {
		lead(term)
		close(led)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		rs, err := db.Rounds(ctx, "f1")
		if err == nil && len(rs) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("while leading: %d rounds (%v), want the due round opened", len(rs), err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	stepDown()
	<-led // the tick and the sender stop when the term ends
	select {
	case err := <-ran:
		t.Fatalf("Run returned when the term ended: %v", err)
	default:
	}
	cancel()
	if err := <-ran; err != nil {
		t.Errorf("Run: %v", err)
	}
}
