package bot

import (
	"context"
	"sync"
)

// promptInput loads what member m's prompt of round r shows.
func (e *Engine) promptInput(ctx context.Context, f *Forum, r Round, m Member) (promptInput, error) {
	return e.promptInputWith(ctx, f, r, m, nil)
}

// promptInputWith is promptInput reading the milestones done from a drain's
// cache, when given.
func (e *Engine) promptInputWith(ctx context.Context, f *Forum, r Round, m Member, cache *doneCache) (promptInput, error) {
	this, last, err := e.answersOf(ctx, f, r, m.Who, false)
	if err != nil {
		return promptInput{}, err
	}
	var done map[string]map[string]Period
	if cache != nil {
		done, err = cache.get(ctx, e, f, r.Period)
	} else {
		done, err = e.milestonesDone(ctx, f, r.Period, f.CommitmentsOf(m.Who))
	}
	if err != nil {
		return promptInput{}, err
	}
	return promptInput{Forum: f, Round: r, Member: m, Answers: this, Last: last, Done: done}, nil
}

// doneCache holds, for one drain, the milestones done of each forum and
// period it rendered prompts for: read once for every commitment, rather
// than once per prompt. A milestone reported done while the drain runs
// shows from the next drain on.
type doneCache struct {
	mu   sync.Mutex
	done map[doneKey]map[string]map[string]Period
}

type doneKey struct {
	forum  string
	period Period
}

// get returns the milestones done of every commitment of f by period p.
func (c *doneCache) get(ctx context.Context, e *Engine, f *Forum, p Period) (map[string]map[string]Period, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := doneKey{f.ID, p}
	if d, ok := c.done[k]; ok {
		return d, nil
	}
	cs := make([]*Commitment, len(f.Plan.Commitments))
	for i := range f.Plan.Commitments {
		cs[i] = &f.Plan.Commitments[i]
	}
	d, err := e.milestonesDone(ctx, f, p, cs)
	if err != nil {
		return nil, err
	}
	if c.done == nil {
		c.done = map[doneKey]map[string]map[string]Period{}
	}
	c.done[k] = d
	return d, nil
}

// answersOf returns a member's latest update per commitment in round r (an
// answer or a note), and their latest answer with a level per commitment
// from earlier periods: whole when full (to fill a form), else its level
// and period only (what a prompt shows). It reads the member's own rows
// only.
func (e *Engine) answersOf(ctx context.Context, f *Forum, r Round, who Address, full bool) (this, last map[string]Update, err error) {
	us, err := e.store.Updates(ctx, UpdateFilter{Member: who, RoundID: r.ID})
	if err != nil {
		return nil, nil, err
	}
	this, last = map[string]Update{}, map[string]Update{}
	for _, u := range us {
		if prev, ok := this[u.CommitmentID]; !ok || prev.Version < u.Version {
			this[u.CommitmentID] = u
		}
	}
	var ids []string
	for _, c := range f.CommitmentsOf(who) {
		ids = append(ids, c.ID)
	}
	if len(ids) == 0 {
		return this, last, nil
	}
	filter := AnswerFilter{ForumID: f.ID, Commitments: ids, Member: who}
	var before []Update
	if full {
		before, err = e.store.Standing(ctx, filter, r.Period.Prev())
	} else {
		before, err = e.store.LastLevels(ctx, filter, r.Period.Prev())
	}
	if err != nil {
		return nil, nil, err
	}
	for _, u := range before {
		last[u.CommitmentID] = u
	}
	return this, last, nil
}

// milestonesDone returns, for each of cs, the milestones reported done by
// period p and the period each first was.
func (e *Engine) milestonesDone(ctx context.Context, f *Forum, p Period, cs []*Commitment) (map[string]map[string]Period, error) {
	return e.store.MilestonesDone(ctx, f.ID, milestoneKeys(cs), p)
}

// milestoneKeys names the milestones of cs.
func milestoneKeys(cs []*Commitment) []MilestoneKey {
	var keys []MilestoneKey
	for _, c := range cs {
		for _, m := range c.Milestones {
			keys = append(keys, MilestoneKey{c.ID, m.ID})
		}
	}
	return keys
}
