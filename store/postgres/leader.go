package postgres

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Leader elects, among the instances sharing one database, the one that
// ticks and sends: the instance holding a session-level advisory lock on
// a connection of its own (not one of the pool's, and not through a
// pooler in transaction mode, which would share sessions).
//
// The bound: a leader checks its lock's connection every Lease/3 and
// waits at most Lease/3 for the answer, so it steps down within 2/3 of a
// lease of losing the connection (and with it the lock). An instance that
// gets the lock waits one lease before leading, so the old leader has
// stepped down before the new one starts. Followers try the lock once a
// lease; a leader that dies (its connection closed by its kernel, or by
// the server's TCP keepalive for a vanished host) is replaced within two
// leases of the server seeing it gone.
type Leader struct {
	// URL is the database's connection string.
	URL string
	// Lease is the period above; 10s by default.
	Lease time.Duration
	// Log receives the changes of leadership; slog.Default() by default.
	Log *slog.Logger
	// OnChange, if set, is called with true when this instance starts
	// leading and with false when it stops.
	OnChange func(leading bool)

	leading atomic.Bool
}

// leaderKey is the lock's second key: one leader per database.
const leaderKey = 1

// Leading says whether this instance leads now.
func (l *Leader) Leading() bool { return l.leading.Load() }

func (l *Leader) lease() time.Duration {
	if l.Lease <= 0 {
		return 10 * time.Second
	}
	return l.Lease
}

func (l *Leader) log() *slog.Logger {
	if l.Log == nil {
		return slog.Default()
	}
	return l.Log
}

// Run competes for leadership until ctx is done and runs lead, under a
// context cancelled when this instance steps down, while it leads. It
// returns once lead has returned and ctx is done.
func (l *Leader) Run(ctx context.Context, lead func(context.Context)) error {
	for ctx.Err() == nil {
		l.term(ctx, lead)
		select {
		case <-ctx.Done():
		case <-time.After(l.lease()):
		}
	}
	return nil
}

// term connects, tries the lock and, holding it, leads until the
// connection fails or ctx is done.
func (l *Leader) term(ctx context.Context, lead func(context.Context)) {
	lease := l.lease()
	cctx, cancel := context.WithTimeout(ctx, lease)
	conn, err := pgx.Connect(cctx, l.URL)
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			l.log().Warn("leader election: cannot connect to the database; trying again", "err", err, "every", lease)
		}
		return
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), lease/3)
		defer cancel()
		conn.Close(cctx) // ends the session, releasing the lock if held
	}()
	var got bool
	cctx, cancel = context.WithTimeout(ctx, lease)
	err = conn.QueryRow(cctx, `SELECT pg_try_advisory_lock($1, $2)`, leaderLockBase, leaderKey).Scan(&got)
	cancel()
	if err != nil || !got {
		return
	}
	check := time.NewTicker(lease / 3)
	defer check.Stop()
	alive := func() bool {
		cctx, cancel := context.WithTimeout(ctx, lease/3)
		defer cancel()
		return conn.Ping(cctx) == nil
	}
	// The grace: a leader that lost this lock steps down meanwhile.
	grace := time.NewTimer(lease)
	defer grace.Stop()
	for waiting := true; waiting; {
		select {
		case <-ctx.Done():
			return
		case <-check.C:
			if !alive() {
				return
			}
		case <-grace.C:
			waiting = false
		}
	}
	lctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	l.set(true, "")
	go func() {
		defer close(done)
		lead(lctx)
	}()
	why := ""
	for why == "" {
		select {
		case <-ctx.Done():
			why = "shutting down"
		case <-done:
			why = "the tick and the sender stopped"
		case <-check.C:
			if ctx.Err() == nil && !alive() {
				why = "lost the connection holding the leader lock"
			}
		}
	}
	stop()
	<-done
	l.set(false, why)
}

// set records a change of leadership, logs it and tells OnChange.
func (l *Leader) set(leading bool, why string) {
	if l.leading.Swap(leading) == leading {
		return
	}
	if leading {
		l.log().Info("leadership: this instance leads: it runs the tick and the sender")
	} else {
		l.log().Warn("leadership: this instance stepped down: it no longer ticks or sends", "reason", why)
	}
	if l.OnChange != nil {
		l.OnChange(leading)
	}
}
