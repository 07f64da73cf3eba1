package email_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"forumbot/bot"
)

// TestQuestionAnsweredByEmail: committee members reached by e-mail get
// a question from the public with a link to the answer form; the answer
// given there is stored once, under the member's organisation; the asker
// who left an address is told by e-mail, with the answer.
func TestQuestionAnsweredByEmail(t *testing.T) {
	yaml := "site: {form_secret: \"test-form-secret-0123456789abcdefghijklmnop\"}\n" + strings.Replace(forumYAML, "    coordinators: [email:coord@example.org]\n",
		"    coordinators: [email:coord@example.org]\n    site: {public: true, licence: CC-BY-4.0, questions: {enabled: true}}\n", 1)
	w := newEngineWorld(t, yaml, nil)
	ctx := context.Background()
	q, errs, err := w.eng.Ask(ctx, bot.Asking{ForumID: "mail", Commitment: "C1", Text: "Is the budget <b>online</b>?", Email: "zoe@example.org", Locale: "en"})
	if err != nil || errs != nil {
		t.Fatalf("ask: %v %v", errs, err)
	}
	w.run()
	mod := w.prompt("coord@example.org")
	if !strings.Contains(mod.Plain, "Is the budget <b>online") || strings.Contains(mod.HTML, "<b>online") {
		t.Errorf("the moderation e-mail does not show the question as typed, escaped in HTML:\n%s\n%s", mod.Plain, mod.HTML)
	}
	// A coordinator on another platform approves it.
	resp := w.eng.HandleEvent(ctx, bot.Event{Kind: bot.EventButton, From: "email:coord@example.org", Action: bot.ActionApproveQuestion, Value: bot.ApproveValue(q.ID), ID: "approve-1"})
	if resp.Error != "" {
		t.Fatalf("approve: %s", resp.Error)
	}
	w.run()
	req := w.prompt("bea@example.org")
	if len(req.Links) != 1 || formRefOf(t, req.Links[0]) != "qa:"+strconv.FormatInt(q.ID, 10) {
		t.Fatalf("Bea's request links %v, want one to the answer form", req.Links)
	}
	form := seen(w.get(req.Links[0])).Form
	if form == nil {
		t.Fatal("the answer form did not open")
	}
	if p := seen(w.submit(*form, map[string][]string{"answer": {""}})); p.FieldErrors["answer"] == "" {
		t.Errorf("an empty answer: %+v, want the field refused", p)
	}
	if p := w.submit(*form, map[string][]string{"answer": {"Sí, desde el lunes."}}); p.Status != 200 {
		t.Fatalf("answer: %d\n%s", p.Status, p.Body)
	}
	got, err := w.store.Question(ctx, q.ID)
	if err != nil || len(got.Answers()) != 1 || got.Answers()[0].Organisation != "Watchdog" || got.Answers()[0].By != "email:bea@example.org" {
		t.Fatalf("stored %+v %v", got, err)
	}
	w.run()
	notice := w.prompt("zoe@example.org")
	if !strings.Contains(notice.Plain, "Sí, desde el lunes.") || !strings.Contains(notice.Plain, "Watchdog") {
		t.Errorf("the asker's notice:\n%s", notice.Plain)
	}
}
