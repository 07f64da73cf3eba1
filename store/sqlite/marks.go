package sqlite

import (
	"context"
	"database/sql"

	"forumbot/bot"
)

// The sender's workers change outbox entries' states (sending, sent,
// retried) several times for each message, and each commit makes every
// reader connection drop its page cache and its map of the file on its
// next read: on a database with two years of history that reload costs
// more than the reads themselves. The marks are therefore committed in
// groups, as answers are (adds.go): the first caller to find no group
// being written writes every mark queued by then in one transaction and
// hands what queued meanwhile to a new writer. Each mark is still stored
// before its caller is told so: a caller returns after its group's commit,
// so an entry is "sending" in the store before its send starts, and "sent"
// before the sender counts it.

// markRequest is one state change of one entry: an UPDATE whose last
// argument is the entry's id and that must find the entry in flight.
type markRequest struct {
	query string
	args  []any
	err   error
	done  chan struct{}
}

// maxMarks bounds the marks of one transaction.
const maxMarks = 512

// mark runs one state change that must find its row still in flight; it
// returns ECONFLICT if the entry is not.
func (db *DB) mark(ctx context.Context, query string, args ...any) error {
	r := &markRequest{query: query, args: args, done: make(chan struct{})}
	if err := db.markAll(ctx, []*markRequest{r}); err != nil {
		return err
	}
	return r.err
}

// markAll queues the requests, writes them with whatever else is queued,
// and returns once each has its outcome in its err, or when ctx ends
// (then some may still be stored with their group).
func (db *DB) markAll(ctx context.Context, reqs []*markRequest) error {
	db.marks.submit(reqs, maxMarks, db.writeMarkGroup)
	for _, r := range reqs {
		select {
		case <-r.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// writeMarkGroup stores a group of marks in one transaction and tells each
// its outcome. A mark whose entry is no longer in flight fails alone, with
// ECONFLICT; it changed nothing. Any other error fails them all.
func (db *DB) writeMarkGroup(group []*markRequest) {
	ctx := context.Background()
	err := db.write(ctx, func(tx *sql.Tx) error {
		for _, r := range group {
			r.err = nil
			res, err := db.exec(ctx, tx, r.query, r.args...)
			if err != nil {
				// The whole group is tried again (a file that refused the
				// write), or fails: no caller is told a mark is stored
				// unless it is.
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				r.err = bot.Errorf(bot.ECONFLICT, "outbox entry %v is not in flight", r.args[len(r.args)-1])
			}
		}
		return nil
	})
	for _, r := range group {
		if err != nil {
			r.err = err
		}
		close(r.done)
	}
}
