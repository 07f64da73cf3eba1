package main

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"forumbot/bot"
	"forumbot/store/sqlite"
)

// TestMeteredStoreCounts passes outbox outcomes, answers and a failure
// through the engine's view of the store and reads the counters.
func TestMeteredStoreCounts(t *testing.T) {
	ctx := context.Background()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "m.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	m := newMetrics()
	s := &meteredStore{Store: db, m: m}
	now := time.Now()
	r, _, err := s.OpenRound(ctx, bot.Round{ForumID: "f", Period: bot.PeriodOf(now), ScheduledAt: now, OpenedAt: now, ClosesAt: now.Add(time.Hour)}, []bot.Delivery{
		{Key: "p1", Kind: bot.KindPrompt, ForumID: "f", To: "slack:U1", State: bot.Pending, NextAttemptAt: now, CreatedAt: now},
		{Key: "p2", Kind: bot.KindPrompt, ForumID: "f", To: "slack:U2", State: bot.Pending, NextAttemptAt: now, CreatedAt: now},
		{Key: "r1", Kind: bot.KindReminder, ForumID: "f", To: "slack:U3", State: bot.Pending, NextAttemptAt: now, CreatedAt: now},
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := s.DueDeliveries(ctx, now, 0, 10)
	if err != nil || len(due) != 3 {
		t.Fatalf("due: %v %v", due, err)
	}
	ref := bot.MessageRef{Platform: "slack", Channel: "D1", ID: "1.1"}
	for _, err := range []error{
		s.MarkSent(ctx, due[0].ID, ref, now),
		s.MarkRetry(ctx, due[1].ID, now, now, "5xx"),
		s.MarkFailed(ctx, due[2].ID, "gone"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	u := bot.Update{ForumID: "f", Period: r.Period, RoundID: r.ID, CommitmentID: "C1", Member: "slack:U1", Group: bot.Government,
		Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: now, EventID: "e1"}
	for range 2 {
		if _, _, err := s.AddUpdate(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Round(ctx, "f", bot.Period{Year: 1999, Month: 1}); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Fatalf("Round: %v", err)
	}
	db.Close()
	if _, err := s.OpenRounds(ctx); err == nil {
		t.Fatal("OpenRounds on a closed database succeeded")
	}
	for _, tt := range []struct {
		name string
		got  float64
		want float64
	}{
		{"prompts sent", testutil.ToFloat64(m.deliveries.WithLabelValues("prompt", "sent")), 1},
		{"prompts retried", testutil.ToFloat64(m.deliveries.WithLabelValues("prompt", "retried")), 1},
		{"reminders failed", testutil.ToFloat64(m.deliveries.WithLabelValues("reminder", "failed")), 1},
		{"answers stored once", testutil.ToFloat64(m.answers.WithLabelValues("form")), 1},
		{"not found is no error", testutil.ToFloat64(m.storeErrors.WithLabelValues("Round")), 0},
		{"store errors", testutil.ToFloat64(m.storeErrors.WithLabelValues("OpenRounds")), 1},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestMeteredStoreWrapsEveryMethod finds a method of its own on
// meteredStore for every method of bot.Store: one promoted from the
// embedded store would fail unseen by /metrics.
func TestMeteredStoreWrapsEveryMethod(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), "metered_store.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	own := map[string]bool{}
	for _, d := range file.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil {
			own[fn.Name.Name] = true
		}
	}
	store := reflect.TypeOf((*bot.Store)(nil)).Elem()
	for i := range store.NumMethod() {
		if name := store.Method(i).Name; !own[name] {
			t.Errorf("meteredStore does not wrap %s: its failures would not be counted", name)
		}
	}
}
