package email

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"forumbot/bot"
)

func benchChat(b *testing.B) *Chat {
	b.Helper()
	c, err := New(Config{Host: "127.0.0.1", Port: 2525, Security: None, From: "Forum <forum@forum.example.org>",
		BaseURL: "https://forum.example.org", LinkSecret: "bench-link-secret-0123456789abcdefghijkl", Catalog: bot.MustCatalog(),
		Options: Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// benchPrompt is a prompt of five commitments, each with milestones due
// and a last answer, as a member on several committees gets it.
func benchPrompt() bot.Outgoing {
	msg := bot.Message{Header: "Forum: progress report for March 2031", Text: "Hello Ana, how did your commitments move forward in March 2031? Answers close on 8 March.", Footer: "Each link opens your form."}
	for i := 1; i <= 5; i++ {
		msg.Sections = append(msg.Sections, bot.Section{Title: fmt.Sprintf("C%d · Commitment number %d", i, i),
			Fields:  []bot.Field{{Label: "Milestones due", Value: "Budget published (31 Mar 2031)\nHearing held (15 Mar 2031)"}, {Label: "Your last answer", Value: "Limited (February 2031)"}},
			Buttons: []bot.Button{{Label: "Report progress", Action: bot.ActionOpenForm, Value: fmt.Sprintf("u:7:C%d", i)}}})
	}
	return bot.Outgoing{To: "email:ana@example.org", Key: "prompt/f/2031-03/email:ana@example.org", Locale: "en", ClosesAt: time.Now().Add(7 * 24 * time.Hour), Message: msg}
}

// BenchmarkComposePrompt builds one prompt e-mail of five commitments and
// writes it out as the relay receives it: both parts, five signed links,
// MIME encoding.
func BenchmarkComposePrompt(b *testing.B) {
	c, out := benchChat(b), benchPrompt()
	for b.Loop() {
		msg, _, err := c.compose(out)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := msg.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenForm serves the form page of a link: the token checked,
// the rate limit taken, the form asked of a handler that answers at once,
// a nonce signed and the page rendered.
func BenchmarkOpenForm(b *testing.B) {
	c := benchChat(b)
	form := &bot.Form{Ref: "u:7:C1", Title: "Progress: C1", Submit: "Save", Fields: []bot.FormField{
		{Name: bot.FieldCompletion, Label: "Completion", Kind: bot.FieldSelect, Required: true, Options: []bot.Option{{Value: "Limited", Label: "Limited"}, {Value: "Substantial", Label: "Substantial"}}, Initial: []string{"Limited"}},
		{Name: bot.FieldProgress, Label: "Progress this month", Kind: bot.FieldLongText, Required: true, MaxLen: 2000, Initial: []string{"Budget drafted"}},
		{Name: bot.FieldEvidence, Label: "Evidence links", Kind: bot.FieldLongText, MaxLen: 2000},
		{Name: bot.FieldNeeds, Label: "Needs", Kind: bot.FieldChecks, Options: []bot.Option{{Value: "resources", Label: "resources"}, {Value: "political_support", Label: "political support"}}},
	}}
	c.handler = bot.HandlerFunc(func(context.Context, bot.Event) bot.Response { return bot.Response{Form: form} })
	h := c.FormHandler()
	var links []string
	for i := range 10000 {
		out := benchPrompt()
		out.To = bot.Address(fmt.Sprintf("email:m%d@example.org", i))
		links = append(links, c.formURL(c.token(out, "id", "u:7:C1")))
	}
	i := 0
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, links[i%len(links)], nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("%d: %s", rec.Code, rec.Body)
		}
		i++
	}
}
