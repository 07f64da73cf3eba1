package ogp_test

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/bot/ogp"
	"github.com/goccy/go-yaml"
)

// validID is the shape the configuration wants of commitment and plan ids.
var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$`)

// FuzzImport feeds arbitrary bytes to Import, then writes and reads back
// what it returns. Seeds live in testdata/fuzz/FuzzImport: small CSVs with
// the export's quirks and an excerpt of the real sample.
func FuzzImport(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ogp.Read(bytes.NewReader(data), ogp.Options{})
		file, problems := res.File, res.Problems
		for _, p := range problems {
			if p.Row < 1 || p.Message == "" {
				t.Errorf("problem without a row or message: %+v", p)
			}
		}
		if err != nil {
			if code := bot.ErrorCode(err); code != bot.EINVALID {
				t.Fatalf("error %v: got code %q, want %q", err, code, bot.EINVALID)
			}
			return
		}
		checkFile(t, file)
		out, err := ogp.Marshal(file, res.Proposals...)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		var back config.File
		if err := yaml.Unmarshal(out, &back); err != nil {
			t.Fatalf("Unmarshal: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(back, file) {
			t.Fatalf("YAML round trip changed the file:\ngot  %#v\nwant %#v\n%s", back, file, out)
		}
	})
}

// checkFile asserts what every successful import promises.
func checkFile(t *testing.T, file config.File) {
	t.Helper()
	if len(file.Forums) != 1 {
		t.Fatalf("got %d forums, want 1", len(file.Forums))
	}
	forum := file.Forums[0]
	if forum.ID == "" || !validID.MatchString(forum.Plan.ID) {
		t.Errorf("forum id %q, plan id %q", forum.ID, forum.Plan.ID)
	}
	checkSpan(t, "plan", forum.Plan.Start, forum.Plan.End)
	if len(forum.Plan.Commitments) == 0 {
		t.Errorf("no commitments and no error")
	}
	seen := map[string]bool{}
	for _, c := range forum.Plan.Commitments {
		key := strings.ToLower(c.ID)
		if c.ID == "" || !validID.MatchString(c.ID) || seen[key] {
			t.Errorf("commitment id %q is empty, invalid or repeated", c.ID)
		}
		seen[key] = true
		if c.Title == "" || c.Committee == nil {
			t.Errorf("%s: title %q, committee %v", c.ID, c.Title, c.Committee)
		}
		if n := utf8.RuneCountInString(c.Description); n > 4000 {
			t.Errorf("%s: description of %d runes", c.ID, n)
		}
		checkSpan(t, c.ID, c.Start, c.End)
		checkMilestones(t, c)
	}
}

// checkMilestones asserts that c's milestones are what validate accepts:
// unique valid ids, one-line titles, dates in order.
func checkMilestones(t *testing.T, c config.CommitmentConfig) {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range c.Milestones {
		if !validID.MatchString(m.ID) || seen[m.ID] {
			t.Errorf("%s: milestone id %q is invalid or repeated", c.ID, m.ID)
		}
		seen[m.ID] = true
		if strings.TrimSpace(m.Title) == "" || strings.ContainsAny(m.Title, "\n\r\t") {
			t.Errorf("%s %s: title %q", c.ID, m.ID, m.Title)
		}
		checkSpan(t, c.ID+" "+m.ID, m.Start, m.Due)
	}
}

// checkSpan asserts that start and end are empty or dates, in order.
func checkSpan(t *testing.T, what, start, end string) {
	t.Helper()
	for _, d := range []string{start, end} {
		if _, err := time.Parse("2006-01-02", d); d != "" && err != nil {
			t.Errorf("%s: date %q: %v", what, d, err)
		}
	}
	if start != "" && end != "" && end < start {
		t.Errorf("%s: ends %s before it starts %s", what, end, start)
	}
}
