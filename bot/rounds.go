package bot

import (
	"context"
	"fmt"
	"time"
)

// awayDates merges the away-until dates of the config with those members set
// by command; the later date wins.
func (e *Engine) awayDates(ctx context.Context, f *Forum) (map[Address]Date, error) {
	stored, err := e.store.Absences(ctx)
	if err != nil {
		return nil, err
	}
	out := map[Address]Date{}
	for _, m := range f.Members() {
		d := m.AwayUntil
		if s, ok := stored[m.Who]; ok {
			// A stored entry, even "back" (zero), is newer than the config.
			d = s
		}
		if !d.IsZero() {
			out[m.Who] = d
		}
	}
	return out, nil
}

// promptKey is the idempotency key of a member's prompt for a period: stable
// across restarts and database rebuilds, so a platform's record of what it
// delivered stays meaningful.
func promptKey(forumID string, p Period, who Address) string {
	return fmt.Sprintf("prompt/%s/%s/%s", forumID, p, who)
}

func reminderKey(forumID string, p Period, n int, manual bool, who Address) string {
	kind := "r"
	if manual {
		kind = "m"
	}
	return fmt.Sprintf("reminder/%s/%s/%s%d/%s", forumID, p, kind, n, who)
}

// openRound inserts the round of period p and one prompt per member who is
// not away for the whole round, in one transaction. A member back before the
// round closes gets the prompt the morning after their absence ends.
func (e *Engine) openRound(ctx context.Context, f *Forum, p Period, scheduled, now time.Time) (Round, bool, error) {
	r := Round{
		ForumID: f.ID, Period: p, ScheduledAt: scheduled, OpenedAt: now,
		ClosesAt: After(scheduled, f.Schedule.Window, f.Location), State: RoundOpen,
	}
	if !r.ClosesAt.After(now) {
		r.ClosesAt = After(now, f.Schedule.Window, f.Location)
	}
	away, err := e.awayDates(ctx, f)
	if err != nil {
		return Round{}, false, err
	}
	var prompts []Delivery
	for _, m := range f.Members() {
		d, ok := e.promptFor(f, r, m, away[m.Who], now)
		if ok {
			prompts = append(prompts, d)
		}
	}
	r, created, err := e.store.OpenRound(ctx, r, prompts)
	if err != nil {
		return Round{}, false, err
	}
	if created {
		e.log.Info("round opened", "forum", f.ID, "period", p.String(), "prompts", len(prompts), "closes_at", r.ClosesAt)
		e.kick()
	}
	return r, created, nil
}

// promptFor returns the prompt delivery of m for round r, and false when m
// is away until the round closes.
func (e *Engine) promptFor(f *Forum, r Round, m Member, awayUntil Date, now time.Time) (Delivery, bool) {
	closes := DateOf(r.ClosesAt.In(f.Location))
	if !awayUntil.IsZero() && !awayUntil.Before(closes) {
		return Delivery{}, false
	}
	next := now
	if today := DateOf(now.In(f.Location)); !awayUntil.IsZero() && !awayUntil.Before(today) {
		at := r.ScheduledAt.In(f.Location)
		back := awayUntil.Time(f.Location).AddDate(0, 0, 1)
		next = time.Date(back.Year(), back.Month(), back.Day(), at.Hour(), at.Minute(), 0, 0, f.Location)
	}
	return Delivery{
		Key: promptKey(f.ID, r.Period, m.Who), Kind: KindPrompt, ForumID: f.ID,
		To: m.Who, State: Pending, NextAttemptAt: next, CreatedAt: now,
	}, true
}

// remindDue enqueues the latest scheduled reminder whose time has come, once;
// reminders missed while the bot was down collapse into one.
func (e *Engine) remindDue(ctx context.Context, f *Forum, r Round, now time.Time) error {
	due := 0
	for i, off := range f.Schedule.Reminders {
		if !now.Before(After(r.ScheduledAt, off, f.Location)) {
			due = i + 1
		}
	}
	if due <= r.RemindersSent {
		return nil
	}
	n, err := e.remind(ctx, f, r, due, false, now)
	if err != nil {
		return err
	}
	e.log.Info("reminders queued", "forum", f.ID, "period", r.Period.String(), "reminder", due, "members", n)
	return nil
}

// remind records reminder n of round r and enqueues it for every member who
// owes an answer, has been prompted and is not away today.
func (e *Engine) remind(ctx context.Context, f *Forum, r Round, n int, manual bool, now time.Time) (int, error) {
	owing, err := e.owing(ctx, f, r, now)
	if err != nil {
		return 0, err
	}
	ds := make([]Delivery, 0, len(owing))
	for _, who := range owing {
		ds = append(ds, Delivery{
			Key: reminderKey(f.ID, r.Period, n, manual, who), Kind: KindReminder, ForumID: f.ID,
			RoundID: r.ID, To: who, State: Pending, NextAttemptAt: now, CreatedAt: now,
		})
	}
	if err := e.store.RecordReminders(ctx, r.ID, n, manual, ds); err != nil {
		return 0, err
	}
	e.kick()
	return len(ds), nil
}

// owing returns the members of round r who were prompted, are not away today
// and have not answered for every commitment they sit on.
func (e *Engine) owing(ctx context.Context, f *Forum, r Round, now time.Time) ([]Address, error) {
	prompts, err := e.store.Deliveries(ctx, r.ID, KindPrompt)
	if err != nil {
		return nil, err
	}
	updates, err := e.store.LatestUpdates(ctx, f.ID, r.Period)
	if err != nil {
		return nil, err
	}
	away, err := e.awayDates(ctx, f)
	if err != nil {
		return nil, err
	}
	answered := map[Address]map[string]bool{}
	for _, u := range updates {
		if u.RoundID != r.ID {
			continue
		}
		if answered[u.Member] == nil {
			answered[u.Member] = map[string]bool{}
		}
		answered[u.Member][u.CommitmentID] = true
	}
	today := DateOf(now.In(f.Location))
	var out []Address
	for _, p := range prompts {
		if p.State != Sent {
			continue
		}
		if until, ok := away[p.To]; ok && !until.Before(today) {
			continue
		}
		for _, c := range f.CommitmentsOf(p.To) {
			if !answered[p.To][c.ID] {
				out = append(out, p.To)
				break
			}
		}
	}
	return out, nil
}

// closeRound closes r, and stores and enqueues its digest, in one
// transaction.
func (e *Engine) closeRound(ctx context.Context, f *Forum, r Round, now time.Time) error {
	r.ClosedAt, r.State = now, RoundClosed
	msg, err := e.digestMessage(ctx, f, r.Period, &r, "")
	if err != nil {
		return err
	}
	d, err := e.store.CloseRound(ctx, r.ID, now, Digest{
		ForumID: f.ID, Period: r.Period, RoundID: r.ID, CreatedAt: now, Channel: f.DigestChannel, Message: msg,
	})
	if err != nil {
		return err
	}
	e.log.Info("round closed", "forum", f.ID, "period", r.Period.String(), "digest", d.ID)
	e.kick()
	return nil
}

// digestMessage computes and renders the digest of forum f for period p in
// the forum's locale; only narrows it to one commitment.
func (e *Engine) digestMessage(ctx context.Context, f *Forum, p Period, r *Round, only string) (Message, error) {
	data, err := e.DigestData(ctx, f, p, r, only)
	if err != nil {
		return Message{}, err
	}
	return RenderDigest(e.Texts(f.Locale), data), nil
}

// DigestData computes the digest of forum f for period p; r is the round of
// that period if known (it is looked up otherwise).
func (e *Engine) DigestData(ctx context.Context, f *Forum, p Period, r *Round, only string) (DigestData, error) {
	if r == nil {
		if found, err := e.store.Round(ctx, f.ID, p); err == nil {
			r = &found
		} else if ErrorCode(err) != ENOTFOUND {
			return DigestData{}, err
		}
	}
	updates, err := e.store.LatestUpdates(ctx, f.ID, p)
	if err != nil {
		return DigestData{}, err
	}
	away, err := e.awayDates(ctx, f)
	if err != nil {
		return DigestData{}, err
	}
	after := p.Last().Time(f.Location).AddDate(0, 0, 1)
	if r != nil && r.ClosesAt.After(after) {
		after = r.ClosesAt
	}
	return BuildDigest(DigestInput{
		Forum: f, Period: p, Round: r, Updates: updates, Away: away,
		NextRound: e.NextRound(f, maxTime(after, e.now())), Only: only,
	}), nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Report computes the implementation report of forum f over [from, to];
// zero periods default to the plan's span.
func (e *Engine) Report(ctx context.Context, f *Forum, from, to Period) (Report, error) {
	us, err := e.store.Updates(ctx, UpdateFilter{ForumID: f.ID})
	if err != nil {
		return Report{}, err
	}
	rounds, err := e.store.Rounds(ctx, f.ID)
	if err != nil {
		return Report{}, err
	}
	rps := make([]RoundPrompts, 0, len(rounds))
	for _, r := range rounds {
		ds, err := e.store.Deliveries(ctx, r.ID, KindPrompt)
		if err != nil {
			return Report{}, err
		}
		rp := RoundPrompts{Round: r}
		for _, d := range ds {
			rp.Prompted = append(rp.Prompted, d.To)
		}
		rps = append(rps, rp)
	}
	return BuildReport(ReportInput{Forum: f, From: from, To: to, Updates: us, Rounds: rps, GeneratedAt: e.now()}), nil
}
