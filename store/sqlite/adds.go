package sqlite

import (
	"context"
	"database/sql"

	"forumbot/bot"
)

// Answers arrive in bursts (a committee answering the morning a round
// opens, 200 forms submitted at once in the benchmarks), and every answer
// waits on the one writer. AddUpdate therefore commits answers in groups:
// the first caller to find no group being written becomes its writer,
// writes every answer queued by then in one transaction (each in its own
// savepoint, so one failure fails only its own answer), and hands the
// writing of what queued meanwhile to a new writer. A transaction's fixed
// cost (taking the lock, writing the pages the answers share to the log)
// is paid once per group instead of once per answer. Each answer is still
// stored before its caller is told so: AddUpdate returns after the commit.

// addRequest is one AddUpdate waiting for its group's commit.
type addRequest struct {
	u      bot.Update
	stored bot.Update
	added  bool
	err    error
	done   chan struct{}
}

// maxGroup bounds the answers of one transaction.
const maxGroup = 128

// AddUpdate implements bot.Store.
func (db *DB) AddUpdate(ctx context.Context, u bot.Update) (bot.Update, bool, error) {
	req := &addRequest{u: u, done: make(chan struct{})}
	db.adds.submit([]*addRequest{req}, maxGroup, db.writeGroup)
	select {
	case <-req.done:
		return req.stored, req.added, req.err
	case <-ctx.Done():
		// The answer may still be stored with its group; the caller says
		// nothing was, and a retry with the same event finds it.
		return bot.Update{}, false, ctx.Err()
	}
}

// writeGroup stores a group of answers in one transaction and tells each
// its outcome. Each answer of a group of several is written in its own
// savepoint, so that one refused answer does not refuse the others; a
// lone answer needs none, its transaction is rolled back instead. The
// group's answers share one chainer: an answer rolled back to its
// savepoint failed before its chain entry (addUpdateTx chains last), so
// the heads the chainer keeps are still the chain's.
func (db *DB) writeGroup(group []*addRequest) {
	ctx := context.Background()
	err := db.write(ctx, func(tx *sql.Tx) error {
		c := db.chainer(tx)
		if len(group) == 1 {
			r := group[0]
			r.stored, r.added, r.err = db.addUpdateTx(ctx, tx, c, r.u)
			return r.err // translated, and told, below
		}
		for _, r := range group {
			r.stored, r.added, r.err = bot.Update{}, false, nil
			if _, err := tx.ExecContext(ctx, "SAVEPOINT answer"); err != nil {
				return err
			}
			r.stored, r.added, r.err = db.addUpdateTx(ctx, tx, c, r.u)
			if unwritable(r.err) {
				return r.err // the whole group is tried again, or refused
			}
			if r.err != nil {
				r.err = translate(r.err)
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO answer"); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, "RELEASE answer"); err != nil {
				return err
			}
		}
		return nil
	})
	for _, r := range group {
		if err != nil {
			r.stored, r.added, r.err = bot.Update{}, false, err
		}
		close(r.done)
	}
}
