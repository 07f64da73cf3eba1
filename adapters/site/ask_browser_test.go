package site_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"forumbot/adapters/browsertest"
	"forumbot/bot"
)

// TestAskInChromium: a visitor at 360 px, keyboard only, opens a
// commitment page, follows its link to the question form, sends it empty
// (the error is shown by the field, nothing is stored), then with a
// question (the permalink shows its reference). A coordinator approves
// it and a committee member answers it as a chat adapter hands the
// engine their buttons and forms; the commitment page and the permalink
// then show the question and the answer. A second question, rejected,
// shows only its reason. axe-core finds no WCAG 2.1 AA violation on the
// form, the permalink and the commitment page with its question.
func TestAskInChromium(t *testing.T) {
	browser := browsertest.Find(t, "the site")
	axe := axeSource(t)
	w := newWorld(t, months)
	srv := httptest.NewServer(w.newSite(t, false))
	defer srv.Close()
	ctx := browsertest.Start(t, browser, 1280)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800)); err != nil {
		t.Fatal(err)
	}
	f := w.forums[0]
	c := f.Plan.Commitments[3]
	page := srv.URL + "/site/en/forums/cotabato/commitments/" + c.ID + "/"
	stored := func() []bot.Question {
		qs, err := w.db.Questions(context.Background(), bot.QuestionFilter{ForumID: f.ID, Commitment: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		return qs
	}
	text := func(sel string) string {
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return s
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatal(err)
	}
	// Keyboard only: the ask link is reached with Tab and followed with
	// Enter.
	var focused string
	for range 200 {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		var err error
		if focused, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.closest("p.ask") ? "ask" : ""`)); err != nil {
			t.Fatal(err)
		}
		if focused == "ask" {
			break
		}
	}
	if focused != "ask" {
		t.Fatal("the ask link was not reached with Tab")
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#q-question"))); err != nil {
		t.Fatal(err)
	}
	if scrollWidth, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || scrollWidth > 360 {
		t.Errorf("the form is %d px wide at 360 px (%v)", scrollWidth, err)
	}
	browsertest.CheckAxe(t, ctx, axe, "the question form", browsertest.WCAG21AA)
	before := len(stored())
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("button[type=submit]")), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#q-question-error"))); err != nil {
		t.Fatal(err)
	}
	if described, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#q-question"), "aria-describedby")); err != nil || !strings.Contains(described.Value, "q-question-error") {
		t.Errorf("the question field is not described by its error: %q %v", described.Value, err)
	}
	if n := len(stored()); n != before {
		t.Errorf("an empty question stored %d questions", n-before)
	}
	browsertest.CheckAxe(t, ctx, axe, "the question form with an error", browsertest.WCAG21AA)
	question := "Has the youth council seen the <b>draft</b> budget yet?"
	if err := chromedp.Do(ctx,
		chromedp.Focus(chromedp.CSS("#q-question")), chromedp.KeyEvent(question),
		chromedp.Focus(chromedp.CSS("#q-name")), chromedp.KeyEvent("Rosa Public"),
		chromedp.Focus(chromedp.CSS("#q-publish")), chromedp.KeyEvent(" "),
		chromedp.Focus(chromedp.CSS("#q-email")), chromedp.KeyEvent("rosa@example.net"),
		chromedp.Focus(chromedp.CSS("button[type=submit]")), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(".received"))); err != nil {
		t.Fatal(err)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	qs := stored()
	if len(qs) != before+1 {
		t.Fatalf("%d questions stored, want 1", len(qs)-before)
	}
	q := qs[len(qs)-1]
	if q.Text != bot.Sanitize(question, 0, "") || q.Name != "Rosa Public" || !q.PublishName || !q.HasContact {
		t.Errorf("stored %+v", q)
	}
	if got := text(".received"); !strings.Contains(got, "its reference is "+q.Ref()) || !strings.Contains(url, "/questions/"+q.Ref()+"/") {
		t.Errorf("the permalink %s says %q, want the reference %s", url, got, q.Ref())
	}
	if main := text("main"); strings.Contains(main, "youth council") {
		t.Errorf("the pending question's text is shown: %q", main)
	}
	browsertest.CheckAxe(t, ctx, axe, "the permalink", browsertest.WCAG21AA)

	// The coordinator approves, the committee member answers, as a chat
	// adapter passes their buttons and forms to the engine.
	bg := context.Background()
	id := strconv.FormatInt(q.ID, 10)
	member := c.Committee[0].Who
	for _, ev := range []bot.Event{
		{ID: "e2e-1", Kind: bot.EventButton, From: f.Coordinators[0], Action: bot.ActionApproveQuestion, Value: bot.ApproveValue(q.ID)},
		{ID: "e2e-2", Kind: bot.EventButton, From: member, Action: bot.ActionOpenForm, Value: "qa:" + id},
		{ID: "e2e-3", Kind: bot.EventForm, From: member, FormRef: "qa:" + id, Values: map[string][]string{"answer": {"Yes: it was shared on 20 November."}}},
	} {
		resp := w.eng.HandleEvent(bg, ev)
		if resp.Error != "" || resp.FieldErrors != nil || ev.Kind == bot.EventButton && ev.Action == bot.ActionOpenForm && resp.Form == nil {
			t.Fatalf("%s: %+v", ev.ID, resp)
		}
	}
	// The site keeps the commitment page up to 10 minutes after the
	// record grew; the query string keeps the browser's own cache (a
	// minute) out of the way.
	w.clock.Set(w.clock.Now().Add(10*time.Minute + time.Second))
	if err := chromedp.Do(ctx, chromedp.Navigate(page+"?answered"), chromedp.WaitVisible(chromedp.CSS("#"+q.Ref()))); err != nil {
		t.Fatal(err)
	}
	shown := text("#" + q.Ref())
	if !strings.Contains(shown, "Has the youth council seen the <b>draft") || !strings.Contains(shown, "Yes: it was shared on 20 November.") || !strings.Contains(shown, c.Committee[0].Organisation) ||
		!strings.Contains(shown, "Asked by Rosa Public") || strings.Contains(shown, c.Committee[0].Name) {
		t.Errorf("the commitment page shows:\n%s", shown)
	}
	if bold, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#`+q.Ref()+` b").length`)); err != nil || bold > 0 {
		t.Errorf("the typed <b> became an element (%d, %v)", bold, err)
	}
	browsertest.CheckAxe(t, ctx, axe, "the commitment page with a question", browsertest.WCAG21AA)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
		t.Fatal(err)
	}
	if main := text("main"); !strings.Contains(main, "Yes: it was shared on 20 November.") {
		t.Errorf("the permalink does not show the answer:\n%s", main)
	}
	browsertest.CheckAxe(t, ctx, axe, "the permalink of an answered question", browsertest.WCAG21AA)

	// A question rejected shows only its reason.
	rq, errs, err := w.eng.Ask(bg, bot.Asking{ForumID: f.ID, Commitment: c.ID, Text: "My neighbour at 12 Rizal St never pays tax", Locale: "en"})
	if err != nil || errs != nil {
		t.Fatal(err, errs)
	}
	if resp := w.eng.HandleEvent(bg, bot.Event{ID: "e2e-4", Kind: bot.EventForm, From: f.Coordinators[0], FormRef: "qr:" + strconv.FormatInt(rq.ID, 10),
		Values: map[string][]string{"reason": {"off_topic"}}}); resp.Error != "" || resp.FieldErrors != nil {
		t.Fatalf("reject: %+v", resp)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/site/en/forums/cotabato/questions/"+rq.Ref()+"/"), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
		t.Fatal(err)
	}
	if main := text("main"); !strings.Contains(main, "Reason: off-topic") || strings.Contains(main, "Rizal") {
		t.Errorf("the rejected question's permalink shows:\n%s", main)
	}
	w.clock.Set(w.clock.Now().Add(10*time.Minute + time.Second))
	if err := chromedp.Do(ctx, chromedp.Navigate(page+"?rejected"), chromedp.WaitVisible(chromedp.CSS("#h-questions"))); err != nil {
		t.Fatal(err)
	}
	if main := text("main"); strings.Contains(main, "Rizal") || !strings.Contains(main, "off-topic: 1") {
		t.Errorf("the commitment page after the rejection:\n%s", main)
	}
}
