package slack_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	slackgo "github.com/slack-go/slack"

	"forumbot/adapters/chattest"
	"forumbot/adapters/slack"
	"forumbot/bot"
)

// openForm presses who's prompt button for formRef and returns the modal.
func openForm(t *testing.T, f *fakeSlack, who bot.Address, formRef string) (*fakeView, chattest.SeenForm) {
	t.Helper()
	seen, err := f.OpenForm(context.Background(), who, prompt(t, f, who), formRef, "")
	if err != nil || seen.Form == nil {
		t.Fatalf("OpenForm: %+v %v", seen, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.views[seen.Form.Platform.(string)], *seen.Form
}

func TestButtonOpensModal(t *testing.T) {
	f := newFake(t, fakeOptions{})
	eng := newEngine(t, f, forumYAML(f))
	f.listen(t, eng)
	eng.round(t)
	who := f.Member(1)
	view, form := openForm(t, f, who, "u:1:C2")
	if form.Ref != "u:1:C2" || form.Title != "Progress: C2" {
		t.Errorf("modal %q titled %q, want u:1:C2 titled Progress: C2", form.Ref, form.Title)
	}
	kinds := map[string]string{}
	for _, b := range view.blocks.BlockSet {
		in := b.(*slackgo.InputBlock)
		kinds[in.BlockID] = string(in.Element.ElementType())
		if sel, ok := in.Element.(*slackgo.SelectBlockElement); ok {
			var levels []string
			for _, o := range sel.Options {
				levels = append(levels, o.Value)
			}
			if got := strings.Join(levels, ","); got != "Not Started,Limited,Substantial,Complete,Withdrawn,No Evidence Available" {
				t.Errorf("completion levels offered: %s", got)
			}
		}
		if box, ok := in.Element.(*slackgo.CheckboxGroupsBlockElement); ok && in.BlockID == bot.FieldNeeds {
			if len(box.Options) != 2 || box.Options[0].Value != "resources" || box.Options[1].Value != "political_support" {
				t.Errorf("needs offered: %+v", box.Options)
			}
		}
		if txt, ok := in.Element.(*slackgo.PlainTextInputBlockElement); ok && in.BlockID == bot.FieldProgress && (txt.MaxLength != bot.MaxProgress || !txt.Multiline || in.Optional) {
			t.Errorf("progress input: %+v optional=%v", txt, in.Optional)
		}
	}
	want := map[string]string{
		bot.FieldCompletion: "static_select", bot.FieldProgress: "plain_text_input", bot.FieldBlockers: "plain_text_input",
		bot.FieldNextSteps: "plain_text_input", bot.FieldEvidence: "plain_text_input", bot.FieldNeeds: "checkboxes",
	}
	for name, kind := range want {
		if kinds[name] != kind {
			t.Errorf("field %s is a %q, want %q (all: %v)", name, kinds[name], kind, kinds)
		}
	}
	noViolations(t, f)
}

func TestModalRejectsFieldByFieldThenStores(t *testing.T) {
	f := newFake(t, fakeOptions{})
	eng := newEngine(t, f, forumYAML(f))
	f.listen(t, eng)
	eng.round(t)
	who := f.Member(1)
	_, form := openForm(t, f, who, "u:1:C2")
	ctx := context.Background()
	values := map[string][]string{
		bot.FieldCompletion: {"Substantial"}, bot.FieldProgress: {"   "},
		bot.FieldEvidence: {"https://data.example/ocds\nnot-a-link"}, bot.FieldNeeds: {"resources"},
	}
	seen, err := f.Submit(ctx, who, form, values)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(seen.FieldErrors[bot.FieldEvidence], `"not-a-link" is not a link`) || !strings.Contains(seen.FieldErrors[bot.FieldProgress], "required") || len(seen.FieldErrors) != 2 {
		t.Errorf("the modal shows %v, want errors on evidence and progress", seen.FieldErrors)
	}
	if us, _ := eng.store.Updates(ctx, bot.UpdateFilter{ForumID: "slackforum"}); len(us) != 0 {
		t.Fatalf("stored %d updates from a rejected form", len(us))
	}
	if p := prompt(t, f, who); p.Edits != 0 || seen.Text != "" {
		t.Errorf("a rejected form edited the prompt (%d edits) or confirmed %q", p.Edits, seen.Text)
	}

	// Text over the limit: Slack's client refuses it, as the modal says
	// max_length is the bot's limit.
	values[bot.FieldProgress] = []string{strings.Repeat("x", bot.MaxProgress+1)}
	if seen, err = f.Submit(ctx, who, form, values); err != nil || !strings.Contains(seen.FieldErrors[bot.FieldProgress], "2000 characters") {
		t.Errorf("a progress note over %d characters: %+v %v", bot.MaxProgress, seen.FieldErrors, err)
	}

	values[bot.FieldProgress] = []string{"Contracts published for the <b>first</b> quarter & more"}
	values[bot.FieldEvidence] = []string{"https://data.example/ocds"}
	seen, err = f.Submit(ctx, who, form, values)
	if err != nil || len(seen.FieldErrors) > 0 {
		t.Fatalf("Submit: %+v %v", seen, err)
	}
	us, err := eng.store.Updates(ctx, bot.UpdateFilter{ForumID: "slackforum", Member: who})
	if err != nil || len(us) != 1 || us[0].Completion != bot.Substantial || us[0].Progress != values[bot.FieldProgress][0] || us[0].Needs[0] != bot.NeedResources {
		t.Fatalf("stored %+v %v", us, err)
	}
	if !strings.Contains(seen.Text, "Recorded: C2 is Substantial") {
		t.Errorf("the person sees %q, want the confirmation", seen.Text)
	}
	p := prompt(t, f, who)
	if p.Edits != 1 || !strings.Contains(p.Text, "Contracts published for the <b>first") || !strings.Contains(p.Text, "quarter & more") || !strings.Contains(p.Text, "Your answer") {
		t.Errorf("the prompt after the answer (%d edits):\n%s", p.Edits, p.Text)
	}
	if labels := f.buttonLabels(p.Ref); !strings.Contains(strings.Join(labels, ","), "Edit answer") {
		t.Errorf("the prompt's buttons after the answer: %v, want an Edit button", labels)
	}
	if _, err := f.Submit(ctx, who, form, values); err == nil {
		t.Errorf("a closed modal could be submitted again")
	}
	noViolations(t, f)
}

// failingStore refuses to store updates while fail is set.
type failingStore struct {
	bot.Store
	fail atomic.Bool
}

func (s *failingStore) AddUpdate(ctx context.Context, u bot.Update) (bot.Update, bool, error) {
	if s.fail.Load() {
		return bot.Update{}, false, errors.New("disk I/O error")
	}
	return s.Store.AddUpdate(ctx, u)
}

func TestStoreFailureShownInModal(t *testing.T) {
	f := newFake(t, fakeOptions{})
	store := &failingStore{Store: newStore(t)}
	eng := newEngineWithStore(t, f, forumYAML(f), store)
	f.listen(t, eng)
	eng.round(t)
	who := f.Member(2)
	_, form := openForm(t, f, who, "u:1:C2")
	store.fail.Store(true)
	seen, err := f.Submit(context.Background(), who, form, map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"Tender drafted"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(seen.FieldErrors[bot.FieldCompletion], "nothing was recorded") {
		t.Errorf("the modal shows %v, want the store error on the first field", seen.FieldErrors)
	}
	if strings.Contains(seen.Text, "Recorded") || prompt(t, f, who).Edits != 0 {
		t.Errorf("a failed store was confirmed: %q", seen.Text)
	}
	store.fail.Store(false)
	seen, err = f.Submit(context.Background(), who, form, map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"Tender drafted"}})
	if err != nil || len(seen.FieldErrors) > 0 || !strings.Contains(seen.Text, "Recorded: C2 is Limited") {
		t.Errorf("after the store recovered: %+v %v", seen, err)
	}
	noViolations(t, f)
}

func TestModalPrefilledWithLastAnswer(t *testing.T) {
	f := newFake(t, fakeOptions{})
	eng := newEngine(t, f, forumYAML(f))
	f.listen(t, eng)
	eng.round(t)
	who := f.Member(2)
	_, form := openForm(t, f, who, "u:1:C2")
	if _, err := f.Submit(context.Background(), who, form, map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"Tender drafted"}, bot.FieldNeeds: {"political_support"}}); err != nil {
		t.Fatal(err)
	}
	eng.clock.Advance(31*24*time.Hour - 30*time.Minute) // 1 April, 09:00
	eng.round(t)
	var april []chattest.Held
	for _, h := range f.Held(who) {
		if strings.Contains(h.Text, "progress report for April 2031") {
			april = append(april, h)
		}
	}
	if len(april) != 1 || !strings.Contains(april[0].Text, "Limited (March 2031)") {
		t.Fatalf("April prompts: %+v", april)
	}
	seen, err := f.OpenForm(context.Background(), who, april[0], april[0].FormRefs[0], "")
	if err != nil || seen.Form == nil {
		t.Fatalf("OpenForm: %+v %v", seen, err)
	}
	for name, want := range map[string]string{bot.FieldCompletion: "Limited", bot.FieldNeeds: "political_support", bot.FieldProgress: ""} {
		if fl, _ := seen.Form.Field(name); strings.Join(fl.Initial, ",") != want {
			t.Errorf("%s pre-filled with %q, want %q", name, fl.Initial, want)
		}
	}
	noViolations(t, f)
}

// buttonLabels returns the labels of a message's buttons.
func (f *fakeSlack) buttonLabels(ref bot.MessageRef) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	if m := f.channels[ref.Channel].find(ref.ID); m != nil {
		for _, b := range m.blocks.BlockSet {
			if a, ok := b.(*slackgo.ActionBlock); ok {
				for _, e := range a.Elements.ElementSet {
					out = append(out, e.(*slackgo.ButtonBlockElement).Text.Text)
				}
			}
		}
	}
	return out
}

// TestEditWaitsOutRateLimit: the prompt's edit after an answer is a
// follow-up with no deadline of its own, so a 429 on chat.update is waited
// out rather than dropped, even when the adapter would not wait for Send.
func TestEditWaitsOutRateLimit(t *testing.T) {
	t.Parallel() // waits out real Retry-After seconds
	f := newFake(t, fakeOptions{config: func(c *slack.Config) { c.MaxRateLimitWait = -1 }})
	eng := newEngine(t, f, forumYAML(f))
	f.listen(t, eng)
	eng.round(t)
	who := f.Member(2)
	_, form := openForm(t, f, who, "u:1:C2")
	f.FailNext(1, chattest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	seen, err := f.Submit(context.Background(), who, form, map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"Tender drafted"}})
	if err != nil || !strings.Contains(seen.Text, "Recorded: C2 is Limited") {
		t.Fatalf("Submit: %+v %v", seen, err)
	}
	if p := prompt(t, f, who); p.Edits != 1 || !strings.Contains(p.Text, "Tender drafted") {
		t.Errorf("after a 429 on chat.update the prompt has %d edits:\n%s", p.Edits, p.Text)
	}
}
