package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// digestMessage computes and renders the digest of forum f for period p in
// the forum's locale; r, when given, is that period's round as the caller
// has it (a round being closed); only narrows it to one commitment.
func (e *Engine) digestMessage(ctx context.Context, f *Forum, p Period, r *Round, only string) (Message, error) {
	data, err := e.DigestData(ctx, f, p, r, only)
	if err != nil {
		return Message{}, err
	}
	return RenderDigest(e.Texts(f.Locale), data), nil
}

// DigestData computes the digest of forum f for period p; r is the round of
// that period if the caller has it (it is looked up otherwise). A period
// in which no round was held has no digest: the error is ENOTFOUND and
// names the rounds there were.
func (e *Engine) DigestData(ctx context.Context, f *Forum, p Period, r *Round, only string) (DigestData, error) {
	in, rounds, err := e.loadDigestInput(ctx, f, p, r, only)
	if err != nil {
		return DigestData{}, err
	}
	if in.Round == nil {
		return DigestData{}, noRoundError(p, rounds)
	}
	chain, err := e.store.ChainHead(ctx, f.ID)
	if err != nil {
		return DigestData{}, err
	}
	d := buildDigest(in)
	d.Chain = chain
	if err := e.attachQuestions(ctx, f, d.Commitments, e.now()); err != nil {
		return DigestData{}, err
	}
	return d, nil
}

// noRoundError says that no round was held in p, and which were.
func noRoundError(p Period, rounds []Round) error {
	if len(rounds) == 0 {
		return Errorf(ENOTFOUND, "no round was held in %s %d; this forum has had no rounds yet", p.Month, p.Year)
	}
	return Errorf(ENOTFOUND, "no round was held in %s %d; rounds: %s", p.Month, p.Year, strings.Join(roundPeriods(rounds), ", "))
}

// roundPeriods lists the periods of rounds as YYYY-MM, the latest twelve
// when there are more.
func roundPeriods(rounds []Round) []string {
	var out []string
	if len(rounds) > 12 {
		out = append(out, fmt.Sprintf("(%d earlier)", len(rounds)-12))
		rounds = rounds[len(rounds)-12:]
	}
	for _, r := range rounds {
		out = append(out, r.Period.String())
	}
	return out
}

// loadDigestInput loads what forum f's figures at period p are computed from,
// and the forum's rounds. The input has no round record when no round was
// held in p; known, when given, stands for the stored round of p.
func (e *Engine) loadDigestInput(ctx context.Context, f *Forum, p Period, known *Round, only string) (digestInput, []Round, error) {
	in := digestInput{Forum: f, Period: p, Only: only}
	rounds, err := e.store.Rounds(ctx, f.ID)
	if err != nil {
		return in, nil, err
	}
	r := known
	for i := range rounds {
		if r == nil && rounds[i].Period == p {
			r = &rounds[i]
		}
	}
	if len(rounds) > 0 {
		in.LastRound = rounds[len(rounds)-1].Period
	}
	// The round's record and its deliveries are read while the answers
	// are: on a big forum each is a read of its own on the store's pool.
	var rec RoundRecord
	var recErr, outErr error
	var wg sync.WaitGroup
	if r != nil {
		wg.Go(func() {
			var log []Absence
			if log, recErr = e.store.Absences(ctx); recErr == nil {
				rec, recErr = e.roundRecord(ctx, f, *r, log, membersOf(f, only))
			}
		})
		if only == "" {
			wg.Go(func() { in.Undelivered, in.ByFallback, outErr = e.store.DeliveryOutcomes(ctx, r.ID, KindPrompt) })
		}
	}
	var latest Period
	for _, r := range rounds {
		if r.Period.Compare(latest) > 0 {
			latest = r.Period
		}
	}
	if latest.Compare(p) <= 0 {
		in.Record, err = e.record(ctx, f, p, only)
	} else {
		// A past period: the store's summary is as of now, so read the
		// history (rare: a digest of an old month, a reopened round).
		in.Updates, err = e.store.LatestUpdates(ctx, f.ID, p)
	}
	wg.Wait()
	if err := errors.Join(err, recErr, outErr); err != nil {
		return in, nil, err
	}
	if r != nil {
		in.Round = &rec
	}
	after := p.Last().Time(f.Location).AddDate(0, 0, 1)
	if r != nil && r.ClosesAt.After(after) {
		after = r.ClosesAt
	}
	in.NextRound = e.NextRound(f, maxTime(after, e.now()))
	return in, rounds, nil
}

// record reads the summary of forum f's record at period p, the latest
// period with a round, in a few indexed reads bounded by the committees:
// the latest versions of p, the level counts of p, of the period before and
// of each group's latest period, the open flags and the milestones done.
// buildDigest gives the same digest from these as from the whole history
// (TestInvariants compares the two).
func (e *Engine) record(ctx context.Context, f *Forum, p Period, only string) (*Record, error) {
	filter := AnswerFilter{ForumID: f.ID}
	ids := make([]string, 0, len(f.Plan.Commitments))
	var cs []*Commitment
	for i := range f.Plan.Commitments {
		if c := &f.Plan.Commitments[i]; only == "" || c.ID == only {
			ids, cs = append(ids, c.ID), append(cs, c)
		}
	}
	if only != "" {
		filter.Commitments = ids
	}
	// The four reads are independent: run them at once on the store's
	// read pool, so that a big forum's digest takes the longest of them,
	// not their sum.
	var rec Record
	errs := make([]error, 4)
	var wg sync.WaitGroup
	wg.Go(func() { rec.Current, errs[0] = e.store.PeriodAnswers(ctx, filter, p) })
	wg.Go(func() { rec.Counts, errs[1] = e.store.LevelCounts(ctx, f.ID, ids, p) })
	wg.Go(func() { rec.Flags, errs[2] = e.store.OpenFlags(ctx, filter) })
	wg.Go(func() { rec.Done, errs[3] = e.store.MilestonesDone(ctx, f.ID, milestoneKeys(cs), p) })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &rec, nil
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
	log, err := e.store.Absences(ctx)
	if err != nil {
		return Report{}, err
	}
	recs := make([]RoundRecord, 0, len(rounds))
	for _, r := range rounds {
		rec, err := e.roundRecord(ctx, f, r, log, nil)
		if err != nil {
			return Report{}, err
		}
		recs = append(recs, rec)
	}
	r := buildReport(reportInput{Forum: f, From: from, To: to, Updates: us, Rounds: recs, GeneratedAt: e.now()})
	latest := make([]CommitmentDigest, len(r.Commitments))
	for i := range r.Commitments {
		latest[i] = r.Commitments[i].Latest
	}
	if err := e.attachQuestions(ctx, f, latest, r.GeneratedAt); err != nil {
		return Report{}, err
	}
	for i := range r.Commitments {
		r.Commitments[i].Latest = latest[i]
	}
	return r, nil
}
