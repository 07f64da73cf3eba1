package bot

import (
	"context"
	"sync"
	"time"
)

// Recording each send as it completes made a commit of its own for every
// message; on SQLite each commit makes every reader drop its cache, which
// on two years of history cost more than a prompt's reads. A drain
// therefore records its sends several at a time: when flushEvery are
// waiting, flushAfter after the first of them, and when the drain ends.
// Until then a sent entry stays "sending" in the store, which is safe: a
// crash in between leaves it to be asked of the platform (Chat.Delivered)
// before any resend, as for a crash between a send and its record. (An
// e-mail is recorded at once: a relay cannot be asked.) What
// the wait costs is that, for those moments, the entry has no reference:
// a member answering a prompt within them gets no refresh of it.

// flushAfter bounds how long a send waits to be recorded.
const flushAfter = 200 * time.Millisecond

// sentMarks collects a drain's sends and records them in batches
// (Store.MarkSentBatch).
type sentMarks struct {
	e          *Engine
	ctx        context.Context
	flushEvery int

	mu    sync.Mutex
	marks []SentMark
	timer Timer
	// sent counts the entries recorded sent; err is the first failure.
	sent int
	err  error
	// timers counts the timer callbacks that may still run, for close.
	timers sync.WaitGroup
}

// newSentMarks returns the batches of a drain. Its records are written
// even once ctx ends: a send that was made must be recorded if it can be.
func (e *Engine) newSentMarks(ctx context.Context, flushEvery int) *sentMarks {
	return &sentMarks{e: e, ctx: context.WithoutCancel(ctx), flushEvery: flushEvery}
}

// add queues the record of a send of entry id, and writes the batch when
// it is full. It returns an error when a write of the batch failed.
func (s *sentMarks) add(id int64, ref MessageRef, at time.Time) error {
	s.mu.Lock()
	s.marks = append(s.marks, SentMark{ID: id, Ref: ref, At: at})
	if s.timer == nil {
		s.timers.Add(1)
		s.timer = s.e.opts.Sender.AfterFunc(flushAfter, func() {
			defer s.timers.Done()
			s.flush()
		})
	}
	full := len(s.marks) >= s.flushEvery
	s.mu.Unlock()
	if full {
		return s.flush()
	}
	return nil
}

// flush writes the waiting records and returns the first failure so far.
// An entry found no longer in flight is a conflict, as MarkSent says.
func (s *sentMarks) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		if s.timer.Stop() {
			s.timers.Done()
		}
		s.timer = nil
	}
	if len(s.marks) == 0 {
		return s.err
	}
	marks := s.marks
	s.marks = nil
	marked, err := s.e.store.MarkSentBatch(s.ctx, marks)
	s.sent += len(marked)
	if err == nil && len(marked) < len(marks) {
		err = Errorf(ECONFLICT, "%d of %d outbox entries sent were no longer in flight when recorded", len(marks)-len(marked), len(marks))
	}
	if err != nil && s.err == nil {
		s.err = err
	}
	return s.err
}

// close writes what is waiting, waits for any timer's write, and returns
// how many entries were recorded sent and the first failure.
func (s *sentMarks) close() (int, error) {
	err := s.flush()
	s.timers.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent, err
}
