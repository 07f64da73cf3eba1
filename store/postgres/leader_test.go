package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"forumbot/store/postgres"
	"forumbot/store/postgres/pgtest"
)

// event is a leader starting or stopping its term.
type event struct {
	who   int
	start bool
	at    time.Time
}

// TestLeaderFailover runs three candidates on one database: one leads;
// when the server ends the leader's lock connection (as when its host
// dies or the network cuts it off) it steps down before any other starts,
// and another leads within the bound; at shutdown every term ends.
func TestLeaderFailover(t *testing.T) {
	url := pgtest.URL(t)
	// The schema is not needed for the lock, but a store's presence is
	// the normal setting.
	openAt(t, url)
	const lease = 300 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := make(chan event, 64)
	var leading, overlaps atomic.Int32
	var changes [3]atomic.Int32
	var wg sync.WaitGroup
	leaders := make([]*postgres.Leader, 3)
	for i := range leaders {
		l := &postgres.Leader{URL: url, Lease: lease, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			OnChange: func(bool) { changes[i].Add(1) }}
		leaders[i] = l
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Run(ctx, func(lctx context.Context) {
				if leading.Add(1) > 1 {
					overlaps.Add(1)
				}
				events <- event{i, true, time.Now()}
				<-lctx.Done()
				leading.Add(-1)
				events <- event{i, false, time.Now()}
			})
		}()
	}
	timeout := time.After(60 * time.Second)
	next := func() event {
		t.Helper()
		select {
		case e := <-events:
			return e
		case <-timeout:
			t.Fatal("no change of leadership within 60s")
		}
		return event{}
	}
	first := next()
	if !first.start {
		t.Fatalf("first event %+v, want a start", first)
	}
	if !leaders[first.who].Leading() {
		t.Errorf("candidate %d leads but Leading() is false", first.who)
	}
	for i, l := range leaders {
		if i != first.who && l.Leading() {
			t.Errorf("candidate %d says it leads beside %d", i, first.who)
		}
	}
	// Cut the leader's lock connection from the server's side, twice.
	leader := first.who
	for round := range 2 {
		cut := time.Now()
		terminateLockHolder(t, url)
		stop := next()
		if stop.start || stop.who != leader {
			t.Fatalf("cut %d: event %+v, want candidate %d stepping down first", round, stop, leader)
		}
		start := next()
		if !start.start {
			t.Fatalf("cut %d: event %+v, want a new term", round, start)
		}
		t.Logf("cut %d: candidate %d stepped down %s after the cut; candidate %d led %s after it (bound: 2 leases + a check = %s)",
			round, leader, stop.at.Sub(cut).Round(time.Millisecond), start.who, start.at.Sub(cut).Round(time.Millisecond), 2*lease+lease/3)
		if start.at.Before(stop.at) {
			t.Errorf("cut %d: a new term started before the old one ended", round)
		}
		leader = start.who
	}
	cancel()
	wg.Wait()
	close(events)
	for e := range events {
		if e.start {
			t.Errorf("a term started during shutdown: %+v", e)
		}
	}
	if n := overlaps.Load(); n != 0 {
		t.Errorf("%d terms overlapped", n)
	}
	for i, l := range leaders {
		if l.Leading() {
			t.Errorf("candidate %d still leads after shutdown", i)
		}
	}
	total := 0
	for i := range changes {
		total += int(changes[i].Load())
	}
	if total != 6 { // three terms, each started and ended
		t.Errorf("OnChange called %d times, want 6", total)
	}
}

// terminateLockHolder ends, from the server, the session that holds the
// leader lock.
func terminateLockHolder(t *testing.T, url string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	err = conn.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
		0x6c656164).Scan(&n)
	if err != nil || n != 1 {
		t.Fatalf("terminating the lock holder: %d sessions, %v", n, err)
	}
}
