package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"forumbot/bot"
)

// TestStillSavingSpeaksTheFormsLanguage: a slow submission keeps the modal
// open with the form's own words, in the person's language.
func TestStillSavingSpeaksTheFormsLanguage(t *testing.T) {
	form := bot.Form{Ref: "u:1:C1", Title: "Avance: C1", Submit: "Guardar",
		Fields: []bot.FormField{{Name: bot.FieldProgress, Label: "Avances", Kind: bot.FieldLongText, Required: true}},
		Texts:  bot.FormTexts{StillSaving: "Guardando todavía."}}
	for _, tt := range []struct {
		form bot.Form
		want string
	}{{form, "Guardando todavía."}, {bot.Form{Ref: form.Ref, Title: form.Title, Fields: form.Fields}, stillSaving}} {
		view, err := modal(tt.form, formOrigin{Channel: "D1", TS: "1.2"})
		if err != nil {
			t.Fatal(err)
		}
		sent, err := json.Marshal(view)
		if err != nil {
			t.Fatal(err)
		}
		var submitted slack.View
		if err := json.Unmarshal(sent, &submitted); err != nil {
			t.Fatal(err)
		}
		ack, ok := earlyAck(slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, View: submitted}).(*slack.ViewSubmissionResponse)
		if !ok {
			t.Fatalf("early ack: %T, want a view submission response", ack)
		}
		if got := ack.Errors[bot.FieldProgress]; !strings.HasPrefix(got, tt.want) {
			t.Errorf("still saving: %q, want %q", got, tt.want)
		}
	}
}
