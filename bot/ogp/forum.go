package ogp

import (
	"fmt"
	"strings"

	"forumbot/bot"
	"forumbot/bot/config"
)

// Defaults of an imported forum, for the coordinator to replace.
const (
	planIDSeveral  = "OGP-IMPORT" // when the rows span several action plans
	forumIDSeveral = "ogp-import" // when they span several localities

	defaultDigestChannel = "local:forum-digest"
	defaultCoordinator   = "local:coordinator"
)

// file assembles the configuration from the imported rows.
func (imp *importer) file() (config.File, []Problem, error) {
	if imp.matched == 0 {
		return config.File{}, imp.problems, imp.noMatch()
	}
	if len(imp.commitments) == 0 {
		return config.File{}, imp.problems, bot.Errorf(bot.EINVALID,
			"none of the %d matching rows could be imported (%d problems)", imp.matched, len(imp.problems))
	}
	forum := config.ForumConfig{
		ID:               forumIDSeveral,
		Name:             "OGP Multistakeholder Forum",
		Timezone:         "UTC",
		Locale:           "en",
		DigestChannel:    defaultDigestChannel,
		Coordinators:     []string{defaultCoordinator},
		StatusVisibility: string(bot.VisibilityForum),
		Schedule: config.ScheduleConfig{
			Prompt:    "0 9 1 * *",
			Window:    "7d",
			Reminders: []string{"3d", "6d"},
		},
		Plan: imp.plan(),
	}
	if place := imp.place(); place != "" {
		forum.Name = place + " Multistakeholder Forum"
		if s := slug(place); s != "" {
			forum.ID = s
		}
	}
	return config.File{Forums: []config.ForumConfig{forum}}, imp.problems, nil
}

// place names where the imported commitments come from: their one locality,
// else the locality asked for, else "".
func (imp *importer) place() string {
	if len(imp.localities.list) == 1 {
		return imp.localities.list[0]
	}
	return oneLine(imp.opts.Locality)
}

// plan returns the action plan of the imported commitments, spanning their
// dates.
func (imp *importer) plan() config.PlanConfig {
	p := config.PlanConfig{
		ID:          planIDSeveral,
		Title:       "Imported OGP commitments",
		Commitments: imp.commitments,
	}
	if len(imp.plans.list) == 1 {
		if id := sanitiseID(imp.plans.list[0]); id != "" {
			p.ID = id
		}
	}
	if len(imp.localities.list) == 1 {
		p.Title = imp.localities.list[0] + planNumbers(imp.planNumbers.list)
	}
	// YYYY-MM-DD strings sort as the dates they write.
	for _, c := range imp.commitments {
		if c.Start != "" && (p.Start == "" || c.Start < p.Start) {
			p.Start = c.Start
		}
		if c.End > p.End {
			p.End = c.End
		}
	}
	if p.Start != "" && p.End != "" && p.End < p.Start {
		// Only commitments without a start end this early: no span to claim.
		p.End = ""
	}
	return p
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
