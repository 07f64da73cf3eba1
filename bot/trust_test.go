package bot_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"forumbot/bot"
)

// TestFormNamingAnotherPromptEditsOwn: an answer whose event names another
// member's prompt as the message it came from re-renders the member's own
// prompt, never the other's.
func TestFormNamingAnotherPromptEditsOwn(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	own, other := h.latest("local:cs1").Ref, h.latest("local:gov1").Ref
	round := h.rounds("f1")[0]
	resp := h.eng.HandleEvent(h.ctx, bot.Event{
		ID: "form-1", Kind: bot.EventForm, From: "local:cs1", MessageRef: other,
		FormRef: bot.FormRef{RoundID: round.ID, CommitmentID: "C1"}.String(),
		Values:  map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"mine"}},
	})
	if resp.Error != "" || resp.Reply == nil {
		t.Fatalf("the answer was refused: %q %v", resp.Error, resp.FieldErrors)
	}
	edit := resp.EditAfter(h.ctx)
	if edit == nil || edit.Ref != own {
		t.Errorf("the answer edits %+v, want the member's own prompt %v (never %v)", edit, own, other)
	}
}

// TestSameEventIDFromTwoMembersConfirmsEach: two members whose answers
// carry the same event id are each told what they recorded.
func TestSameEventIDFromTwoMembersConfirmsEach(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	round := h.rounds("f1")[0]
	for _, tt := range []struct{ who, level string }{{"local:cs1", "Substantial"}, {"local:gov1", "Limited"}} {
		resp := h.eng.HandleEvent(h.ctx, bot.Event{
			ID: "same-event", Kind: bot.EventForm, From: bot.Address(tt.who),
			FormRef: bot.FormRef{RoundID: round.ID, CommitmentID: "C1"}.String(),
			Values:  map[string][]string{bot.FieldCompletion: {tt.level}, bot.FieldProgress: {"by " + tt.who}},
		})
		if want := "Recorded: C1 is " + tt.level; resp.Reply == nil || !strings.Contains(resp.Reply.Text, want) {
			t.Errorf("%s was told %+v %q, want %q", tt.who, resp.Reply, resp.Error, want)
		}
	}
	us, err := h.store.Updates(h.ctx, bot.UpdateFilter{ForumID: "f1"})
	if err != nil || len(us) != 2 {
		t.Errorf("%d updates stored (%v), want one per member", len(us), err)
	}
}

// TestRefusalsQuoteInputSafely: a refusal that quotes what a person typed
// quotes it without control or bidirectional characters, on one line.
func TestRefusalsQuoteInputSafely(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	for _, text := range []string{
		"status C\u202eevil",
		"status C1 f\u2067x\u2069",
		"digest C\x1b[31mred",
		"update C\u200fx\u061c",
		"round open 2026-1\u202e1",
		"away 1\u202e5 dic",
		"nosuch\u202ecommand",
		"help bogus\u2066x",
		"status " + strings.Repeat("C", 500),
	} {
		resp := command(t, h, "local:coord", text)
		if resp.Error == "" && resp.Reply != nil {
			resp.Error = resp.Reply.Text
		}
		if resp.Error == "" {
			t.Errorf("/forum %q: no refusal", text)
			continue
		}
		if i := strings.IndexFunc(resp.Error, func(r rune) bool {
			return unicode.Is(unicode.Bidi_Control, r) || (unicode.IsControl(r) && r != '\n')
		}); i >= 0 {
			t.Errorf("/forum %q: the refusal quotes %U: %q", text, []rune(resp.Error[i:])[0], resp.Error)
		}
		if len(resp.Error) > 1000 {
			t.Errorf("/forum %q: a refusal of %d bytes quotes too much", text, len(resp.Error))
		}
	}
	resp := h.eng.HandleEvent(h.ctx, bot.Event{ID: "f", Kind: bot.EventForm, From: "local:cs1",
		FormRef: bot.FormRef{RoundID: h.rounds("f1")[0].ID, CommitmentID: "C1"}.String(),
		Values: map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"p"},
			bot.FieldEvidence: {"not\u202ea link"}, bot.FieldNeeds: {"mon\u202eey"}}})
	for field, msg := range resp.FieldErrors {
		if strings.ContainsRune(msg, '\u202e') {
			t.Errorf("the form's %s error quotes U+202E: %q", field, msg)
		}
	}
	if len(resp.FieldErrors) != 2 {
		t.Errorf("form errors %v, want evidence and needs refused", resp.FieldErrors)
	}
}

// TestUnknownForumListsOnlyTheCallersForums: naming a forum that does not
// exist lists the forums the caller has a role in, and none to a stranger.
func TestUnknownForumListsOnlyTheCallersForums(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	for _, tt := range []struct{ who, text, want string }{
		{"local:stranger", "status X nosuchforum", `There is no forum "nosuchforum".`},
		{"local:stranger", "digest all nosuchforum", `There is no forum "nosuchforum".`},
		{"local:mayor", "status X nosuchforum", `There is no forum "nosuchforum". Forums: f1.`},
		{"local:coord", "round open nosuchforum", `There is no forum "nosuchforum". Forums: f1.`},
	} {
		resp := command(t, h, tt.who, tt.text)
		if !strings.Contains(resp.Error, tt.want) {
			t.Errorf("%s /forum %s: %q, want %q", tt.who, tt.text, resp.Error, tt.want)
		}
		if tt.who == "local:stranger" && strings.Contains(resp.Error, "f1") {
			t.Errorf("%s /forum %s: a stranger is told a forum id: %q", tt.who, tt.text, resp.Error)
		}
	}
}
