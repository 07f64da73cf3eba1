// Package browsertest starts headless Chromium for the tests that check
// pages in a real browser (the public site, the e-mail answer form, the
// HTML report, a question's whole path) and runs axe-core on them. A test
// on a machine without Chromium skips, saying what was not checked;
// .ci/run installs Chromium and axe-core.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Height is the window's height; tests choose its width.
const Height = 900

// Find returns Chromium's path ($CHROMIUM first), or skips the test
// saying that what was not checked in a browser.
func Find(t testing.TB, what string) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); name != "" && err == nil {
			return p
		}
	}
	t.Skipf("NO CHROMIUM on this machine (apt-get install chromium; .ci/run installs it): %s was NOT checked in a browser", what)
	return ""
}

// Start starts the headless Chromium at path with a window and viewport
// width × Height, for the test's duration, and returns once it runs.
func Start(t testing.TB, path string, width int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true), chromedp.WindowSize(width, Height),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), Height), chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// AxeScript returns axe-core's axe.min.js: from $FORUMBOT_AXE, or where
// .ci/run installs it with npm; nil when it is in neither place.
func AxeScript() []byte {
	for _, p := range axePaths() {
		if b, err := os.ReadFile(p); err == nil {
			return b
		}
	}
	return nil
}

// AxeWhere says where AxeScript looks and how to put axe-core there.
func AxeWhere() string {
	return "install it with `npm install --prefix " + filepath.Join("$XDG_CACHE_HOME", "forumbot-ci", "axe") +
		" axe-core@4` (.ci/run does) or set FORUMBOT_AXE to axe.min.js; looked in " + strings.Join(axePaths(), ", ")
}

func axePaths() []string {
	var paths []string
	if p := os.Getenv("FORUMBOT_AXE"); p != "" {
		paths = append(paths, p)
	}
	if dir, err := os.UserCacheDir(); err == nil {
		paths = append(paths, filepath.Join(dir, "forumbot-ci", "axe", "node_modules", "axe-core", "axe.min.js"))
	}
	return paths
}

// The rule sets CheckAxe runs: WCAG 2.1 A and AA, and axe's best
// practices besides.
var (
	WCAG21AA      = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}
	BestPractices = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"}
)

// AxeRun is the script that runs axe-core's rules of tags on the page
// and lists the violations, once axe-core is loaded; evaluate it awaiting
// its promise.
func AxeRun(tags []string) string {
	return `axe.run(document, {runOnly: {type: "tag", values: ["` + strings.Join(tags, `", "`) + `"]}}).then(r => r.violations.map(v => v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))`
}

// CheckAxe runs axe-core (script) on the page loaded in ctx with the
// rules of tags, and reports each violation as an error naming what.
func CheckAxe(t testing.TB, ctx context.Context, script []byte, what string, tags []string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(script)+";true")); err != nil {
		t.Fatalf("injecting axe-core into %s: %v", what, err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](AxeRun(tags), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", what, err)
	}
	if len(violations) > 0 {
		t.Errorf("%s: %d violations (%s):\n  %s", what, len(violations), strings.Join(tags, ", "), strings.Join(violations, "\n  "))
	}
}
