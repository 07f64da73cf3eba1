package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store"
)

// ask stores a question of forum f on commitment, with contact as the
// asker's address ("" for none).
func ask(tb testing.TB, db bot.Store, commitment, contact string) bot.Question {
	tb.Helper()
	q, err := db.AddQuestion(ctx, bot.Question{ForumID: "f", AskedOn: commitment, Text: "When will the budget be published?",
		Name: "Ana", Organisation: "Vecinos", PublishName: true, Locale: "es", AskedAt: t0, DueAt: t0.Add(15 * 24 * time.Hour)}, contact)
	if err != nil || q.ID == 0 {
		tb.Fatalf("AddQuestion: %+v %v", q, err)
	}
	return q
}

// Question events of the tests, at minutes after t0.
func approve(id int64, minute int) bot.QuestionEvent {
	return bot.QuestionEvent{QuestionID: id, Kind: bot.QuestionApproved, At: t0.Add(time.Duration(minute) * time.Minute), By: "local:coord"}
}

func reject(id int64, minute int) bot.QuestionEvent {
	return bot.QuestionEvent{QuestionID: id, Kind: bot.QuestionRejected, At: t0.Add(time.Duration(minute) * time.Minute), By: "local:coord",
		Reason: bot.RejectPersonalData, Text: "it names a neighbour"}
}

func answer(id int64, minute int, text string) bot.QuestionEvent {
	return bot.QuestionEvent{QuestionID: id, Kind: bot.QuestionAnswered, At: t0.Add(time.Duration(minute) * time.Minute), By: "local:gov",
		Group: bot.Government, Organisation: "Hacienda", Text: text, Evidence: []string{"https://example.org/budget.pdf"}}
}

// mustEvent appends ev and fails unless it was stored.
func mustEvent(tb testing.TB, db bot.Store, ev bot.QuestionEvent) bot.Question {
	tb.Helper()
	q, added, err := db.AddQuestionEvent(ctx, ev)
	if err != nil || !added {
		tb.Fatalf("AddQuestionEvent %s: added=%v %v", ev.Kind, added, err)
	}
	return q
}

// kinds lists the kinds of q's events, in order.
func kinds(q bot.Question) []bot.QuestionEventKind {
	var out []bot.QuestionEventKind
	for _, ev := range q.Events {
		out = append(out, ev.Kind)
	}
	return out
}

// questionIDs lists the ids of qs, in order.
func questionIDs(qs []bot.Question) []int64 {
	var out []int64
	for _, q := range qs {
		out = append(out, q.ID)
	}
	return out
}

func testQuestionsKeepTheContactApart(t *testing.T, h Harness) {
	db := h.open(t)
	with := ask(t, db, "C1", "ana@example.org")
	without := ask(t, db, "C2", "")
	if !with.HasContact || without.HasContact || with.ID == without.ID {
		t.Fatalf("AddQuestion: HasContact %v and %v, ids %d and %d: want true, false and two ids", with.HasContact, without.HasContact, with.ID, without.ID)
	}
	got, err := db.Question(ctx, with.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, with) {
		t.Errorf("Question:\n got %+v\nwant %+v", got, with)
	}
	if got, err := db.Question(ctx, without.ID); err != nil || got.HasContact || got.AskedOn != "C2" || got.Commitment() != "C2" {
		t.Errorf("Question without a contact: %+v %v", got, err)
	}
	if c, err := db.QuestionContact(ctx, with.ID); err != nil || c != "ana@example.org" {
		t.Errorf("QuestionContact: %q %v, want the address left", c, err)
	}
	if c, err := db.QuestionContact(ctx, without.ID); err != nil || c != "" {
		t.Errorf("QuestionContact of a question without one: %q %v, want none", c, err)
	}
	if _, err := db.Question(ctx, without.ID+100); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("a missing question: %v, want ENOTFOUND", err)
	}
	if _, _, err := db.AddQuestionEvent(ctx, approve(without.ID+100, 1)); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("an event of a missing question: %v, want ENOTFOUND", err)
	}
	qs, err := db.Questions(ctx, bot.QuestionFilter{ForumID: "f"})
	if err != nil || !slices.Equal(questionIDs(qs), []int64{with.ID, without.ID}) {
		t.Errorf("Questions of f: %v %v, want %v oldest first", questionIDs(qs), err, []int64{with.ID, without.ID})
	}
	if qs, err := db.Questions(ctx, bot.QuestionFilter{ForumID: "other"}); err != nil || len(qs) != 0 {
		t.Errorf("Questions of another forum: %v %v, want none", questionIDs(qs), err)
	}
}

func testQuestionEventsInOrder(t *testing.T, h Harness) {
	db := h.open(t)
	q := ask(t, db, "C1", "")
	mustEvent(t, db, approve(q.ID, 1))
	first := answer(q.ID, 2, "In March.")
	after := mustEvent(t, db, first)
	if len(after.Events) != 2 || after.Events[1].ID == 0 || after.Events[1].Text != "In March." || after.State() != bot.QuestionAnsweredState {
		t.Fatalf("AddQuestionEvent returned %+v, want the question with both events, the answer's with its id", after)
	}
	followUp := answer(q.ID, 3, "It is out: see the link.")
	followUp.By, followUp.Group, followUp.Organisation = "local:cso", bot.CivilSociety, "Transparencia"
	mustEvent(t, db, followUp)
	got, err := db.Question(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []bot.QuestionEventKind{bot.QuestionApproved, bot.QuestionAnswered, bot.QuestionAnswered}; !slices.Equal(kinds(got), want) {
		t.Fatalf("events %v, want %v", kinds(got), want)
	}
	for i := 1; i < len(got.Events); i++ {
		if got.Events[i].ID <= got.Events[i-1].ID {
			t.Errorf("event ids %d then %d: not in order", got.Events[i-1].ID, got.Events[i].ID)
		}
	}
	answers := got.Answers()
	if len(answers) != 2 || answers[0].Text != "In March." || answers[1].Text != "It is out: see the link." {
		t.Fatalf("answers %+v, want the first then the follow-up", answers)
	}
	a := answers[1]
	if a.By != "local:cso" || a.Group != bot.CivilSociety || a.Organisation != "Transparencia" || !a.At.Equal(followUp.At) ||
		!slices.Equal(a.Evidence, followUp.Evidence) || a.QuestionID != q.ID {
		t.Errorf("follow-up answer read back as %+v, want %+v", a, followUp)
	}
	if !got.ClosedAt().Equal(first.At) {
		t.Errorf("ClosedAt %v, want the first answer's time %v", got.ClosedAt(), first.At)
	}
}

func testQuestionDecidedOnce(t *testing.T, h Harness) {
	db := h.open(t)
	q := ask(t, db, "C1", "")
	mustEvent(t, db, approve(q.ID, 1))
	if _, added, err := db.AddQuestionEvent(ctx, reject(q.ID, 2)); bot.ErrorCode(err) != bot.ECONFLICT || added {
		t.Fatalf("a rejection after the approval: added=%v %v, want ECONFLICT", added, err)
	}
	if got, err := db.Question(ctx, q.ID); err != nil || !slices.Equal(kinds(got), []bot.QuestionEventKind{bot.QuestionApproved}) {
		t.Errorf("after the refused rejection: %v %v, want the approval alone", kinds(got), err)
	}

	r := ask(t, db, "C1", "")
	mustEvent(t, db, reject(r.ID, 1))
	if _, added, err := db.AddQuestionEvent(ctx, approve(r.ID, 2)); bot.ErrorCode(err) != bot.ECONFLICT || added {
		t.Errorf("an approval after the rejection: added=%v %v, want ECONFLICT", added, err)
	}
	got, err := db.Question(ctx, r.ID)
	d, ok := got.Decision()
	if err != nil || len(got.Events) != 1 || !ok || d.Reason != bot.RejectPersonalData || d.Text != "it names a neighbour" || got.State() != bot.QuestionRejectedState {
		t.Errorf("rejected question read back as %+v %v, want its rejection alone, with reason and note", got, err)
	}
}

// testConcurrentDecisions has coordinators approve and reject one question
// at once, from two handles: exactly one decision is stored, and every
// other is refused with ECONFLICT.
func testConcurrentDecisions(t *testing.T, h Harness) {
	db := h.open(t)
	other := h.Reopen(t, db)
	q := ask(t, db, "C1", "")
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		ev := approve(q.ID, i)
		if i%2 == 1 {
			ev = reject(q.ID, i)
		}
		ev.By, ev.EventID = bot.Address(fmt.Sprintf("local:coord%d", i)), fmt.Sprintf("click%d", i)
		s := store.DB(db)
		if i%4 >= 2 {
			s = other
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = s.AddQuestionEvent(ctx, ev)
		}()
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("decisions %d and %d were both recorded", winner, i)
		case err == nil:
			winner = i
		case bot.ErrorCode(err) != bot.ECONFLICT || !strings.Contains(err.Error(), "was already"):
			// The check ran on the question as it stood, the first
			// decision included: the coordinator is told who decided.
			t.Errorf("decision %d: %v, want ECONFLICT naming the decision already recorded", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no decision was recorded")
	}
	got, err := db.Question(ctx, q.ID)
	if err != nil || len(got.Events) != 1 || got.Events[0].By != bot.Address(fmt.Sprintf("local:coord%d", winner)) {
		t.Errorf("stored: %+v %v, want decision %d alone", got.Events, err, winner)
	}
}

func testAnswerNeedsApproval(t *testing.T, h Harness) {
	db := h.open(t)
	pending := ask(t, db, "C1", "")
	if _, added, err := db.AddQuestionEvent(ctx, answer(pending.ID, 1, "early")); bot.ErrorCode(err) != bot.ECONFLICT || added {
		t.Errorf("an answer to a pending question: added=%v %v, want ECONFLICT", added, err)
	}
	rejected := ask(t, db, "C1", "")
	mustEvent(t, db, reject(rejected.ID, 1))
	if _, added, err := db.AddQuestionEvent(ctx, answer(rejected.ID, 2, "late")); bot.ErrorCode(err) != bot.ECONFLICT || added {
		t.Errorf("an answer to a rejected question: added=%v %v, want ECONFLICT", added, err)
	}
	for _, id := range []int64{pending.ID, rejected.ID} {
		if got, err := db.Question(ctx, id); err != nil || len(got.Answers()) != 0 {
			t.Errorf("Q-%d after the refused answer: %+v %v, want no answer stored", id, got.Events, err)
		}
	}
	mustEvent(t, db, approve(pending.ID, 3))
	if got := mustEvent(t, db, answer(pending.ID, 4, "now")); got.State() != bot.QuestionAnsweredState {
		t.Errorf("answered after approval: state %s", got.State())
	}
}

func testQuestionReassigned(t *testing.T, h Harness) {
	db := h.open(t)
	q := ask(t, db, "C1", "")
	stays := ask(t, db, "C1", "")
	mustEvent(t, db, approve(q.ID, 1))
	move := bot.QuestionEvent{QuestionID: q.ID, Kind: bot.QuestionReassigned, At: t0.Add(2 * time.Minute), By: "local:coord", Commitment: "C2"}
	if got := mustEvent(t, db, move); got.Commitment() != "C2" || got.AskedOn != "C1" {
		t.Fatalf("after the move: on %s, asked on %s; want C2 and C1", got.Commitment(), got.AskedOn)
	}
	if _, added, err := db.AddQuestionEvent(ctx, move); bot.ErrorCode(err) != bot.ECONFLICT || added {
		t.Errorf("a move to where the question is: added=%v %v, want ECONFLICT", added, err)
	}
	if got, err := db.Question(ctx, q.ID); err != nil || got.Commitment() != "C2" {
		t.Errorf("read back: on %s %v, want C2", got.Commitment(), err)
	}
	for c, want := range map[string][]int64{"C1": {stays.ID}, "C2": {q.ID}, "C3": nil} {
		qs, err := db.Questions(ctx, bot.QuestionFilter{ForumID: "f", Commitment: c})
		if err != nil || !slices.Equal(questionIDs(qs), want) {
			t.Errorf("Questions on %s: %v %v, want %v", c, questionIDs(qs), err, want)
		}
	}
}

func testWaitingQuestions(t *testing.T, h Harness) {
	db := h.open(t)
	pending := ask(t, db, "C1", "")
	open := ask(t, db, "C1", "")
	answered := ask(t, db, "C2", "")
	rejected := ask(t, db, "C1", "")
	mustEvent(t, db, approve(open.ID, 1))
	mustEvent(t, db, approve(answered.ID, 1))
	mustEvent(t, db, answer(answered.ID, 2, "done"))
	mustEvent(t, db, reject(rejected.ID, 1))
	qs, err := db.Questions(ctx, bot.QuestionFilter{ForumID: "f", Waiting: true})
	if want := []int64{pending.ID, open.ID}; err != nil || !slices.Equal(questionIDs(qs), want) {
		t.Errorf("waiting: %v %v, want %v (pending and approved unanswered)", questionIDs(qs), err, want)
	}
	qs, err = db.Questions(ctx, bot.QuestionFilter{ForumID: "f", Commitment: "C2", Waiting: true})
	if err != nil || len(qs) != 0 {
		t.Errorf("waiting on C2: %v %v, want none", questionIDs(qs), err)
	}
	qs, err = db.Questions(ctx, bot.QuestionFilter{ForumID: "f"})
	if err != nil || len(qs) != 4 || len(qs[2].Events) != 2 || qs[3].State() != bot.QuestionRejectedState {
		t.Errorf("all: %+v %v, want the four with their events", qs, err)
	}
}

func testQuestionEventIDOnce(t *testing.T, h Harness) {
	db := h.open(t)
	q := ask(t, db, "C1", "")
	other := ask(t, db, "C1", "")
	ev := approve(q.ID, 1)
	ev.EventID = "click-1"
	mustEvent(t, db, ev)
	got, added, err := db.AddQuestionEvent(ctx, ev)
	if err != nil || added || len(got.Events) != 1 || got.ID != q.ID {
		t.Fatalf("the same event again: added=%v %v, question %+v: want it returned with one event, nothing added", added, err, got)
	}
	a := answer(q.ID, 2, "answer")
	a.EventID = "submit-1"
	mustEvent(t, db, a)
	a.Text = "the form sent twice"
	if got, added, err = db.AddQuestionEvent(ctx, a); err != nil || added || len(got.Answers()) != 1 {
		t.Errorf("the same answer event again: added=%v %v, %d answers: want one", added, err, len(got.Answers()))
	}
	ev.QuestionID = other.ID
	mustEvent(t, db, ev) // the same event id on another question is another event
	if got, err := db.Question(ctx, q.ID); err != nil || len(got.Events) != 2 || got.Answers()[0].Text != "answer" {
		t.Errorf("stored: %+v %v, want the approval and the first answer", got.Events, err)
	}
}

func testQuestionsAreAppendOnly(t *testing.T, h Harness) {
	db := h.open(t)
	q := ask(t, db, "C1", "ana@example.org")
	mustEvent(t, db, approve(q.ID, 1))
	before, err := db.Question(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	h.refused(t, db, "questions and their events are append-only",
		"UPDATE questions SET text = 'changed'", "DELETE FROM questions",
		"UPDATE question_events SET by_member = 'local:someone'", "DELETE FROM question_events")
	h.refused(t, db, "one decision per question",
		fmt.Sprintf("INSERT INTO question_events (question_id, kind, at, by_member) VALUES (%d, 'rejected', '2026-11-02T00:00:00.000000000Z', 'local:x')", q.ID))
	h.refused(t, db, "an event is of a known kind",
		fmt.Sprintf("INSERT INTO question_events (question_id, kind, at, by_member) VALUES (%d, 'edited', '2026-11-02T00:00:00.000000000Z', 'local:x')", q.ID))
	if after, err := db.Question(ctx, q.ID); err != nil || !reflect.DeepEqual(after, before) {
		t.Errorf("after the refused statements:\n got %+v %v\nwant %+v", after, err, before)
	}
}

// testForgetContacts: the addresses of questions closed before the cutoff
// go, from question_contacts and from the outbox entries of their
// question's notices; every other address and entry stays.
func testForgetContacts(t *testing.T, h Harness) {
	db := h.open(t)
	const ana, bea, cai = "ana@example.org", "bea@example.org", "cai@example.org"
	answered := ask(t, db, "C1", ana) // closed at t0+2m: forgotten
	rejected := ask(t, db, "C1", bea) // closed at t0+48h: after the cutoff
	waiting := ask(t, db, "C1", ana)  // the same address, still open
	open := ask(t, db, "C1", cai)     // approved, never answered
	noContact := ask(t, db, "C1", "")
	mustEvent(t, db, approve(answered.ID, 1))
	mustEvent(t, db, answer(answered.ID, 2, "done"))
	mustEvent(t, db, reject(rejected.ID, 48*60))
	mustEvent(t, db, approve(waiting.ID, 1))
	mustEvent(t, db, approve(open.ID, 1))
	mustEvent(t, db, reject(noContact.ID, 3))

	notice := func(key, to string) bot.Delivery {
		t.Helper()
		if added, err := db.AddNotice(ctx, bot.Notice{Key: key, ForumID: "f", CreatedAt: t0, Message: bot.Message{Text: key}}, []bot.Address{bot.Address(to)}); err != nil || !added {
			t.Fatalf("AddNotice %s: %v %v", key, added, err)
		}
		d, err := db.DeliveryByKey(ctx, key+"/"+to)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	forgotten := notice(bot.QuestionKey(answered.ID, "answered/1"), "email:"+ana)
	if err := db.MarkFailed(ctx, forgotten.ID, "550 <"+ana+">: no such mailbox"); err != nil {
		t.Fatal(err)
	}
	kept := []bot.Delivery{
		notice(bot.QuestionKey(waiting.ID, "approved"), "email:"+ana),
		notice("notice/f/other", "email:"+ana),
		notice(bot.QuestionKey(rejected.ID, "rejected"), "email:"+bea),
		notice(bot.QuestionKey(answered.ID, "moderation"), "local:coord"),
	}

	cutoff := t0.Add(24 * time.Hour)
	if n, err := db.ForgetContacts(ctx, "other", t0.Add(1000*time.Hour)); err != nil || n != 0 {
		t.Fatalf("ForgetContacts of another forum: %d %v, want 0 (the addresses are forum f's)", n, err)
	}
	if n, err := db.ForgetContacts(ctx, "f", cutoff); err != nil || n != 1 {
		t.Fatalf("ForgetContacts: %d %v, want 1 (the answered question's)", n, err)
	}
	if c, err := db.QuestionContact(ctx, answered.ID); err != nil || c != "" {
		t.Errorf("the answered question's address: %q %v, want it deleted", c, err)
	}
	if q, err := db.Question(ctx, answered.ID); err != nil || q.HasContact || q.Text != answered.Text || len(q.Events) != 2 {
		t.Errorf("the answered question after: %+v %v, want it whole, without a contact", q, err)
	}
	for id, want := range map[int64]string{rejected.ID: bea, waiting.ID: ana, open.ID: cai} {
		if c, err := db.QuestionContact(ctx, id); err != nil || c != want {
			t.Errorf("Q-%d's address: %q %v, want %q kept", id, c, err, want)
		}
	}
	if _, err := db.DeliveryByKey(ctx, forgotten.Key); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("the entry under its old key, which holds the address: %v, want ENOTFOUND", err)
	}
	d, err := db.DeliveryByKey(ctx, bot.QuestionKey(answered.ID, "answered/1")+"/"+store.ForgottenAddress)
	if err != nil || d.ID != forgotten.ID || d.To != store.ForgottenAddress || d.LastError != "550 <forgotten.invalid>: no such mailbox" || d.NoticeID != forgotten.NoticeID {
		t.Errorf("the notice to the forgotten address: %+v %v, want it to %s, without the address in its key or error", d, err, store.ForgottenAddress)
	}
	for _, want := range kept {
		if d, err := db.DeliveryByKey(ctx, want.Key); err != nil || d.To != want.To || d.ID != want.ID {
			t.Errorf("another notice %s: %+v %v, want it unchanged, to %s", want.Key, d, err, want.To)
		}
	}
	if n, err := db.ForgetContacts(ctx, "f", cutoff); err != nil || n != 0 {
		t.Errorf("ForgetContacts again: %d %v, want 0", n, err)
	}
	if n, err := db.ForgetContacts(ctx, "f", t0.Add(72*time.Hour)); err != nil || n != 1 {
		t.Errorf("ForgetContacts three days on: %d %v, want 1 (the rejected question's)", n, err)
	}
	if c, _ := db.QuestionContact(ctx, waiting.ID); c != ana {
		t.Errorf("the open question's address after every cutoff: %q, want it kept", c)
	}
}
