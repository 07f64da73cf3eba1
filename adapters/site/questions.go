package site

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"forumbot/bot"
)

// What the pages publish of the questions from the public. The counts are
// bot.TallyQuestions's, never counted again here. Of a question, only an
// approved one's text is published, with its answers: the answering
// organisation and group, never the member. The asker's name and
// organisation only when they ticked the box; their e-mail address never
// (the store keeps it apart and no Question carries it). Nothing typed
// by the public or an answer becomes a link: html/template escapes it and
// the templates write links as text.

// questionsView is a commitment's questions as its page shows them.
type questionsView struct {
	// Ask links to the question form; empty when the forum takes no
	// questions.
	Ask       string
	Counts    []countRow
	Published []questionView
}

// countRow is one count of a tally, labelled.
type countRow struct {
	Label, Value string
}

// questionView is a published question.
type questionView struct {
	Ref, Anchor, Href string
	// Meta says when it was asked, where it stands and when the answer
	// is due.
	Meta string
	// Asker names who asked, when they agreed to publish it.
	Asker   string
	Text    []string
	Answers []answerView
}

// answerView is one answer, as published.
type answerView struct {
	Date, Who, Late string
	Text            []string
	Evidence        []string
}

// published says whether q's text is published: approved, and not
// rejected since.
func published(q *bot.Question) bool {
	s := q.State()
	return s == bot.QuestionOpen || s == bot.QuestionAnsweredState
}

// paragraphs splits a text into its paragraphs, trimmed.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// dynHref is the address of a page serve makes on request (the question
// form, a question's permalink), rel from the site's root: absolute under
// the site's public address when it has one, so that an exported copy of
// a page links to the served site; relative otherwise.
func (s *Site) dynHref(l *Layout, rel string) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL + rel
	}
	return l.Root + rel
}

// questionsOf returns a commitment's questions in the snapshot, oldest
// first.
func questionsOf(sn *snapshot, id string) []*bot.Question {
	var out []*bot.Question
	for i := range sn.questions {
		if sn.questions[i].Commitment() == id {
			out = append(out, &sn.questions[i])
		}
	}
	return out
}

// countRows labels a tally: received, answered on time and late,
// unanswered and overdue of them, awaiting moderation, rejected by
// reason.
func countRows(l *Layout, tl bot.QuestionTally) []countRow {
	t := l.t
	rows := []countRow{
		{t.T("site.questions.received"), l.Num(tl.Received)},
		{t.T("site.questions.on_time"), l.Num(tl.OnTime)},
		{t.T("site.questions.late"), l.Num(tl.Late)},
		{t.T("site.questions.unanswered"), t.T("site.questions.unanswered_value", "N", l.Num(tl.Unanswered), "Overdue", l.Num(tl.Overdue))},
		{t.T("site.questions.pending"), l.Num(tl.Pending)},
	}
	rejected := l.Num(tl.Rejected)
	if tl.Rejected > 0 {
		var parts []string
		for _, r := range bot.RejectReasons {
			if n := tl.Reasons[r]; n > 0 {
				parts = append(parts, t.T("question.reason."+string(r))+": "+l.Num(n))
			}
		}
		rejected += " (" + strings.Join(parts, ", ") + ")"
	}
	return append(rows, countRow{t.T("site.questions.rejected"), rejected})
}

// questionsSection is what a commitment page shows of its questions; nil
// when the forum takes none and none was ever asked on it.
func (s *Site) questionsSection(l *Layout, sn *snapshot, c *bot.Commitment) *questionsView {
	f := sn.pub.Forum
	qs := questionsOf(sn, c.ID)
	if !f.Questions.Enabled && len(qs) == 0 {
		return nil
	}
	v := &questionsView{Counts: countRows(l, sn.tally[c.ID])}
	if f.Questions.Enabled {
		v.Ask = s.dynHref(l, l.Lang+"/forums/"+f.ID+"/commitments/"+c.ID+"/ask/")
	}
	for _, q := range qs {
		if published(q) {
			v.Published = append(v.Published, s.questionView(l, sn.pub, q, sn.made))
		}
	}
	return v
}

// questionView renders a published question with its answers.
func (s *Site) questionView(l *Layout, pub *Forum, q *bot.Question, now time.Time) questionView {
	t, loc := l.t, pub.Forum.Location
	v := questionView{Ref: q.Ref(), Anchor: q.Ref(), Href: s.dynHref(l, l.Lang+"/forums/"+pub.Forum.ID+"/questions/"+q.Ref()+"/"), Text: paragraphs(q.Text)}
	state := t.T("question.state.open")
	switch {
	case q.State() == bot.QuestionAnsweredState:
		state = t.T("question.state.answered")
	case q.Overdue(now):
		state = t.T("site.questions.overdue_state")
	}
	v.Meta = t.T("site.questions.meta", "Asked", t.Date(bot.DateOf(q.AskedAt.In(loc))), "State", state, "Due", t.Date(bot.DateOf(q.DueAt.In(loc))))
	if who := strings.Trim(q.Name+" · "+q.Organisation, " ·"); q.PublishName && who != "" {
		v.Asker = t.T("site.questions.asked_by", "Who", who)
	}
	for i, a := range q.Answers() {
		av := answerView{Date: t.Date(bot.DateOf(a.At.In(loc))), Who: a.Organisation + " (" + t.Group(a.Group) + ")", Text: paragraphs(a.Text),
			Evidence: append([]string(nil), a.Evidence...)}
		if i == 0 && a.At.After(q.DueAt) {
			av.Late = t.T("site.questions.answered_late")
		}
		if a.Organisation == "" {
			av.Who = t.Group(a.Group)
		}
		v.Answers = append(v.Answers, av)
	}
	return v
}

// forumQuestionRow is one commitment's counts on the forum page.
type forumQuestionRow struct {
	ID, Href string
	Cells    []string
}

// forumQuestions is the table of the counts by commitment on the forum
// page: nil when the forum takes no questions and none was ever asked.
type forumQuestions struct {
	Heads []string
	Rows  []forumQuestionRow
	Total []string
}

func (s *Site) forumQuestions(l *Layout, sn *snapshot, base string) *forumQuestions {
	f := sn.pub.Forum
	if !f.Questions.Enabled && len(sn.questions) == 0 {
		return nil
	}
	t := l.t
	v := &forumQuestions{Heads: []string{t.T("site.questions.received"), t.T("site.questions.on_time"), t.T("site.questions.late"),
		t.T("site.questions.unanswered"), t.T("site.questions.overdue"), t.T("site.questions.rejected")}}
	cells := func(tl bot.QuestionTally) []string {
		return []string{l.Num(tl.Received), l.Num(tl.OnTime), l.Num(tl.Late), l.Num(tl.Unanswered), l.Num(tl.Overdue), l.Num(tl.Rejected)}
	}
	var total bot.QuestionTally
	for _, c := range f.Plan.Commitments {
		tl := sn.tally[c.ID]
		total = total.Add(tl)
		v.Rows = append(v.Rows, forumQuestionRow{ID: c.ID, Href: l.Root + l.Lang + "/" + base + "commitments/" + c.ID + "/", Cells: cells(tl)})
	}
	v.Total = cells(total)
	return v
}

// questionCountsJSON is a tally in the data.
type questionCountsJSON struct {
	Received         int            `json:"received"`
	Pending          int            `json:"pending"`
	AnsweredOnTime   int            `json:"answered_on_time"`
	AnsweredLate     int            `json:"answered_late"`
	Unanswered       int            `json:"unanswered"`
	Overdue          int            `json:"overdue"`
	Rejected         int            `json:"rejected"`
	RejectedByReason map[string]int `json:"rejected_by_reason"`
}

func countsJSON(tl bot.QuestionTally) questionCountsJSON {
	out := questionCountsJSON{Received: tl.Received, Pending: tl.Pending, AnsweredOnTime: tl.OnTime, AnsweredLate: tl.Late,
		Unanswered: tl.Unanswered, Overdue: tl.Overdue, Rejected: tl.Rejected, RejectedByReason: map[string]int{}}
	for _, r := range bot.RejectReasons {
		out.RejectedByReason[string(r)] = tl.Reasons[r]
	}
	return out
}

// commitmentCountsJSON is a commitment's tally in a forum's data.
type commitmentCountsJSON struct {
	Commitment string `json:"commitment"`
	questionCountsJSON
}

func forumQuestionsJSON(sn *snapshot) []commitmentCountsJSON {
	f := sn.pub.Forum
	if !f.Questions.Enabled && len(sn.questions) == 0 {
		return nil
	}
	out := []commitmentCountsJSON{}
	for _, c := range f.Plan.Commitments {
		out = append(out, commitmentCountsJSON{Commitment: c.ID, questionCountsJSON: countsJSON(sn.tally[c.ID])})
	}
	return out
}

// questionsJSON is a commitment's questions in its data.
type questionsJSON struct {
	Counts    questionCountsJSON `json:"counts"`
	Published []questionJSON     `json:"published"`
}

type questionJSON struct {
	Ref          string       `json:"ref"`
	AskedAt      string       `json:"asked_at"`
	DueAt        string       `json:"due_at"`
	State        string       `json:"state"`
	Text         string       `json:"text"`
	Name         string       `json:"name,omitempty"`
	Organisation string       `json:"organisation,omitempty"`
	Answers      []answerJSON `json:"answers"`
}

type answerJSON struct {
	AnsweredAt   string   `json:"answered_at"`
	Organisation string   `json:"organisation"`
	Group        string   `json:"group"`
	Text         string   `json:"text"`
	Evidence     []string `json:"evidence"`
}

func commitmentQuestionsJSON(sn *snapshot, c *bot.Commitment) *questionsJSON {
	qs := questionsOf(sn, c.ID)
	if !sn.pub.Forum.Questions.Enabled && len(qs) == 0 {
		return nil
	}
	out := &questionsJSON{Counts: countsJSON(sn.tally[c.ID]), Published: []questionJSON{}}
	for _, q := range qs {
		if !published(q) {
			continue
		}
		qj := questionJSON{Ref: q.Ref(), AskedAt: q.AskedAt.UTC().Format(time.RFC3339), DueAt: q.DueAt.UTC().Format(time.RFC3339),
			State: string(q.State()), Text: q.Text, Answers: []answerJSON{}}
		if q.PublishName {
			qj.Name, qj.Organisation = q.Name, q.Organisation
		}
		for _, a := range q.Answers() {
			qj.Answers = append(qj.Answers, answerJSON{AnsweredAt: a.At.UTC().Format(time.RFC3339), Organisation: a.Organisation, Group: string(a.Group),
				Text: a.Text, Evidence: append([]string{}, a.Evidence...)})
		}
		out.Published = append(out.Published, qj)
	}
	return out
}

// reasonLabel names a rejection's reason in the reader's language.
func reasonLabel(t bot.Texts, r bot.RejectReason) string {
	if !slices.Contains(bot.RejectReasons, r) {
		return string(r)
	}
	return t.T("question.reason." + string(r))
}

// parseRef reads a question's reference as its permalink writes it.
func parseRef(s string) (int64, bool) {
	n, ok := strings.CutPrefix(s, "Q-")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(n, 10, 64)
	return id, err == nil && id > 0 && "Q-"+strconv.FormatInt(id, 10) == s
}
