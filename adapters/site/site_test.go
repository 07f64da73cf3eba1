package site_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"forumbot/adapters/site"
	"forumbot/bot"
)

const months = 6

// crawl follows every link of every HTML page from the site's front page
// and returns the body of every file reached, by URL path.
func crawl(t *testing.T, base string) map[string][]byte {
	t.Helper()
	seen := map[string][]byte{}
	queue := []string{"/site/"}
	hrefRE := regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if _, ok := seen[p]; ok {
			continue
		}
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
			continue
		}
		seen[p] = body
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, m := range hrefRE.FindAllSubmatch(body, -1) {
			ref := string(m[1])
			u, err := url.Parse(ref)
			if err != nil {
				t.Errorf("%s links to %q: %v", p, ref, err)
				continue
			}
			if u.IsAbs() || strings.HasPrefix(ref, "mailto:") {
				continue
			}
			next := (&url.URL{Path: p}).ResolveReference(u).Path
			if !strings.HasPrefix(next, "/site/") {
				t.Errorf("%s links outside the site: %q", p, ref)
				continue
			}
			queue = append(queue, next)
		}
	}
	return seen
}

// TestCrawlEveryLink follows every link from the index, in every
// language, and gets 200 for each; every page of both forums is reached.
func TestCrawlEveryLink(t *testing.T) {
	w := newWorld(t, months)
	srv := httptest.NewServer(w.newSite(t, false))
	defer srv.Close()
	got := crawl(t, srv.URL)
	imported := w.forums[1]
	for _, lang := range bot.Locales() {
		for _, c := range imported.Plan.Commitments {
			p := "/site/" + lang + "/forums/imported/commitments/" + c.ID + "/"
			if got[p] == nil {
				t.Errorf("%s was not reached from the index", p)
			}
		}
		for _, p := range []string{"forums/cotabato/feed.xml", "themes/", "forums/imported/digests/2026-11/", "forums/cotabato/digests/"} {
			if got["/site/"+lang+"/"+p] == nil {
				t.Errorf("%s was not reached from the index", "/site/"+lang+"/"+p)
			}
		}
	}
	for _, p := range []string{"/site/data/forums/imported/commitments/" + imported.Plan.Commitments[0].ID + ".csv", "/site/data/themes.json", "/site/data/index.csv"} {
		if got[p] == nil {
			t.Errorf("%s was not reached from the index", p)
		}
	}
	// 40 + 4 commitments, 2 forums × (forum, digests, feed) and the
	// digests, in four languages, and their data.
	if len(got) < 4*(44+6) {
		t.Errorf("reached %d files, want at least %d", len(got), 4*(44+6))
	}
	for p, body := range got {
		if bytes.Contains(body, []byte("ZgotmplZ")) {
			t.Errorf("%s: a template refused a value (ZgotmplZ)", p)
		}
	}
	es := string(got["/site/es/forums/imported/"])
	if !strings.Contains(es, `<html lang="es">`) || !strings.Contains(es, `hreflang="pt"`) || !strings.Contains(es, "noviembre de 2026") && !strings.Contains(es, "noviembre 2026") {
		t.Errorf("the Spanish forum page is not in Spanish with its alternates:\n%.600s", es)
	}
}

// TestHeadersAndCaching checks the security headers, conditional
// requests, gzip, and that what is not a page is refused without echoing
// the request.
func TestHeadersAndCaching(t *testing.T) {
	w := newWorld(t, months)
	srv := httptest.NewServer(w.newSite(t, false))
	defer srv.Close()
	get := func(method, p string, hdr map[string]string) *http.Response {
		req, _ := http.NewRequest(method, srv.URL+p, nil)
		// The transport would ask for gzip and undo it unseen.
		req.Header.Set("Accept-Encoding", "identity")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := get("GET", "/site/en/forums/cotabato/", nil)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	h := resp.Header
	if resp.StatusCode != 200 || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") || strings.Contains(h.Get("Content-Security-Policy"), "script") ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" || h.Get("Access-Control-Allow-Origin") != "*" ||
		h.Get("ETag") == "" || h.Get("Last-Modified") == "" {
		t.Fatalf("forum page: %d %v", resp.StatusCode, h)
	}
	if bytes.Contains(body, []byte("<script")) || bytes.Contains(body, []byte("style=")) {
		t.Errorf("the page has a script or an inline style")
	}
	if r := get("GET", "/site/en/forums/cotabato/", map[string]string{"If-None-Match": h.Get("ETag")}); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", r.StatusCode)
	}
	if r := get("GET", "/site/en/forums/cotabato/", map[string]string{"If-Modified-Since": h.Get("Last-Modified")}); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since: %d, want 304", r.StatusCode)
	}
	gz := get("GET", "/site/en/forums/cotabato/", map[string]string{"Accept-Encoding": "gzip"})
	zr, err := gzip.NewReader(gz.Body)
	if err != nil || gz.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip: %v %v", err, gz.Header)
	}
	unzipped, _ := io.ReadAll(zr)
	gz.Body.Close()
	if !bytes.Equal(unzipped, body) || gz.Header.Get("ETag") == h.Get("ETag") {
		t.Errorf("the gzipped page differs from the page (%d and %d bytes), or shares its ETag (%s)", len(unzipped), len(body), h.Get("ETag"))
	}
	for _, p := range []string{"/site/en/forums/<script>alert(1)</script>/", "/site/xx/index.html", "/site/en/forums/cotabato/commitments/NOPE/", "/site/../etc/passwd", "/site/data/forums/cotabato.xml", "/site/en/forums/cotabato/digests/2031-01/"} {
		r := get("GET", p, nil)
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusNotFound || bytes.Contains(b, []byte("script")) || bytes.Contains(b, []byte("NOPE")) || bytes.Contains(b, []byte("xx")) {
			t.Errorf("GET %s: %d %q, want a 404 that does not echo the path", p, r.StatusCode, b)
		}
	}
	if r := get("POST", "/site/", nil); r.StatusCode != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, want 405 with Allow", r.StatusCode)
	}
	if r := get("HEAD", "/site/data/index.json", nil); r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("HEAD data: %d %v", r.StatusCode, r.Header)
	}
}

// TestExportMatchesServe exports the site and compares every file with
// what serve answers for it, byte for byte; every page the crawler
// reaches is in the export.
func TestExportMatchesServe(t *testing.T) {
	w := newWorld(t, months)
	s := w.newSite(t, false)
	dir := t.TempDir()
	n, err := s.Export(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	files := 0
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel := filepath.ToSlash(strings.TrimPrefix(p, dir+string(filepath.Separator)))
		want, _ := os.ReadFile(p)
		resp, err := http.Get(srv.URL + "/site/" + rel)
		if err != nil {
			return err
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(got, want) {
			t.Errorf("%s: served %d, %d bytes; exported %d bytes", rel, resp.StatusCode, len(got), len(want))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != n || n < 300 {
		t.Errorf("exported %d files, Export said %d", files, n)
	}
	dynamic := 0
	for p := range crawl(t, srv.URL) {
		// The question form and the permalinks are made on request and
		// only served.
		if onRequest.MatchString(p) {
			dynamic++
			continue
		}
		rel := strings.TrimPrefix(p, "/site/")
		if rel == "" || strings.HasSuffix(rel, "/") {
			rel += "index.html"
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
			t.Errorf("%s is served but not exported", p)
		}
	}
	// The example forum takes questions: its commitment pages link to
	// the form, in four languages, and to the approved questions.
	if want := 4 * (len(w.forums[0].Plan.Commitments) + 3); dynamic != want {
		t.Errorf("the crawler reached %d question pages, want %d", dynamic, want)
	}
	if err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && onRequest.MatchString("/site/"+filepath.ToSlash(strings.TrimPrefix(p, dir+string(filepath.Separator)))+"/") {
			t.Errorf("%s, made on request, is exported", p)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// onRequest matches the paths of the pages made on request: the question
// form and the questions' permalinks.
var onRequest = regexp.MustCompile(`^/site/[a-z]{2}/forums/[^/]+/(commitments/[^/]+/ask|questions/Q-[0-9]+)/$`)

// TestPrivacy greps the whole exported and served site, with text
// publishing off, for every member's name and chat id of the
// configuration and every text a member typed.
func TestPrivacy(t *testing.T) {
	w := newWorld(t, months)
	s := w.newSite(t, false)
	dir := t.TempDir()
	if _, err := s.Export(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	var all bytes.Buffer
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			all.Write(b)
		}
		return nil
	})
	for _, b := range crawl(t, srv.URL) {
		all.Write(b)
	}
	text := all.String()
	var secrets []string
	for _, f := range w.forums {
		for _, c := range f.Plan.Commitments {
			for _, m := range c.Committee {
				secrets = append(secrets, m.Name, string(m.Who), chatID(m.Who))
			}
		}
		for _, a := range f.Coordinators {
			secrets = append(secrets, string(a), chatID(a))
		}
	}
	if len(w.typed) < 100 {
		t.Fatalf("only %d typed texts: the generated history is too thin to prove anything", len(w.typed))
	}
	for typed := range w.typed {
		secrets = append(secrets, typed)
	}
	// What the public typed that is not to be published: the text of the
	// pending and rejected questions, the e-mail addresses, the names of
	// askers who did not tick the box.
	if len(w.private) < 9 {
		t.Fatalf("only %d private texts of questions", len(w.private))
	}
	secrets = append(secrets, w.private...)
	sort.Strings(secrets)
	for _, sec := range secrets {
		if len(sec) >= 4 && strings.Contains(text, sec) {
			t.Errorf("%q is published", sec)
		}
	}
	// The same site with text on does publish the words: the grep above
	// would see them.
	on := w.newSite(t, true)
	dir2 := t.TempDir()
	if _, err := on.Export(context.Background(), dir2); err != nil {
		t.Fatal(err)
	}
	found := 0
	filepath.WalkDir(dir2, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			for typed := range w.typed {
				if bytes.Contains(b, []byte(typed)) {
					found++
					return nil
				}
			}
		}
		return nil
	})
	if found == 0 {
		t.Errorf("with text on, no typed text is published: the privacy check proves nothing")
	}
	// The approved questions, their answers and the name an asker agreed
	// to publish are on the same pages the grep read: it would see the
	// others.
	for _, pub := range w.public {
		if !strings.Contains(text, html.EscapeString(pub)) {
			t.Errorf("%q is not published: the privacy check of the questions proves nothing", pub)
		}
	}
}

// chatID is the platform's id of an address when it is one (it has a
// digit): "coordinator" alone is a word the pages may use.
func chatID(a bot.Address) string {
	if id := a.ID(); strings.ContainsAny(id, "0123456789") {
		return id
	}
	return string(a)
}

// TestFeedsParse parses every forum's Atom feed, in every language, with
// gofeed: one entry per closed round, each linking to its permalink.
func TestFeedsParse(t *testing.T) {
	w := newWorld(t, months)
	srv := httptest.NewServer(w.newSite(t, false))
	defer srv.Close()
	for _, f := range w.forums {
		rounds, err := w.db.Rounds(context.Background(), f.ID)
		if err != nil {
			t.Fatal(err)
		}
		closed := 0
		for _, r := range rounds {
			if r.State == bot.RoundClosed {
				closed++
			}
		}
		for _, lang := range bot.Locales() {
			u := srv.URL + "/site/" + lang + "/forums/" + f.ID + "/feed.xml"
			resp, err := http.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			feed, err := gofeed.NewParser().Parse(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			if feed.FeedType != "atom" || len(feed.Items) != closed || closed == 0 || feed.Language != lang {
				t.Fatalf("%s: %s feed in %q with %d entries, want atom in %s with %d", u, feed.FeedType, feed.Language, len(feed.Items), lang, closed)
			}
			link, _ := url.Parse(feed.Items[0].Link)
			abs := (&url.URL{Path: "/site/" + lang + "/forums/" + f.ID + "/feed.xml"}).ResolveReference(link)
			r, err := http.Get(srv.URL + abs.Path)
			if err != nil || r.StatusCode != 200 {
				t.Errorf("%s: entry link %s does not resolve", u, feed.Items[0].Link)
			}
			r.Body.Close()
		}
	}
}

// TestDataValidates validates every JSON file against the committed
// schema and checks that every CSV parses and names its licence.
func TestDataValidates(t *testing.T) {
	w := newWorld(t, months)
	s := w.newSite(t, true)
	dir := t.TempDir()
	if _, err := s.Export(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../../docs/opendata.schema.json")
	if err != nil || !bytes.Equal(committed, site.SchemaJSON()) {
		t.Fatalf("docs/opendata.schema.json is not the schema the site serves (%v): copy adapters/site/schema.json", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(site.SchemaJSON()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	jsons, csvs := 0, 0
	filepath.WalkDir(filepath.Join(dir, "data"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "schema.json") {
			return err
		}
		b, _ := os.ReadFile(p)
		switch filepath.Ext(p) {
		case ".json":
			jsons++
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				t.Errorf("%s: %v", p, err)
				return nil
			}
			if err := sch.Validate(v); err != nil {
				t.Errorf("%s does not validate: %v", p, err)
			}
		case ".csv":
			csvs++
			if !bytes.Contains(b, []byte("CC-BY-4.0")) && bytes.Count(b, []byte("\n")) > 1 {
				t.Errorf("%s does not name its licence", p)
			}
		}
		return nil
	})
	if jsons < 50 || jsons != csvs {
		t.Errorf("%d JSON files and %d CSV files", jsons, csvs)
	}
	// A document that breaks the schema is refused: the check can fail.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"kind":"forum","forum":{"id":"x"}}`))
	if sch.Validate(bad) == nil {
		t.Errorf("the schema accepts a broken forum document")
	}
}

// TestFiguresAreTheReports checks that the site's figures are the
// report's and the digest's for the same forum and period: the response
// by round, each commitment's views, flags and milestones.
func TestFiguresAreTheReports(t *testing.T) {
	w := newWorld(t, months)
	srv := httptest.NewServer(w.newSite(t, false))
	defer srv.Close()
	ctx := context.Background()
	for _, f := range w.forums {
		resp, err := http.Get(srv.URL + "/site/data/forums/" + f.ID + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			AsOf        string `json:"as_of"`
			Commitments []struct {
				ID           string `json:"id"`
				Disagreement bool   `json:"disagreement"`
				Views        []struct {
					Group string  `json:"group"`
					Level *string `json:"level"`
				} `json:"views"`
				Milestones struct{ Done, Total int } `json:"milestones"`
			} `json:"commitments"`
			Rounds []struct {
				Period  string                           `json:"period"`
				Overall struct{ Answered, Expected int } `json:"overall"`
			} `json:"rounds"`
		}
		json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		asOf, err := bot.ParsePeriod(got.AsOf)
		if err != nil {
			t.Fatalf("%s: as_of %q", f.ID, got.AsOf)
		}
		r, err := w.eng.Report(ctx, f, bot.Period{}, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rounds) == 0 || len(got.Rounds) != len(r.Response) {
			t.Fatalf("%s: %d rounds on the site, %d in the report", f.ID, len(got.Rounds), len(r.Response))
		}
		for i, pr := range r.Response {
			g := got.Rounds[i]
			if g.Period != pr.Period.String() || g.Overall.Answered != pr.Overall.Answered || g.Overall.Expected != pr.Overall.Expected {
				t.Errorf("%s %s: site %+v, report %+v", f.ID, pr.Period, g, pr.Overall)
			}
		}
		if len(got.Commitments) != len(r.Commitments) {
			t.Fatalf("%s: %d commitments on the site, %d in the report", f.ID, len(got.Commitments), len(r.Commitments))
		}
		disagreements := 0
		for i, c := range r.Commitments {
			g := got.Commitments[i]
			l := c.Latest
			if g.ID != c.Commitment.ID || g.Disagreement != l.Disagreement || g.Milestones.Done != l.Milestones.Done || g.Milestones.Total != l.Milestones.Total || len(g.Views) != len(l.Views) {
				t.Errorf("%s %s: site %+v, report %+v", f.ID, c.Commitment.ID, g, l)
				continue
			}
			for j, v := range l.Views {
				if level := g.Views[j].Level; g.Views[j].Group != string(v.Group) || (level == nil) != (v.Completion == bot.NoCompletion) || level != nil && *level != string(v.Completion) {
					t.Errorf("%s %s %s: site %v, report %s", f.ID, c.Commitment.ID, v.Group, level, v.Completion)
				}
			}
			if l.Disagreement {
				disagreements++
			}
		}
		if f.ID == "imported" && disagreements == 0 {
			t.Errorf("no disagreement in the imported forum: the history does not exercise the flag")
		}
	}
	questionFigures(t, w, srv.URL)
}

// questionFigures checks that the question counts on the site, in the
// forum's data, each commitment's data and page, are bot.TallyQuestions
// over Store.Questions.
func questionFigures(t *testing.T, w *world, base string) {
	ctx := context.Background()
	f := w.forums[0]
	qs, err := w.db.Questions(ctx, bot.QuestionFilter{ForumID: f.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := bot.TallyQuestions(qs, w.clock.Now())
	type counts struct {
		Commitment     string         `json:"commitment"`
		Received       int            `json:"received"`
		Pending        int            `json:"pending"`
		AnsweredOnTime int            `json:"answered_on_time"`
		AnsweredLate   int            `json:"answered_late"`
		Unanswered     int            `json:"unanswered"`
		Overdue        int            `json:"overdue"`
		Rejected       int            `json:"rejected"`
		ByReason       map[string]int `json:"rejected_by_reason"`
	}
	same := func(where string, g counts, tl bot.QuestionTally) {
		if g.Received != tl.Received || g.Pending != tl.Pending || g.AnsweredOnTime != tl.OnTime || g.AnsweredLate != tl.Late ||
			g.Unanswered != tl.Unanswered || g.Overdue != tl.Overdue || g.Rejected != tl.Rejected || g.ByReason["off_topic"] != tl.Reasons[bot.RejectOffTopic] {
			t.Errorf("%s: site %+v, tally %+v", where, g, tl)
		}
	}
	var forum struct{ Questions []counts }
	getJSON(t, base+"/site/data/forums/"+f.ID+".json", &forum)
	if len(forum.Questions) != len(f.Plan.Commitments) {
		t.Fatalf("%d commitments' question counts in the forum's data, want %d", len(forum.Questions), len(f.Plan.Commitments))
	}
	var total bot.QuestionTally
	kinds := map[string]bool{}
	for i, c := range f.Plan.Commitments {
		tl := want[c.ID]
		total = total.Add(tl)
		same(c.ID+" in the forum's data", forum.Questions[i], tl)
		var doc struct {
			Questions struct {
				Counts    counts
				Published []struct{ Ref string }
			}
		}
		getJSON(t, base+"/site/data/forums/"+f.ID+"/commitments/"+c.ID+".json", &doc)
		same(c.ID+" in its data", doc.Questions.Counts, tl)
		if len(doc.Questions.Published) != tl.OnTime+tl.Late+tl.Unanswered {
			t.Errorf("%s: %d questions published, the tally has %d approved", c.ID, len(doc.Questions.Published), tl.OnTime+tl.Late+tl.Unanswered)
		}
		resp, err := http.Get(base + "/site/en/forums/" + f.ID + "/commitments/" + c.ID + "/")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if cell := "<dt>Received</dt><dd>" + strconv.Itoa(tl.Received) + "</dd>"; !bytes.Contains(page, []byte(cell)) {
			t.Errorf("%s's page lacks %s", c.ID, cell)
		}
		if cell := "<dt>Unanswered</dt><dd>" + strconv.Itoa(tl.Unanswered) + " (" + strconv.Itoa(tl.Overdue) + " overdue)</dd>"; !bytes.Contains(page, []byte(cell)) {
			t.Errorf("%s's page lacks %s", c.ID, cell)
		}
		for k, n := range map[string]int{"ontime": tl.OnTime, "late": tl.Late, "overdue": tl.Overdue, "pending": tl.Pending, "rejected": tl.Rejected} {
			if n > 0 {
				kinds[k] = true
			}
		}
	}
	if len(kinds) < 5 || total.Received != len(qs) {
		t.Errorf("the questions exercise only %v of on time, late, overdue, pending and rejected (%d received of %d)", kinds, total.Received, len(qs))
	}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s: %d %v", u, resp.StatusCode, err)
	}
}
