package discord_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"forumbot/adapters/chattest"
	"forumbot/bot"
)

// field returns a shown form's field or fails.
func field(t *testing.T, form *chattest.SeenForm, name string) chattest.SeenField {
	t.Helper()
	f, ok := form.Field(name)
	if !ok {
		t.Fatalf("the form has no field %s: %+v", name, form.Fields)
	}
	return f
}

// TestFormStoredAndPromptEdited walks the whole form: the button opens the
// panel, the needs and milestones menus are set, the level menu opens the
// modal, the submission is stored, then the prompt is edited and the panel
// becomes the confirmation.
func TestFormStoredAndPromptEdited(t *testing.T) {
	fx, w, who := engineForum(t)
	ctx := context.Background()
	ana := who["ana"]
	p := prompt(t, fx, ana)
	seen, err := fx.f.OpenForm(ctx, ana, p, p.FormRefs[0], bot.Limited)
	if err != nil || seen.Form == nil {
		t.Fatalf("OpenForm: %+v %v", seen, err)
	}
	form := seen.Form
	if got := field(t, form, bot.FieldCompletion); got.Label != "Completion" || strings.Join(got.Initial, ",") != "Limited" {
		t.Errorf("completion: %+v", got)
	}
	if got := field(t, form, bot.FieldNeeds); got.Label != "Needs" || len(got.Initial) != 0 {
		t.Errorf("needs: %+v", got)
	}
	field(t, form, bot.FieldMilestones)
	for _, name := range []string{bot.FieldProgress, bot.FieldBlockers, bot.FieldNextSteps, bot.FieldEvidence} {
		field(t, form, name)
	}
	if form.Title != "Progress: C1" {
		t.Errorf("modal title %q", form.Title)
	}
	ff := form.Platform.(*fakeForm)
	panel, _ := fx.f.heldMessage(ff.panel)
	if panel.Flags&64 == 0 {
		t.Errorf("the panel is not ephemeral: flags %d", panel.Flags)
	}
	got, err := fx.f.Submit(ctx, ana, *form, map[string][]string{
		bot.FieldCompletion: {"Substantial"}, bot.FieldProgress: {"Budget published on the portal"},
		bot.FieldEvidence: {"https://budget.example/2031"}, bot.FieldNeeds: {"resources"}, bot.FieldMilestones: {"M1"},
	})
	if err != nil || len(got.FieldErrors) > 0 {
		t.Fatalf("Submit: %+v %v", got, err)
	}
	if !strings.Contains(got.Text, "Recorded: C1 is Substantial.") {
		t.Errorf("the person sees %q, want the confirmation", got.Text)
	}
	us, err := w.store.Updates(ctx, bot.UpdateFilter{ForumID: "f1", Member: ana})
	if err != nil || len(us) != 1 {
		t.Fatalf("stored %+v %v", us, err)
	}
	u := us[0]
	if u.CommitmentID != "C1" || u.Completion != bot.Substantial || u.Progress != "Budget published on the portal" ||
		strings.Join(needs(u.Needs), ",") != "resources" || strings.Join(u.MilestonesDone, ",") != "M1" || strings.Join(u.Evidence, ",") != "https://budget.example/2031" {
		t.Errorf("stored update %+v", u)
	}
	edited := prompt(t, fx, ana)
	if edited.Edits != 1 || !strings.Contains(edited.Text, "Your answer") || !strings.Contains(edited.Text, "Budget published on the portal") {
		t.Errorf("the prompt after the answer (%d edits):\n%s", edited.Edits, edited.Text)
	}
	wire, _ := fx.f.heldMessage(edited.Ref.ID)
	if !strings.Contains(wire.Embeds[len(wire.Embeds)-1].Footer.Text, "ref ") {
		t.Errorf("the edit lost the delivery marker")
	}
	panel, _ = fx.f.heldMessage(ff.panel)
	if len(panel.Components) != 0 || !strings.Contains(panel.Content, "Recorded") {
		t.Errorf("the panel after the answer: %q with %d rows", panel.Content, len(panel.Components))
	}
	// Opening the form again shows the answer given.
	again, err := fx.f.OpenForm(ctx, ana, edited, edited.FormRefs[0], bot.Substantial)
	if err != nil || again.Form == nil {
		t.Fatalf("OpenForm again: %+v %v", again, err)
	}
	if got := field(t, again.Form, bot.FieldNeeds); strings.Join(got.Initial, ",") != "resources" {
		t.Errorf("needs shown again: %v", got.Initial)
	}
	if got := field(t, again.Form, bot.FieldProgress); strings.Join(got.Initial, ",") != "Budget published on the portal" {
		t.Errorf("progress shown again: %v", got.Initial)
	}
}

func needs(ns []bot.Need) []string {
	var out []string
	for _, n := range ns {
		out = append(out, string(n))
	}
	return out
}

// TestFormRejectedKeepsText submits bad input: nothing is stored, the
// person sees each error beside its field with what they wrote, and Try
// again reopens the modal with their text.
func TestFormRejectedKeepsText(t *testing.T) {
	fx, w, who := engineForum(t)
	ctx := context.Background()
	ana := who["ana"]
	p := prompt(t, fx, ana)
	seen, err := fx.f.OpenForm(ctx, ana, p, p.FormRefs[1], bot.Complete)
	if err != nil || seen.Form == nil {
		t.Fatalf("OpenForm: %+v %v", seen, err)
	}
	long := strings.Repeat("A long story of contracts. ", 80) // over 2,000 characters
	values := map[string][]string{
		bot.FieldCompletion: {"Complete"}, bot.FieldProgress: {long},
		bot.FieldEvidence: {"see the portal"}, bot.FieldNeeds: {"political_support"},
	}
	got, err := fx.f.Submit(ctx, ana, *seen.Form, values)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.FieldErrors) != 2 || !strings.Contains(got.FieldErrors[bot.FieldEvidence], `"see" is not a link`) || !strings.Contains(got.FieldErrors[bot.FieldProgress], "At most 2000 characters") {
		t.Errorf("field errors %v", got.FieldErrors)
	}
	for _, want := range []string{"Nothing was saved", "You wrote (Evidence links)", "see the portal"} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("the person sees no %q:\n%s", want, got.Text)
		}
	}
	if !strings.Contains(strings.ReplaceAll(got.Text, "\n", " "), strings.TrimSpace(long[:200])) {
		t.Errorf("the long progress text is not shown back")
	}
	if us, _ := w.store.Updates(ctx, bot.UpdateFilter{ForumID: "f1", Member: ana}); len(us) != 0 {
		t.Fatalf("stored despite errors: %+v", us)
	}
	// Try again: the modal comes back with what was written.
	ff := seen.Form.Platform.(*fakeForm)
	if err := fx.f.reopen(ctx, ff, "Complete", false); err != nil {
		t.Fatal(err)
	}
	reopened := fx.f.seenForm(ff).Form
	if got := field(t, reopened, bot.FieldProgress); strings.Join(got.Initial, "\n") != long {
		t.Errorf("the reopened modal lost the progress text: %d characters", len(strings.Join(got.Initial, "\n")))
	}
	if got := field(t, reopened, bot.FieldEvidence); strings.Join(got.Initial, "") != "see the portal" {
		t.Errorf("the reopened modal shows evidence %q", got.Initial)
	}
	if got := field(t, reopened, bot.FieldNeeds); strings.Join(got.Initial, ",") != "political_support" {
		t.Errorf("the panel forgot the needs chosen: %v", got.Initial)
	}
	values[bot.FieldProgress] = []string{"Contracts published"}
	values[bot.FieldEvidence] = []string{"https://contracts.example/ocds"}
	got, err = fx.f.Submit(ctx, ana, *reopened, values)
	if err != nil || len(got.FieldErrors) > 0 {
		t.Fatalf("second Submit: %+v %v", got, err)
	}
	us, _ := w.store.Updates(ctx, bot.UpdateFilter{ForumID: "f1", Member: ana})
	if len(us) != 1 || us[0].Completion != bot.Complete || strings.Join(needs(us[0].Needs), ",") != "political_support" {
		t.Errorf("stored %+v", us)
	}
}

// TestFormShapes covers forms other than the update form: text only (the
// button opens the modal; errors come back in a new message with Try
// again), menus without a level (Continue opens the modal), a level only
// (choosing it is the answer).
func TestFormShapes(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	text := bot.FormField{Name: "a", Label: "Some text", Kind: bot.FieldText, Required: true, MaxLen: 100}
	checks := bot.FormField{Name: bot.FieldNeeds, Label: "Needs", Kind: bot.FieldChecks, Options: []bot.Option{{Value: "resources", Label: "resources"}, {Value: "political_support", Label: "political support"}}}
	level := bot.FormField{Name: bot.FieldCompletion, Label: "Completion", Kind: bot.FieldSelect, Options: []bot.Option{{Value: "Limited", Label: "Limited"}, {Value: "Complete", Label: "Complete"}}}
	var many []bot.Option
	for i := range 60 {
		many = append(many, bot.Option{Value: fmt.Sprintf("M%d", i), Label: fmt.Sprintf("Milestone %d", i)})
	}
	milestones := bot.FormField{Name: bot.FieldMilestones, Label: "Milestones done", Kind: bot.FieldChecks, Options: many}
	forms := map[string][]bot.FormField{"u:1:TEXT": {text}, "u:1:MENUS": {checks, text}, "u:1:CHOICE": {level}, "u:1:LIST": {level, checks, milestones, text}}
	var mu sync.Mutex
	var got []map[string][]string
	fx.use(t, bot.HandlerFunc(func(_ context.Context, e bot.Event) bot.Response {
		switch e.Kind {
		case bot.EventButton:
			return bot.Response{Form: &bot.Form{Ref: e.Value, Title: "Form " + e.Value, Fields: forms[e.Value]}}
		case bot.EventForm:
			mu.Lock()
			got = append(got, e.Values)
			mu.Unlock()
			if v := e.Values["a"]; len(v) == 1 && v[0] == "bad" {
				return bot.Response{FieldErrors: map[string]string{"a": "Not that."}}
			}
			return bot.Response{Reply: &bot.Message{Text: "Saved " + e.FormRef}}
		}
		return bot.Response{}
	}))
	who := fx.person("shapes")
	msg := bot.Message{Header: "Forms", Sections: []bot.Section{{Title: "Shapes", Buttons: []bot.Button{
		{Label: "Text", Action: bot.ActionOpenForm, Value: "u:1:TEXT"},
		{Label: "Menus", Action: bot.ActionOpenForm, Value: "u:1:MENUS"},
		{Label: "Choice", Action: bot.ActionOpenForm, Value: "u:1:CHOICE"},
		{Label: "List", Action: bot.ActionOpenForm, Value: "u:1:LIST"},
	}}}}
	if _, err := fx.chat.Send(ctx, bot.Outgoing{To: who, Key: "shapes", Message: msg}); err != nil {
		t.Fatal(err)
	}
	held := prompt(t, fx, who)

	seen, err := fx.f.OpenForm(ctx, who, held, "u:1:TEXT", bot.Limited)
	if err != nil || seen.Form == nil || seen.Form.Platform.(*fakeForm).panel != "" {
		t.Fatalf("a text-only form opens as a modal at once: %+v %v", seen, err)
	}
	res, err := fx.f.Submit(ctx, who, *seen.Form, map[string][]string{"a": {"bad"}})
	if err != nil || res.FieldErrors["a"] != "Not that." {
		t.Fatalf("bad input: %+v %v", res, err)
	}
	ff := seen.Form.Platform.(*fakeForm)
	if err := fx.f.reopen(ctx, ff, ff.level, false); err != nil {
		t.Fatal(err)
	}
	if f := field(t, fx.f.seenForm(ff).Form, "a"); strings.Join(f.Initial, "") != "bad" {
		t.Errorf("Try again shows %q, want what was written", f.Initial)
	}
	if res, err = fx.f.Submit(ctx, who, *seen.Form, map[string][]string{"a": {"good"}}); err != nil || !strings.Contains(res.Text, "Saved u:1:TEXT") {
		t.Errorf("good input: %+v %v", res, err)
	}

	seen, err = fx.f.OpenForm(ctx, who, held, "u:1:MENUS", bot.Limited)
	if err != nil || seen.Form == nil {
		t.Fatalf("menus then Continue: %+v %v", seen, err)
	}
	if res, err = fx.f.Submit(ctx, who, *seen.Form, map[string][]string{bot.FieldNeeds: {"resources", "political_support"}, "a": {"fine"}}); err != nil || !strings.Contains(res.Text, "Saved u:1:MENUS") {
		t.Errorf("menus form: %+v %v", res, err)
	}

	seen, err = fx.f.OpenForm(ctx, who, held, "u:1:CHOICE", bot.Complete)
	if err != nil || seen.Form != nil || !strings.Contains(seen.Text, "Saved u:1:CHOICE") {
		t.Errorf("a choice only is answered by choosing: %+v %v", seen, err)
	}
	// 60 milestones do not fit in menus: they are typed, one per line.
	seen, err = fx.f.OpenForm(ctx, who, held, "u:1:LIST", bot.Limited)
	if err != nil || seen.Form == nil {
		t.Fatalf("list form: %+v %v", seen, err)
	}
	if res, err = fx.f.Submit(ctx, who, *seen.Form, map[string][]string{bot.FieldMilestones: {"M1", "M59"}, "a": {"listed"}}); err != nil || !strings.Contains(res.Text, "Saved u:1:LIST") {
		t.Errorf("list form: %+v %v", res, err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"a=bad", "a=good", "a=fine needs=resources,political_support", "completion=Complete", "a=listed completion=Limited milestones=M1,M59"}
	if len(got) != len(want) {
		t.Fatalf("submissions %v", got)
	}
	for i, values := range got {
		var parts []string
		for _, k := range []string{"a", bot.FieldCompletion, bot.FieldNeeds, bot.FieldMilestones} {
			if v, ok := values[k]; ok {
				parts = append(parts, k+"="+strings.Join(v, ","))
			}
		}
		if strings.Join(parts, " ") != want[i] {
			t.Errorf("submission %d: %v, want %s", i, values, want[i])
		}
	}
}
