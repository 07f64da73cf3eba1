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
// run`. Reading the YAML back gives f again: Marshal checks it does.
func Marshal(f config.File) ([]byte, error) {
	body, err := yaml.MarshalWithOptions(f, yaml.UseLiteralStyleIfMultiline(true), yaml.IndentSequence(true))
	if err != nil {
		return nil, fmt.Errorf("writing the configuration as YAML: %w", err)
	}
	if !readsBackAs(body, f) {
		// goccy/go-yaml leaves a few strings unquoted that it then reads as
		// something else ("? x" becomes a mapping key). JSON style quotes
		// every string; it is plainer to read but always reads back.
		if body, err = yaml.MarshalWithOptions(f, yaml.JSON()); err != nil {
			return nil, fmt.Errorf("writing the configuration as YAML: %w", err)
		}
		if !readsBackAs(body, f) {
			return nil, fmt.Errorf("writing the configuration as YAML: it does not read back as written")
		}
	}
	var b bytes.Buffer
	b.WriteString(`# forumbot configuration imported from OGP commitment data
# (forumbot import-ogp). Before running the bot, fill in:
#   - timezone: the forum's IANA time zone, e.g. Asia/Manila (now UTC);
#   - digest_channel: where digests are posted, e.g. slack:C0FORUM
#     (now ` + defaultDigestChannel + `);
#   - coordinators: who runs the forum, e.g. slack:U0COORD
#     (now ` + defaultCoordinator + `);
#   - committee: the members who follow up each commitment, e.g.
#     - {who: slack:U0GOV1, name: ..., group: government, org: ...}
#   - a slack: or discord: section to connect the bot.
# Dates and IRM levels come from the export; check them, then run
# forumbot validate on this file.
`)
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

// readsBackAs reports whether the YAML in body decodes to want.
func readsBackAs(body []byte, want config.File) bool {
	var got config.File
	return yaml.Unmarshal(body, &got) == nil && reflect.DeepEqual(got, want)
}
