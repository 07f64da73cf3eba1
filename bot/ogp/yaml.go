package ogp

import (
	"bytes"
	"fmt"
	"reflect"

	"forumbot/bot/config"
	"github.com/goccy/go-yaml"
)

// Marshal writes f as YAML for the coordinator to complete, headed by a
// comment saying what to fill in before `forumbot validate` and `forumbot
// run`. The proposals (Result.Proposals) are noted beside the locale and
// time zone they set, and in the header. Every string is written so that
// the configuration reads it as written and never expands a ${NAME} in it
// (config.LiteralFile): text from OGP's data cannot pull in a secret.
// Loading the YAML gives f again: Marshal checks it does.
func Marshal(f config.File, proposals ...Proposal) ([]byte, error) {
	f = config.LiteralFile(f)
	body, err := yaml.MarshalWithOptions(f, yaml.UseLiteralStyleIfMultiline(true), yaml.IndentSequence(true),
		yaml.WithComment(proposalComments(f, proposals)))
	if err != nil {
		return nil, fmt.Errorf("writing the configuration as YAML: %w", err)
	}
	if !readsBackAs(body, f) {
		// goccy/go-yaml leaves a few strings unquoted that it then reads as
		// something else ("? x" becomes a mapping key). JSON style quotes
		// every string; it is plainer to read but always reads back. It
		// takes no line comments: one would hide the rest of its line, so
		// the proposals are noted in the header only.
		if body, err = yaml.MarshalWithOptions(f, yaml.JSON()); err != nil {
			return nil, fmt.Errorf("writing the configuration as YAML: %w", err)
		}
		if !readsBackAs(body, f) {
			return nil, fmt.Errorf("writing the configuration as YAML: it does not read back as written")
		}
	}
	var b bytes.Buffer
	b.WriteString(`# forumbot configuration imported from OGP commitment data
# (forumbot import-ogp). Before running the bot:
#   - check timezone and locale, proposed from the country or locality
#     (see the notes below and beside them);
#   - fill in digest_channel: where digests are posted, e.g. slack:C0FORUM
#     (now ` + defaultDigestChannel + `);
#   - fill in coordinators: who runs the forum, e.g. slack:U0COORD
#     (now ` + defaultCoordinator + `);
#   - fill in committee: the members who follow up each commitment, e.g.
#     - {who: slack:U0GOV1, name: ..., group: government, org: ...}
#   - add a slack: or discord: section to connect the bot.
# Dates, milestones and IRM levels come from the export; check them, then
# run forumbot validate on this file.
`)
	for _, p := range proposals {
		b.WriteString("#\n# Proposed for forum " + p.Forum + ":\n")
		b.WriteString("#   timezone: " + p.Timezone + " (" + p.TimezoneNote + ")\n")
		b.WriteString("#   locale: " + p.Locale + " (" + p.LocaleNote + ")\n")
	}
	for _, forum := range f.Forums {
		if forum.Plan.ID == planIDUnknown {
			b.WriteString("#\n# The export names no action plan (no \"" + colPlanID + "\"): set the plan's\n" +
				"# id and title, and check that the commitments belong to one plan.\n")
			break
		}
	}
	b.WriteString("\n")
	b.Write(body)
	return b.Bytes(), nil
}

// proposalComments notes each proposal beside the keys it set.
func proposalComments(f config.File, proposals []Proposal) yaml.CommentMap {
	cm := yaml.CommentMap{}
	for i, forum := range f.Forums {
		for _, p := range proposals {
			if p.Forum != forum.ID {
				continue
			}
			cm[fmt.Sprintf("$.forums[%d].timezone", i)] = []*yaml.Comment{yaml.LineComment(" " + p.TimezoneNote)}
			cm[fmt.Sprintf("$.forums[%d].locale", i)] = []*yaml.Comment{yaml.LineComment(" " + p.LocaleNote)}
		}
	}
	return cm
}

// readsBackAs reports whether the YAML in body decodes to want.
func readsBackAs(body []byte, want config.File) bool {
	var got config.File
	return yaml.Unmarshal(body, &got) == nil && reflect.DeepEqual(got, want)
}
