package bot

import (
	"context"
	"runtime/debug"
	"strings"
)

// HandleEvent implements Handler: it acts on what a person did and says what
// to show them. Answers are stored before anything confirms them. A panic
// is logged with its stack and answered with an apology in the person's
// language, which says nothing of what was or was not recorded: the panic
// may have come after the store.
func (e *Engine) HandleEvent(ctx context.Context, ev Event) (resp Response) {
	defer func() {
		if p := recover(); p != nil {
			e.log.Error("panic handling an event", "kind", ev.Kind, "event", ev.ID, "panic", p, "stack", string(debug.Stack()))
			resp = Response{Error: e.textsFor(ev.From).T("err.internal")}
		}
	}()
	if ev.At.IsZero() {
		ev.At = e.now()
	}
	switch ev.Kind {
	case EventButton:
		return e.onButton(ctx, ev)
	case EventForm:
		return e.onForm(ctx, ev)
	case EventReply:
		return e.onReply(ctx, ev)
	case EventCommand:
		return e.onCommand(ctx, ev)
	case EventAutocomplete:
		return e.onAutocomplete(ev)
	}
	return Response{Error: e.textsFor(ev.From).T("err.unknown_event")}
}

// textsFor returns the texts in the locale of a person: their member locale,
// else their forum's, else English.
func (e *Engine) textsFor(who Address) Texts {
	for _, f := range e.forums {
		if _, ok := f.Member(who); ok {
			return e.Texts(f.LocaleOf(who))
		}
	}
	for _, f := range e.forums {
		if f.IsCoordinator(who) || f.IsOfficial(who) {
			return e.Texts(f.Locale)
		}
	}
	return e.Texts("en")
}

// formTarget resolves what a button or a form refers to: the round, its
// forum and a commitment on whose committee the person sits.
func (e *Engine) formTarget(ctx context.Context, t Texts, ref string, who Address) (Round, *Forum, *Commitment, Member, string) {
	fr, err := ParseFormRef(ref)
	if err != nil {
		return Round{}, nil, nil, Member{}, t.T("err.stale_form")
	}
	r, err := e.store.RoundByID(ctx, fr.RoundID)
	if err != nil {
		return Round{}, nil, nil, Member{}, e.storeError(t, err, "err.stale_form")
	}
	f, ok := e.byID[r.ForumID]
	if !ok {
		return Round{}, nil, nil, Member{}, t.T("err.stale_form")
	}
	if r.State == RoundVoided {
		return Round{}, nil, nil, Member{}, t.T("err.round_voided", "Period", t.Period(r.Period))
	}
	c, ok := f.Plan.Commitment(fr.CommitmentID)
	if !ok {
		return Round{}, nil, nil, Member{}, t.T("err.stale_form")
	}
	for _, m := range c.Committee {
		if m.Who == who {
			return r, f, c, m, ""
		}
	}
	return Round{}, nil, nil, Member{}, t.T("err.not_on_committee", "ID", c.ID)
}

// storeError turns a store failure into a message: notFoundKey when the
// thing is gone, a generic "nothing was recorded" otherwise.
func (e *Engine) storeError(t Texts, err error, notFoundKey string) string {
	if ErrorCode(err) == ENOTFOUND {
		return t.T(notFoundKey)
	}
	e.log.Error("store", "err", err)
	return t.T("err.store")
}

func (e *Engine) onButton(ctx context.Context, ev Event) Response {
	t := e.textsFor(ev.From)
	if ev.Action == ActionApproveQuestion || (ev.Action == ActionOpenForm && isQuestionForm(ev.Value)) {
		return e.onQuestionButton(ctx, t, ev)
	}
	if ev.Action != ActionOpenForm {
		return Response{Error: t.T("err.unknown_action")}
	}
	r, f, c, m, problem := e.formTarget(ctx, t, ev.Value, ev.From)
	if problem != "" {
		return Response{Error: problem}
	}
	form, err := e.formFor(ctx, f, r, c, m)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.stale_form")}
	}
	return Response{Form: &form}
}

// formFor builds a member's form for one commitment in round r.
func (e *Engine) formFor(ctx context.Context, f *Forum, r Round, c *Commitment, m Member) (Form, error) {
	this, last, err := e.answersOf(ctx, f, r, m.Who, true)
	if err != nil {
		return Form{}, err
	}
	t := e.Texts(f.LocaleOf(m.Who))
	if u, ok := this[c.ID]; ok {
		return renderForm(t, FormRef{r.ID, c.ID}, c, &u, true), nil
	}
	if u, ok := last[c.ID]; ok {
		return renderForm(t, FormRef{r.ID, c.ID}, c, &u, false), nil
	}
	return renderForm(t, FormRef{r.ID, c.ID}, c, nil, false), nil
}

func (e *Engine) onForm(ctx context.Context, ev Event) Response {
	t := e.textsFor(ev.From)
	if isQuestionForm(ev.FormRef) {
		return e.onQuestionForm(ctx, t, ev)
	}
	r, f, c, m, problem := e.formTarget(ctx, t, ev.FormRef, ev.From)
	if problem != "" {
		return Response{Error: problem}
	}
	u, errs := parseForm(t, c, ev.Values)
	if errs != nil {
		return Response{FieldErrors: errs}
	}
	u.Source = SourceForm
	stored, err := e.addUpdate(ctx, f, r, c, m, u, ev)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.stale_form")}
	}
	return Response{
		Reply: &Message{Text: confirmation(t, c, stored)},
		FollowUp: e.refresh(func(ctx context.Context) *Edit {
			return e.promptEdit(ctx, f, r, m, ev.MessageRef)
		}),
	}
}

func confirmation(t Texts, c *Commitment, u Update) string {
	if u.Correction {
		return t.T("form.recorded_correction", "ID", c.ID, "Level", t.Level(u.Completion))
	}
	return t.T("form.recorded", "ID", c.ID, "Level", t.Level(u.Completion))
}

// addUpdate completes u with who, where and when, and stores it as the next
// version of the member's update. After the round closed it is a correction.
func (e *Engine) addUpdate(ctx context.Context, f *Forum, r Round, c *Commitment, m Member, u Update, ev Event) (Update, error) {
	u.ForumID, u.Period, u.RoundID, u.CommitmentID = f.ID, r.Period, r.ID, c.ID
	u.Member, u.Group, u.Organisation = m.Who, m.Group, m.Organisation
	u.SubmittedAt, u.EventID = ev.At, ev.ID
	u.Correction = r.State == RoundClosed
	stored, _, err := e.store.AddUpdate(ctx, u)
	return stored, err
}

// promptEdit re-renders the message an answer came from (or the member's
// prompt) so that it shows what was recorded. It returns nil when there is
// no sent message to edit. r is the round as the answer found it. The
// message an event says it came from is only trusted when the bot sent it
// to the member, for this forum and round: an event naming another
// person's prompt edits the member's own.
func (e *Engine) promptEdit(ctx context.Context, f *Forum, r Round, m Member, from MessageRef) *Edit {
	d, err := e.store.DeliveryByKey(ctx, promptKey(f.ID, r, m.Who))
	if !from.IsZero() && (err != nil || d.Ref != from) {
		byRef, err2 := e.store.DeliveryByRef(ctx, from)
		if err2 == nil && byRef.To == m.Who && byRef.ForumID == f.ID && byRef.RoundID == r.ID {
			d, err = byRef, nil
		}
	}
	if err != nil || d.Ref.IsZero() {
		return nil
	}
	in, err := e.promptInput(ctx, f, r, m)
	if err != nil {
		return nil
	}
	in.Reminder = d.Kind == KindReminder
	return &Edit{Ref: d.Ref, Message: renderPrompt(e.Texts(f.LocaleOf(m.Who)), in)}
}

func (e *Engine) onAutocomplete(ev Event) Response {
	typed := strings.ToLower(strings.TrimSpace(ev.Text))
	var out []Option
	for _, f := range e.forums {
		if !e.canSeeStatus(f, ev.From) {
			continue
		}
		for _, c := range f.Plan.Commitments {
			if typed == "" || strings.Contains(strings.ToLower(c.ID+" "+c.Title), typed) {
				out = append(out, Option{Value: c.ID, Label: OneLine(c.ID+" · "+c.Title, 100, "…")})
			}
			if len(out) == 25 {
				return Response{Choices: out}
			}
		}
	}
	return Response{Choices: out}
}
