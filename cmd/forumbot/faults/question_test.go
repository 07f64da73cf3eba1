package faults_test

import (
	"encoding/json"
	"fmt"
	"forumbot/adapters/browsertest"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestQuestionFromTheSiteToSlack runs the whole path of a question from
// the public through a real serve process: a visitor asks on the site in
// headless Chromium; the coordinator approves it in Slack (a signed
// interaction, as Slack posts it, answering the message the stub Slack
// holds); a committee member presses Respond and submits the modal; the
// question's public page then shows the question and the answer. A second
// question, rejected as off-topic, shows only its reason. Markup typed
// into a question stays text on the page.
func TestQuestionFromTheSiteToSlack(t *testing.T) {
	browser := browsertest.Find(t, "the question's path")
	r := &rig{t: t, dir: t.TempDir(), slack: newStubSlack(t)}
	r.env = []string{"FAULTS_FORM_SECRET=faults-form-secret-0123456789abcdefghijklmnop"}
	config := fmt.Sprintf(`store: {path: forumbot.db}
http: {listen: "127.0.0.1:0"}
slack:
  bot_token: ${FAULTS_BOT_TOKEN}
  signing_secret: ${FAULTS_SIGNING_SECRET}
  api_url: %s
site:
  form_secret: ${FAULTS_FORM_SECRET}
forums:
  - id: f
    name: Question Forum
    timezone: UTC
    digest_channel: slack:C0FORUM
    coordinators: [slack:UCOORD]
    site: {public: true, licence: CC-BY-4.0, questions: {enabled: true}}
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      commitments:
        - id: C1
          title: Open budget
          committee:
            - {who: slack:UGOV, name: Gov, group: government, org: Finance}
            - {who: slack:UCSO, name: Civil, group: civil_society, org: Watchdog}
`, r.slack.URL())
	r.config = filepath.Join(r.dir, "forumbot.yaml")
	if err := os.WriteFile(r.config, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.cleanup)
	p := r.start()
	site := "http://" + p.addr + "/site/en/forums/f/"
	ctx := browsertest.Start(t, browser, 1280)

	ask := func(text string) string {
		t.Helper()
		if err := chromedp.Do(ctx,
			chromedp.Navigate(site+"commitments/C1/ask/"),
			chromedp.SendKeys("#q-question", text),
			chromedp.Focus("button[type=submit]"), chromedp.KeyEvent("\r"),
			chromedp.WaitVisible(".received"),
		); err != nil {
			t.Fatalf("asking on the site: %v\n%s", err, tail(p.log.String(), 3000))
		}
		location, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return location
	}
	page := func(path string) string {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(site+path)); err != nil {
			t.Fatal(err)
		}
		text, err := chromedp.Run(ctx, chromedp.Text("main"))
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	message := func(user, keyPrefix string) *stubMsg {
		t.Helper()
		var found *stubMsg
		r.waitFor(user+" holds "+keyPrefix, 30*time.Second, func() bool {
			r.slack.mu.Lock()
			defer r.slack.mu.Unlock()
			for _, m := range r.slack.channels["D"+user] {
				if strings.HasPrefix(m.key, keyPrefix) {
					found = m
					return true
				}
			}
			return false
		})
		return found
	}
	interact := func(payload map[string]any) {
		t.Helper()
		b, _ := json.Marshal(payload)
		body := url.Values{"payload": {string(b)}}.Encode()
		code, resp, err := p.signed("/slack/interactions", "application/x-www-form-urlencoded", []byte(body), 0)
		if err != nil || code != http.StatusOK {
			t.Fatalf("interaction %s: %d %s %v", payload["type"], code, resp, err)
		}
	}
	press := func(user string, m *stubMsg, action, value string) {
		t.Helper()
		interact(map[string]any{
			"type": "block_actions", "user": map[string]any{"id": user}, "trigger_id": "trig-" + value,
			"container": map[string]any{"type": "message", "message_ts": m.ts, "channel_id": "D" + user},
			"channel":   map[string]any{"id": "D" + user},
			"actions":   []any{map[string]any{"type": "button", "block_id": "b1", "action_id": action, "value": value, "action_ts": "1700000000.1"}},
		})
	}
	submit := func(user, formRef string, values map[string]any) {
		t.Helper()
		interact(map[string]any{
			"type": "view_submission", "user": map[string]any{"id": user}, "trigger_id": "trig-submit-" + formRef,
			"view": map[string]any{"id": "V" + formRef, "hash": "h1", "callback_id": formRef, "state": map[string]any{"values": values}},
		})
	}

	if at := ask("When is the <b>budget</b> published?"); !strings.HasSuffix(strings.Split(at, "?")[0], "/questions/Q-1/") {
		t.Fatalf("after asking the visitor is at %s, want the question's permalink", at)
	}
	if text := page("questions/Q-1/"); !strings.Contains(text, "Q-1") || strings.Contains(text, "published?") {
		t.Errorf("the permalink of a question awaiting moderation:\n%s", text)
	}
	mod := message("UCOORD", "question/1/moderate")
	press("UCOORD", mod, "question_approve", "qp:1")
	req := message("UCSO", "question/1/ask/C1")
	press("UCSO", req, "open_form", "qa:1")
	submit("UCSO", "qa:1", map[string]any{"answer": map[string]any{"a": map[string]any{"type": "plain_text_input", "value": "On 15 December, on the province's site."}}})
	r.waitFor("the answer on the question's page", 30*time.Second, func() bool {
		return strings.Contains(page("questions/Q-1/"), "On 15 December")
	})
	text := page("questions/Q-1/")
	if !strings.Contains(text, "When is the <b>budget<") || !strings.Contains(text, "Watchdog (Civil society)") {
		t.Errorf("the answered question's page does not show the question as typed and who answered:\n%s", text)
	}
	if bold, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main b").length`)); err != nil || bold != 0 {
		t.Errorf("the question's markup became %d elements (%v)", bold, err)
	}

	ask("Can you fix the road in front of my house?")
	mod = message("UCOORD", "question/2/moderate")
	press("UCOORD", mod, "open_form", "qr:2")
	submit("UCOORD", "qr:2", map[string]any{"reason": map[string]any{"a": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "off_topic"}}}})
	r.waitFor("the rejection on the question's page", 30*time.Second, func() bool {
		return strings.Contains(page("questions/Q-2/"), "off-topic")
	})
	if text := page("questions/Q-2/"); strings.Contains(text, "road") {
		t.Errorf("a rejected question's text is published:\n%s", text)
	}
	r.stop(p)
}
