package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/slack"
	"forumbot/bot"
)

// slowFake is a fake whose adapter acknowledges after 50 ms at the latest,
// with a handler that blocks until released.
func slowFake(t *testing.T, answer bot.Response) (*fakeSlack, chan struct{}, chan struct{}) {
	t.Helper()
	f := newFake(t, fakeOptions{config: func(c *slack.Config) { c.AckWithin = 50 * time.Millisecond }})
	entered, release := make(chan struct{}, 10), make(chan struct{})
	f.listen(t, &recorder{fn: func(ctx context.Context, e bot.Event) bot.Response {
		if e.Kind == bot.EventButton {
			return bot.Response{Form: &bot.Form{Ref: "u:1:C1", Title: "Progress: C1", Submit: "Save", Fields: []bot.FormField{
				{Name: bot.FieldProgress, Label: "Progress", Kind: bot.FieldLongText, Required: true}}}}
		}
		entered <- struct{}{}
		<-release
		return answer
	}})
	return f, entered, release
}

func TestSlowCommandAnsweredLater(t *testing.T) {
	f, entered, release := slowFake(t, bot.Response{Reply: &bot.Message{Text: "the long answer"}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	user := userOf(string(f.Member(0)))
	trigger := f.newTrigger(user)
	ack, err := f.sock.deliver(ctx, "slash_commands", map[string]string{"command": "/forum", "text": "digest", "user_id": user,
		"channel_id": "D0NONE", "trigger_id": trigger, "response_url": f.newResponseURL(user)})
	if err != nil {
		t.Fatal(err)
	}
	<-entered
	if string(ack) != "" && string(ack) != "null" {
		t.Errorf("acknowledged with %s before the handler finished; want an empty acknowledgement", ack)
	}
	close(release)
	if err := f.awaitDone(ctx, trigger); err != nil {
		t.Fatal(err)
	}
	if shown := f.shownSince(user, 0); len(shown) != 1 || shown[0] != "the long answer" {
		t.Errorf("the person was shown %q, want the answer through the response_url", shown)
	}
	noViolations(t, f)
}

func TestSlowSubmissionKeepsTheModalOpen(t *testing.T) {
	f, entered, release := slowFake(t, bot.Response{Reply: &bot.Message{Text: "Recorded: C1 is Limited."}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	who := f.Member(0)
	if _, err := f.chat.Send(ctx, bot.Outgoing{To: who, Key: "k", Message: bot.Message{Text: "prompt", Buttons: []bot.Button{{Label: "Report", Action: bot.ActionOpenForm, Value: "u:1:C1"}}}}); err != nil {
		t.Fatal(err)
	}
	seen, err := f.OpenForm(ctx, who, f.Held(who)[0], "u:1:C1", "")
	if err != nil || seen.Form == nil {
		t.Fatalf("OpenForm: %+v %v", seen, err)
	}
	_, trigger, payload, _, err := f.submission(who, *seen.Form, map[string][]string{bot.FieldProgress: {"slow"}})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := f.sock.deliver(ctx, "interactive", payload)
	if err != nil {
		t.Fatal(err)
	}
	<-entered
	if !strings.Contains(string(ack), `"response_action":"errors"`) || !strings.Contains(string(ack), "Still saving") {
		t.Errorf("a slow submission was acknowledged with %s; want the modal kept open saying it is still saving", ack)
	}
	close(release)
	if err := f.awaitDone(ctx, trigger); err != nil {
		t.Fatal(err)
	}
	if shown := strings.Join(f.shownSince(userOf(string(who)), 0), "\n"); !strings.Contains(shown, "Recorded: C1 is Limited.") {
		t.Errorf("after saving the person was shown %q, want the confirmation", shown)
	}
	noViolations(t, f)
}

// TestShutdownFinishesAnswersInHand stops Listen while an answer is being
// stored: Listen returns only once it is stored and confirmed.
func TestShutdownFinishesAnswersInHand(t *testing.T) {
	f := newFake(t, fakeOptions{})
	entered, release := make(chan struct{}), make(chan struct{})
	h := &recorder{fn: func(ctx context.Context, e bot.Event) bot.Response {
		close(entered)
		<-release
		if ctx.Err() != nil {
			return bot.Response{Error: "cancelled"}
		}
		return bot.Response{React: true}
	}}
	lctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.chat.Listen(lctx, h) }()
	f.waitListening(t)
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	if _, err := f.chat.Send(ctx, bot.Outgoing{To: f.Member(0), Key: "k", Message: bot.Message{Text: "prompt"}}); err != nil {
		t.Fatal(err)
	}
	go f.Reply(ctx, f.Member(0), f.Held(f.Member(0))[0], "a note")
	<-entered
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Listen returned (%v) while an answer was in hand", err)
	default:
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if r := f.Held(f.Member(0))[0].Reactions; r != 1 {
		t.Errorf("%d reactions once Listen returned, want the confirmation in place", r)
	}
}
