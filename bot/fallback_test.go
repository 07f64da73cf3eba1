package bot_test

import (
	"strings"
	"testing"
	"time"

	"forumbot/adapters/local"
	"forumbot/bot"
)

// TestFallbackWhenThePlatformRefuses: cs1's chat refuses their direct
// messages for good, so their prompt goes to their fallback e-mail
// address, once, also across a restart; gov2's chat fails for now only,
// which is retried on the chat and never sent to the fallback; the
// digest counts the prompt delivered by fallback.
func TestFallbackWhenThePlatformRefuses(t *testing.T) {
	yaml := strings.Replace(testForum,
		"{who: local:cs1, name: CS One, group: civil_society, org: Watchdog}",
		"{who: local:cs1, name: CS One, group: civil_society, org: Watchdog, fallback: email:cs1@example.org}", 1)
	yaml = strings.Replace(yaml,
		"{who: local:gov2, name: Gov Two, group: government, org: Procurement}",
		"{who: local:gov2, name: Gov Two, group: government, org: Procurement, fallback: email:gov2@example.org}", 1)
	h := newHarness(t, yaml, time.Time{})
	h.email = local.New()
	h.email.Platform = "email"
	failing := true
	h.chat.Fault = func(op string, out bot.Outgoing) error {
		switch {
		case op == "send" && out.To == "local:cs1":
			return bot.Errorf(bot.EFORBIDDEN, "cannot send messages to this user")
		case op == "send" && out.To == "local:gov2" && failing:
			return bot.Errorf(bot.EINTERNAL, "the platform is down for now")
		}
		return nil
	}
	h.restart()
	h.at(2026, time.November, 1, 9, 0)
	if got := h.email.Messages("email:cs1@example.org"); len(got) != 1 || !strings.HasPrefix(got[0].Key, "prompt/") {
		t.Fatalf("cs1's fallback got %d messages, want their prompt: %+v", len(got), got)
	}
	if got := h.email.Messages("email:gov2@example.org"); len(got) != 0 {
		t.Errorf("a passing failure sent gov2's prompt to the fallback: %+v", got)
	}
	failing = false
	h.restart()
	h.at(2026, time.November, 1, 9, 30)
	if n := len(h.email.Messages("email:cs1@example.org")); n != 1 {
		t.Errorf("cs1's fallback got %d prompts after a restart, want still 1", n)
	}
	if n := h.counts("prompt/")["local:gov2"]; n != 1 {
		t.Errorf("gov2 got %d prompts on the chat once it recovered, want 1", n)
	}
	d, err := h.eng.DigestData(h.ctx, h.forums[0], bot.Period{Year: 2026, Month: time.November}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.ByFallback != 1 || d.Undelivered != 0 {
		t.Errorf("digest counts %d by fallback and %d undelivered, want 1 and 0", d.ByFallback, d.Undelivered)
	}
	if text := bot.RenderText(bot.RenderDigest(h.eng.Texts("en"), d)); !strings.Contains(text, "Reached by e-mail because their chat refused the message: 1.") {
		t.Errorf("the digest's coverage line does not mention the fallback:\n%s", text)
	}
}
