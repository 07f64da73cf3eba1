package bot

import (
	"context"
	"strings"
	"time"
)

// minLateWindow is the shortest time a round opened late stays open: with
// less left before the next round, it is not opened and the coordinators
// are told. A forum whose window is shorter gets its window.
const minLateWindow = 24 * time.Hour

// maxMissedListed is how many months before a round the notice of rounds
// missed during downtime looks back.
const maxMissedListed = 24

// tickSchedule opens forum f's latest scheduled round when it is due and
// not held. Within its window it opens on its schedule; after its window,
// which passed while the bot was down, it opens late with a window of its
// own. Rounds that could not be held at all are logged and told to the
// coordinators, never skipped in silence. A round a coordinator voided
// after it was due is opened again only by hand. A forum that never held a
// round starts with the first round due once the bot runs for it.
func (e *Engine) tickSchedule(ctx context.Context, f *Forum, now time.Time) error {
	at, ok := e.crons[f.ID].Latest(now, f.Schedule.Window+62*24*time.Hour)
	if !ok || !f.InPlan(at) {
		return nil
	}
	p := PeriodOf(at.In(f.Location))
	switch _, err := e.store.Round(ctx, f.ID, p); {
	case err == nil:
		return nil
	case ErrorCode(err) != ENOTFOUND:
		return err
	}
	voided, err := e.store.VoidedRounds(ctx, f.ID)
	if err != nil {
		return err
	}
	for _, v := range voided {
		if v.Period == p && !v.VoidedAt.Before(at) {
			return nil
		}
	}
	held, err := e.store.Rounds(ctx, f.ID)
	if err != nil {
		return err
	}
	if now.Before(after(at, f.Schedule.Window, f.Location)) {
		if err := e.noticeMissed(ctx, f, p, now, held); err != nil {
			return err
		}
		_, _, err := e.openRound(ctx, f, p, at, now, time.Time{})
		return err
	}
	if len(voided) == 0 && len(held) == 0 {
		// A forum that never held a round was not run by the bot yet: its
		// first round is the first one due from now, or one opened by hand.
		return nil
	}
	if err := e.noticeMissed(ctx, f, p, now, held); err != nil {
		return err
	}
	return e.openLate(ctx, f, p, at, now)
}

// openLate opens the round of period p, scheduled at `at`, whose whole
// window passed while the bot was down: it gets a full window from now,
// ending by the next round's scheduled time. It is not opened when the
// plan is over or when too little time is left before the next round; the
// coordinators are told either way.
func (e *Engine) openLate(ctx context.Context, f *Forum, p Period, at, now time.Time) error {
	t := e.Texts(f.Locale)
	loc := f.Location
	closes := after(now, f.Schedule.Window, loc)
	next := e.NextRound(f, now)
	if !next.IsZero() && next.Before(closes) {
		closes = next
	}
	var why string
	switch {
	case !f.InPlan(now):
		why = t.T("notice.why_plan_over", "Span", planSpan(t, f.Plan))
	case closes.Sub(now) < min(minLateWindow, f.Schedule.Window):
		why = t.T("notice.why_too_late", "Next", t.Time(next.In(loc)))
	default:
		r, created, err := e.openRound(ctx, f, p, at, now, closes)
		if err != nil || !created {
			return err
		}
		e.log.Warn("round opened late: its window passed while the bot was down", "forum", f.ID, "period", p.String(),
			"scheduled_at", at, "closes_at", r.ClosesAt)
		text := t.T("notice.opened_late", "Period", t.Period(p), "Due", t.Time(at.In(loc)), "Closes", t.Time(r.ClosesAt.In(loc)))
		_, err = e.notify(ctx, f, "notice/"+roundKey(f.ID, r)+"/late", text, now)
		return err
	}
	text := t.T("notice.not_opened", "Period", t.Period(p), "Due", t.Time(at.In(loc)), "Why", why, "ISO", p.String())
	added, err := e.notify(ctx, f, "notice/"+f.ID+"/"+p.String()+"/not-opened", text, now)
	if added {
		e.log.Warn("round not opened: its window passed while the bot was not running", "forum", f.ID, "period", p.String(),
			"scheduled_at", at, "reason", why)
	}
	return err
}

// noticeMissed tells the coordinators of the rounds scheduled between the
// forum's latest round and period p that were never held: their time and
// the next round's both passed while the bot was down, so they cannot be
// opened late. A coordinator may still hold one by hand. A forum that
// never held a round has missed none. held are the forum's rounds.
func (e *Engine) noticeMissed(ctx context.Context, f *Forum, p Period, now time.Time, held []Round) error {
	if len(held) == 0 {
		return nil
	}
	t := e.Texts(f.Locale)
	var missed []Period
	from := held[len(held)-1].Period.Add(1)
	if earliest := p.Add(-maxMissedListed); from.Compare(earliest) < 0 {
		from = earliest
	}
	for q := from; q.Compare(p) < 0; q = q.Add(1) {
		at := e.crons[f.ID].Next(q.First().Time(f.Location).Add(-time.Nanosecond))
		if !at.IsZero() && PeriodOf(at.In(f.Location)) == q && f.InPlan(at) {
			missed = append(missed, q)
		}
	}
	if len(missed) == 0 {
		return nil
	}
	names := make([]string, len(missed))
	for i, q := range missed {
		names[i] = t.Period(q)
	}
	text := t.N("notice.missed", len(missed), "List", strings.Join(names, ", "), "ISO", missed[0].String())
	key := "notice/" + f.ID + "/" + missed[0].String() + ".." + missed[len(missed)-1].String() + "/missed"
	added, err := e.notify(ctx, f, key, text, now)
	if added {
		e.log.Warn("rounds missed while the bot was down", "forum", f.ID, "periods", len(missed),
			"first", missed[0].String(), "last", missed[len(missed)-1].String())
	}
	return err
}
