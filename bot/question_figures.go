package bot

import (
	"context"
	"strings"
	"time"
)

// OpenQuestion is an approved question still unanswered, as the digest and
// the report list it.
type OpenQuestion struct {
	Ref     string
	DueAt   time.Time
	Overdue bool
}

// questionsByCommitment reads forum f's questions and tallies them by
// the commitment they stand on, as of now, with the open ones listed.
func (e *Engine) questionsByCommitment(ctx context.Context, f *Forum, now time.Time) (map[string]QuestionTally, map[string][]OpenQuestion, error) {
	qs, err := e.store.Questions(ctx, QuestionFilter{ForumID: f.ID})
	if err != nil || len(qs) == 0 {
		return nil, nil, err
	}
	open := map[string][]OpenQuestion{}
	for i := range qs {
		if q := &qs[i]; q.State() == QuestionOpen {
			c := q.Commitment()
			open[c] = append(open[c], OpenQuestion{Ref: q.Ref(), DueAt: q.DueAt, Overdue: q.Overdue(now)})
		}
	}
	return TallyQuestions(qs, now), open, nil
}

// attachQuestions gives each commitment of a digest its questions' tally
// and open questions, as of now.
func (e *Engine) attachQuestions(ctx context.Context, f *Forum, cs []CommitmentDigest, now time.Time) error {
	tallies, open, err := e.questionsByCommitment(ctx, f, now)
	if err != nil {
		return err
	}
	for i := range cs {
		cs[i].Questions = tallies[cs[i].Commitment.ID]
		cs[i].OpenQuestions = open[cs[i].Commitment.ID]
	}
	return nil
}

// QuestionTallyText is a tally in one line, the same in the digest, the
// report and the site: "Questions from the public: 4 received, 2 answered
// on time, 1 late, 1 unanswered (1 overdue), 0 rejected".
func QuestionTallyText(t Texts, q QuestionTally) string {
	return t.T("question.tally", "Received", q.Received, "OnTime", q.OnTime, "Late", q.Late,
		"Unanswered", q.Unanswered, "Overdue", q.Overdue, "Rejected", q.Rejected, "Pending", q.Pending)
}

// questionLines are a commitment's lines about questions from the public
// in a digest or a report: the tally and the open questions with their
// due dates. None when it never had a question.
func questionLines(t Texts, loc *time.Location, c *CommitmentDigest) []string {
	if c.Questions.Received == 0 {
		return nil
	}
	lines := []string{QuestionTallyText(t, c.Questions)}
	if len(c.OpenQuestions) > 0 {
		items := make([]string, len(c.OpenQuestions))
		for i, q := range c.OpenQuestions {
			key := "question.list.due"
			if q.Overdue {
				key = "question.list.overdue"
			}
			items[i] = q.Ref + " (" + t.T(key, "Due", t.Date(DateOf(q.DueAt.In(loc)))) + ")"
		}
		lines = append(lines, t.T("question.open", "List", strings.Join(items, ", ")))
	}
	return lines
}
