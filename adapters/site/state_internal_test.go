package site

import (
	"context"
	"testing"
	"time"

	"forumbot/bot"
)

// record is the part of the store the site looks at to decide whether
// its pages are current: a forum's rounds and the head of its record.
type record struct {
	bot.Store
	rounds    []bot.Round
	head      bot.ChainHead
	questions []bot.Question
}

func (r *record) Rounds(context.Context, string) ([]bot.Round, error) { return r.rounds, nil }
func (r *record) ChainHead(context.Context, string) (bot.ChainHead, error) {
	return r.head, nil
}
func (r *record) Questions(context.Context, bot.QuestionFilter) ([]bot.Question, error) {
	return r.questions, nil
}

// TestAnswersDoNotRecomputeThePages: answers stored while a round is open
// do not change what is published, so they do not make the site
// recompute a forum's report on the next request; a correction shows
// once Amendments has passed, and a round closing or a new day shows at
// once. A question asked, approved or answered follows the same rule as
// an answer.
func TestAnswersDoNotRecomputeThePages(t *testing.T) {
	now := time.Date(2026, time.November, 10, 12, 0, 0, 0, time.UTC)
	f := &bot.Forum{ID: "f1", Location: time.UTC}
	rec := &record{
		rounds: []bot.Round{{ID: 1, ForumID: "f1", Period: bot.Period{Year: 2026, Month: time.October}, State: bot.RoundClosed},
			{ID: 2, ForumID: "f1", Period: bot.Period{Year: 2026, Month: time.November}, State: bot.RoundOpen}},
		head: bot.ChainHead{Entries: 10, Hash: "a"},
	}
	s := &Site{cfg: Config{Store: rec, Forums: []Forum{{Forum: f}}, Now: func() time.Time { return now }, Amendments: 10 * time.Minute}}
	ctx := context.Background()
	first, err := s.look(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	step := func(what string, d time.Duration, change func(), wantSame bool) {
		t.Helper()
		now = now.Add(d)
		change()
		next, err := s.look(ctx, first)
		if err != nil {
			t.Fatal(err)
		}
		if same := next.snaps["f1"] == first.snaps["f1"]; same != wantSame {
			t.Errorf("%s: snapshot kept %v, want %v", what, same, wantSame)
		}
		first = next
	}
	step("an answer to the open round", time.Minute, func() { rec.head = bot.ChainHead{Entries: 11, Hash: "b"} }, true)
	step("more answers, 8 minutes on", 8*time.Minute, func() { rec.head = bot.ChainHead{Entries: 40, Hash: "c"} }, true)
	step("11 minutes after the pages were made", 2*time.Minute, func() {}, false)
	step("nothing new", time.Minute, func() {}, true)
	q := bot.Question{ID: 1, ForumID: "f1", AskedOn: "C1", AskedAt: now}
	step("a question asked", time.Minute, func() { rec.questions = []bot.Question{q} }, true)
	step("the question approved", time.Minute, func() {
		q.Events = []bot.QuestionEvent{{Kind: bot.QuestionApproved, At: now}}
		rec.questions = []bot.Question{q}
	}, true)
	step("10 minutes after the question was asked", 9*time.Minute, func() {}, false)
	step("nothing new again", time.Minute, func() {}, true)
	step("the round closes", time.Minute, func() { rec.rounds[1].State = bot.RoundClosed }, false)
	step("a new day", 24*time.Hour, func() {}, false)
}
