package bot

import (
	"context"
	"strings"
	"time"
)

// cmdRound carries out a coordinator's round command: open (or reopen),
// close, remind, void, failed and retry. It holds the tick's lock, as it
// makes the same decisions by hand.
func (e *Engine) cmdRound(ctx context.Context, t Texts, ev Event, cmd Command) Response {
	f, problem := e.coordinatedForum(t, ev.From, cmd.Forum, "")
	if problem != "" {
		return Response{Error: problem}
	}
	e.tickMu.Lock()
	defer e.tickMu.Unlock()
	now := e.now()
	switch cmd.Action {
	case RoundActionOpen:
		return e.roundOpen(ctx, t, f, cmd.Period, now)
	case RoundActionVoid:
		return e.roundVoid(ctx, t, ev, f, cmd.Period, now)
	case RoundActionFailed:
		return e.roundFailed(ctx, t, f)
	case RoundActionRetry:
		return e.roundRetry(ctx, t, f, now)
	}
	p := cmd.Period
	if p.IsZero() {
		p = e.currentPeriod(ctx, f)
	}
	r, err := e.store.Round(ctx, f.ID, p)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return Response{Error: t.T("cmd.err.no_such_round", "Period", t.Period(p))}
	case err != nil:
		return Response{Error: e.storeError(t, err, "err.store")}
	case r.State == RoundClosed:
		return Response{Error: t.T("cmd.err.round_closed", "Period", t.Period(p))}
	case cmd.Action == RoundActionClose:
		if err := e.closeRound(ctx, f, r, now); err != nil {
			return Response{Error: e.storeError(t, err, "err.store")}
		}
		return Response{Reply: &Message{Text: t.T("cmd.round.closed", "Period", t.Period(p), "Channel", string(f.DigestChannel))}}
	}
	n, err := e.remind(ctx, f, r, r.ManualReminders+1, true, now)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	return Response{Reply: &Message{Text: t.N("cmd.round.reminded", n, "Period", t.Period(p))}}
}

// roundOpen opens the round of period p (this month's when p is zero), or
// reopens it when it was closed.
func (e *Engine) roundOpen(ctx context.Context, t Texts, f *Forum, p Period, now time.Time) Response {
	if p.IsZero() {
		p = PeriodOf(now.In(f.Location))
	}
	if problem := e.periodProblem(ctx, t, f, p, now); problem != "" {
		return Response{Error: problem}
	}
	r, err := e.store.Round(ctx, f.ID, p)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		r, _, err = e.openRound(ctx, f, p, now, now, time.Time{})
		if err != nil {
			return Response{Error: e.storeError(t, err, "err.store")}
		}
		return Response{Reply: &Message{Text: t.T("cmd.round.opened", "Period", t.Period(p), "Closes", t.Time(r.ClosesAt.In(f.Location)))}}
	case err != nil:
		return Response{Error: e.storeError(t, err, "err.store")}
	case r.State == RoundOpen:
		return Response{Error: t.T("cmd.err.round_already_open", "Period", t.Period(p), "Closes", t.Time(r.ClosesAt.In(f.Location)))}
	}
	closes := after(now, f.Schedule.Window, f.Location)
	if err := e.store.ReopenRound(ctx, r.ID, closes); err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	return Response{Reply: &Message{Text: t.T("cmd.round.reopened", "Period", t.Period(p), "Closes", t.Time(closes.In(f.Location)))}}
}

// periodProblem says why a round of period p may not be opened at now, or
// returns "". A round may be held for a month inside the plan, up to this
// month or the month of the next scheduled round, whichever is later; a
// plan without a start date reaches back to the forum's first round (or
// this month, before any).
func (e *Engine) periodProblem(ctx context.Context, t Texts, f *Forum, p Period, now time.Time) string {
	if !f.PeriodInPlan(p) {
		return t.T("cmd.err.outside_plan", "Period", t.Period(p), "Span", planSpan(t, f.Plan))
	}
	latest := PeriodOf(now.In(f.Location))
	next := e.NextRound(f, now)
	if !next.IsZero() && PeriodOf(next.In(f.Location)).Compare(latest) > 0 {
		latest = PeriodOf(next.In(f.Location))
	}
	if p.Compare(latest) > 0 {
		return t.T("cmd.err.future_period", "Period", t.Period(p), "Latest", t.Period(latest), "ISO", latest.String())
	}
	if !f.Plan.Start.IsZero() {
		return ""
	}
	earliest := PeriodOf(now.In(f.Location))
	rounds, err := e.store.Rounds(ctx, f.ID)
	if err != nil {
		return e.storeError(t, err, "err.store")
	}
	if len(rounds) > 0 && rounds[0].Period.Compare(earliest) < 0 {
		earliest = rounds[0].Period
	}
	if p.Compare(earliest) < 0 {
		return t.T("cmd.err.before_first_round", "Period", t.Period(p), "Earliest", t.Period(earliest))
	}
	return ""
}

// roundVoid voids the round of period p, which must be named: a round
// opened by mistake. Only a round that holds no answer may be voided; the
// voided round stays in the record and counts in no figure.
func (e *Engine) roundVoid(ctx context.Context, t Texts, ev Event, f *Forum, p Period, now time.Time) Response {
	if p.IsZero() {
		return Response{Error: t.T("cmd.err.void_which")}
	}
	r, err := e.store.Round(ctx, f.ID, p)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return Response{Error: t.T("cmd.err.no_such_round", "Period", t.Period(p))}
	case err != nil:
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	held, err := e.store.PeriodAnswers(ctx, AnswerFilter{ForumID: f.ID}, p)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	if len(held) > 0 {
		return Response{Error: t.N("cmd.err.void_answered", len(held), "Period", t.Period(p), "ISO", p.String())}
	}
	if err := e.store.VoidRound(ctx, r.ID, now, ev.From); ErrorCode(err) == ECONFLICT {
		return Response{Error: t.N("cmd.err.void_answered", 1, "Period", t.Period(p), "ISO", p.String())}
	} else if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	e.log.Warn("round voided", "forum", f.ID, "period", p.String(), "by", ev.From)
	text := t.T("cmd.round.voided", "Period", t.Period(p))
	if next := e.NextRound(f, now); !next.IsZero() && PeriodOf(next.In(f.Location)) == p {
		text += " " + t.T("cmd.round.voided_scheduled", "When", t.Time(next.In(f.Location)))
	} else {
		text += " " + t.T("cmd.round.voided_unscheduled", "ISO", p.String())
	}
	return Response{Reply: &Message{Text: text}}
}

// maxFailedListed is how many undelivered messages round failed lists.
const maxFailedListed = 20

// roundFailed lists the forum's messages given up on, with the reason.
func (e *Engine) roundFailed(ctx context.Context, t Texts, f *Forum) Response {
	failed, err := e.store.FailedDeliveries(ctx, f.ID)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	if len(failed) == 0 {
		return Response{Reply: &Message{Text: t.T("cmd.round.none_failed", "Forum", f.Name)}}
	}
	periods, err := e.roundIDPeriods(ctx, f)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	var lines []string
	for i, d := range failed {
		if i == maxFailedListed {
			lines = append(lines, t.N("cmd.round.failed_more", len(failed)-i))
			break
		}
		what := deliveryKindText(t, d.Kind)
		if p := periods[d.RoundID]; p != "" {
			what += " " + p
		}
		lines = append(lines, t.T("cmd.round.failed_line", "What", what, "To", recipientText(f, d), "Reason", OneLine(d.LastError, maxEchoShort, "…")))
	}
	return Response{Reply: &Message{
		Header: t.N("cmd.round.failed_header", len(failed), "Forum", f.Name),
		Text:   strings.Join(lines, "\n"),
		Footer: t.T("cmd.round.failed_footer"),
	}}
}

// roundRetry puts the forum's messages given up on back in the outbox.
func (e *Engine) roundRetry(ctx context.Context, t Texts, f *Forum, now time.Time) Response {
	n, err := e.store.RetryFailed(ctx, f.ID, now)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	if n == 0 {
		return Response{Reply: &Message{Text: t.T("cmd.round.none_failed", "Forum", f.Name)}}
	}
	e.log.Info("failed deliveries queued again", "forum", f.ID, "count", n)
	e.kick()
	return Response{Reply: &Message{Text: t.N("cmd.round.retried", n)}}
}

// roundIDPeriods maps the ids of a forum's rounds, voided ones too, to their
// periods as YYYY-MM.
func (e *Engine) roundIDPeriods(ctx context.Context, f *Forum) (map[int64]string, error) {
	held, err := e.store.Rounds(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	voided, err := e.store.VoidedRounds(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, r := range append(held, voided...) {
		out[r.ID] = r.Period.String()
	}
	return out, nil
}

// deliveryKindText names what an outbox entry delivers.
func deliveryKindText(t Texts, k DeliveryKind) string {
	switch k {
	case KindPrompt:
		return t.T("delivery.prompt")
	case KindReminder:
		return t.T("delivery.reminder")
	case KindDigest:
		return t.T("delivery.digest")
	}
	return t.T("delivery.notice")
}

// recipientText names whom an entry was for: a member by name and
// organisation, anyone else by address.
func recipientText(f *Forum, d Delivery) string {
	if m, ok := f.Member(d.To); ok {
		return OneLine(m.Name+" ("+m.Organisation+")", maxEchoShort, "…")
	}
	return string(d.To)
}
