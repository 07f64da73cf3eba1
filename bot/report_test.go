package bot_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"forumbot/adapters/browsertest"
	"forumbot/bot"
)

// importedReport is the report of the 40 imported commitments after a year
// of generated answers.
func importedReport(t *testing.T) bot.Report {
	t.Helper()
	f := importedForum(t)
	history := genHistory(f, goldenPeriod, 12, 2)
	var rounds []bot.RoundRecord
	for i := range 12 {
		rounds = append(rounds, *roundFor(f, goldenPeriod.Add(i-11), int64(i+1), nil))
	}
	return bot.BuildReport(bot.ReportInput{
		Forum: f, From: goldenPeriod.Add(-11), To: goldenPeriod, Updates: history, Rounds: rounds,
		GeneratedAt: time.Date(2026, time.November, 30, 12, 0, 0, 0, time.UTC),
	})
}

func TestReportContent(t *testing.T) {
	r := importedReport(t)
	if len(r.Commitments) != 40 || len(r.Response) != 12 {
		t.Fatalf("report: %d commitments, %d rounds", len(r.Commitments), len(r.Response))
	}
	plan := r.Forum.Plan
	if r.EndOfTermAt != plan.End.Period() || r.ProgressReportAt.Compare(plan.Start.Period()) <= 0 || r.ProgressReportAt.Compare(plan.End.Period()) >= 0 {
		t.Errorf("IRM periods: %s and %s, want a midpoint of the plan (%s to %s) and its end", r.ProgressReportAt, r.EndOfTermAt, plan.Start, plan.End)
	}
	var withHistory int
	for _, c := range r.Commitments {
		if len(c.History) > 0 {
			withHistory++
		}
		for i := 1; i < len(c.Timeline); i++ {
			if c.Timeline[i].Period.Compare(c.Timeline[i-1].Period) <= 0 {
				t.Fatalf("%s timeline out of order", c.Commitment.ID)
			}
		}
	}
	if withHistory != 40 {
		t.Errorf("%d commitments have history, want 40", withHistory)
	}
	var md bytes.Buffer
	if err := bot.WriteReportMarkdown(&md, bot.MustCatalog().Texts("en"), r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# OGP Multistakeholder Forum: implementation report, December 2025 to November 2026", "| JAL0008 · Plataforma Digital De Participación Ciudadana en la Construcción y Aprobación de Leyes |", "Did it Open Government?** Marginal", "(Corrected figures.)", "correction after the round closed"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown report lacks %q", want)
		}
	}
	var c bytes.Buffer
	if err := bot.WriteReportCSV(&c, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&c).ReadAll()
	col := map[string]int{}
	for i, name := range bot.ReportCSVColumns {
		col[name] = i
	}
	if err != nil || len(rows) != 41 || rows[0][0] != "commitment" || rows[2][0] != "JAL0008" ||
		rows[2][col["did_it_open_government"]] != "Marginal" || rows[2][col["completion_end_of_term_irm"]] != "Complete" {
		t.Errorf("csv report: %v, %d rows: %q", err, len(rows), rows[:min(3, len(rows))])
	}
	var j bytes.Buffer
	if err := bot.WriteReportJSON(&j, r); err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		From        string
		Commitments []struct {
			ID  string
			IRM struct {
				DidItOpenGovernment string `json:"did_it_open_government"`
			}
			History []struct{ Version int }
		}
	}
	if err := json.Unmarshal(j.Bytes(), &decoded); err != nil || decoded.From != "2025-12" || len(decoded.Commitments) != 40 || len(decoded.Commitments[1].History) == 0 || decoded.Commitments[1].IRM.DidItOpenGovernment != "Marginal" {
		t.Errorf("json report: %v %+v", err, decoded.From)
	}
}

// TestReportHTMLInChromium opens the HTML report of the imported forum in
// headless Chromium: it must render with no console errors, with a chart
// per commitment and the response-rate chart, and print to A4. With
// -update it saves the screenshot under docs/.
func TestReportHTMLInChromium(t *testing.T) {
	browser := browsertest.Find(t, "the HTML report")
	var html bytes.Buffer
	if err := bot.WriteReportHTML(&html, bot.MustCatalog().Texts("en"), importedReport(t)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html.String(), "ZgotmplZ") {
		t.Fatalf("the template refused a value (ZgotmplZ in the output)")
	}
	var requests []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.URL.Path)
		mu.Unlock()
		if r.URL.Path != "/report.html" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(html.Bytes())
	}))
	defer srv.Close()

	// The browser is started before the page loads, and the console
	// subscribed to, so that no message is lost.
	ctx := browsertest.Start(t, browser, 900)
	consoleCtx, stopConsole := context.WithCancel(ctx)
	messages := chromedp.Console(consoleCtx)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/report.html"), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("loading the report: %v", err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.chart").length`))
	if err != nil {
		t.Fatal(err)
	}
	polylines, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.chart polyline").length`))
	if err != nil {
		t.Fatal(err)
	}
	// The page is long (40 commitments with their history); the screenshots
	// show the response-rate section and one commitment.
	shots := map[string][]byte{}
	for file, sel := range map[string]string{"report-response.png": "#response", "report-commitment.png": "#c-JAL0008 .overview"} {
		shot, err := chromedp.Run(ctx, chromedp.Screenshot(sel))
		if err != nil || len(shot) == 0 {
			t.Fatalf("screenshot of %s: %d bytes, %v", sel, len(shot), err)
		}
		shots[file] = shot
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
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
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("console errors: %v", problems)
	}
	if len(requests) != 1 {
		t.Errorf("the page fetched %v; a self-contained report fetches nothing but itself", requests)
	}
	if !strings.HasPrefix(title, "OGP Multistakeholder Forum: implementation report") {
		t.Errorf("title %q", title)
	}
	if charts != 41 || polylines < 60 {
		t.Errorf("rendered %d charts with %d lines; want 41 charts (40 commitments and the response rate)", charts, polylines)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || bytes.Count(pdf, []byte("/Type /Page")) < 10 {
		t.Errorf("printing to A4 gave %d bytes", len(pdf))
	}
	if *update {
		for file, shot := range shots {
			if err := os.WriteFile(filepath.Join("..", "docs", file), shot, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
