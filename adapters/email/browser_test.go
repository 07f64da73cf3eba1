package email_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"forumbot/adapters/browsertest"
	"forumbot/bot"
)

var update = flag.Bool("update", false, "rewrite the screenshots under docs/")

// checkAxe runs axe-core on the page shown, when it is installed, and
// fails on any violation of WCAG 2.1 A/AA or of its best practices.
func checkAxe(t *testing.T, ctx context.Context, axe []byte, what string) {
	t.Helper()
	if axe == nil {
		t.Logf("axe-core not found (%s): %s was not checked by axe", browsertest.AxeWhere(), what)
		return
	}
	browsertest.CheckAxe(t, ctx, axe, what, browsertest.BestPractices)
}

// TestFormInChromium follows the link of a received e-mail in headless
// Chromium, 360 px wide, keyboard only: an invalid answer shows the error
// next to its field and stores nothing; a valid one is stored once and
// confirmed, and the next digest, mailed to the list, shows it; an
// expired or altered link is refused with a clear page. axe-core checks
// every page. With -update it saves the screenshots under docs/.
func TestFormInChromium(t *testing.T) {
	w := newEngineWorld(t, forumYAML, nil)
	w.run()
	mail := w.prompt("ana@example.org")
	w.previews.Store("/preview/prompt", mail.HTML)
	link := mail.Links[0]
	ctx, cancel := context.WithTimeout(browsertest.Start(t, browsertest.Find(t, "the form"), 360), 90*time.Second)
	defer cancel()
	axe := browsertest.AxeScript()
	shots := map[string][]byte{}
	shot := func(file string) {
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil || len(b) == 0 {
			t.Fatalf("screenshot: %v", err)
		}
		shots[file] = b
	}

	// The e-mail as a mail program shows its HTML part.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(600, 900), chromedp.Navigate(w.web.URL+"/preview/prompt"), chromedp.WaitVisible("main > h1")); err != nil {
		t.Fatal(err)
	}
	checkAxe(t, ctx, axe, "the e-mail's HTML part")
	shot("email-prompt.png")

	// The form, 360 px wide.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 900), chromedp.Navigate(link), chromedp.WaitVisible("#f-completion")); err != nil {
		t.Fatal(err)
	}
	if wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
		t.Errorf("the form scrolls sideways at 360 px (%v)", err)
	}
	checkAxe(t, ctx, axe, "the form")
	shot("email-form.png")

	// Keyboard only: choose a level, type, and send with an invalid link.
	if err := chromedp.Do(ctx,
		chromedp.Focus("#f-completion"), chromedp.KeyEvent("S"),
		chromedp.SendKeys("#f-progress", "Budget tabled in council"),
		chromedp.SendKeys("#f-evidence", "not a link"),
		chromedp.Focus("button[type=submit]"), chromedp.KeyEvent("\r"),
	); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#summary")); err != nil {
		t.Fatal(err)
	}
	errText, err := chromedp.Run(ctx, chromedp.Text("#f-evidence-error"))
	if err != nil || !strings.Contains(errText, "not a link") {
		t.Errorf("the evidence field's error: %q %v", errText, err)
	}
	described, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("f-evidence").getAttribute("aria-describedby") + " " + document.getElementById("f-evidence").getAttribute("aria-invalid")`))
	if err != nil || !strings.Contains(described, "f-evidence-error") || !strings.HasSuffix(described, "true") {
		t.Errorf("the evidence field does not point to its error: %q %v", described, err)
	}
	kept, _ := chromedp.Run(ctx, chromedp.Value("#f-progress"))
	if kept != "Budget tabled in council" {
		t.Errorf("the form lost what was typed: %q", kept)
	}
	if n := len(w.updates("email:ana@example.org")); n != 0 {
		t.Fatalf("an invalid answer stored %d updates", n)
	}
	checkAxe(t, ctx, axe, "the form with errors")
	shot("email-form-error.png")

	// Correct and send: stored once, confirmed.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("f-evidence").value = ""; true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys("#f-evidence", "https://budget.example.org/2031"),
		chromedp.Focus("button[type=submit]"), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(`p[role=status]`),
	); err != nil {
		t.Fatal(err)
	}
	status, _ := chromedp.Run(ctx, chromedp.Text(`p[role=status]`))
	if !strings.Contains(status, "C1") || !strings.Contains(status, "Substantial") {
		t.Errorf("the confirmation: %q", status)
	}
	checkAxe(t, ctx, axe, "the confirmation")
	us := w.updates("email:ana@example.org")
	if len(us) != 1 || us[0].Completion != bot.Substantial || us[0].Progress != "Budget tabled in council" || len(us[0].Evidence) != 1 {
		t.Fatalf("stored: %+v", us)
	}

	// Open the link again: the form shows the stored answer.
	if err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible("#f-progress")); err != nil {
		t.Fatal(err)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value("#f-progress")); v != "Budget tabled in council" {
		t.Errorf("the reopened form shows %q", v)
	}

	// The digest, mailed to the list, shows the answer.
	w.clock.advance(7 * 24 * time.Hour)
	w.run()
	digest := w.relay.messages("forum-list@example.org")
	if len(digest) == 0 {
		t.Fatal("no digest reached the list")
	}
	if d := parse(t, digest[len(digest)-1].Data); !strings.Contains(d.Plain, "Budget tabled in council") || !strings.Contains(d.Plain, "implementation digest") {
		t.Errorf("the digest:\n%s", d.Plain)
	}

	// An altered link, then an expired one.
	altered := strings.Replace(link, "t=", "t=x", 1)
	if err := chromedp.Do(ctx, chromedp.Navigate(altered), chromedp.WaitVisible(`p[role=status]`)); err != nil {
		t.Fatal(err)
	}
	if s, _ := chromedp.Run(ctx, chromedp.Text(`p[role=status]`)); !strings.Contains(s, "This link is not valid") {
		t.Errorf("an altered link shows %q", s)
	}
	checkAxe(t, ctx, axe, "the refused link")
	w.clock.advance(31 * 24 * time.Hour)
	if err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(`p[role=status]`)); err != nil {
		t.Fatal(err)
	}
	if s, _ := chromedp.Run(ctx, chromedp.Text(`p[role=status]`)); !strings.Contains(s, "This link has expired") {
		t.Errorf("an expired link shows %q", s)
	}
	if n := len(w.updates("email:ana@example.org")); n != 1 {
		t.Errorf("%d updates stored, want 1", n)
	}
	if *update {
		for file, b := range shots {
			if err := os.WriteFile(filepath.Join("..", "..", "docs", file), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
