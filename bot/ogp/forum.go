package ogp

import (
	"fmt"
	"strings"

	"forumbot/bot"
	"forumbot/bot/config"
)

// Defaults of an imported forum, for the coordinator to replace.
const (
	planIDUnknown   = "OGP-IMPORT" // when the rows name no action plan
	forumIDUnplaced = "ogp-import" // when they name no one locality

	defaultDigestChannel = "local:forum-digest"
	defaultCoordinator   = "local:coordinator"
)

// file assembles the configuration of a forum following plan p, made of
// the given commitments, with the locale and time zone it proposes.
func (imp *importer) file(p *planRows, commitments []config.CommitmentConfig) (config.File, Proposal) {
	forum := config.ForumConfig{
		ID:               forumIDUnplaced,
		Name:             "OGP Multistakeholder Forum",
		DigestChannel:    defaultDigestChannel,
		Coordinators:     []string{defaultCoordinator},
		StatusVisibility: string(bot.VisibilityForum),
		Schedule: config.ScheduleConfig{
			Prompt:    "0 9 1 * *",
			Window:    "7d",
			Reminders: []string{"3d", "6d"},
		},
		Plan: plan(p, commitments),
	}
	place := imp.place(p)
	if place != "" {
		forum.Name = place + " Multistakeholder Forum"
		if s := slug(place); s != "" {
			forum.ID = s
		}
	}
	proposal := propose(forum.ID, place)
	forum.Locale, forum.Timezone = proposal.Locale, proposal.Timezone
	return config.File{Forums: []config.ForumConfig{forum}}, proposal
}

// place names where plan p's commitments come from: their one locality,
// else the locality asked for, else "".
func (imp *importer) place(p *planRows) string {
	if len(p.localities.list) == 1 {
		return p.localities.list[0]
	}
	return oneLine(imp.opts.Locality)
}

// plan returns action plan p holding the given commitments and spanning
// their dates.
func plan(p *planRows, commitments []config.CommitmentConfig) config.PlanConfig {
	pc := config.PlanConfig{
		ID:          planIDUnknown,
		Title:       "Imported OGP commitments",
		Commitments: commitments,
	}
	if id := sanitiseID(p.id); id != "" {
		pc.ID = id
	}
	if len(p.localities.list) == 1 {
		pc.Title = p.localities.list[0] + planNumbers(p.numbers.list)
	}
	for _, c := range commitments {
		pc.Start, pc.End = earlier(pc.Start, c.Start), later(pc.End, c.End)
	}
	if pc.Start != "" && pc.End != "" && pc.End < pc.Start {
		// Only commitments without a start end this early: no span to claim.
		pc.End = ""
	}
	return pc
}

// planNumbers words the action plan numbers of a plan title.
func planNumbers(numbers []string) string {
	switch len(numbers) {
	case 0:
		return " action plan"
	case 1:
		return " action plan " + numbers[0]
	}
	return " action plans " + strings.Join(numbers, ", ")
}

// distinct collects non-empty strings once each, in the order first seen.
type distinct struct {
	list []string
	seen map[string]bool
}

func (d *distinct) add(s string) {
	if s == "" || d.seen[s] {
		return
	}
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	d.seen[s] = true
	d.list = append(d.list, s)
}

// maxListed bounds the names an error lists.
const maxListed = 10

// listSome quotes up to maxListed names and says how many more there are.
func listSome(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	quoted := make([]string, 0, maxListed+1)
	for _, n := range names[:min(len(names), maxListed)] {
		quoted = append(quoted, fmt.Sprintf("%q", n))
	}
	if more := len(names) - maxListed; more > 0 {
		quoted = append(quoted, fmt.Sprintf("and %d more", more))
	}
	return strings.Join(quoted, ", ")
}
