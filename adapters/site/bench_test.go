package site_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"forumbot/adapters/site"
	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/store/sqlite"
	"forumbot/store/sqlite/sqlitetest"
)

// standardSite publishes the standard seeded forum: 100 commitments × 30
// members × 24 months, run through the real engine.
func standardSite(b *testing.B) (*site.Site, *sqlite.DB) {
	b.Helper()
	path, f := sqlitetest.Copy(b, sqlitetest.Standard)
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	eng, err := bot.New([]*bot.Forum{f}, db, nil, bot.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, time.November, 30, 12, 0, 0, 0, time.UTC) }
	s, err := site.New(site.Config{Engine: eng, Store: db, Now: now, Refresh: time.Hour, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Forums: []site.Forum{{Forum: f, Licence: "CC-BY-4.0", LicenceURL: config.Licences["CC-BY-4.0"], Evidence: true}}})
	if err != nil {
		b.Fatal(err)
	}
	return s, db
}

// BenchmarkForumPageCold renders the standard forum's page from the
// record: the report through the latest round, its digest and the HTML,
// nothing reused (a new site each time).
func BenchmarkForumPageCold(b *testing.B) {
	s, db := standardSite(b)
	f := s.Forums()[0]
	for b.Loop() {
		fresh, err := site.New(site.Config{Engine: s.Engine(), Store: db, Forums: []site.Forum{f}, Now: s.Now()})
		if err != nil {
			b.Fatal(err)
		}
		rec := httptest.NewRecorder()
		fresh.ServeHTTP(rec, httptest.NewRequest("GET", "/site/es/forums/seeded/", nil))
		if rec.Code != 200 {
			b.Fatalf("%d", rec.Code)
		}
		b.ReportMetric(float64(rec.Body.Len())/1e3, "kB")
	}
}

// BenchmarkForumPageRender renders the standard forum's page from the
// figures already computed (as they are between changes of the record):
// the page's view and its template.
func BenchmarkForumPageRender(b *testing.B) {
	s, _ := standardSite(b)
	if _, err := s.RenderUncached(context.Background(), "es/forums/seeded/index.html"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.RenderUncached(context.Background(), "es/forums/seeded/index.html"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConcurrent50 answers the forum page, with caching on, to 50
// concurrent clients on a real listener, and a static file of the same
// bytes served by net/http's FileServer on the same listener: req/s each.
func BenchmarkConcurrent50(b *testing.B) {
	s, _ := standardSite(b)
	dir := b.TempDir()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/site/es/forums/seeded/", nil))
	if err := os.WriteFile(filepath.Join(dir, "page.html"), rec.Body.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/site/", s)
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir(dir))))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, c := range []struct{ name, path string }{{"site", "/site/es/forums/seeded/"}, {"static", "/static/page.html"}} {
		b.Run(c.name, func(b *testing.B) {
			tr := &http.Transport{MaxIdleConnsPerHost: 50, DisableCompression: true}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			var next atomic.Int64
			start := time.Now()
			var wg sync.WaitGroup
			for range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						resp, err := client.Get(srv.URL + c.path)
						if err != nil {
							b.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != 200 {
							b.Errorf("%d", resp.StatusCode)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		})
	}
}

// BenchmarkRecordCheck is what the site does at most every Refresh (10 s)
// to decide whether its pages are current: read the forum's rounds, its
// record head and its questions from the public, here 200 of them, each
// approved and half of them answered.
func BenchmarkRecordCheck(b *testing.B) {
	s, db := standardSite(b)
	ctx := context.Background()
	f := s.Forums()[0].Forum
	at := time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC)
	for i := range 200 {
		c := f.Plan.Commitments[i%len(f.Plan.Commitments)]
		q, err := db.AddQuestion(ctx, bot.Question{ForumID: f.ID, AskedOn: c.ID, Text: "Question " + strconv.Itoa(i), Locale: "es", AskedAt: at, DueAt: at.Add(bot.DefaultQuestionDeadline)}, "")
		if err != nil {
			b.Fatal(err)
		}
		events := []bot.QuestionEvent{{QuestionID: q.ID, Kind: bot.QuestionApproved, At: at.Add(time.Hour), By: f.Coordinators[0]}}
		if i%2 == 0 {
			events = append(events, bot.QuestionEvent{QuestionID: q.ID, Kind: bot.QuestionAnswered, At: at.Add(48 * time.Hour), By: c.Committee[0].Who,
				Group: c.Committee[0].Group, Organisation: c.Committee[0].Organisation, Text: "Answer " + strconv.Itoa(i)})
		}
		for _, ev := range events {
			if _, _, err := db.AddQuestionEvent(ctx, ev); err != nil {
				b.Fatal(err)
			}
		}
	}
	for b.Loop() {
		if err := s.Look(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
