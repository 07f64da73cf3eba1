package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"forumbot/bot"
)

// internalChat is an adapter for tests that need no Slack.
func internalChat(t *testing.T, secret string) *Chat {
	t.Helper()
	c, err := New(Config{BotToken: "xoxb-internal", SigningSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// submitted is the view_submission Slack sends for view, as user.
func submitted(t *testing.T, view slack.ModalViewRequest, user string) slack.InteractionCallback {
	t.Helper()
	sent, err := json.Marshal(view)
	if err != nil {
		t.Fatal(err)
	}
	var v slack.View
	if err := json.Unmarshal(sent, &v); err != nil {
		t.Fatal(err)
	}
	return slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: user}, View: v}
}

// TestStillSavingSpeaksTheFormsLanguage: a slow submission keeps the modal
// open with the form's own words, in the person's language.
func TestStillSavingSpeaksTheFormsLanguage(t *testing.T) {
	c := internalChat(t, "s")
	form := bot.Form{Ref: "u:1:C1", Title: "Avance: C1", Submit: "Guardar",
		Fields: []bot.FormField{{Name: bot.FieldProgress, Label: "Avances", Kind: bot.FieldLongText, Required: true}},
		Texts:  bot.FormTexts{StillSaving: "Guardando todavía."}}
	for _, tt := range []struct {
		form bot.Form
		want string
	}{{form, "Guardando todavía."}, {bot.Form{Ref: form.Ref, Title: form.Title, Fields: form.Fields}, bot.DefaultFormTexts().StillSaving}} {
		view, err := modal(tt.form, c.sealOrigin("U1", tt.form.Ref, formOrigin{Channel: "D1", TS: "1.2", Saving: tt.form.Texts.StillSaving}))
		if err != nil {
			t.Fatal(err)
		}
		ack, ok := c.earlyAck(submitted(t, view, "U1")).(*slack.ViewSubmissionResponse)
		if !ok {
			t.Fatalf("early ack: %T, want a view submission response", ack)
		}
		if got := ack.Errors[bot.FieldProgress]; !strings.HasPrefix(got, tt.want) {
			t.Errorf("still saving: %q, want %q", got, tt.want)
		}
	}
}

// TestOriginTrustedOnlyAsSealed: a submission's private_metadata is read
// only as the bot sealed it, for the person who submits and the form it
// was opened for; anything else, a response URL included, is ignored.
func TestOriginTrustedOnlyAsSealed(t *testing.T) {
	c := internalChat(t, "the-signing-secret")
	form := bot.Form{Ref: "u:1:C1", Title: "Progress: C1", Fields: []bot.FormField{{Name: bot.FieldProgress, Label: "Progress"}}}
	origin := formOrigin{Channel: "D0MEMBER1", TS: "1700000000.000100", Saving: "Still saving."}
	view, err := modal(form, c.sealOrigin("U0MEMBER1", form.Ref, origin))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := c.openOrigin(submitted(t, view, "U0MEMBER1")); !ok || got.Channel != origin.Channel || got.TS != origin.TS {
		t.Fatalf("the bot's own metadata: %+v %v, want it read", got, ok)
	}
	retarget := func(md string) slack.ModalViewRequest {
		v := view
		v.PrivateMetadata = md
		return v
	}
	var sealed map[string]string
	json.Unmarshal([]byte(view.PrivateMetadata), &sealed)
	other := func(key, value string) string {
		m := map[string]string{}
		for k, v := range sealed {
			m[k] = v
		}
		m[key] = value
		b, _ := json.Marshal(m)
		return string(b)
	}
	otherForm := view
	otherForm.CallbackID = "u:1:C2"
	for _, tt := range []struct {
		name string
		ic   slack.InteractionCallback
	}{
		{"AnotherPerson", submitted(t, view, "U0MEMBER2")},
		{"AnotherForm", submitted(t, otherForm, "U0MEMBER1")},
		{"AnotherPrompt", submitted(t, retarget(other("t", "1700000000.000200")), "U0MEMBER1")},
		{"AnotherChannel", submitted(t, retarget(other("c", "C0ELSEWHERE")), "U0MEMBER1")},
		{"ResponseURL", submitted(t, retarget(`{"c":"D0MEMBER1","r":"https://attacker.example/hook"}`), "U0MEMBER1")},
		{"Unsealed", submitted(t, retarget(`{"c":"D0MEMBER1","t":"1700000000.000100"}`), "U0MEMBER1")},
		{"OtherSecret", submitted(t, retarget(internalChat(t, "another-secret").sealOrigin("U0MEMBER1", form.Ref, origin)), "U0MEMBER1")},
		{"NotJSON", submitted(t, retarget("c=D0MEMBER1"), "U0MEMBER1")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := c.openOrigin(tt.ic); ok || got != (formOrigin{}) {
				t.Errorf("read %+v, %v; want nothing trusted", got, ok)
			}
		})
	}
	if strings.Contains(view.PrivateMetadata, "http") {
		t.Errorf("the metadata carries a URL: %s", view.PrivateMetadata)
	}
}
