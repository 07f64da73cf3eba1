package bot

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// cmdQuestions lists the questions from the public still waiting, with
// the buttons the caller may use: coordinators see those waiting for
// their decision too; anyone who may query a commitment's status sees the
// approved ones.
func (e *Engine) cmdQuestions(ctx context.Context, t Texts, ev Event, cmd Command) Response {
	var forums []*Forum
	if cmd.Target != "" {
		f, _, problem := e.findCommitment(t, ev.From, cmd.Target, "")
		if problem != "" {
			return Response{Error: problem}
		}
		forums = []*Forum{f}
	} else {
		forums = e.forums
	}
	msg := &Message{}
	now := e.now()
	listed := 0
	for _, f := range forums {
		coordinator := f.IsCoordinator(ev.From)
		if !f.Questions.Enabled || !(coordinator || e.canSeeStatus(f, ev.From)) {
			continue
		}
		qs, err := e.store.Questions(ctx, QuestionFilter{ForumID: f.ID, Commitment: cmd.Target, Waiting: true})
		if err != nil {
			return Response{Error: e.storeError(t, err, "err.store")}
		}
		for i := range qs {
			q := &qs[i]
			c, ok := f.Plan.Commitment(q.Commitment())
			if !ok || (q.State() == QuestionPending && !coordinator) {
				continue
			}
			msg.Sections = append(msg.Sections, e.questionSection(t, f, c, q, ev.From, now))
			listed++
		}
	}
	if len(forums) == 1 && !forums[0].Questions.Enabled {
		return Response{Error: t.T("question.err.disabled", "Forum", forums[0].Name)}
	}
	if listed == 0 {
		msg.Text = t.T("question.list.none")
		return Response{Reply: msg}
	}
	msg.Header = t.N("question.list.header", listed)
	return Response{Reply: msg}
}

// questionSection is one waiting question as the list shows it to who.
func (e *Engine) questionSection(t Texts, f *Forum, c *Commitment, q *Question, who Address, now time.Time) Section {
	s := Section{Title: questionTitle(t, c, q)}
	state := q.State()
	due := t.T("question.list.due", "Due", t.Time(q.DueAt.In(f.Location)))
	if q.Overdue(now) {
		due = t.T("question.list.overdue", "Due", t.Time(q.DueAt.In(f.Location)))
	}
	s.Fields = []Field{{Label: t.T("question.field.state"), Value: t.T("question.state." + string(state))}, {Label: t.T("question.field.due"), Value: due}}
	id := strconv.FormatInt(q.ID, 10)
	switch {
	case state == QuestionPending:
		s.Text = Defang(q.Text)
		if f.IsCoordinator(who) {
			s.Buttons = []Button{
				{Label: t.T("question.approve"), Action: ActionApproveQuestion, Value: ApproveValue(q.ID), Style: StylePrimary},
				{Label: t.T("question.reject"), Action: ActionOpenForm, Value: formRejectQuestion + id},
			}
		}
	default:
		s.Text = q.Text
		if e.mayAct(t, f, c, QuestionAnswered, who) == "" {
			s.Buttons = []Button{{Label: t.T("question.respond"), Action: ActionOpenForm, Value: formAnswerQuestion + id, Style: StylePrimary}}
		}
	}
	return s
}

// cmdMove moves a question to another commitment of its forum; the
// committee of the new one is asked to answer.
func (e *Engine) cmdMove(ctx context.Context, t Texts, ev Event, cmd Command) Response {
	q, f, _, problem := e.questionOf(ctx, t, cmd.Question)
	if problem != "" {
		return Response{Error: t.T("question.err.no_question", "Ref", "Q-"+strconv.FormatInt(cmd.Question, 10))}
	}
	if !f.IsCoordinator(ev.From) {
		return Response{Error: t.T("question.err.coordinators_only", "Forum", f.Name)}
	}
	to, ok := f.Plan.Commitment(cmd.Target)
	if !ok {
		ids := make([]string, len(f.Plan.Commitments))
		for i, c := range f.Plan.Commitments {
			ids[i] = c.ID
		}
		return Response{Error: t.T("cmd.err.no_commitment_suggest", "Value", echoInput(cmd.Target), "List", strings.Join(ids, ", "))}
	}
	return e.storeQuestionEvent(ctx, t, f, to, q, QuestionEvent{Kind: QuestionReassigned, By: ev.From, At: ev.At, Commitment: to.ID, EventID: ev.ID}, MessageRef{})
}
