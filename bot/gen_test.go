package bot_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/bot/ogp"
	"forumbot/configs"
)

// exampleForum is configs/example.yaml.
func exampleForum(t testing.TB) *bot.Forum {
	t.Helper()
	cfg, err := config.Parse(configs.Example, "example.yaml", config.Options{IgnoreUnsetEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Forums[0]
}

// importedForum is the 40 commitments of the shared OGP sample, imported as
// forumbot import-ogp does, with generated committees: the lead agency and a
// ministry for government, and civil-society networks that each follow
// several commitments. The importer takes one action plan, and the sample
// holds 37: its "Action Plan ID" column is hidden so that all 40 rows
// import as one plan, as from an export without plan ids. The milestones
// read from the sample (2018 to 2025) are replaced by generated ones, due
// when the generated history runs.
func importedForum(t testing.TB) *bot.Forum {
	t.Helper()
	csv, err := os.ReadFile("../testdata/ogp-commitments-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	csv = bytes.Replace(csv, []byte(",Action Plan ID,"), []byte(",Plan (hidden),"), 1)
	file, _, err := ogp.Import(bytes.NewReader(csv), ogp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fc := &file.Forums[0]
	fc.Timezone = "America/Mexico_City"
	for i := range fc.Plan.Commitments {
		c := &fc.Plan.Commitments[i]
		lead := c.LeadAgency
		if lead == "" || len(lead) > 80 {
			lead = "Lead agency of " + c.ID
		}
		c.Committee = []config.MemberConfig{
			{Who: fmt.Sprintf("local:gov-%s", c.ID), Name: "Official " + c.ID, Group: "government", Org: lead, Role: "chair"},
			{Who: fmt.Sprintf("local:cso-%d", i%7), Name: fmt.Sprintf("Activist %d", i%7), Group: "civil_society", Org: fmt.Sprintf("Civil society network %d", i%7)},
			{Who: fmt.Sprintf("local:cso-%d", 7+i%5), Name: fmt.Sprintf("Researcher %d", i%5), Group: "civil_society", Org: fmt.Sprintf("University observatory %d", i%5)},
		}
		if i%4 == 0 {
			c.Committee = append(c.Committee, config.MemberConfig{Who: "local:gov-finance", Name: "Finance liaison", Group: "government", Org: "Ministry of Finance"})
		}
		c.Milestones = nil
		for m := range 2 {
			c.Milestones = append(c.Milestones, config.MilestoneConfig{
				ID: fmt.Sprintf("M%d", m+1), Title: []string{"Baseline published", "Platform live"}[m],
				Due: time.Date(2026, time.Month(3+m*6+i%6), 28, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
			})
		}
	}
	data, err := ogp.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(data, "imported.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Forums[0]
}

var (
	notes = []string{
		"Working group met twice; minutes published.",
		"Draft shared with civil society for comments.",
		"Budget line approved by the council.",
		"Public consultation held in three districts.",
		"Procurement of the platform delayed by a protest.",
		"Training for 40 officials completed.",
		"Data portal updated with the new datasets.",
	}
	blockers = []string{
		"Waiting for the council's budget approval.",
		"Key official moved to another post; no replacement yet.",
		"Vendor contract disputed.",
	}
)

// genHistory generates months of answers ending at period to, the same for
// the same seed: progress that climbs with noise, government a little more
// optimistic than civil society, some members often silent, blockers and
// needs that last a few months, evidence links, edits and a correction.
func genHistory(f *bot.Forum, to bot.Period, months int, seed uint64) []bot.Update {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	from := to.Add(-(months - 1))
	var out []bot.Update
	id := int64(0)
	blocked := map[string]int{}
	for i := range months {
		p := from.Add(i)
		round := int64(i + 1)
		for ci, c := range f.Plan.Commitments {
			base := min(3, (i+ci%3)*3/max(months, 1)+rng.IntN(2))
			for mi, m := range c.Committee {
				if (mi+ci+i)%5 == 4 || rng.IntN(10) == 0 {
					continue // silent this month
				}
				level := base
				if m.Group == bot.Government && rng.IntN(3) == 0 {
					level = min(3, level+1)
				}
				if m.Group == bot.CivilSociety && ci%9 == 4 {
					level = max(0, level-2) // a standing disagreement
				}
				completion := bot.Completions[level]
				if ci%13 == 12 && i > months/2 {
					completion = bot.Withdrawn
				}
				id++
				u := bot.Update{
					ID: id, ForumID: f.ID, Period: p, RoundID: round, CommitmentID: c.ID, Member: m.Who, Group: m.Group,
					Organisation: m.Organisation, Version: 1, Completion: completion, Progress: notes[rng.IntN(len(notes))],
					Source: bot.SourceForm, SubmittedAt: p.First().Time(f.Location).Add(time.Duration(24+rng.IntN(120)) * time.Hour),
				}
				key := c.ID + string(m.Who)
				if blocked[key] > 0 || rng.IntN(8) == 0 {
					if blocked[key] == 0 {
						blocked[key] = 1 + rng.IntN(3)
					}
					blocked[key]--
					u.Blockers = blockers[(ci+mi)%len(blockers)]
					u.Needs = []bot.Need{bot.Needs[(ci+mi)%2]}
				}
				if rng.IntN(4) == 0 {
					u.Evidence = []string{fmt.Sprintf("https://opengov.example.org/%s/%s", c.ID, p)}
				}
				for _, ms := range c.Milestones {
					if !ms.Due.IsZero() && ms.Due.Period().Compare(p) <= 0 && level >= 2 {
						u.MilestonesDone = append(u.MilestonesDone, ms.ID)
					}
				}
				if rng.IntN(12) == 0 {
					u.Source, u.Note = bot.SourceThread, "Thread note: the mayor's office confirmed the next steps."
				}
				out = append(out, u)
				if rng.IntN(15) == 0 { // an edit: a new version
					id++
					edit := u
					edit.ID, edit.Version = id, 2
					edit.SubmittedAt = u.SubmittedAt.Add(26 * time.Hour)
					edit.Progress += " (Corrected figures.)"
					edit.Correction = rng.IntN(2) == 0
					out = append(out, edit)
				}
			}
		}
	}
	return out
}

// latestOnly keeps the latest version per round, commitment and member, as
// the store's LatestUpdates does.
func latestOnly(us []bot.Update) []bot.Update {
	type key struct {
		round int64
		c     string
		m     bot.Address
	}
	idx := map[key]int{}
	var out []bot.Update
	for _, u := range us {
		k := key{u.RoundID, u.CommitmentID, u.Member}
		if i, ok := idx[k]; ok {
			if u.Version > out[i].Version {
				out[i] = u
			}
			continue
		}
		idx[k] = len(out)
		out = append(out, u)
	}
	return out
}

// roundFor is the record of a round of f in period p, open from the 1st at
// 09:00 for a week, closed, in which every member was prompted; away holds
// the absences as the round closed.
func roundFor(f *bot.Forum, p bot.Period, id int64, away map[bot.Address]bot.Date) *bot.RoundRecord {
	opened := time.Date(p.Year, p.Month, 1, 9, 0, 0, 0, f.Location)
	closes := opened.AddDate(0, 0, 7)
	prompted := map[bot.Address]bool{}
	for _, m := range f.Members() {
		prompted[m.Who] = true
	}
	return &bot.RoundRecord{
		Round:    bot.Round{ID: id, ForumID: f.ID, Period: p, ScheduledAt: opened, OpenedAt: opened, ClosesAt: closes, ClosedAt: closes, State: bot.RoundClosed},
		Prompted: prompted, Away: away,
	}
}
