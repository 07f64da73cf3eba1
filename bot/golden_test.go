package bot_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with -update.
// The diff of a golden file is how a reviewer sees a change in wording.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -run Golden -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden file at line %d:\n got: %q\nwant: %q\n(run go test ./bot -run Golden -update and review the diff)", name, i+1, g, w)
			}
		}
	}
}

var goldenPeriod = bot.Period{Year: 2026, Month: time.November}

type goldenForum struct {
	name    string
	forum   *bot.Forum
	history []bot.Update
	status  []string // commitments whose status is in the golden file
	away    map[bot.Address]bot.Date
}

func goldenForums(t *testing.T) []goldenForum {
	ex := exampleForum(t)
	im := importedForum(t)
	return []goldenForum{
		{name: "example", forum: ex, history: genHistory(ex, goldenPeriod, 12, 1),
			status: []string{"COT0001", "COT0002", "COT0003", "COT0004", "COT0005"},
			away:   map[bot.Address]bot.Date{"slack:U0GOV0401": {Year: 2026, Month: time.November, Day: 20}}},
		{name: "imported", forum: im, history: genHistory(im, goldenPeriod, 12, 2),
			status: []string{im.Plan.Commitments[0].ID, im.Plan.Commitments[4].ID, im.Plan.Commitments[12].ID}},
	}
}

// TestGoldenDigestAndStatus renders the digest and the status replies of the
// example forum and of the 40 imported commitments, after a year of
// generated answers, in every locale, as platform-neutral text.
func TestGoldenDigestAndStatus(t *testing.T) {
	cat := bot.MustCatalog()
	for _, gf := range goldenForums(t) {
		latest := latestOnly(gf.history)
		next := time.Date(2026, time.December, 1, 9, 0, 0, 0, gf.forum.Location)
		round := roundFor(gf.forum, goldenPeriod, 12, gf.away)
		data := bot.BuildDigest(bot.DigestInput{Forum: gf.forum, Period: goldenPeriod, Round: round, Updates: latest, NextRound: next})
		for _, locale := range bot.Locales() {
			tx := cat.Texts(locale)
			t.Run(gf.name+"/"+locale, func(t *testing.T) {
				golden(t, "digest-"+gf.name+"."+locale+".txt", bot.RenderText(bot.RenderDigest(tx, data)))
				var status strings.Builder
				for _, id := range gf.status {
					c, _ := gf.forum.Plan.Commitment(id)
					var recent []bot.Update
					for _, u := range gf.history {
						if u.CommitmentID == id {
							recent = append(recent, u)
						}
					}
					one := bot.BuildDigest(bot.DigestInput{Forum: gf.forum, Period: goldenPeriod, Round: round, Updates: latest, NextRound: next, Only: id})
					status.WriteString(bot.RenderText(bot.RenderStatus(tx, bot.StatusInput{Commitment: c, Digest: one, Recent: recent})))
					status.WriteString("\n----\n\n")
				}
				golden(t, "status-"+gf.name+"."+locale+".txt", status.String())
			})
		}
	}
}
