package site_test

import (
	"context"
	"flag"
	"forumbot/adapters/browsertest"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

var screenshots = flag.String("screenshots", "", "write screenshots of the site at 1280 and 360 px into this directory (docs/)")

// axeSource returns axe-core's script, or skips the test saying the site
// was not checked.
func axeSource(t *testing.T) []byte {
	if b := browsertest.AxeScript(); b != nil {
		return b
	}
	t.Skipf("AXE-CORE IS MISSING: the site was NOT checked for accessibility: %s", browsertest.AxeWhere())
	return nil
}

// TestPagesInChromium loads every HTML page of both forums, in the four
// languages, in headless Chromium: no console error, no request to any
// address but the site's, and axe-core finds no WCAG 2.1 A or AA
// violation.
func TestPagesInChromium(t *testing.T) {
	browser := browsertest.Find(t, "the site")
	axe := axeSource(t)
	w := newWorld(t, months)
	srv := httptest.NewServer(w.newSite(t, false))
	defer srv.Close()
	var pages []string
	for p, body := range crawl(t, srv.URL) {
		if strings.HasSuffix(p, "/") && strings.HasPrefix(string(body), "<!DOCTYPE html>") {
			pages = append(pages, p)
		}
	}
	sort.Strings(pages)
	if len(pages) < 4*50 {
		t.Fatalf("only %d pages", len(pages))
	}
	ctx := browsertest.Start(t, browser, 1280)
	consoleCtx, stopConsole := context.WithCancel(ctx)
	messages := chromedp.Console(consoleCtx)
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("loading %s: %v", p, err)
		}
		foreign, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`performance.getEntriesByType("resource").map(e => e.name).filter(n => !n.startsWith(location.origin + "/"))`))
		if err != nil {
			t.Fatal(err)
		}
		if len(foreign) > 0 {
			t.Errorf("%s fetched %v", p, foreign)
		}
		browsertest.CheckAxe(t, ctx, axe, p, browsertest.WCAG21AA)
	}
	// The same check finds a violation when there is one: an image
	// without a text alternative, added to the last page.
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`document.querySelector("main").append(Object.assign(document.createElement("img"), {src: "/site/assets/icon.svg"})); 0`+";"+browsertest.AxeRun(browsertest.WCAG21AA), chromedp.EvalAwaitPromise))
	if err != nil || len(bad) == 0 {
		t.Errorf("axe-core found nothing wrong with an image without alt (%v): the check proves nothing", err)
	}
	if dir := *screenshots; dir != "" {
		for _, shot := range []struct {
			file, page string
			width      int64
		}{
			{"site-forum-1280.png", "/site/en/forums/cotabato/", 1280}, {"site-forum-360.png", "/site/en/forums/cotabato/", 360},
			{"site-commitment-1280.png", "/site/es/forums/cotabato/commitments/COT0002/", 1280}, {"site-commitment-360.png", "/site/es/forums/cotabato/commitments/COT0002/", 360},
		} {
			png, err := func() ([]byte, error) {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(shot.width, 900), chromedp.Navigate(srv.URL+shot.page), chromedp.WaitReady("body")); err != nil {
					return nil, err
				}
				return chromedp.Run(ctx, chromedp.CaptureScreenshot())
			}()
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, shot.file), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	stopConsole()
	var problems []string
	for m, err := range messages {
		if err != nil {
			break
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
			problems = append(problems, m.String())
		}
	}
	if len(problems) > 0 {
		t.Errorf("console errors: %v", problems)
	}
	t.Logf("%d pages checked with axe-core", len(pages))
}
