package sqlite_test

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store/sqlite"
	"forumbot/store/sqlite/sqlitetest/filefault"
)

// TestWritesRecoverWhenTheFileBecomesWritable opens a database whose file
// cannot be written, as a bot started on a read-only file or volume does:
// every write is refused with ErrUnwritable and leaves nothing behind, and
// once the file can be written again the same DB stores without being
// reopened.
func TestWritesRecoverWhenTheFileBecomesWritable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ro.db")
	mustSeed(t, path)
	writable := filefault.Unwritable(t, path)
	db, err := openMode(t, path, sqlite.Create)
	if err != nil {
		t.Fatalf("Open of an up-to-date file that cannot be written: %v", err)
	}
	rounds, err := db.Rounds(ctx, "f")
	if err != nil || len(rounds) != 1 {
		t.Fatalf("reading while unwritable: %v %v", rounds, err)
	}
	r := rounds[0]
	u := bot.Update{ForumID: "f", Period: nov, RoundID: r.ID, CommitmentID: "C1", Member: "local:a", Group: bot.Government,
		Completion: bot.Limited, Source: bot.SourceThread, SubmittedAt: t0, EventID: "e1"}

	if err := db.Writable(ctx); !errors.Is(err, sqlite.ErrUnwritable) {
		t.Errorf("Writable: %v, want ErrUnwritable", err)
	}
	if _, _, err := db.AddUpdate(ctx, u); !errors.Is(err, sqlite.ErrUnwritable) {
		t.Errorf("AddUpdate: %v, want ErrUnwritable", err)
	}
	dec := bot.Period{Year: 2026, Month: time.December}
	prompt := bot.Delivery{Key: "prompt/f/dec/a", Kind: bot.KindPrompt, ForumID: "f", To: "local:a", State: bot.Pending, NextAttemptAt: t0, CreatedAt: t0}
	if _, _, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: dec, ScheduledAt: t0, OpenedAt: t0, ClosesAt: t0.Add(time.Hour)}, []bot.Delivery{prompt}); !errors.Is(err, sqlite.ErrUnwritable) {
		t.Errorf("OpenRound: %v, want ErrUnwritable", err)
	}
	if us, _ := db.Updates(ctx, bot.UpdateFilter{}); len(us) != 0 {
		t.Errorf("refused write left updates: %+v", us)
	}
	if _, err := db.Round(ctx, "f", dec); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("refused OpenRound left a round: %v", err)
	}
	if _, err := db.DeliveryByKey(ctx, prompt.Key); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("refused OpenRound left its prompt: %v", err)
	}

	writable()
	if err := db.Writable(ctx); err != nil {
		t.Errorf("Writable once the file can be written: %v", err)
	}
	stored, added, err := db.AddUpdate(ctx, u)
	if err != nil || !added || stored.Version != 1 {
		t.Fatalf("AddUpdate once the file can be written: %+v %v %v", stored, added, err)
	}
	if _, created, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: dec, ScheduledAt: t0, OpenedAt: t0, ClosesAt: t0.Add(time.Hour)}, []bot.Delivery{prompt}); err != nil || !created {
		t.Errorf("OpenRound once the file can be written: %v created=%v", err, created)
	}
}

// TestConcurrentWritesWhileUnwritable writes from several goroutines while
// the file refuses, then after it can be written again: every write is
// refused or stored, none hangs on the writer being opened again.
func TestConcurrentWritesWhileUnwritable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ro.db")
	mustSeed(t, path)
	writable := filefault.Unwritable(t, path)
	db, err := openMode(t, path, sqlite.Create)
	if err != nil {
		t.Fatal(err)
	}
	writeAll := func(round int) []error {
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.SetAway(ctx, bot.Address("local:m"), bot.Date{Year: 2027, Month: 1, Day: round*10 + i + 1})
			}()
		}
		wg.Wait()
		return errs
	}
	for i, err := range writeAll(0) {
		if !errors.Is(err, sqlite.ErrUnwritable) {
			t.Errorf("write %d while unwritable: %v, want ErrUnwritable", i, err)
		}
	}
	writable()
	for i, err := range writeAll(1) {
		if err != nil {
			t.Errorf("write %d once writable: %v", i, err)
		}
	}
	if log, _ := db.Absences(ctx); len(log) != 8 {
		t.Errorf("absences stored: %d, want the 8 written once writable", len(log))
	}
}
