package site

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"forumbot/bot"
)

// state is the record as the pages are computed from it: one snapshot per
// public forum, and the pages rendered from them so far. A state never
// changes; when the record does, a new state replaces it, reusing the
// snapshots of the forums that did not change.
type state struct {
	snaps map[string]*snapshot
	order []*snapshot

	mu    sync.Mutex
	pages map[string]*pageEntry
}

// snapshot is one forum's published record: its rounds, and, computed on
// first use, the report through its latest closed round and that round's
// digest. A round is published once it is closed, as its digest is posted.
type snapshot struct {
	pub *Forum
	// key changes whenever what is published may: a round opened, closed
	// or voided, a new entry in the record chain, a new day. rounds is
	// the same without the record chain.
	key, rounds string
	// made is when the snapshot was taken.
	made   time.Time
	closed []bot.Round
	// asOf is the period of the latest closed round, zero before one.
	asOf bot.Period
	// questions are the forum's questions from the public as the snapshot
	// was taken, and tally their counts by commitment, computed by
	// bot.TallyQuestions as of made.
	questions []bot.Question
	tally     map[string]bot.QuestionTally

	mu      sync.Mutex
	data    *forumData
	digests map[bot.Period]*bot.DigestData
}

// forumData is what a forum's pages show, computed by the engine.
type forumData struct {
	// report runs from the plan's start through asOf; zero before the
	// first round closes.
	report bot.Report
	// latest is the digest of asOf; nil before the first round closes.
	latest *bot.DigestData
	// modified is when the published record last changed: the latest
	// round closed or answer stored among those published.
	modified time.Time
}

// look reads each public forum's rounds and record head, and returns prev
// if none changed, or a new state reusing the unchanged snapshots.
func (s *Site) look(ctx context.Context, prev *state) (*state, error) {
	st := &state{snaps: map[string]*snapshot{}, pages: map[string]*pageEntry{}}
	same := prev != nil
	for i := range s.cfg.Forums {
		pub := &s.cfg.Forums[i]
		f := pub.Forum
		rounds, err := s.cfg.Store.Rounds(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		head, err := s.cfg.Store.ChainHead(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		qs, err := s.cfg.Store.Questions(ctx, bot.QuestionFilter{ForumID: f.ID})
		if err != nil {
			return nil, err
		}
		now := s.cfg.Now()
		today := bot.DateOf(now.In(f.Location))
		key := fingerprint(rounds, &head, qs, today)
		sn := &snapshot{pub: pub, key: key, rounds: fingerprint(rounds, nil, nil, today), made: now, questions: qs}
		var old *snapshot
		if prev != nil {
			old = prev.snaps[f.ID]
		}
		// Only the record grew (answers to the open round, a correction,
		// a question asked, moderated or answered): keep the pages for a
		// while rather than recompute the report on every answer.
		amended := old != nil && old.key != key && old.rounds == sn.rounds && now.Sub(old.made) < s.cfg.Amendments && !now.Before(old.made)
		if old != nil && (old.key == key || amended) {
			sn = old
		} else {
			same = false
			sn.tally = bot.TallyQuestions(qs, now)
			for _, r := range rounds {
				if r.State == bot.RoundClosed {
					sn.closed = append(sn.closed, r)
					if r.Period.Compare(sn.asOf) > 0 {
						sn.asOf = r.Period
					}
				}
			}
		}
		st.snaps[f.ID] = sn
		st.order = append(st.order, sn)
	}
	if same {
		return prev, nil
	}
	return st, nil
}

// fingerprint sums up what a forum's pages depend on besides its
// configuration.
// A nil head leaves the record chain out; each question counts by its id,
// its events and where it stands.
func fingerprint(rounds []bot.Round, head *bot.ChainHead, qs []bot.Question, today bot.Date) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|", today)
	if head != nil {
		fmt.Fprintf(h, "%d|%s|", head.Entries, head.Hash)
	}
	for i := range qs {
		fmt.Fprintf(h, "q%d:%d:%s;", qs[i].ID, len(qs[i].Events), qs[i].Commitment())
	}
	for _, r := range rounds {
		fmt.Fprintf(h, "%d:%s:%s:%d:%d;", r.ID, r.Period, r.State, r.ClosesAt.Unix(), r.ClosedAt.Unix())
	}
	return hex.EncodeToString(h.Sum(nil))
}

// load computes the snapshot's report and latest digest once. Work
// shared by concurrent requests is not cut short by one client leaving.
func (s *Site) load(ctx context.Context, sn *snapshot) (*forumData, error) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if sn.data != nil {
		return sn.data, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.RequestTimeout)
	defer cancel()
	d := &forumData{}
	f := sn.pub.Forum
	if !sn.asOf.IsZero() {
		r, err := s.cfg.Engine.Report(ctx, f, bot.Period{}, sn.asOf)
		if err != nil {
			return nil, err
		}
		d.report = r
		latest, err := s.cfg.Engine.DigestData(ctx, f, sn.asOf, nil, "")
		if err != nil {
			return nil, err
		}
		d.latest = &latest
		for _, c := range r.Commitments {
			for _, u := range c.History {
				if u.SubmittedAt.After(d.modified) {
					d.modified = u.SubmittedAt
				}
			}
		}
	}
	for _, r := range sn.closed {
		if r.ClosedAt.After(d.modified) {
			d.modified = r.ClosedAt
		}
	}
	for _, q := range sn.questions {
		if q.AskedAt.After(d.modified) {
			d.modified = q.AskedAt
		}
		for _, ev := range q.Events {
			if ev.At.After(d.modified) {
				d.modified = ev.At
			}
		}
	}
	sn.data = d
	return d, nil
}

// digest computes the digest of a closed round's period once.
func (s *Site) digest(ctx context.Context, sn *snapshot, p bot.Period) (*bot.DigestData, error) {
	d, err := s.load(ctx, sn)
	if err != nil {
		return nil, err
	}
	if p == sn.asOf {
		return d.latest, nil
	}
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if dd := sn.digests[p]; dd != nil {
		return dd, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.RequestTimeout)
	defer cancel()
	dd, err := s.cfg.Engine.DigestData(ctx, sn.pub.Forum, p, nil, "")
	if err != nil {
		return nil, err
	}
	if sn.digests == nil {
		sn.digests = map[bot.Period]*bot.DigestData{}
	}
	sn.digests[p] = &dd
	return &dd, nil
}

// closedRound returns the forum's closed round of period p.
func (sn *snapshot) closedRound(p bot.Period) (bot.Round, bool) {
	for _, r := range sn.closed {
		if r.Period == p {
			return r, true
		}
	}
	return bot.Round{}, false
}

// modified is when anything published by the state last changed.
func (s *Site) modified(ctx context.Context, st *state, only *snapshot) (time.Time, error) {
	var last time.Time
	for _, sn := range st.order {
		if only != nil && sn != only {
			continue
		}
		d, err := s.load(ctx, sn)
		if err != nil {
			return time.Time{}, err
		}
		if d.modified.After(last) {
			last = d.modified
		}
	}
	return last, nil
}
