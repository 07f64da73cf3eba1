package chattest

import (
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

// questionsThroughTheEngine takes two questions from the public through
// the platform: the coordinator sees the first with its mentions and
// links inert and rejects it with a reason on the platform's form; the
// second, approved, reaches the committee, whose member answers it on
// the platform's form. Every step is checked in the store.
func (s *suite) questionsThroughTheEngine(t *testing.T) {
	m0, m1 := s.f.Member(0), s.f.Member(1)
	yaml := "site: {form_secret: \"test-form-secret-0123456789abcdefghijklmnop\"}\n" + strings.Replace(ForumYAML("qconf", "Question Forum", s.f, m0, m0), "    schedule:",
		"    site: {public: true, licence: CC-BY-4.0, questions: {enabled: true}}\n    schedule:", 1)
	eng, store, advance := s.engine(t, yaml)
	drain := func() {
		t.Helper()
		if err := eng.Tick(s.ctx); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			if _, err := eng.Drain(s.ctx); err != nil {
				t.Fatal(err)
			}
			advance(time.Second)
		}
	}
	ask := func(text string) bot.Question {
		t.Helper()
		q, errs, err := eng.Ask(s.ctx, bot.Asking{ForumID: "qconf", Commitment: "C2", Text: text})
		if err != nil || errs != nil {
			t.Fatalf("ask: %v %v", errs, err)
		}
		return q
	}
	question := func(id int64) bot.Question {
		t.Helper()
		q, err := store.Question(s.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	heldWith := func(who bot.Address, formRef string) Held {
		t.Helper()
		for _, h := range s.f.Held(who) {
			for _, r := range h.FormRefs {
				if r == formRef {
					return h
				}
			}
		}
		t.Fatalf("%s holds no message with the form %s", who, formRef)
		return Held{}
	}

	evil := ask("<!channel> @everyone <@U024BE7LH> <@80351110224678912> <b>bold</b> see https://evil.example/x")
	drain()
	mod := heldWith(m0, "qr:1")
	if !strings.Contains(mod.Text, "evil.example") || strings.Contains(mod.Text, "https://evil.example") || !strings.Contains(mod.Text, "everyone") {
		t.Errorf("the moderation message shows a live link or lost the words:\n%s", mod.Text)
	}
	seen, err := s.f.OpenForm(s.ctx, m0, mod, "qr:1", bot.Completion(bot.RejectAbusive))
	if err != nil || seen.Form == nil {
		t.Fatalf("Reject: %+v %v", seen, err)
	}
	got, err := s.f.Submit(s.ctx, m0, *seen.Form, map[string][]string{"reason": {string(bot.RejectAbusive)}, "note": {"mass mentions"}})
	if err != nil || len(got.FieldErrors) > 0 {
		t.Fatalf("reject: %+v %v", got, err)
	}
	if q := question(evil.ID); q.State() != bot.QuestionRejectedState {
		t.Fatalf("after Reject the question is %s", q.State())
	} else if d, _ := q.Decision(); d.Reason != bot.RejectAbusive || d.By != m0 {
		t.Errorf("decision %+v", d)
	}

	fair := ask("Which contracts are published?")
	drain()
	approve, mod2 := bot.ApproveValue(fair.ID), heldWith(m0, "qr:2")
	seen, err = s.f.Press(s.ctx, m0, mod2, approve)
	if err != nil || !strings.Contains(seen.Text, "approved") {
		t.Fatalf("Approve: %+v %v", seen, err)
	}
	drain()
	req := heldWith(m1, "qa:2")
	if !strings.Contains(req.Text, "Which contracts are published?") {
		t.Errorf("the request does not show the question:\n%s", req.Text)
	}
	seen, err = s.f.OpenForm(s.ctx, m1, req, "qa:2", "")
	if err != nil || seen.Form == nil {
		t.Fatalf("Respond: %+v %v", seen, err)
	}
	got, err = s.f.Submit(s.ctx, m1, *seen.Form, map[string][]string{"answer": {"All of them, <@U024BE7LH> @here"}})
	if err != nil || len(got.FieldErrors) > 0 {
		t.Fatalf("answer: %+v %v", got, err)
	}
	a := question(fair.ID).Answers()
	if len(a) != 1 || a[0].By != m1 || a[0].Organisation != "Watchdog" || !strings.Contains(a[0].Text, "All of them") {
		t.Fatalf("stored answers %+v", a)
	}
}
