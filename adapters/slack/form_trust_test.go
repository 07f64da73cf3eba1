package slack_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"forumbot/bot"
)

// TestSubmissionCannotRetargetItsMetadata: a submission whose
// private_metadata names another member's prompt and a URL of its own
// edits the submitter's own prompt, answers them in their direct message
// and calls no URL it was handed.
func TestSubmissionCannotRetargetItsMetadata(t *testing.T) {
	f := newFake(t, fakeOptions{})
	eng := newEngine(t, f, forumYAML(f))
	f.listen(t, eng)
	eng.round(t)
	attacker, victim := f.Member(1), f.Member(0)
	victimPrompt := prompt(t, f, victim)
	var hits atomic.Int64
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer hook.Close()

	view, form := openForm(t, f, attacker, "u:1:C1")
	f.mu.Lock()
	view.metadata = fmt.Sprintf(`{"c":%q,"t":%q,"r":%q}`, victimPrompt.Ref.Channel, victimPrompt.Ref.ID, hook.URL+"/hook")
	f.mu.Unlock()
	seen, err := f.Submit(context.Background(), attacker, form, map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"mine"}})
	if err != nil || !strings.Contains(seen.Text, "Recorded: C1 is Limited") {
		t.Fatalf("the submitter was shown %q (%v), want their confirmation", seen.Text, err)
	}
	if p := prompt(t, f, victim); p.Edits != 0 {
		t.Errorf("the other member's prompt was edited %d times:\n%s", p.Edits, p.Text)
	}
	if p := prompt(t, f, attacker); p.Edits != 1 || !strings.Contains(p.Text, "mine") {
		t.Errorf("the submitter's own prompt has %d edits:\n%s", p.Edits, p.Text)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the bot called the URL from the metadata %d times", n)
	}
	noViolations(t, f)
}
