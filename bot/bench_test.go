package bot_test

import (
	"fmt"
	"testing"
	"time"

	"forumbot/bot"
)

// bigForum has 100 commitments with 30 members each, from a pool of 600
// people (many sit on several committees), with three milestones each.
func bigForum() *bot.Forum {
	f := &bot.Forum{ID: "big", Name: "Big Forum", Location: time.UTC, Locale: "en"}
	for c := range 100 {
		cm := bot.Commitment{ID: fmt.Sprintf("C%03d", c), Title: fmt.Sprintf("Commitment number %d on open contracting and participation", c)}
		for m := range 3 {
			cm.Milestones = append(cm.Milestones, bot.Milestone{ID: fmt.Sprintf("M%d", m), Title: "Milestone", Due: bot.Date{Year: 2025 + m, Month: time.Month(1 + c%12), Day: 15}})
		}
		for m := range 30 {
			p := (c*7 + m*13) % 600
			g := bot.Government
			if p%2 == 1 {
				g = bot.CivilSociety
			}
			cm.Committee = append(cm.Committee, bot.Member{Who: bot.Address(fmt.Sprintf("local:p%03d", p)), Name: fmt.Sprintf("Person %d", p), Group: g, Organisation: fmt.Sprintf("Org %d", p%80)})
		}
		f.Plan.Commitments = append(f.Plan.Commitments, cm)
	}
	return f
}

// BenchmarkDigestInMemory builds and renders the digest of 100 commitments
// × 30 members × 24 months of generated history held in memory: the
// computation alone, without the store. BenchmarkDigestFromStore measures
// what serve does.
func BenchmarkDigestInMemory(b *testing.B) {
	f := bigForum()
	to := bot.Period{Year: 2026, Month: time.November}
	latest := latestOnly(genHistory(f, to, 24, 3))
	t := bot.MustCatalog().Texts("en")
	in := bot.DigestInput{Forum: f, Period: to, Updates: latest, Round: roundFor(f, to, 24, nil)}
	b.Run("BuildAndRender", func(b *testing.B) {
		b.ReportMetric(float64(len(latest)), "updates")
		for b.Loop() {
			if msg := bot.RenderDigest(t, bot.BuildDigest(in)); len(msg.Sections) == 0 {
				b.Fatal("empty digest")
			}
		}
	})
	b.Run("Build", func(b *testing.B) {
		for b.Loop() {
			bot.BuildDigest(in)
		}
	})
	d := bot.BuildDigest(in)
	b.Run("Render", func(b *testing.B) {
		for b.Loop() {
			bot.RenderDigest(t, d)
		}
	})
}
