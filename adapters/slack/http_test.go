package slack_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/slack"
	"forumbot/bot"
)

// Slack's own example of a signed request ("Verifying requests from
// Slack"): a slash command signed with this secret at this time.
const (
	docSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	docTimestamp = "1531420618"
	docBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	docSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

// docTime is the documented request's time.
var docTime = time.Unix(1531420618, 0)

func TestHTTPSignatures(t *testing.T) {
	clock := &testClock{now: docTime.Add(30 * time.Second)}
	f := newFake(t, fakeOptions{http: true, secret: docSecret, now: clock.Now, config: func(c *slack.Config) {
		c.SigningSecret, c.Now = docSecret, clock.Now
	}})
	h := &recorder{fn: func(context.Context, bot.Event) bot.Response {
		return bot.Response{Reply: &bot.Message{Text: "documented & answered"}}
	}}
	f.listen(t, h)
	post := func(body, ts, sig string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, f.hooks.URL+"/slack/commands", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	status, body := post(docBody, docTimestamp, docSignature)
	var ack struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	if err := json.Unmarshal([]byte(body), &ack); status != http.StatusOK || err != nil || ack.Text != "documented &amp; answered" || ack.ResponseType != "ephemeral" {
		t.Errorf("the documented request: %d %s", status, body)
	}
	events := h.seen()
	if len(events) != 1 || events[0].Kind != bot.EventCommand || events[0].From != "slack:U2CERLKJA" || events[0].ID != "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c" {
		t.Fatalf("the documented request became %+v", events)
	}

	for _, c := range []struct {
		name, body, ts, sig string
		at                  time.Time
	}{
		{"StaleTimestamp", docBody, docTimestamp, docSignature, docTime.Add(5*time.Minute + time.Second)},
		{"FutureTimestamp", docBody, docTimestamp, docSignature, docTime.Add(-5*time.Minute - time.Second)},
		{"BadSignature", docBody, docTimestamp, "v0=b2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", docTime},
		{"TamperedBody", strings.Replace(docBody, "text=", "text=digest", 1), docTimestamp, docSignature, docTime},
		{"NoSignature", docBody, docTimestamp, "", docTime},
		{"NoTimestamp", docBody, "", docSignature, docTime},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock.Set(c.at)
			if status, body := post(c.body, c.ts, c.sig); status != http.StatusUnauthorized {
				t.Errorf("answered %d %q, want 401", status, body)
			}
		})
	}
	if n := len(h.seen()); n != 1 {
		t.Errorf("the handler saw %d events; refused requests must not reach it", n)
	}
}

func TestHTTPRetriedEventHandledOnce(t *testing.T) {
	f := newFake(t, fakeOptions{http: true})
	entered, release := make(chan struct{}), make(chan struct{})
	h := &recorder{fn: func(ctx context.Context, e bot.Event) bot.Response {
		close(entered)
		<-release
		return bot.Response{React: true}
	}}
	f.listen(t, h)
	ctx := context.Background()
	if _, err := f.chat.Send(ctx, bot.Outgoing{To: f.Member(0), Key: "k", Message: bot.Message{Text: "prompt"}}); err != nil {
		t.Fatal(err)
	}
	p := f.Held(f.Member(0))[0]
	body, _ := json.Marshal(eventCallback("Ev0RETRY", map[string]any{"type": "message", "channel": p.Ref.Channel, "user": userOf(string(f.Member(0))),
		"text": "a note", "ts": "1700000000.000900", "thread_ts": p.Ref.ID, "channel_type": "im"}))
	f.mu.Lock()
	ch := f.channels[p.Ref.Channel]
	ch.msgs = append(ch.msgs, &fakeMsg{ts: "1700000000.000900", thread: p.Ref.ID, user: userOf(string(f.Member(0))), text: "a note"})
	f.mu.Unlock()

	first := make(chan httpResult, 1)
	go func() {
		r, _ := f.postSigned(ctx, "/slack/events", "application/json", body, time.Now(), 0)
		first <- r
	}()
	<-entered
	// Slack did not hear back in time and retries while the first is in hand.
	for retry := 1; retry <= 2; retry++ {
		r, err := f.postSigned(ctx, "/slack/events", "application/json", body, time.Now(), retry)
		if err != nil || r.status != http.StatusOK {
			t.Fatalf("retry %d: %+v %v", retry, r, err)
		}
	}
	close(release)
	if r := <-first; r.status != http.StatusOK {
		t.Errorf("the first delivery: %+v", r)
	}
	if err := f.awaitDone(ctx, "Ev0RETRY"); err != nil {
		t.Fatal(err)
	}
	// And once more after it was handled.
	if r, err := f.postSigned(ctx, "/slack/events", "application/json", body, time.Now(), 3); err != nil || r.status != http.StatusOK {
		t.Fatalf("late retry: %+v %v", r, err)
	}
	if n := len(h.seen()); n != 1 {
		t.Errorf("the handler saw %d events for one event delivered 4 times", n)
	}
	if r := f.Held(f.Member(0))[0].Reactions; r != 1 {
		t.Errorf("%d reactions, want 1", r)
	}
}

func TestHTTPHandlerStates(t *testing.T) {
	f := newFake(t, fakeOptions{http: true})
	ctx := context.Background()
	check := func(want int) {
		t.Helper()
		r, err := f.postSigned(ctx, "/slack/events", "application/json", []byte(`{"type":"url_verification","challenge":"c-123"}`), time.Now(), 0)
		if err != nil || r.status != want {
			t.Fatalf("answered %+v %v, want %d", r, err, want)
		}
		if want == http.StatusOK && string(r.body) != "c-123" {
			t.Errorf("url_verification answered %q, want the challenge", r.body)
		}
	}
	check(http.StatusServiceUnavailable)
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- f.chat.Listen(lctx, &recorder{}) }()
	f.waitListening(t)
	check(http.StatusOK)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	check(http.StatusServiceUnavailable)

	rec := httptest.NewRecorder()
	newFake(t, fakeOptions{}).chat.HTTPHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/slack/events", strings.NewReader("{}")))
	if rec.Code != http.StatusNotFound {
		t.Errorf("a Socket Mode adapter's HTTP handler answered %d, want 404", rec.Code)
	}
}
