package bot

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
)

// QuestionPolicy is how a forum takes questions from the public.
type QuestionPolicy struct {
	// Enabled lets the public site take questions on the forum's
	// commitments.
	Enabled bool
	// Deadline is how long after it is asked a question is due.
	Deadline time.Duration
	// RemindBefore are offsets before the due time at which the committee
	// is reminded of an unanswered question, longest first.
	RemindBefore []time.Duration
	// SendTo says who an approved question goes to first.
	SendTo QuestionRecipients
	// KeepContacts is how long an asker's e-mail address is kept after
	// the question is closed (answered or rejected).
	KeepContacts time.Duration
}

// QuestionRecipients says who an approved question goes to first.
type QuestionRecipients string

// Question recipients.
const (
	// SendToLeads: the committee's chairs and the members of the lead
	// agency; the whole committee when it has neither.
	SendToLeads QuestionRecipients = "leads"
	// SendToCommittee: every member of the committee.
	SendToCommittee QuestionRecipients = "committee"
)

// Question defaults: a deadline many access-to-information laws set,
// reminders five days and one day before it, a month of keeping an
// address after the question closes.
const (
	DefaultQuestionDeadline = 15 * 24 * time.Hour
	DefaultKeepContacts     = 30 * 24 * time.Hour
	// MaxQuestionLen bounds a question, in characters.
	MaxQuestionLen = 1000
	// MaxAnswerLen bounds an answer, in characters.
	MaxAnswerLen  = 3000
	maxAskerName  = 100
	maxRejectNote = 300
)

// DefaultRemindBefore are the reminders before a question is due.
var DefaultRemindBefore = []time.Duration{5 * 24 * time.Hour, 24 * time.Hour}

// Actions and form references of the question flow.
const (
	// ActionApproveQuestion approves a question; Value is ApproveValue.
	ActionApproveQuestion = "question_approve"
	approveQuestion       = "qp:"
	formRejectQuestion    = "qr:"
	formAnswerQuestion    = "qa:"
)

// Asking is what a visitor typed into a commitment's question form.
type Asking struct {
	ForumID, Commitment string
	Text                string
	Name, Organisation  string
	PublishName         bool
	// Email, when set, receives a notice when the question is answered.
	Email string
	// Locale is the language of the page the visitor asked on.
	Locale string
}

// Ask validates and stores a question, then tells the forum's
// coordinators that it waits for their decision. It returns the field
// errors, in the asker's language, when the asking is refused (nothing is
// stored), and an error when the store failed.
func (e *Engine) Ask(ctx context.Context, a Asking) (Question, map[string]string, error) {
	f, ok := e.byID[a.ForumID]
	if !ok || !f.Questions.Enabled {
		return Question{}, nil, Errorf(ENOTFOUND, "forum %q takes no questions", a.ForumID)
	}
	c, ok := f.Plan.Commitment(a.Commitment)
	if !ok {
		return Question{}, nil, Errorf(ENOTFOUND, "forum %q has no commitment %q", a.ForumID, a.Commitment)
	}
	if !slices.Contains(Locales(), a.Locale) {
		a.Locale = f.Locale
	}
	t := e.Texts(a.Locale)
	errs := map[string]string{}
	text := checkText(t, errs, "question", strings.TrimSpace(Sanitize(a.Text, 0, "")), MaxQuestionLen, true)
	name := checkText(t, errs, "name", OneLine(a.Name, 0, ""), maxAskerName, false)
	org := checkText(t, errs, "organisation", OneLine(a.Organisation, 0, ""), maxAskerName, false)
	if a.PublishName && name == "" && org == "" {
		errs["publish"] = t.T("question.err.publish_nothing")
	}
	email := strings.TrimSpace(a.Email)
	if !e.EmailsAskers() {
		email = "" // no notice could be sent: the address is not kept
	}
	if email != "" {
		if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > 254 {
			errs["email"] = t.T("question.err.email")
		}
	}
	if len(errs) > 0 {
		return Question{}, errs, nil
	}
	now := e.now()
	q, err := e.store.AddQuestion(ctx, Question{
		ForumID: f.ID, AskedOn: c.ID, Text: text, Name: name, Organisation: org,
		PublishName: a.PublishName, Locale: t.Locale(), AskedAt: now, DueAt: now.Add(f.Questions.Deadline),
	}, email)
	if err != nil {
		return Question{}, nil, err
	}
	if err := e.questionNotices(ctx, f, &q, now); err != nil {
		// The question is stored; the next tick sends what this missed.
		e.log.Error("question notices", "question", q.Ref(), "err", err)
	}
	return q, nil, nil
}

// tickQuestions sends what the waiting questions of forum f are owed:
// their moderation, the request to the committee, reminders and the
// overdue notice. Every notice is keyed, so that a tick after a crash
// sends what was missed and nothing twice. Once an hour it also looks at
// the answered questions, for the askers' notices, and forgets the
// addresses whose time is up.
func (e *Engine) tickQuestions(ctx context.Context, f *Forum, now time.Time) error {
	if !f.Questions.Enabled {
		return nil
	}
	full := now.Sub(e.questionSweep[f.ID]) >= time.Hour
	qs, err := e.store.Questions(ctx, QuestionFilter{ForumID: f.ID, Waiting: !full})
	if err != nil {
		return err
	}
	for i := range qs {
		if err := e.questionNotices(ctx, f, &qs[i], now); err != nil {
			return err
		}
	}
	if full {
		if _, err := e.store.ForgetContacts(ctx, f.ID, now.Add(-f.Questions.KeepContacts)); err != nil {
			return err
		}
		e.questionSweep[f.ID] = now
	}
	return nil
}

// questionNotices stores the notices question q is owed at now.
func (e *Engine) questionNotices(ctx context.Context, f *Forum, q *Question, now time.Time) error {
	c, ok := f.Plan.Commitment(q.Commitment())
	if !ok {
		return nil // the commitment left the plan; the coordinators move it
	}
	switch q.State() {
	case QuestionPending:
		return e.notice(ctx, f, QuestionKey(q.ID, "moderate"), now, f.Coordinators, func(t Texts) Message {
			return moderationMessage(t, f, c, q)
		})
	case QuestionOpen:
		if err := e.notice(ctx, f, QuestionKey(q.ID, "ask/"+c.ID), now, firstRecipients(f, c), func(t Texts) Message {
			return requestMessage(t, c, q, t.T("question.request.header", "Ref", q.Ref(), "Due", t.Time(q.DueAt.In(f.Location))))
		}); err != nil {
			return err
		}
		if now.After(q.DueAt) {
			to := append(committeeOf(c), f.Coordinators...)
			return e.notice(ctx, f, QuestionKey(q.ID, "overdue/"+c.ID), now, to, func(t Texts) Message {
				return requestMessage(t, c, q, t.T("question.overdue.header", "Ref", q.Ref(), "Due", t.Time(q.DueAt.In(f.Location))))
			})
		}
		for i, before := range f.Questions.RemindBefore {
			if now.Before(q.DueAt.Add(-before)) {
				continue
			}
			// Only the last reminder due is sent: a question approved late
			// does not get all of them at once.
			if i+1 < len(f.Questions.RemindBefore) && !now.Before(q.DueAt.Add(-f.Questions.RemindBefore[i+1])) {
				continue
			}
			return e.notice(ctx, f, QuestionKey(q.ID, fmt.Sprintf("remind/%d/%s", i, c.ID)), now, committeeOf(c), func(t Texts) Message {
				return requestMessage(t, c, q, t.T("question.remind.header", "Ref", q.Ref(), "Due", t.Time(q.DueAt.In(f.Location))))
			})
		}
	case QuestionAnsweredState:
		if !q.HasContact || !e.EmailsAskers() {
			return nil
		}
		contact, err := e.store.QuestionContact(ctx, q.ID)
		if err != nil || contact == "" {
			return err
		}
		t := e.Texts(q.Locale)
		for n, a := range q.Answers() {
			key := QuestionKey(q.ID, "answered/"+strconv.Itoa(n+1))
			msg := askerMessage(t, f, c, q, a)
			added, err := e.store.AddNotice(ctx, Notice{Key: key, ForumID: f.ID, CreatedAt: now, Message: msg}, []Address{Address("email:" + contact)})
			if err != nil {
				return err
			}
			if added {
				e.kick()
			}
		}
	}
	return nil
}

// EmailsAskers reports whether an asker who leaves an e-mail address can
// be told of answers: whether e-mail is configured. A form asks for the
// address only then.
func (e *Engine) EmailsAskers() bool { return e.chats["email"] != nil }

// notice stores one notice about a question to each recipient, in the
// recipient's language: one notice per language, keyed by it.
func (e *Engine) notice(ctx context.Context, f *Forum, key string, now time.Time, to []Address, render func(Texts) Message) error {
	byLocale := map[string][]Address{}
	var locales []string
	for _, who := range to {
		l := f.LocaleOf(who)
		if byLocale[l] == nil {
			locales = append(locales, l)
		}
		byLocale[l] = append(byLocale[l], who)
	}
	for _, l := range locales {
		n := Notice{Key: key + "/" + l, ForumID: f.ID, CreatedAt: now, Message: render(e.Texts(l))}
		added, err := e.store.AddNotice(ctx, n, byLocale[l])
		if err != nil {
			return err
		}
		if added {
			e.kick()
		}
	}
	return nil
}

// committeeOf returns the addresses of a commitment's committee.
func committeeOf(c *Commitment) []Address {
	out := make([]Address, len(c.Committee))
	for i, m := range c.Committee {
		out[i] = m.Who
	}
	return out
}

// firstRecipients returns who an approved question goes to first.
func firstRecipients(f *Forum, c *Commitment) []Address {
	if f.Questions.SendTo == SendToCommittee {
		return committeeOf(c)
	}
	var out []Address
	for _, m := range c.Committee {
		if m.Role == Chair || (c.LeadAgency != "" && strings.EqualFold(m.Organisation, c.LeadAgency)) {
			out = append(out, m.Who)
		}
	}
	if len(out) == 0 {
		return committeeOf(c)
	}
	return out
}

func questionTitle(t Texts, c *Commitment, q *Question) string {
	return q.Ref() + " · " + c.ID + " · " + OneLine(c.Title, maxEchoShort, "…")
}

// askerLine says who asked, as coordinators see it: the name and
// organisation, and whether the asker agreed to publish them.
func askerLine(t Texts, q *Question) string {
	who := strings.Trim(q.Name+" · "+q.Organisation, " ·")
	switch {
	case who == "":
		return t.T("question.asker.anonymous")
	case q.PublishName:
		return t.T("question.asker.public", "Who", who)
	}
	return t.T("question.asker.private", "Who", who)
}

// moderationMessage asks the coordinators to approve or reject q. The
// question is shown with its links defanged: nothing in it is vetted yet.
func moderationMessage(t Texts, f *Forum, c *Commitment, q *Question) Message {
	return Message{
		Header: t.T("question.moderate.header", "Forum", f.Name),
		Sections: []Section{{
			Title: questionTitle(t, c, q),
			Text:  Defang(q.Text),
			Fields: []Field{
				{Label: t.T("question.field.asked"), Value: t.Time(q.AskedAt.In(f.Location))},
				{Label: t.T("question.field.due"), Value: t.Time(q.DueAt.In(f.Location))},
				{Label: t.T("question.field.asker"), Value: askerLine(t, q)},
			},
		}},
		Buttons: []Button{
			{Label: t.T("question.approve"), Action: ActionApproveQuestion, Value: ApproveValue(q.ID), Style: StylePrimary},
			{Label: t.T("question.reject"), Action: ActionOpenForm, Value: formRejectQuestion + strconv.FormatInt(q.ID, 10)},
		},
		Footer: t.T("question.moderate.footer"),
	}
}

// requestMessage asks the committee to answer q; header says whether it
// is the first request, a reminder or the overdue notice.
func requestMessage(t Texts, c *Commitment, q *Question, header string) Message {
	return Message{
		Header: header,
		Sections: []Section{{
			Title: questionTitle(t, c, q),
			Text:  q.Text,
			Buttons: []Button{{
				Label: t.T("question.respond"), Action: ActionOpenForm, Value: formAnswerQuestion + strconv.FormatInt(q.ID, 10), Style: StylePrimary,
			}},
		}},
		Footer: t.T("question.request.footer"),
	}
}

// askerMessage tells the asker of an answer.
func askerMessage(t Texts, f *Forum, c *Commitment, q *Question, a QuestionEvent) Message {
	msg := Message{
		Header: t.T("question.answered.header", "Ref", q.Ref(), "Forum", f.Name),
		Text:   t.T("question.answered.text", "Organisation", a.Organisation, "Group", t.Group(a.Group), "ID", c.ID),
		Sections: []Section{
			{Title: t.T("question.field.question"), Text: q.Text},
			{Title: t.T("question.field.answer"), Text: a.Text},
		},
		Footer: t.T("question.answered.footer"),
	}
	if len(a.Evidence) > 0 {
		msg.Sections = append(msg.Sections, Section{Title: t.T("form.evidence"), Text: strings.Join(a.Evidence, "\n")})
	}
	return msg
}

// questionRefs are the prefixes of the question flow's button values and
// form references ("qa:12"), and what each does to the question.
var questionRefs = []struct {
	prefix string
	kind   QuestionEventKind
}{{approveQuestion, QuestionApproved}, {formRejectQuestion, QuestionRejected}, {formAnswerQuestion, QuestionAnswered}}

// parseQuestionRef reads a button value or form reference of the question
// flow: what it does, and to which question.
func parseQuestionRef(ref string) (QuestionEventKind, int64, bool) {
	for _, r := range questionRefs {
		if rest, ok := strings.CutPrefix(ref, r.prefix); ok {
			id, err := strconv.ParseInt(rest, 10, 64)
			return r.kind, id, err == nil && id > 0
		}
	}
	return "", 0, false
}

// questionTarget resolves what a button value or form reference of the
// question flow does, to which question, with its forum and the commitment
// it stands on, and says why who may not do it, if so.
func (e *Engine) questionTarget(ctx context.Context, t Texts, ref string, who Address) (QuestionEventKind, *Question, *Forum, *Commitment, string) {
	kind, id, ok := parseQuestionRef(ref)
	if !ok {
		return "", nil, nil, nil, t.T("err.stale_form")
	}
	q, f, c, problem := e.questionOf(ctx, t, id)
	if problem == "" {
		problem = e.mayAct(t, f, c, kind, who)
	}
	return kind, q, f, c, problem
}

// questionOf resolves question id, with its forum and the commitment it
// stands on.
func (e *Engine) questionOf(ctx context.Context, t Texts, id int64) (*Question, *Forum, *Commitment, string) {
	q, err := e.store.Question(ctx, id)
	if err != nil {
		return nil, nil, nil, e.storeError(t, err, "err.stale_form")
	}
	f, ok := e.byID[q.ForumID]
	if !ok {
		return nil, nil, nil, t.T("err.stale_form")
	}
	c, ok := f.Plan.Commitment(q.Commitment())
	if !ok {
		return nil, nil, nil, t.T("err.stale_form")
	}
	return &q, f, c, ""
}

// onQuestionButton answers the buttons of the question flow: Approve, and
// the buttons that open the reject and answer forms.
func (e *Engine) onQuestionButton(ctx context.Context, t Texts, ev Event) Response {
	kind, q, f, c, problem := e.questionTarget(ctx, t, ev.Value, ev.From)
	if problem != "" {
		return Response{Error: problem}
	}
	if err := q.check(QuestionEvent{Kind: kind}); err != nil {
		return e.refusal(t, q, kind)
	}
	switch kind {
	case QuestionRejected:
		return Response{Form: rejectForm(t, q)}
	case QuestionAnswered:
		return Response{Form: answerForm(t, c, q)}
	}
	return e.storeQuestionEvent(ctx, t, f, c, q, QuestionEvent{Kind: QuestionApproved, By: ev.From, At: ev.At, EventID: ev.ID}, ev.MessageRef)
}

// mayAct says why who may not do kind to q, or "".
func (e *Engine) mayAct(t Texts, f *Forum, c *Commitment, kind QuestionEventKind, who Address) string {
	switch kind {
	case QuestionAnswered:
		for _, m := range c.Committee {
			if m.Who == who {
				return ""
			}
		}
		return t.T("err.not_on_committee", "ID", c.ID)
	default:
		if !f.IsCoordinator(who) {
			return t.T("question.err.coordinators_only", "Forum", f.Name)
		}
	}
	return ""
}

func rejectForm(t Texts, q *Question) *Form {
	reasons := make([]Option, len(RejectReasons))
	for i, r := range RejectReasons {
		reasons[i] = Option{Value: string(r), Label: t.T("question.reason." + string(r))}
	}
	texts := t.FormTexts()
	texts.ChooseLevel = t.T("form.step.choose_level", "Field", t.T("question.field.reason"))
	return &Form{
		Ref: formRejectQuestion + strconv.FormatInt(q.ID, 10), Title: t.T("question.reject.title", "Ref", q.Ref()),
		Submit: t.T("question.reject"), Texts: texts,
		Fields: []FormField{
			{Name: "reason", Label: t.T("question.field.reason"), Kind: FieldSelect, Required: true, Options: reasons},
			{Name: "note", Label: t.T("question.field.note"), Kind: FieldText, MaxLen: maxRejectNote, Hint: t.T("question.note.hint")},
		},
	}
}

func answerForm(t Texts, c *Commitment, q *Question) *Form {
	return &Form{
		Ref: formAnswerQuestion + strconv.FormatInt(q.ID, 10), Title: t.T("question.answer.title", "Ref", q.Ref()),
		Submit: t.T("question.answer.submit"), Texts: t.FormTexts(),
		Fields: []FormField{
			{Name: "answer", Label: t.T("question.field.answer"), Kind: FieldLongText, Required: true, MaxLen: MaxAnswerLen,
				Hint: OneLine(q.Text, 140, "…")},
			{Name: FieldEvidence, Label: t.T("form.evidence"), Kind: FieldLongText, MaxLen: MaxEvidence, Hint: t.T("form.evidence.hint")},
		},
	}
}

// ApproveValue is the value of the Approve button of question id: unique
// among the buttons of every message, like a form reference.
func ApproveValue(id int64) string { return approveQuestion + strconv.FormatInt(id, 10) }

// isQuestionForm says a form reference belongs to the question flow.
func isQuestionForm(ref string) bool {
	return strings.HasPrefix(ref, formRejectQuestion) || strings.HasPrefix(ref, formAnswerQuestion)
}

// IsFormRef reports whether ref is the reference of a form the engine
// opens: an update form (FormRef) or a form of the question flow. An
// adapter that carries a reference outside the platform (a link in an
// e-mail) checks it with IsFormRef.
func IsFormRef(ref string) bool {
	if _, err := ParseFormRef(ref); err == nil {
		return true
	}
	kind, _, ok := parseQuestionRef(ref)
	return ok && kind != QuestionApproved
}

// onQuestionForm stores a rejection or an answer.
func (e *Engine) onQuestionForm(ctx context.Context, t Texts, ev Event) Response {
	kind, q, f, c, problem := e.questionTarget(ctx, t, ev.FormRef, ev.From)
	if problem != "" {
		return Response{Error: problem}
	}
	reject := kind == QuestionRejected
	qe := QuestionEvent{Kind: kind, By: ev.From, At: ev.At, EventID: ev.ID}
	first := func(name string) string {
		if v := ev.Values[name]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	errs := map[string]string{}
	if reject {
		r, err := ParseRejectReason(first("reason"))
		if err != nil {
			errs["reason"] = t.T("question.err.reason", "List", reasonList(t))
		}
		qe.Reason = r
		qe.Text = checkText(t, errs, "note", OneLine(first("note"), 0, ""), maxRejectNote, false)
	} else {
		m, _ := f.Member(ev.From)
		for _, cm := range c.Committee {
			if cm.Who == ev.From {
				m = cm
			}
		}
		qe.Group, qe.Organisation = m.Group, m.Organisation
		qe.Text = checkText(t, errs, "answer", strings.TrimSpace(Sanitize(first("answer"), 0, "")), MaxAnswerLen, true)
		qe.Evidence = parseLinks(t, errs, checkText(t, errs, FieldEvidence, first(FieldEvidence), MaxEvidence, false))
	}
	if len(errs) > 0 {
		return Response{FieldErrors: errs}
	}
	return e.storeQuestionEvent(ctx, t, f, c, q, qe, ev.MessageRef)
}

func reasonList(t Texts) string {
	names := make([]string, len(RejectReasons))
	for i, r := range RejectReasons {
		names[i] = t.T("question.reason." + string(r))
	}
	return strings.Join(names, ", ")
}

// refusal says why an event of kind cannot follow q as it stands.
func (e *Engine) refusal(t Texts, q *Question, kind QuestionEventKind) Response {
	if d, ok := q.Decision(); ok && (kind == QuestionApproved || kind == QuestionRejected) {
		return Response{Error: t.T("question.err.decided", "Ref", q.Ref(), "Decision", t.T("question.state."+string(d.Kind)))}
	}
	return Response{Error: t.T("question.err.state", "Ref", q.Ref(), "State", t.T("question.state."+string(q.State())))}
}

// storeQuestionEvent stores qe and confirms it; the notices it makes due
// (the request to the committee, the asker's notice) are stored at once.
// On the message it came from, a decision replaces the buttons with who
// decided.
func (e *Engine) storeQuestionEvent(ctx context.Context, t Texts, f *Forum, c *Commitment, q *Question, qe QuestionEvent, from MessageRef) Response {
	qe.QuestionID = q.ID
	stored, _, err := e.store.AddQuestionEvent(ctx, qe)
	if ErrorCode(err) == ECONFLICT && qe.Kind == QuestionReassigned && q.Commitment() == qe.Commitment {
		return Response{Error: t.T("question.err.already_there", "Ref", q.Ref(), "ID", qe.Commitment)}
	}
	if ErrorCode(err) == ECONFLICT {
		// Someone else acted first: say what the question became.
		if latest, err2 := e.store.Question(ctx, q.ID); err2 == nil {
			return e.refusal(t, &latest, qe.Kind)
		}
	}
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.stale_form")}
	}
	if err := e.questionNotices(ctx, f, &stored, e.now()); err != nil {
		e.log.Error("question notices", "question", q.Ref(), "err", err)
	}
	var reply string
	switch qe.Kind {
	case QuestionApproved:
		reply = t.T("question.approved", "Ref", q.Ref(), "ID", c.ID)
	case QuestionRejected:
		reply = t.T("question.rejected", "Ref", q.Ref(), "Reason", t.T("question.reason."+string(qe.Reason)))
	case QuestionAnswered:
		reply = t.T("question.answer.recorded", "Ref", q.Ref())
	case QuestionReassigned:
		reply = t.T("question.moved", "Ref", q.Ref(), "ID", qe.Commitment)
	}
	resp := Response{Reply: &Message{Text: reply}}
	if !from.IsZero() && (qe.Kind == QuestionApproved || qe.Kind == QuestionRejected) {
		msg := moderationMessage(t, f, c, &stored)
		msg.Buttons = nil
		msg.Footer = reply
		resp.Edit = &Edit{Ref: from, Message: msg}
	}
	return resp
}
