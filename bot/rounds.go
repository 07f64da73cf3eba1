package bot

import (
	"context"
	"fmt"
	"time"
)

// awayDates returns each member's away-until date as it stood at asOf: the
// config's date, overridden by what the member said by command before
// asOf (even "back").
func (e *Engine) awayDates(ctx context.Context, f *Forum, asOf time.Time) (map[Address]Date, error) {
	log, err := e.store.Absences(ctx)
	if err != nil {
		return nil, err
	}
	return awayAt(f, log, asOf), nil
}

// awayAt reads the absence log as it stood at asOf.
func awayAt(f *Forum, log []Absence, asOf time.Time) map[Address]Date {
	out := map[Address]Date{}
	for _, m := range f.Members() {
		if !m.AwayUntil.IsZero() {
			out[m.Who] = m.AwayUntil
		}
	}
	for _, a := range log {
		if a.SetAt.After(asOf) {
			continue
		}
		if _, member := f.Member(a.Member); !member {
			continue
		}
		if a.Until.IsZero() {
			delete(out, a.Member)
		} else {
			out[a.Member] = a.Until
		}
	}
	return out
}

// roundRecord loads what round r's response figures are computed from:
// who was prompted, and the absences as they stood when it closed (or now,
// while it is open). log is the absence log. With among, only those
// members' prompts are read.
func (e *Engine) roundRecord(ctx context.Context, f *Forum, r Round, log []Absence, among []Address) (RoundRecord, error) {
	prompted, err := e.store.Prompted(ctx, r.ID, among)
	if err != nil {
		return RoundRecord{}, err
	}
	rec := RoundRecord{Round: r, Prompted: make(map[Address]bool, len(prompted))}
	for _, who := range prompted {
		rec.Prompted[who] = true
	}
	asOf := e.now()
	if r.State == RoundClosed && !r.ClosedAt.IsZero() {
		asOf = r.ClosedAt
	}
	rec.Away = awayAt(f, log, asOf)
	return rec, nil
}

// membersOf returns the members of commitment id's committee, or nil
// when id is "" (the whole forum).
func membersOf(f *Forum, id string) []Address {
	if id == "" {
		return nil
	}
	for i := range f.Plan.Commitments {
		if c := &f.Plan.Commitments[i]; c.ID == id {
			return committeeOf(c)
		}
	}
	return []Address{}
}

// roundKey names round r in idempotency keys: its forum and period, and
// the revision when rounds of the period were voided before it.
func roundKey(forumID string, r Round) string {
	if r.Revision == 0 {
		return forumID + "/" + r.Period.String()
	}
	return fmt.Sprintf("%s/%s.%d", forumID, r.Period, r.Revision)
}

// promptKey is the idempotency key of a member's prompt for a round: stable
// across restarts and database rebuilds, so a platform's record of what it
// delivered stays meaningful.
func promptKey(forumID string, r Round, who Address) string {
	return fmt.Sprintf("prompt/%s/%s", roundKey(forumID, r), who)
}

func reminderKey(forumID string, r Round, n int, manual bool, who Address) string {
	kind := "r"
	if manual {
		kind = "m"
	}
	return fmt.Sprintf("reminder/%s/%s%d/%s", roundKey(forumID, r), kind, n, who)
}

// openRound inserts the round of period p and one prompt per member who is
// not away for the whole round, in one transaction. A member back before the
// round closes gets the prompt the morning after their absence ends. The
// round closes at closes, or when zero a window after it was scheduled (a
// window from now if that has passed). A round of a period whose rounds
// were voided is their next revision.
func (e *Engine) openRound(ctx context.Context, f *Forum, p Period, scheduled, now, closes time.Time) (Round, bool, error) {
	r := Round{
		ForumID: f.ID, Period: p, ScheduledAt: scheduled, OpenedAt: now,
		ClosesAt: closes, State: RoundOpen,
	}
	if r.ClosesAt.IsZero() {
		r.ClosesAt = after(scheduled, f.Schedule.Window, f.Location)
	}
	if !r.ClosesAt.After(now) {
		r.ClosesAt = after(now, f.Schedule.Window, f.Location)
	}
	voided, err := e.store.VoidedRounds(ctx, f.ID)
	if err != nil {
		return Round{}, false, err
	}
	for _, v := range voided {
		if v.Period == p {
			r.Revision = max(r.Revision, v.Revision+1)
		}
	}
	away, err := e.awayDates(ctx, f, now)
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
		Key: promptKey(f.ID, r, m.Who), Kind: KindPrompt, ForumID: f.ID,
		To: m.Who, State: Pending, NextAttemptAt: next, CreatedAt: now,
	}, true
}

// remindDue enqueues the latest scheduled reminder whose time has come, once;
// reminders missed while the bot was down collapse into one. Reminders
// count from the round's scheduled time, or from its opening when it
// opened after its scheduled window had passed (a round opened late).
func (e *Engine) remindDue(ctx context.Context, f *Forum, r Round, now time.Time) error {
	from := r.ScheduledAt
	if r.OpenedAt.After(after(r.ScheduledAt, f.Schedule.Window, f.Location)) {
		from = r.OpenedAt
	}
	due := 0
	for i, off := range f.Schedule.Reminders {
		if !now.Before(after(from, off, f.Location)) {
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
			Key: reminderKey(f.ID, r, n, manual, who), Kind: KindReminder, ForumID: f.ID,
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
// and have not answered, with a level, every commitment they sit on.
func (e *Engine) owing(ctx context.Context, f *Forum, r Round, now time.Time) ([]Address, error) {
	prompts, err := e.store.Deliveries(ctx, r.ID, KindPrompt)
	if err != nil {
		return nil, err
	}
	updates, err := e.store.PeriodAnswers(ctx, AnswerFilter{ForumID: f.ID}, r.Period)
	if err != nil {
		return nil, err
	}
	away, err := e.awayDates(ctx, f, now)
	if err != nil {
		return nil, err
	}
	answers := latestByCommitment(updates)
	today := DateOf(now.In(f.Location))
	var out []Address
	for _, p := range prompts {
		if p.State != Sent {
			continue
		}
		if until, ok := away[p.To]; ok && !until.Before(today) {
			continue
		}
		if len(owed(f, p.To, answers[p.To])) > 0 {
			out = append(out, p.To)
		}
	}
	return out, nil
}

// latestByCommitment indexes one round's versions by member and
// commitment, keeping the latest.
func latestByCommitment(us []Update) map[Address]map[string]Update {
	out := map[Address]map[string]Update{}
	for _, u := range us {
		if out[u.Member] == nil {
			out[u.Member] = map[string]Update{}
		}
		if prev, ok := out[u.Member][u.CommitmentID]; !ok || prev.Version < u.Version {
			out[u.Member][u.CommitmentID] = u
		}
	}
	return out
}

// owed returns the commitments of forum f that who still owes an answer
// with a level, given their latest update per commitment this round.
func owed(f *Forum, who Address, answers map[string]Update) []*Commitment {
	var out []*Commitment
	for _, c := range f.CommitmentsOf(who) {
		if u, ok := answers[c.ID]; !ok || !u.Answered() {
			out = append(out, c)
		}
	}
	return out
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
