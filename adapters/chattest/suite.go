package chattest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/bot"
)

// Options configure a conformance run.
type Options struct {
	// NewStore returns an empty store for the end-to-end scenarios.
	NewStore func(t *testing.T) bot.Store
	// FormsOnly says the platform has no threads, commands or edits: a
	// person answers on the form alone, opened from a link (e-mail, whose
	// form is a web page). The scenarios of replies, commands, edits and
	// reconnection are left out, and nothing is expected to edit a sent
	// message.
	FormsOnly bool
}

// script is the handler the suite listens with: each scenario sets what it
// answers and reads the events it received.
type script struct {
	mu     sync.Mutex
	fn     func(context.Context, bot.Event) bot.Response
	events []bot.Event
}

func (s *script) HandleEvent(ctx context.Context, e bot.Event) bot.Response {
	s.mu.Lock()
	s.events = append(s.events, e)
	fn := s.fn
	s.mu.Unlock()
	if fn == nil {
		return bot.Response{}
	}
	return fn(ctx, e)
}

// set replaces the answer function and forgets past events.
func (s *script) set(fn func(context.Context, bot.Event) bot.Response) {
	s.mu.Lock()
	s.fn, s.events = fn, nil
	s.mu.Unlock()
}

func (s *script) seen() []bot.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bot.Event(nil), s.events...)
}

// Run runs the conformance scenarios against the adapter behind f. The
// adapter listens once for the whole run, as it would in production.
func Run(t *testing.T, f Fake, opts Options) {
	ctx, cancel := context.WithCancel(context.Background())
	h := &script{}
	done := make(chan error, 1)
	go func() { done <- f.Chat().Listen(ctx, h) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Listen: %v", err)
		}
	})
	s := &suite{f: f, h: h, ctx: ctx, opts: opts}
	t.Run("SendToMember", s.sendToMember)
	t.Run("DeliveredFindsTheKey", s.deliveredFindsTheKey)
	if !opts.FormsOnly {
		t.Run("EditAfterAnswer", s.editAfterAnswer)
	}
	t.Run("LongDigestSplitWithinLimits", s.longDigest)
	t.Run("MentionsNeutralised", s.mentions)
	t.Run("ButtonOpensForm", s.buttonOpensForm)
	t.Run("FormErrorsThenStored", s.formErrorsThenStored)
	if !opts.FormsOnly {
		t.Run("ReplyIsANote", s.replyIsANote)
		t.Run("Commands", s.commands)
		t.Run("Reconnect", s.reconnect)
	}
	if opts.NewStore != nil {
		t.Run("EngineRoundUnderFaults", s.engineRoundUnderFaults)
		if !opts.FormsOnly {
			// Approving takes a button that opens no form.
			t.Run("QuestionsThroughTheEngine", s.questionsThroughTheEngine)
		}
	}
	if v := f.Violations(); len(v) > 0 {
		t.Errorf("platform rules broken during the run:\n%s", strings.Join(v, "\n"))
	}
}

type suite struct {
	f    Fake
	h    *script
	ctx  context.Context
	opts Options
	seq  int
}

// key returns a fresh idempotency key.
func (s *suite) key(name string) string {
	s.seq++
	return fmt.Sprintf("conformance/%s/%d/%d", name, time.Now().UnixNano(), s.seq)
}

// prompt is a prompt-like message with two commitments.
func prompt(tag string) bot.Message {
	return bot.Message{
		Header: "Forum: progress report " + tag,
		Text:   "Hello, how did your commitments move forward?",
		Sections: []bot.Section{
			{Title: "C1 · Open budget", Fields: []bot.Field{{Label: "Milestones due", Value: "Budget published (15 Nov)"}},
				Buttons: []bot.Button{{Label: "Report progress", Action: bot.ActionOpenForm, Value: "u:7:C1", Style: bot.StylePrimary}}},
			{Title: "C2 · Open contracting", Fields: []bot.Field{{Label: "Your last answer", Value: "Limited (October)"}},
				Buttons: []bot.Button{{Label: "Report progress", Action: bot.ActionOpenForm, Value: "u:7:C2"}}},
		},
		Footer: "Reply here to add a note.",
	}
}

func (s *suite) last(t *testing.T, to bot.Address) Held {
	t.Helper()
	held := s.f.Held(to)
	if len(held) == 0 {
		t.Fatalf("%s holds no message", to)
	}
	return held[len(held)-1]
}

func (s *suite) send(t *testing.T, out bot.Outgoing) bot.MessageRef {
	t.Helper()
	ref, err := s.f.Chat().Send(s.ctx, out)
	if err != nil {
		t.Fatalf("Send to %s: %v", out.To, err)
	}
	return ref
}

func (s *suite) sendToMember(t *testing.T) {
	who := s.f.Member(0)
	before := len(s.f.Held(who))
	ref := s.send(t, bot.Outgoing{To: who, Key: s.key("send"), Message: prompt("send")})
	held := s.f.Held(who)
	if len(held) != before+1 {
		t.Fatalf("%s holds %d new messages, want 1", who, len(held)-before)
	}
	m := held[len(held)-1]
	if m.Ref != ref {
		t.Errorf("Send returned %v, the platform holds %v", ref, m.Ref)
	}
	for _, want := range []string{"progress report send", "C1 · Open budget", "Budget published (15 Nov)", "C2 · Open contracting", "Limited (October)", "Reply here to add a note."} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("message lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Join(m.FormRefs, ",") != "u:7:C1,u:7:C2" {
		t.Errorf("form refs offered: %v, want u:7:C1,u:7:C2", m.FormRefs)
	}
}

func (s *suite) deliveredFindsTheKey(t *testing.T) {
	who, other := s.f.Member(1), s.f.Member(2)
	out := bot.Outgoing{To: who, Key: s.key("idem"), Message: prompt("idem")}
	if _, found, err := s.f.Chat().Delivered(s.ctx, out); err != nil || found {
		t.Fatalf("Delivered before sending: found=%v err=%v", found, err)
	}
	ref := s.send(t, out)
	got, found, err := s.f.Chat().Delivered(s.ctx, out)
	if err != nil || !found || got != ref {
		t.Fatalf("Delivered after sending: %v found=%v err=%v, want %v", got, found, err, ref)
	}
	if _, found, _ := s.f.Chat().Delivered(s.ctx, bot.Outgoing{To: who, Key: s.key("other"), Message: out.Message}); found {
		t.Errorf("Delivered found a key never sent")
	}
	if _, found, _ := s.f.Chat().Delivered(s.ctx, bot.Outgoing{To: other, Key: out.Key, Message: out.Message}); found {
		t.Errorf("Delivered found the key in another person's conversation")
	}
}

// editAfterAnswer: the edit an answer's follow-up returns (as the
// engine's re-rendered prompt) replaces the message it names, in place,
// once, by the time the person has been answered.
func (s *suite) editAfterAnswer(t *testing.T) {
	who := s.f.Member(0)
	ref := s.send(t, bot.Outgoing{To: who, Key: s.key("edit"), Message: prompt("before")})
	n := len(s.f.Held(who))
	msg := prompt("after")
	msg.Sections[0].Fields = []bot.Field{{Label: "Your answer", Value: "Substantial · recorded"}}
	s.h.set(func(context.Context, bot.Event) bot.Response {
		return bot.Response{React: true, FollowUp: func(context.Context) *bot.Edit { return &bot.Edit{Ref: ref, Message: msg} }}
	})
	if _, err := s.f.Reply(s.ctx, who, s.last(t, who), "C1 substantial"); err != nil {
		t.Fatalf("Reply: %v", err)
	}
	held := s.f.Held(who)
	m := held[len(held)-1]
	if len(held) != n || m.Ref != ref || m.Edits != 1 || !strings.Contains(m.Text, "Substantial · recorded") || strings.Contains(m.Text, "report before") {
		t.Errorf("after the answer: %d messages (want %d), last %v with %d edits (want 1):\n%s", len(held), n, m.Ref, m.Edits, m.Text)
	}
}

// longDigest sends a digest of 40 commitments with long texts to a channel:
// everything must arrive, split as the platform requires.
func (s *suite) longDigest(t *testing.T) {
	msg := bot.Message{Header: "Forum: implementation digest, November 2026", Text: "Responses: 70 of 120 members (58%)", Footer: "Next round opens 1 Dec 2026."}
	for i := 1; i <= 40; i++ {
		body := strings.Repeat(fmt.Sprintf("Highlight %d of commitment C%02d with some detail. ", i, i), 12) + fmt.Sprintf("END-OF-C%02d", i)
		msg.Sections = append(msg.Sections, bot.Section{
			Title:  fmt.Sprintf("C%02d · Commitment number %d", i, i),
			Fields: []bot.Field{{Label: "Government", Value: "Substantial (2 answers)"}, {Label: "Civil society", Value: "Limited (1 answer)"}},
			Text:   body,
		})
	}
	before := len(s.f.Held(s.f.Channel()))
	s.send(t, bot.Outgoing{To: s.f.Channel(), Channel: true, Key: s.key("digest"), Message: msg})
	held := s.f.Held(s.f.Channel())[before:]
	var all strings.Builder
	for _, m := range held {
		all.WriteString(m.Text + "\n")
	}
	text := all.String()
	for i := 1; i <= 40; i++ {
		for _, want := range []string{fmt.Sprintf("C%02d · Commitment number %d", i, i), fmt.Sprintf("END-OF-C%02d", i)} {
			if !strings.Contains(text, want) {
				t.Errorf("the digest lost %q", want)
			}
		}
	}
	for _, want := range []string{"Responses: 70 of 120 members (58%)", "Next round opens 1 Dec 2026."} {
		if !strings.Contains(text, want) {
			t.Errorf("the digest lost %q", want)
		}
	}
}

// mentions sends text people typed that tries to ping or to inject links.
func (s *suite) mentions(t *testing.T) {
	evil := "<!channel> <!here> <!everyone> @everyone @here <@U024BE7LH> <@80351110224678912> <@&80351110224678913> <#C0FORUM01> <https://evil.example|click> [click](https://evil.example) & < >"
	msg := bot.Message{Header: "Digest " + evil, Text: evil, Sections: []bot.Section{{Title: evil, Text: evil, Fields: []bot.Field{{Label: evil, Value: evil}}}}, Footer: evil}
	s.send(t, bot.Outgoing{To: s.f.Channel(), Channel: true, Key: s.key("mentions"), Message: msg})
	m := s.last(t, s.f.Channel())
	for _, word := range []string{"channel", "here", "everyone", "click", "&", "evil.example"} {
		if !strings.Contains(m.Text, word) {
			t.Errorf("the text lost %q; neutralise mentions, do not delete the words:\n%s", word, m.Text)
		}
	}
}

func (s *suite) buttonOpensForm(t *testing.T) {
	who := s.f.Member(0)
	ref := s.send(t, bot.Outgoing{To: who, Key: s.key("button"), Message: prompt("button")})
	s.h.set(func(_ context.Context, e bot.Event) bot.Response {
		return bot.Response{Form: testForm(e.Value)}
	})
	seen, err := s.f.OpenForm(s.ctx, who, s.last(t, who), "u:7:C2", bot.Substantial)
	if err != nil {
		t.Fatalf("OpenForm: %v", err)
	}
	events := s.h.seen()
	if len(events) == 0 {
		t.Fatalf("the handler saw no event")
	}
	e := events[0]
	if e.Kind != bot.EventButton || e.From != who || e.Action != bot.ActionOpenForm || e.Value != "u:7:C2" || e.MessageRef != ref {
		t.Errorf("event: %+v; want a button press by %s on %v with value u:7:C2", e, who, ref)
	}
	if seen.Form == nil || seen.Form.Ref != "u:7:C2" {
		t.Fatalf("the person sees %+v, want the form", seen)
	}
	if f, ok := seen.Form.Field(bot.FieldProgress); !ok || f.Label != "Progress this month" || len(f.Initial) != 1 || f.Initial[0] != "Budget drafted" {
		t.Errorf("progress field: %+v %v", f, ok)
	}
}

// testForm is an update form like the engine's.
func testForm(ref string) *bot.Form {
	return &bot.Form{Ref: ref, Title: "Progress: C2", Submit: "Save", Fields: []bot.FormField{
		{Name: bot.FieldCompletion, Label: "Completion", Kind: bot.FieldSelect, Required: true, Initial: []string{"Limited"},
			Options: []bot.Option{{Value: "Not Started", Label: "Not Started"}, {Value: "Limited", Label: "Limited"}, {Value: "Substantial", Label: "Substantial"}, {Value: "Complete", Label: "Complete"}}},
		{Name: bot.FieldProgress, Label: "Progress this month", Kind: bot.FieldLongText, Required: true, MaxLen: 2000, Initial: []string{"Budget drafted"}},
		{Name: bot.FieldBlockers, Label: "Blockers", Kind: bot.FieldLongText, MaxLen: 1000},
		{Name: bot.FieldEvidence, Label: "Evidence links", Kind: bot.FieldLongText, MaxLen: 2000},
		{Name: bot.FieldNeeds, Label: "Needs", Kind: bot.FieldChecks, Options: []bot.Option{{Value: "resources", Label: "resources"}, {Value: "political_support", Label: "political support"}}},
	}}
}

func (s *suite) formErrorsThenStored(t *testing.T) {
	who := s.f.Member(1)
	ref := s.send(t, bot.Outgoing{To: who, Key: s.key("form"), Message: prompt("form")})
	var submitted []map[string][]string
	s.h.set(func(_ context.Context, e bot.Event) bot.Response {
		switch e.Kind {
		case bot.EventButton:
			return bot.Response{Form: testForm(e.Value)}
		case bot.EventForm:
			submitted = append(submitted, e.Values)
			if len(submitted) == 1 {
				return bot.Response{FieldErrors: map[string]string{bot.FieldEvidence: `"not a link" is not a link`}}
			}
			edited := prompt("form")
			edited.Sections[1].Fields = []bot.Field{{Label: "Your answer", Value: "Complete · recorded"}}
			return bot.Response{Reply: &bot.Message{Text: "Recorded: C2 is Complete."}, Edit: &bot.Edit{Ref: ref, Message: edited}}
		}
		return bot.Response{}
	})
	seen, err := s.f.OpenForm(s.ctx, who, s.last(t, who), "u:7:C2", bot.Complete)
	if err != nil || seen.Form == nil {
		t.Fatalf("OpenForm: %+v %v", seen, err)
	}
	values := map[string][]string{bot.FieldCompletion: {"Complete"}, bot.FieldProgress: {"Done"}, bot.FieldEvidence: {"not a link"}, bot.FieldNeeds: {"resources"}}
	got, err := s.f.Submit(s.ctx, who, *seen.Form, values)
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	if !strings.Contains(got.FieldErrors[bot.FieldEvidence], "is not a link") || len(got.FieldErrors) != 1 {
		t.Errorf("the person sees field errors %v, want one on evidence", got.FieldErrors)
	}
	values[bot.FieldEvidence] = []string{"https://ok.example/report"}
	if _, err := s.f.Submit(s.ctx, who, *seen.Form, values); err != nil {
		t.Fatalf("second Submit: %v", err)
	}
	if len(submitted) != 2 {
		t.Fatalf("the handler saw %d submissions, want 2", len(submitted))
	}
	for _, name := range []string{bot.FieldCompletion, bot.FieldProgress, bot.FieldEvidence, bot.FieldNeeds} {
		if strings.Join(submitted[1][name], ",") != strings.Join(values[name], ",") {
			t.Errorf("submitted %s: %q, want %q", name, submitted[1][name], values[name])
		}
	}
	for _, e := range s.h.seen() {
		if e.Kind == bot.EventForm && (e.From != who || e.FormRef != "u:7:C2") {
			t.Errorf("form event: %+v", e)
		}
	}
	m := s.last(t, who)
	if s.opts.FormsOnly {
		if m.Ref != ref || m.Edits != 0 {
			t.Errorf("the last message is %v with %d edits, want %v unedited", m.Ref, m.Edits, ref)
		}
	} else if m.Ref != ref || !strings.Contains(m.Text, "Complete · recorded") {
		t.Errorf("the prompt was not edited to show the answer:\n%s", m.Text)
	}
}

func (s *suite) replyIsANote(t *testing.T) {
	who := s.f.Member(2)
	ref := s.send(t, bot.Outgoing{To: who, Key: s.key("reply"), Message: prompt("reply")})
	s.h.set(func(context.Context, bot.Event) bot.Response { return bot.Response{React: true} })
	if _, err := s.f.Reply(s.ctx, who, s.last(t, who), "C1 limited: the hearing moved to March"); err != nil {
		t.Fatalf("Reply: %v", err)
	}
	var replies []bot.Event
	for _, e := range s.h.seen() {
		if e.Kind == bot.EventReply {
			replies = append(replies, e)
		}
	}
	if len(replies) != 1 || replies[0].From != who || replies[0].Text != "C1 limited: the hearing moved to March" || replies[0].MessageRef != ref || replies[0].ID == "" {
		t.Fatalf("reply events: %+v; want one from %s on %v with an id", replies, who, ref)
	}
	reacted := 0
	for _, m := range s.f.Held(who) {
		reacted += m.Reactions
	}
	if reacted != 1 {
		t.Errorf("reactions in the conversation: %d, want 1", reacted)
	}
}

func (s *suite) commands(t *testing.T) {
	who := s.f.Member(0)
	s.h.set(func(_ context.Context, e bot.Event) bot.Response {
		if strings.HasPrefix(e.Text, "digest") {
			return bot.Response{Error: "Only the coordinators of Forum can do this."}
		}
		return bot.Response{Reply: &bot.Message{Header: "C1 · Open budget", Text: "Government: Substantial"}}
	})
	seen, err := s.f.Command(s.ctx, who, "status C1")
	if err != nil {
		t.Fatalf("Command: %v", err)
	}
	if !strings.Contains(seen.Text, "C1 · Open budget") || !strings.Contains(seen.Text, "Government: Substantial") {
		t.Errorf("the person sees %q, want the status reply", seen.Text)
	}
	seen, err = s.f.Command(s.ctx, who, "digest")
	if err != nil {
		t.Fatalf("Command: %v", err)
	}
	if !strings.Contains(seen.Text, "Only the coordinators") {
		t.Errorf("the person sees %q, want the refusal", seen.Text)
	}
	events := s.h.seen()
	if len(events) != 2 || events[0].Kind != bot.EventCommand || events[0].From != who || events[0].Text != "status C1" || events[1].Text != "digest" {
		t.Errorf("command events: %+v", events)
	}
}

func (s *suite) reconnect(t *testing.T) {
	who := s.f.Member(1)
	s.h.set(func(context.Context, bot.Event) bot.Response { return bot.Response{Reply: &bot.Message{Text: "pong"}} })
	s.f.Drop()
	seen, err := s.f.Command(s.ctx, who, "help")
	if err != nil {
		t.Fatalf("Command after a dropped connection: %v", err)
	}
	if !strings.Contains(seen.Text, "pong") {
		t.Errorf("after reconnecting the person sees %q", seen.Text)
	}
	if n := len(s.h.seen()); n != 1 {
		t.Errorf("the handler saw %d events for one command, want 1", n)
	}
}
