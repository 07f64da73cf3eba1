package site_test

import (
	"context"
	"flag"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

var screenshots = flag.String("screenshots", "", "write screenshots of the site at 1280 and 360 px into this directory (docs/)")

// axeSource finds axe-core's axe.min.js: $FORUMBOT_AXE, or where .ci/run
// installs it with npm.
func axeSource(t *testing.T) []byte {
	var paths []string
	if p := os.Getenv("FORUMBOT_AXE"); p != "" {
		paths = append(paths, p)
	}
	if dir, err := os.UserCacheDir(); err == nil {
		paths = append(paths, filepath.Join(dir, "forumbot-ci", "axe", "node_modules", "axe-core", "axe.min.js"))
	}
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			return b
		}
	}
	t.Skipf("AXE-CORE IS MISSING: the site was NOT checked for accessibility. Install it with `npm install --prefix %s axe-core@4` (.ci/run does) or set FORUMBOT_AXE to axe.min.js; looked in %v",
		filepath.Join("$XDG_CACHE_HOME", "forumbot-ci", "axe"), paths)
	return nil
}

// TestPagesInChromium loads every HTML page of both forums, in the four
// languages, in headless Chromium: no console error, no request to any
// address but the site's, and axe-core finds no WCAG 2.1 A or AA
// violation.
func TestPagesInChromium(t *testing.T) {
	browser := findBrowser(t)
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
	ctx := startBrowser(t, browser, 1280)
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
		axeCheck(t, ctx, axe, p)
	}
	// The same check finds a violation when there is one: an image
	// without a text alternative, added to the last page.
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`document.querySelector("main").append(Object.assign(document.createElement("img"), {src: "/site/assets/icon.svg"})); 0`+";"+axeRun, chromedp.EvalAwaitPromise))
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

// axeRun runs axe-core's WCAG 2.1 A and AA rules on the page and lists
// the violations.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => r.violations.map(v => v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))`

// findBrowser returns Chromium's path, or skips the test saying so.
func findBrowser(t *testing.T) string {
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); name != "" && err == nil {
			return p
		}
	}
	t.Skip("NO CHROMIUM on this machine (apt-get install chromium; .ci/run installs it): the site was NOT checked in a browser")
	return ""
}

// startBrowser starts headless Chromium with a window width wide, for
// the test's duration.
func startBrowser(t *testing.T, browser string, width int) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true), chromedp.WindowSize(width, 900),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", browser, err)
	}
	return ctx
}

// axeCheck runs axe-core on the page loaded in ctx and reports its
// violations as errors.
func axeCheck(t *testing.T, ctx context.Context, axe []byte, what string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(axe)+";true")); err != nil {
		t.Fatalf("injecting axe-core into %s: %v", what, err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", what, err)
	}
	if len(violations) > 0 {
		t.Errorf("%s: %d WCAG 2.1 AA violations:\n  %s", what, len(violations), strings.Join(violations, "\n  "))
	}
}
