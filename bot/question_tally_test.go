package bot_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"forumbot/bot"
)

// TestQuestionTallyAddsUp generates questions with random histories and
// holds the tally to its definitions (docs/FIGURES.md): received is the
// sum of the states; on time and late split the answered questions by
// their first answer; overdue are the unanswered past their due time; a
// moved question counts where it stands now.
func TestQuestionTallyAddsUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 15))
	t0 := time.Date(2026, time.November, 1, 9, 0, 0, 0, time.UTC)
	for run := range 300 {
		now := t0.Add(time.Duration(rng.IntN(40*24)) * time.Hour)
		var qs []bot.Question
		for i := range rng.IntN(12) {
			asked := t0.Add(time.Duration(rng.IntN(20*24)) * time.Hour)
			q := bot.Question{ID: int64(i + 1), AskedOn: []string{"C1", "C2"}[rng.IntN(2)], AskedAt: asked, DueAt: asked.Add(15 * 24 * time.Hour)}
			at := asked
			step := func() time.Time { at = at.Add(time.Duration(1+rng.IntN(10*24)) * time.Hour); return at }
			for range rng.IntN(5) {
				ev := bot.QuestionEvent{At: step()}
				switch rng.IntN(4) {
				case 0:
					ev.Kind = bot.QuestionApproved
				case 1:
					ev.Kind, ev.Reason = bot.QuestionRejected, bot.RejectReasons[rng.IntN(len(bot.RejectReasons))]
				case 2:
					ev.Kind = bot.QuestionAnswered
				case 3:
					ev.Kind, ev.Commitment = bot.QuestionReassigned, []string{"C1", "C2", "C3"}[rng.IntN(3)]
				}
				if ev.At.After(now) || bot.CheckQuestionEvent(&q, ev) != nil {
					continue
				}
				q.Events = append(q.Events, ev)
			}
			qs = append(qs, q)
		}
		tallies := bot.TallyQuestions(qs, now)
		var total bot.QuestionTally
		for c, tl := range tallies {
			if sum := tl.Pending + tl.Rejected + tl.OnTime + tl.Late + tl.Unanswered; sum != tl.Received {
				t.Fatalf("run %d, %s: %+v: the states sum to %d, not %d received", run, c, tl, sum, tl.Received)
			}
			reasons := 0
			for _, n := range tl.Reasons {
				reasons += n
			}
			if reasons != tl.Rejected || tl.Overdue > tl.Unanswered {
				t.Fatalf("run %d, %s: %+v", run, c, tl)
			}
			total = total.Add(tl)
		}
		want := bot.QuestionTally{Received: len(qs)}
		for _, q := range qs {
			switch q.State() {
			case bot.QuestionAnsweredState:
				if first := q.Answers()[0]; !first.At.After(q.DueAt) {
					want.OnTime++
				} else {
					want.Late++
				}
			case bot.QuestionOpen:
				want.Unanswered++
				if now.After(q.DueAt) {
					want.Overdue++
				}
			}
			if n := tallies[q.Commitment()].Received; n == 0 {
				t.Fatalf("run %d: %s stands on %s, which counts no question", run, q.Ref(), q.Commitment())
			}
		}
		if total.Received != want.Received || total.OnTime != want.OnTime || total.Late != want.Late || total.Unanswered != want.Unanswered || total.Overdue != want.Overdue {
			t.Fatalf("run %d: tally %+v, counted %+v", run, total, want)
		}
	}
}
