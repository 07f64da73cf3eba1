package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultGiveUpAfter is how long the sender retries a message that keeps
// failing before it gives up, unless told otherwise.
const DefaultGiveUpAfter = 24 * time.Hour

// SenderOptions paces and retries the outbox.
type SenderOptions struct {
	// Rate caps sends per second across all platforms; 0 means no cap
	// beyond each adapter's own pacing.
	Rate float64
	// Workers sends this many messages at once; 4 by default.
	Workers int
	// GiveUpAfter gives up on a message whose sends have failed for this
	// long; 24 hours by default. A wait the platform asked for (an error
	// carrying RetryAfter) is not a failure and never makes the sender
	// give up; a permanent refusal (Permanent) gives up at once.
	GiveUpAfter time.Duration
	// Backoff is the wait after the first failure, doubled after each
	// further one up to MaxBackoff; 5 s and 30 min by default.
	Backoff, MaxBackoff time.Duration
	// Batch is how many due entries one query fetches; 256 by default.
	Batch int
	// AfterFunc calls f on a goroutine of its own after d, as
	// time.AfterFunc does (the default). Tests inject one they fire.
	AfterFunc func(d time.Duration, f func()) Timer
}

// Timer is a call AfterFunc scheduled; Stop cancels it, reporting
// whether it had not run yet.
type Timer interface{ Stop() bool }

func (o SenderOptions) withDefaults() SenderOptions {
	if o.AfterFunc == nil {
		o.AfterFunc = func(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.GiveUpAfter <= 0 {
		o.GiveUpAfter = DefaultGiveUpAfter
	}
	if o.Backoff <= 0 {
		o.Backoff = 5 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Minute
	}
	if o.Batch <= 0 {
		o.Batch = 256
	}
	return o
}

// backoff returns the wait after the n-th failed attempt.
func (o SenderOptions) backoff(n int) time.Duration {
	d := o.Backoff
	for i := 1; i < n && d < o.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, o.MaxBackoff)
}

// Drain delivers every outbox entry that is due now and returns how many it
// delivered. An entry that fails is rescheduled with backoff (or after the
// platform's Retry-After) and left for a later Drain; each entry is tried at
// most once per call. Entries go to the workers as soon as one is free:
// a slow send (a platform's rate limit) holds up only its own worker.
// Sends are recorded a few at a time (sentMarks), all of them before Drain
// returns.
func (e *Engine) Drain(ctx context.Context) (int, error) {
	var limiter *rate.Limiter
	if e.opts.Sender.Rate > 0 {
		limiter = rate.NewLimiter(rate.Limit(e.opts.Sender.Rate), 1)
	}
	var (
		mu    sync.Mutex
		sent  int
		first error
		wg    sync.WaitGroup
	)
	work := make(chan job)
	done := &doneCache{}
	marks := e.newSentMarks(ctx, markAhead*e.opts.Sender.Workers)
	for range e.opts.Sender.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				ok, err := e.deliver(ctx, j, done, marks)
				mu.Lock()
				if ok {
					sent++
				}
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	err := e.feed(ctx, work, limiter, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return first != nil
	})
	close(work)
	wg.Wait()
	recorded, merr := marks.close()
	sent += recorded
	for _, failure := range []error{err, merr} {
		if first == nil {
			first = failure
		}
	}
	return sent, first
}

// job is a due entry, marked sending in the store, and the last message
// its recipient was sent.
type job struct {
	d       Delivery
	reached MessageRef
}

// markAhead is how many due entries the sender marks sending in one write
// for each worker: the workers then mark only what they sent, and a
// crash leaves at most this many entries per worker marked sending but
// not yet sent, each asked of its platform (Chat.Delivered) before it is
// sent again.
const markAhead = 4

// feed pages through the due entries by id and hands each to a worker,
// until none is left, ctx ends or a store error stops the drain. The last
// message each page's recipients were sent is read for the whole page;
// the entries are marked sending a few at a time (markAhead per worker),
// each before it is handed over, so that its send starts only once that
// is stored.
func (e *Engine) feed(ctx context.Context, work chan<- job, limiter *rate.Limiter, failed func() bool) error {
	var after int64
	for {
		due, err := e.store.DueDeliveries(ctx, e.now(), after, e.opts.Sender.Batch)
		if err != nil || len(due) == 0 {
			return err
		}
		var people []Address
		for _, d := range due {
			if !d.Channel {
				people = append(people, d.To)
			}
		}
		reached, err := e.store.LastRefs(ctx, people)
		if err != nil {
			return err
		}
		for len(due) > 0 {
			part := due[:min(len(due), markAhead*e.opts.Sender.Workers)]
			due = due[len(part):]
			after = part[len(part)-1].ID
			if failed() {
				return nil
			}
			marked, err := e.markSending(ctx, part)
			if err != nil {
				return err
			}
			for _, d := range marked {
				if limiter != nil {
					if err := limiter.Wait(ctx); err != nil {
						return err
					}
				}
				if failed() {
					return nil
				}
				select {
				case work <- job{d, reached[d.To]}:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
	}
}

// markSending marks the entries sending in one write and returns those it
// marked; an entry no longer in flight (sent, skipped or given up on
// since it was read) is left out.
func (e *Engine) markSending(ctx context.Context, ds []Delivery) ([]Delivery, error) {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	marked, err := e.store.MarkSendingBatch(ctx, ids)
	if err != nil {
		return nil, err
	}
	in := make(map[int64]bool, len(marked))
	for _, id := range marked {
		in[id] = true
	}
	out := ds[:0:0]
	for _, d := range ds {
		if in[d.ID] {
			out = append(out, d)
		}
	}
	return out, nil
}

// deliver sends one entry. It returns true when the entry is now delivered,
// and an error only when the store failed (a platform failure reschedules
// the entry instead). A member whose platform refuses the message for good
// and who has a fallback address is sent it there (deliverFallback). The
// feed marked the entry sending before handing it over; d.State is its
// state before that. A send is left to marks to record (and count), so
// deliver returns false for it.
func (e *Engine) deliver(ctx context.Context, j job, done *doneCache, marks *sentMarks) (bool, error) {
	d, reached := j.d, j.reached
	chat := e.chats[d.To.Platform()]
	if chat == nil {
		return false, e.store.MarkFailed(ctx, d.ID, fmt.Sprintf("no chat adapter for platform %q", d.To.Platform()))
	}
	out, skip, err := e.outgoing(ctx, d, d.To, reached, done)
	switch {
	case err != nil && Permanent(err):
		return false, e.store.MarkFailed(ctx, d.ID, ErrorMessage(err))
	case err != nil:
		return false, err
	case skip != "":
		return false, e.store.MarkSkipped(ctx, d.ID, skip)
	}
	fallback := e.fallbackOf(d)
	if d.State == Sending || d.Attempts > 0 {
		// An earlier attempt may have reached the platform, or the
		// member's fallback, before a crash or a timeout: ask before
		// sending again.
		ref, found, err := e.delivered(ctx, chat, out)
		if err == nil && !found && fallback != "" {
			ref, found, err = e.delivered(ctx, e.chats[fallback.Platform()], viaFallback(out, fallback))
		}
		if err != nil {
			return false, e.retry(ctx, d, err, false)
		}
		if found {
			return true, e.store.MarkSent(ctx, d.ID, ref, e.now())
		}
	}
	ref, err := e.send(ctx, chat, out)
	if err != nil && Permanent(err) && fallback != "" {
		return e.deliverFallback(ctx, d, fallback, done, err)
	}
	if err != nil {
		return false, e.retry(ctx, d, err, true)
	}
	if d.To.Platform() == EmailPlatform {
		// A relay cannot be asked whether it took a message: a send whose
		// record a crash lost is sent again (docs/email.md). Recorded at
		// once, at most one per worker can be.
		if err := e.store.MarkSent(ctx, d.ID, ref, e.now()); err != nil {
			return false, err
		}
		return true, nil
	}
	return false, marks.add(d.ID, ref, e.now())
}

// fallbackOf returns where a member's prompt or reminder goes when their
// platform refuses it for good: their fallback address, if they have one
// and the bot has a chat for it; "" otherwise.
func (e *Engine) fallbackOf(d Delivery) Address {
	if d.Channel || (d.Kind != KindPrompt && d.Kind != KindReminder) {
		return ""
	}
	f, ok := e.byID[d.ForumID]
	if !ok {
		return ""
	}
	m, ok := f.Member(d.To)
	if !ok || m.Fallback == "" || e.chats[m.Fallback.Platform()] == nil {
		return ""
	}
	return m.Fallback
}

// viaFallback is out addressed to the member's fallback, for them.
func viaFallback(out Outgoing, fallback Address) Outgoing {
	out.For, out.To, out.Reached = out.To, fallback, MessageRef{}
	return out
}

// deliverFallback sends an entry to the member's fallback address after
// their own platform refused it for good (refused). The message is
// rendered for the fallback's platform and carries the same key, so that a
// resend after a crash is recognised there too. The entry is marked sent
// with the fallback's reference: the digest counts those members as
// reached another way.
func (e *Engine) deliverFallback(ctx context.Context, d Delivery, fallback Address, done *doneCache, refused error) (bool, error) {
	// The member's last message on their chat says nothing of where to
	// reach them by their fallback.
	out, skip, err := e.outgoing(ctx, d, fallback, MessageRef{}, done)
	switch {
	case err != nil && Permanent(err):
		return false, e.store.MarkFailed(ctx, d.ID, ErrorMessage(err))
	case err != nil:
		return false, err
	case skip != "":
		return false, e.store.MarkSkipped(ctx, d.ID, skip)
	}
	e.log.Info("platform refused the message for good; sending it to the member's fallback", "key", d.Key, "refused", refused)
	ref, err := e.send(ctx, e.chats[fallback.Platform()], viaFallback(out, fallback))
	if err != nil {
		return false, e.retry(ctx, d, fmt.Errorf("%s refused it (%v), and its fallback failed: %w", d.To.Platform(), refused, err), true)
	}
	if err := e.store.MarkSent(ctx, d.ID, ref, e.now()); err != nil {
		return false, err
	}
	return true, nil
}

// retry reschedules a failed send, or gives up on it. unsent says the
// failure was the send itself, so nothing reached the platform if it asked
// to wait. A wait the platform asked for is not counted as an attempt and
// never leads to giving up; a permanent refusal gives up at once; any
// other failure is retried with backoff until the entry has been failing
// for GiveUpAfter.
func (e *Engine) retry(ctx context.Context, d Delivery, cause error, unsent bool) error {
	if ctx.Err() != nil {
		// Shutting down: the entry stays due and is tried on the next start.
		return nil
	}
	now := e.now()
	if Permanent(cause) {
		e.log.Warn("delivery refused for good", "key", d.Key, "err", cause)
		return e.store.MarkFailed(ctx, d.ID, cause.Error())
	}
	if wait, ok := RetryAfter(cause); ok {
		e.log.Info("delivery waits as the platform asked", "key", d.Key, "wait", wait)
		return e.store.MarkWaiting(ctx, d.ID, now.Add(wait), cause.Error(), unsent)
	}
	since := d.FailingSince
	if since.IsZero() {
		since = now
	}
	if failing := now.Sub(since); failing >= e.opts.Sender.GiveUpAfter {
		e.log.Warn("delivery given up", "key", d.Key, "attempts", d.Attempts+1, "failing_for", failing, "err", cause)
		return e.store.MarkFailed(ctx, d.ID, fmt.Sprintf("gave up after %s of failures: %v", failing.Round(time.Minute), cause))
	}
	attempts := d.Attempts + 1
	wait := e.opts.Sender.backoff(attempts)
	e.log.Info("delivery retry", "key", d.Key, "attempts", attempts, "wait", wait, "err", cause)
	return e.store.MarkRetry(ctx, d.ID, now, now.Add(wait), cause.Error())
}

// outgoing renders the message of an outbox entry from the stored state as it
// is now, for the platform of via (the entry's recipient, or their
// fallback); reached is the last message its recipient was sent, done the
// drain's milestones. A non-empty skip says the entry should not be sent at
// all.
func (e *Engine) outgoing(ctx context.Context, d Delivery, via Address, reached MessageRef, done *doneCache) (out Outgoing, skip string, err error) {
	out = Outgoing{To: d.To, Channel: d.Channel, Key: d.Key, Reached: reached}
	if f, ok := e.byID[d.ForumID]; ok {
		out.Locale = f.Locale
	}
	switch d.Kind {
	case KindDigest:
		dg, err := e.store.Digest(ctx, d.DigestID)
		if err != nil {
			return out, "", err
		}
		out.Message = dg.Message
		return out, "", nil
	case KindNotice:
		n, err := e.store.Notice(ctx, d.NoticeID)
		if err != nil {
			return out, "", err
		}
		out.Message = n.Message
		return out, "", nil
	}
	f, ok := e.byID[d.ForumID]
	if !ok {
		return out, "", Errorf(ENOTFOUND, "forum %q is no longer configured", d.ForumID)
	}
	m, ok := f.Member(d.To)
	if !ok {
		return out, "", Errorf(ENOTFOUND, "%s is no longer on a committee of %s", d.To, f.ID)
	}
	r, err := e.store.RoundByID(ctx, d.RoundID)
	if err != nil {
		return out, "", err
	}
	if r.State == RoundVoided {
		return out, "round voided before the message went out", nil
	}
	if d.Kind == KindReminder && r.State == RoundClosed {
		return out, "round closed before the reminder went out", nil
	}
	in, err := e.promptInputWith(ctx, f, r, m, done)
	if err != nil {
		return out, "", err
	}
	if d.Kind == KindReminder && len(owed(f, m.Who, in.Answers)) == 0 {
		return out, "answered before the reminder went out", nil
	}
	in.Reminder = d.Kind == KindReminder
	in.ByEmail = via.Platform() == EmailPlatform
	out.Locale, out.ClosesAt = f.LocaleOf(m.Who), r.ClosesAt
	out.Message = renderPrompt(e.Texts(out.Locale), in)
	return out, "", nil
}

// send asks chat to send out. A panic in the adapter is logged with its
// stack and becomes an error worth retrying, so that one adapter bug can
// neither stop the sender nor the process; the outbox gives up on the
// message after Sender.GiveUpAfter, with the panic as its reason.
func (e *Engine) send(ctx context.Context, chat Chat, out Outgoing) (ref MessageRef, err error) {
	defer e.recoverAdapter("send", out, &err)
	return chat.Send(ctx, out)
}

// delivered asks chat whether out was delivered, guarded as send is.
func (e *Engine) delivered(ctx context.Context, chat Chat, out Outgoing) (ref MessageRef, found bool, err error) {
	defer e.recoverAdapter("delivered", out, &err)
	return chat.Delivered(ctx, out)
}

func (e *Engine) recoverAdapter(call string, out Outgoing, err *error) {
	if p := recover(); p != nil {
		e.log.Error("adapter panicked", "call", call, "to", out.To, "key", out.Key, "panic", p, "stack", string(debug.Stack()))
		*err = fmt.Errorf("the %s adapter panicked in %s: %v", out.To.Platform(), call, p)
	}
}
