package bot_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

// twoForums is testForum and a second forum with its own coordinator and
// committee, for "coordinator of another forum".
const twoForums = testForum + `
  - id: f2
    name: Other Forum
    timezone: Europe/Madrid
    digest_channel: local:digest2
    coordinators: [local:coord2]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P2
      commitments:
        - id: D1
          title: Other
          committee: [{who: local:other, name: Other One, group: government, org: Elsewhere}]
`

// The roles of the matrix, as people of forum f1 (or not).
var roles = []struct{ name, who string }{
	{"coordinator", "local:coord"},
	{"official", "local:mayor"},
	{"member of the commitment", "local:cs1"},
	{"member of another commitment", "local:gov3"},
	{"outsider", "local:stranger"},
	{"coordinator of another forum", "local:coord2"},
}

// Who may run each command, as the README's "Commands in chat" table says.
const (
	anyone      = "anyone"
	coordinator = "coordinators"
	members     = "committee members"
	committee   = "the commitment's committee"
	status      = "status"
)

// matrix lists every chat command, about forum f1 and its commitment C1,
// in an order that lets a coordinator run each on one forum: remind and
// close November's round, open December's, void it.
var matrix = []struct {
	text, who string
}{
	{"help", anyone},
	{"help round", anyone},
	{"status C1", status},
	{"status C1 f1", status},
	{"digest C1", coordinator},
	{"digest all f1", coordinator},
	{"update C1", committee},
	{"update", members},
	{"round failed f1", coordinator},
	{"round retry f1", coordinator},
	{"round remind f1", coordinator},
	{"round close f1", coordinator},
	{"round open 2026-12 f1", coordinator},
	{"round void 2026-12 f1", coordinator},
	{"away 2026-12-15", members},
	{"back", members},
}

// allowed says whether role may run a command open to who, under
// visibility.
func allowed(who, role string, visibility bot.Visibility) bool {
	switch who {
	case anyone:
		return true
	case coordinator:
		return role == "coordinator"
	case committee:
		return role == "member of the commitment"
	case members:
		return strings.HasPrefix(role, "member of")
	}
	return visibility == bot.VisibilityWorkspace || role != "outsider" && role != "coordinator of another forum"
}

// refusals are what a refusal for want of a role says.
var refusals = []string{"Only the coordinators of Test Forum", "coordinate no forum", "open to its coordinators, officials and committee members",
	"not on the committee of C1", "not on any committee"}

// TestAuthorisationMatrix runs every chat command as each role, under both
// status visibilities, and holds each answer to the README's table: the
// command is carried out (a reply or a form, no error) or refused for want
// of a role (an error saying so, nothing else).
func TestAuthorisationMatrix(t *testing.T) {
	for _, visibility := range []bot.Visibility{bot.VisibilityForum, bot.VisibilityWorkspace} {
		yaml := strings.Replace(twoForums, "officials: [local:mayor]", "officials: [local:mayor]\n    status_visibility: "+string(visibility), 1)
		for _, role := range roles {
			t.Run(fmt.Sprintf("%s/%s", visibility, role.name), func(t *testing.T) {
				h := newHarness(t, yaml, time.Time{})
				h.at(2026, time.November, 2, 9, 0)
				for _, c := range matrix {
					resp := command(t, h, role.who, c.text)
					want := allowed(c.who, role.name, visibility)
					got := resp.Error == "" && (resp.Reply != nil || resp.Form != nil)
					refusedForRole := resp.Error != "" && resp.Reply == nil && resp.Form == nil && saysRole(resp.Error)
					switch {
					case want && !got:
						t.Errorf("%s: /forum %s refused: %q", role.name, c.text, resp.Error)
					case !want && !refusedForRole:
						t.Errorf("%s: /forum %s carried out or refused for another reason: %q %q", role.name, c.text, resp.Error, textOf(resp.Reply))
					}
				}
			})
		}
	}
}

func saysRole(refusal string) bool {
	for _, r := range refusals {
		if strings.Contains(refusal, r) {
			return true
		}
	}
	return false
}

// TestReadmeCommandTableMatchesTheMatrix keeps the README's "who" column
// and the matrix above in step.
func TestReadmeCommandTableMatchesTheMatrix(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"status": "officials, coordinators, committee members (or anyone, with `status_visibility: workspace`)",
		"digest": "coordinators",
		"update": "committee members (their own commitments)",
		"round":  "coordinators",
		"away":   "committee members",
		"back":   "committee members",
		"help":   "anyone",
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(string(readme), "\n") {
		cells := strings.Split(line, " | ")
		if len(cells) != 4 || !strings.HasPrefix(cells[0], "| `") {
			continue
		}
		name := strings.Fields(strings.Trim(cells[0], "| `"))[0]
		if w, ok := want[name]; ok {
			seen[name] = true
			if cells[2] != w {
				t.Errorf("README: %s is for %q, want %q as the matrix tests", name, cells[2], w)
			}
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("README's command table has no row for %s", name)
		}
	}
}
