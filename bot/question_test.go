package bot_test

import (
	"strings"
	"testing"
	"time"

	"forumbot/adapters/local"
	"forumbot/bot"
)

// questionForum is testForum, public, taking questions, with C2's lead
// agency named so that its questions go to the agency's members first.
var questionForum = "site: {form_secret: \"test-form-secret-0123456789abcdefghijklmnop\"}\n" + strings.Replace(
	strings.Replace(testForum, "    officials: [local:mayor]\n", "    officials: [local:mayor]\n    site: {public: true, licence: CC-BY-4.0, questions: {enabled: true}}\n", 1),
	"          title: Open contracting\n", "          title: Open contracting\n          lead_agency: Procurement\n", 1)

// questionHarness starts a forum taking questions on 2 November 2026, with
// an e-mail chat for the askers' notices.
func questionHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, questionForum, time.Time{})
	h.email = local.New()
	h.email.Platform = "email"
	h.restart()
	h.at(2026, time.November, 2, 10, 0)
	return h
}

// ask asks a question and fails on refusal.
func (h *harness) ask(a bot.Asking) bot.Question {
	h.t.Helper()
	if a.ForumID == "" {
		a.ForumID = "f1"
	}
	q, errs, err := h.eng.Ask(h.ctx, a)
	if err != nil || errs != nil {
		h.t.Fatalf("ask %+v: %v %v", a, errs, err)
	}
	return q
}

// questionMessages returns the messages about question ref who received.
func (h *harness) questionMessages(who string, id int64) []local.Sent {
	var out []local.Sent
	for _, s := range h.chat.Messages(bot.Address(who)) {
		if strings.HasPrefix(s.Key, bot.QuestionKey(id, "")) {
			out = append(out, s)
		}
	}
	return out
}

func (h *harness) click(who string, msg local.Sent, label string) bot.Response {
	h.t.Helper()
	resp, err := h.person(who).Click(h.ctx, msg, label)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp
}

func (h *harness) question(id int64) bot.Question {
	h.t.Helper()
	q, err := h.store.Question(h.ctx, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return q
}

// TestQuestionAskedApprovedAnswered follows a question from the site to
// its answer: the coordinator is asked to moderate, with the links in it
// inert; Approve sends it to the committee; a member answers with
// Respond; the asker is told by e-mail; a second Approve is refused.
func TestQuestionAskedApprovedAnswered(t *testing.T) {
	h := questionHarness(t)
	q := h.ask(bot.Asking{Commitment: "C1", Text: "When will the budget be on https://example.org/budget ?", Name: "Ana", Email: "ana@example.org", Locale: "en"})
	if q.Ref() != "Q-1" || q.State() != bot.QuestionPending || !q.HasContact {
		t.Fatalf("stored %+v, want Q-1 pending with a contact", q)
	}
	if want := q.AskedAt.Add(15 * 24 * time.Hour); !q.DueAt.Equal(want) {
		t.Errorf("due %s, want 15 days after asking (%s)", q.DueAt, want)
	}
	h.atTime(h.clock.Now())
	mod := h.questionMessages("local:coord", q.ID)
	if len(mod) != 1 {
		t.Fatalf("coordinator got %d moderation messages, want 1", len(mod))
	}
	text := bot.RenderText(mod[0].Message)
	if strings.Contains(text, "https://example.org") || !strings.Contains(text, "https[:]//example.org") {
		t.Errorf("moderation message shows a live link:\n%s", text)
	}
	if got := h.questionMessages("local:gov1", q.ID); len(got) != 0 {
		t.Fatalf("the committee got %d messages before approval", len(got))
	}
	if resp := h.click("local:gov1", mod[0], "Approve"); resp.Error == "" {
		t.Errorf("a committee member approved: %+v", resp)
	}
	resp := h.click("local:coord", mod[0], "Approve")
	if resp.Reply == nil || !strings.Contains(resp.Reply.Text, "Q-1 is approved") || resp.Edit == nil || len(resp.Edit.Message.Buttons) != 0 {
		t.Fatalf("approve: %+v, want a confirmation and the buttons gone", resp)
	}
	if again := h.click("local:coord", mod[0], "Reject"); again.Error == "" || !strings.Contains(again.Error, "already approved") {
		t.Errorf("reject after approve: %+v, want refused as already approved", again)
	}
	h.atTime(h.clock.Now())
	for _, who := range []string{"local:gov1", "local:cs1"} {
		if got := h.questionMessages(who, q.ID); len(got) != 1 {
			t.Fatalf("%s got %d requests, want 1 (C1 has no chair or lead agency: the whole committee)", who, len(got))
		}
	}
	req := h.questionMessages("local:cs1", q.ID)[0]
	if resp := h.click("local:gov2", req, "Respond"); resp.Error == "" {
		t.Errorf("a member of another committee opened the answer form: %+v", resp)
	}
	form := h.click("local:cs1", req, "Respond").Form
	if form == nil {
		t.Fatal("Respond opened no form")
	}
	p := h.person("local:cs1")
	bad, err := p.Submit(h.ctx, req.Ref, *form, map[string][]string{"answer": {"  "}, bot.FieldEvidence: {"not a link"}})
	if err != nil || bad.FieldErrors["answer"] == "" || bad.FieldErrors[bot.FieldEvidence] == "" {
		t.Fatalf("empty answer with a bad link: %+v %v, want both fields refused", bad, err)
	}
	if got := h.question(q.ID); len(got.Answers()) != 0 {
		t.Fatalf("a refused answer was stored: %+v", got.Answers())
	}
	ok, err := p.Submit(h.ctx, req.Ref, *form, map[string][]string{"answer": {"In December, with the hearings."}, bot.FieldEvidence: {"https://example.org/calendar"}})
	if err != nil || ok.Reply == nil || !strings.Contains(ok.Reply.Text, "recorded") {
		t.Fatalf("answer: %+v %v", ok, err)
	}
	got := h.question(q.ID)
	a := got.Answers()
	if got.State() != bot.QuestionAnsweredState || len(a) != 1 || a[0].Organisation != "Watchdog" || a[0].Group != bot.CivilSociety || a[0].Evidence[0] != "https://example.org/calendar" {
		t.Fatalf("stored %+v", got)
	}
	h.atTime(h.clock.Now().Add(time.Minute))
	mails := h.email.Messages("email:ana@example.org")
	if len(mails) != 1 || !strings.Contains(bot.RenderText(mails[0].Message), "In December, with the hearings.") {
		t.Fatalf("the asker got %d notices, want one with the answer: %+v", len(mails), mails)
	}
	h.atTime(h.clock.Now().Add(2 * time.Hour))
	if n := len(h.email.Messages("email:ana@example.org")); n != 1 {
		t.Errorf("the asker got %d notices after more ticks, want still 1", n)
	}
}

// TestQuestionRejectedWithAReason: a rejection needs a reason from the
// list; a refused form stores nothing; the rejected question goes to no
// committee.
func TestQuestionRejectedWithAReason(t *testing.T) {
	h := questionHarness(t)
	q := h.ask(bot.Asking{Commitment: "C2", Text: "Call me on 555-0100, my ID is 123", Locale: "es"})
	h.atTime(h.clock.Now())
	mod := h.questionMessages("local:coord", q.ID)
	if len(mod) != 1 {
		t.Fatalf("%d moderation messages", len(mod))
	}
	form := h.click("local:coord", mod[0], "Reject").Form
	if form == nil || form.Ref != "qr:1" {
		t.Fatalf("Reject opened %+v", form)
	}
	p := h.person("local:coord")
	bad, _ := p.Submit(h.ctx, mod[0].Ref, *form, map[string][]string{"reason": {"boring"}})
	if bad.FieldErrors["reason"] == "" {
		t.Fatalf("an unknown reason: %+v, want the reason refused", bad)
	}
	if got := h.question(q.ID); got.State() != bot.QuestionPending {
		t.Fatalf("after a refused rejection the question is %s", got.State())
	}
	resp, _ := p.Submit(h.ctx, mod[0].Ref, *form, map[string][]string{"reason": {"personal_data"}, "note": {"phone number"}})
	if resp.Reply == nil || !strings.Contains(resp.Reply.Text, "rejected (personal data)") {
		t.Fatalf("reject: %+v", resp)
	}
	got := h.question(q.ID)
	if d, _ := got.Decision(); got.State() != bot.QuestionRejectedState || d.Reason != bot.RejectPersonalData || d.Text != "phone number" {
		t.Fatalf("stored %+v", got)
	}
	h.atTime(h.clock.Now().Add(20 * 24 * time.Hour))
	for _, m := range []string{"local:gov1", "local:gov2", "local:cs2"} {
		if n := len(h.questionMessages(m, q.ID)); n != 0 {
			t.Errorf("%s got %d messages about a rejected question", m, n)
		}
	}
	tally := bot.TallyQuestions([]bot.Question{got}, h.clock.Now())["C2"]
	if tally.Received != 1 || tally.Rejected != 1 || tally.Reasons[bot.RejectPersonalData] != 1 || tally.Unanswered != 0 {
		t.Errorf("tally %+v", tally)
	}
}

// TestQuestionAskRefusesBadInput: every refusal names the field, in the
// asker's language, and stores nothing.
func TestQuestionAskRefusesBadInput(t *testing.T) {
	h := questionHarness(t)
	for _, tc := range []struct {
		a     bot.Asking
		field string
	}{
		{bot.Asking{Commitment: "C1", Text: "   "}, "question"},
		{bot.Asking{Commitment: "C1", Text: strings.Repeat("é", bot.MaxQuestionLen+1)}, "question"},
		{bot.Asking{Commitment: "C1", Text: "ok?", Email: "not an address"}, "email"},
		{bot.Asking{Commitment: "C1", Text: "ok?", Email: "Ana <ana@example.org>"}, "email"},
		{bot.Asking{Commitment: "C1", Text: "ok?", PublishName: true}, "publish"},
		{bot.Asking{Commitment: "C1", Text: "ok?", Name: strings.Repeat("n", 101)}, "name"},
	} {
		tc.a.ForumID, tc.a.Locale = "f1", "pt"
		_, errs, err := h.eng.Ask(h.ctx, tc.a)
		if err != nil || errs[tc.field] == "" {
			t.Errorf("%+v: %v %v, want field %s refused", tc.a, errs, err, tc.field)
		}
	}
	_, errs, _ := h.eng.Ask(h.ctx, bot.Asking{ForumID: "f1", Commitment: "C1", Text: "", Locale: "pt"})
	if !strings.Contains(errs["question"], "obrigatório") {
		t.Errorf("Portuguese asker told %q", errs["question"])
	}
	if _, _, err := h.eng.Ask(h.ctx, bot.Asking{ForumID: "f1", Commitment: "C9", Text: "ok?"}); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("unknown commitment: %v", err)
	}
	qs, err := h.store.Questions(h.ctx, bot.QuestionFilter{ForumID: "f1"})
	if err != nil || len(qs) != 0 {
		t.Errorf("stored %d questions from refused askings (%v)", len(qs), err)
	}
}

// TestQuestionDeadline: the committee is reminded 5 days and 1 day before
// the deadline, each once, then told with the coordinators that it is
// overdue; the digest lists the overdue question; an answer after the
// deadline counts as late in the digest and the report alike.
func TestQuestionDeadline(t *testing.T) {
	h := questionHarness(t)
	q := h.ask(bot.Asking{Commitment: "C2", Text: "Which contracts are published?"})
	h.atTime(h.clock.Now())
	h.click("local:coord", h.questionMessages("local:coord", q.ID)[0], "Approve")
	h.atTime(h.clock.Now())
	// C2's lead agency is Procurement: gov2 first, not the others.
	if n, m := len(h.questionMessages("local:gov2", q.ID)), len(h.questionMessages("local:cs2", q.ID)); n != 1 || m != 0 {
		t.Fatalf("requests: gov2 %d, cs2 %d; want the lead agency's member only", n, m)
	}
	for _, step := range []struct {
		at        time.Duration
		cs2, coor int
	}{
		{9 * 24 * time.Hour, 0, 1},
		{10*24*time.Hour + time.Hour, 1, 1}, // 5 days before
		{12 * 24 * time.Hour, 1, 1},
		{14*24*time.Hour + time.Hour, 2, 1}, // 1 day before
		{15*24*time.Hour + time.Hour, 3, 2}, // overdue
		{20 * 24 * time.Hour, 3, 2},
	} {
		h.atTime(q.AskedAt.Add(step.at))
		if n, c := len(h.questionMessages("local:cs2", q.ID)), len(h.questionMessages("local:coord", q.ID)); n != step.cs2 || c != step.coor {
			t.Fatalf("%s after asking: cs2 got %d, coordinator %d; want %d and %d", step.at, n, c, step.cs2, step.coor)
		}
	}
	d, err := h.eng.DigestData(h.ctx, h.forums[0], bot.Period{Year: 2026, Month: time.November}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	text := bot.RenderText(bot.RenderDigest(h.eng.Texts("en"), d))
	if !strings.Contains(text, "Open questions: Q-1 (overdue since 17 Nov 2026)") || !strings.Contains(text, "1 unanswered (1 overdue)") {
		t.Fatalf("digest does not list the overdue question:\n%s", text)
	}
	req := h.questionMessages("local:cs2", q.ID)[0]
	form := h.click("local:cs2", req, "Respond").Form
	if resp, _ := h.person("local:cs2").Submit(h.ctx, req.Ref, *form, map[string][]string{"answer": {"All of them."}}); resp.Reply == nil {
		t.Fatalf("late answer refused: %+v", resp)
	}
	d, _ = h.eng.DigestData(h.ctx, h.forums[0], bot.Period{Year: 2026, Month: time.November}, nil, "")
	rep, err := h.eng.Report(h.ctx, h.forums[0], bot.Period{Year: 2026, Month: time.November}, bot.Period{Year: 2026, Month: time.November})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range d.Commitments {
		if c.Commitment.ID != "C2" {
			continue
		}
		if c.Questions.Late != 1 || c.Questions.Received != 1 || len(c.OpenQuestions) != 0 {
			t.Errorf("digest tally %+v open %v, want one late answer", c.Questions, c.OpenQuestions)
		}
		for _, rc := range rep.Commitments {
			if rc.Commitment.ID == "C2" && (rc.Latest.Questions.Late != c.Questions.Late || rc.Latest.Questions.Received != c.Questions.Received) {
				t.Errorf("report tally %+v, digest %+v", rc.Latest.Questions, c.Questions)
			}
		}
	}
}

// TestQuestionsCommandAndMove: /forum questions shows pending questions
// to coordinators only; /forum move sends a question to another
// committee, once, even when the platform redelivers the command.
func TestQuestionsCommandAndMove(t *testing.T) {
	h := questionHarness(t)
	h.ask(bot.Asking{Commitment: "C1", Text: "First?"})
	q2 := h.ask(bot.Asking{Commitment: "C1", Text: "Second?"})
	h.atTime(h.clock.Now())
	h.click("local:coord", h.questionMessages("local:coord", q2.ID)[0], "Approve")
	list := func(who, text string) string {
		resp, err := h.person(who).Command(h.ctx, text)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Error != "" {
			return resp.Error
		}
		return bot.RenderText(*resp.Reply)
	}
	if got := list("local:coord", "questions"); !strings.Contains(got, "2 questions") || !strings.Contains(got, "First?") || !strings.Contains(got, "Second?") {
		t.Errorf("coordinator's list:\n%s", got)
	}
	if got := list("local:cs1", "questions C1"); strings.Contains(got, "First?") || !strings.Contains(got, "Second?") {
		t.Errorf("member's list shows a pending question or misses the approved one:\n%s", got)
	}
	if got := list("local:cs1", "move Q-2 C3"); !strings.Contains(got, "coordinators") {
		t.Errorf("a member moved a question: %s", got)
	}
	if got := list("local:coord", "move Q-2 C9"); !strings.Contains(got, "C9") || !strings.Contains(got, "C1, C2, C3") {
		t.Errorf("move to an unknown commitment: %s", got)
	}
	if got := list("local:coord", "move Q-2 C3"); !strings.Contains(got, "Q-2 now stands on C3") {
		t.Fatalf("move: %s", got)
	}
	if got := list("local:coord", "move Q-2 C3"); !strings.Contains(got, "already stands on C3") {
		t.Errorf("second move: %s", got)
	}
	h.atTime(h.clock.Now())
	if n := len(h.questionMessages("local:gov3", q2.ID)); n != 1 {
		t.Errorf("C3's committee got %d requests after the move, want 1", n)
	}
	if got := h.question(q2.ID); got.Commitment() != "C3" || got.AskedOn != "C1" {
		t.Errorf("after the move: on %s, asked on %s", got.Commitment(), got.AskedOn)
	}
	if got := list("local:coord", "move Q-9 C3"); !strings.Contains(got, "no question Q-9") {
		t.Errorf("move of an unknown question: %s", got)
	}
}

// TestQuestionContactsForgotten: the asker's address is deleted once the
// question has been closed for the retention period, and replaced in the
// outbox.
func TestQuestionContactsForgotten(t *testing.T) {
	h := questionHarness(t)
	q := h.ask(bot.Asking{Commitment: "C1", Text: "Is it done?", Email: "ana@example.org"})
	h.atTime(h.clock.Now())
	h.click("local:coord", h.questionMessages("local:coord", q.ID)[0], "Approve")
	h.atTime(h.clock.Now())
	req := h.questionMessages("local:cs1", q.ID)[0]
	form := h.click("local:cs1", req, "Respond").Form
	h.person("local:cs1").Submit(h.ctx, req.Ref, *form, map[string][]string{"answer": {"Yes."}})
	answered := h.clock.Now()
	h.atTime(answered.Add(2 * time.Hour))
	if c, _ := h.store.QuestionContact(h.ctx, q.ID); c != "ana@example.org" {
		t.Fatalf("contact %q before the retention passed", c)
	}
	h.atTime(answered.Add(31 * 24 * time.Hour))
	if c, _ := h.store.QuestionContact(h.ctx, q.ID); c != "" {
		t.Errorf("contact %q kept after the retention", c)
	}
	if got := h.question(q.ID); got.HasContact {
		t.Errorf("question still has a contact")
	}
}

// TestQuestionAddressNotKeptWithoutEmail: without e-mail configured no
// notice could reach the asker, so the address typed is not kept.
func TestQuestionAddressNotKeptWithoutEmail(t *testing.T) {
	h := newHarness(t, questionForum, time.Time{})
	h.at(2026, time.November, 2, 10, 0)
	if h.eng.EmailsAskers() {
		t.Fatal("EmailsAskers without an e-mail chat")
	}
	q := h.ask(bot.Asking{Commitment: "C1", Text: "Any news?", Email: "ana@example.org"})
	if c, _ := h.store.QuestionContact(h.ctx, q.ID); c != "" || q.HasContact {
		t.Errorf("kept %q without e-mail configured", c)
	}
}
