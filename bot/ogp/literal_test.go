package ogp_test

import (
	"bytes"
	"strings"
	"testing"

	"forumbot/bot/config"
	"forumbot/bot/ogp"
)

// TestMarshal_TextIsNeverExpanded: a ${NAME} in OGP's data is written so
// that the configuration reads it as text: no variable, however named,
// reaches a title, and validate has nothing to warn about.
func TestMarshal_TextIsNeverExpanded(t *testing.T) {
	text := "Commitment Unique Identifier,Country/Locality,Commitment Title,Lead Institution\n" +
		"C1,Paraguay,Alpha ${SLACK_BOT_TOKEN},$${HOME} and ${HOME}\n"
	file, _, err := ogp.Import(strings.NewReader(text), ogp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := ogp.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	if file.Forums[0].Plan.Commitments[0].Title != "Alpha ${SLACK_BOT_TOKEN}" {
		t.Errorf("Marshal changed the file it was given: %q", file.Forums[0].Plan.Commitments[0].Title)
	}
	if !bytes.Contains(out, []byte("Alpha $${SLACK_BOT_TOKEN}")) {
		t.Errorf("the title is not written escaped:\n%s", out)
	}
	env := func(k string) (string, bool) { return "xoxb-secret-4242", true }
	cfg, err := config.Parse(out, "imported.yaml", config.Options{Getenv: env})
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Forums[0].Plan.Commitments[0]
	if c.Title != "Alpha ${SLACK_BOT_TOKEN}" || c.LeadAgency != "$${HOME} and ${HOME}" {
		t.Errorf("read back as title %q, lead agency %q; want them as in the export", c.Title, c.LeadAgency)
	}
	if w := strings.Join(cfg.Warnings, "\n"); strings.Contains(w, "${") {
		t.Errorf("validate warns about text written as text:\n%s", w)
	}
}
