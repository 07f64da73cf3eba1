package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"forumbot/adapters/internal/kit"
)

// Request signature headers and the replay window Slack documents.
const (
	headerTimestamp = "X-Slack-Request-Timestamp"
	headerSignature = "X-Slack-Signature"
	headerRetryNum  = "X-Slack-Retry-Num"
	replayWindow    = 5 * time.Minute
)

// HTTPHandler returns the handler for Slack's HTTP mode, to mount on the
// bot's listener under /slack/. Paste these Request URLs into the app's
// settings (configs/slack-app-manifest.yaml has them):
//
//	/slack/events       Event Subscriptions (message.im)
//	/slack/interactive  Interactivity (buttons and modals)
//	/slack/commands     the slash command
//
// The handler tells requests apart by their content, so one URL for all
// three works too. Every request must carry a valid X-Slack-Signature no
// older than five minutes. A request whose timestamp is missing or stale
// is refused before its body is read; bodies are read at most 32 at once
// (503 with Retry-After beyond), each within 10 s (408) and no larger than
// what Slack sends to its URL (413): 128 KiB for commands, 512 KiB for
// events, 1 MiB for interactions or one URL for all. The handler answers
// 503 while Listen is not running, and 404 when the adapter uses Socket
// Mode.
func (c *Chat) HTTPHandler() http.Handler { return newHTTPHandler(c, defaultHTTPLimits) }

func (h *httpHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := h.c
	if c.SocketMode() {
		http.Error(w, "this bot receives Slack events through Socket Mode", http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if err := c.verifyTimestamp(r.Header); err != nil {
		c.log.Warn("request refused", "err", err, "remote", r.RemoteAddr)
		kit.RefuseUnread(w)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	body, ok := h.readBody(w, r, bodyLimit(r.URL.Path))
	if !ok {
		return
	}
	if err := c.verify(r.Header, body); err != nil {
		c.log.Warn("request refused", "err", err, "remote", r.RemoteAddr)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	s := c.current()
	if s == nil {
		http.Error(w, "not listening", http.StatusServiceUnavailable)
		return
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "application/json" {
		c.serveEvent(w, s, body, r.Header.Get(headerRetryNum))
		return
	}
	c.serveForm(w, s, body)
}

// serveForm answers the form-encoded requests: interactions (buttons and
// modals) and slash commands.
func (c *Chat) serveForm(w http.ResponseWriter, s *session, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "unreadable form", http.StatusBadRequest)
		return
	}
	switch {
	case form.Get("payload") != "":
		var ic slack.InteractionCallback
		if err := json.Unmarshal([]byte(form.Get("payload")), &ic); err != nil {
			http.Error(w, "unreadable payload", http.StatusBadRequest)
			return
		}
		c.serveRequest(w, s, ic.TriggerID, c.earlyAck(ic), func(ctx context.Context) outcome { return c.onInteraction(ctx, s.h, ic) })
	case form.Get("command") != "":
		cmd := slashCommand(form)
		c.serveRequest(w, s, cmd.TriggerID, nil, func(ctx context.Context) outcome { return c.onCommand(ctx, s.h, cmd) })
	case form.Get("ssl_check") != "":
		w.WriteHeader(http.StatusOK)
	default:
		http.Error(w, "not a Slack request", http.StatusBadRequest)
	}
}

// serveEvent answers the Events API: the URL check, and message events,
// each handled once however often Slack retries it.
func (c *Chat) serveEvent(w http.ResponseWriter, s *session, body []byte, retry string) {
	var outer struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
	}
	if err := json.Unmarshal(body, &outer); err != nil {
		http.Error(w, "unreadable event", http.StatusBadRequest)
		return
	}
	if outer.Type == slackevents.URLVerification {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, outer.Challenge)
		return
	}
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
	msg, _ := ev.InnerEvent.Data.(*slackevents.MessageEvent)
	if err != nil || cb == nil || msg == nil {
		// An event the bot does not subscribe to: acknowledged, so Slack
		// does not retry it.
		w.WriteHeader(http.StatusOK)
		return
	}
	if _, fresh := c.seen.claim("event:"+cb.EventID, c.now()); !fresh {
		c.log.Debug("event delivered again", "event", cb.EventID, "retry", retry)
		w.WriteHeader(http.StatusOK) // a retry of an event in hand
		return
	}
	if !c.serveRequest(w, s, cb.EventID, nil, func(ctx context.Context) outcome { return c.onMessage(ctx, s.h, cb.EventID, msg) }) {
		c.seen.forget("event:" + cb.EventID) // so that Slack's retry is handled
	}
}

// serveRequest handles a request on a session goroutine and writes its
// acknowledgement as the HTTP response as soon as it is decided; follow-up
// calls continue after the response. It reports false, having answered
// 503, when the session is closing.
func (c *Chat) serveRequest(w http.ResponseWriter, s *session, key string, early any, decide func(context.Context) outcome) bool {
	acked := make(chan any, 1)
	started := c.track(s, func() {
		c.run(s, key, early, decide, func(payload any) { acked <- payload })
	})
	if !started {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return false
	}
	payload := <-acked
	b, err := json.Marshal(payload)
	if payload == nil || err != nil {
		w.WriteHeader(http.StatusOK)
		return true
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
	return true
}

// verify checks Slack's request signature: v0= and the hex HMAC-SHA256,
// keyed by the signing secret, of "v0:" + timestamp + ":" + body, with the
// timestamp no more than five minutes away from now.
func (c *Chat) verify(h http.Header, body []byte) error {
	if err := c.verifyTimestamp(h); err != nil {
		return err
	}
	ts := h.Get(headerTimestamp)
	got, ok := strings.CutPrefix(h.Get(headerSignature), "v0=")
	sig, err := hex.DecodeString(got)
	if !ok || err != nil {
		return errorf("missing or malformed %s", headerSignature)
	}
	mac := hmac.New(sha256.New, []byte(c.cfg.SigningSecret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return errorf("%s does not match the body", headerSignature)
	}
	return nil
}

// verifyTimestamp checks that the request's timestamp is within five
// minutes of now: a request that fails this is refused before its body is
// read.
func (c *Chat) verifyTimestamp(h http.Header) error {
	secs, err := strconv.ParseInt(h.Get(headerTimestamp), 10, 64)
	if err != nil {
		return errorf("missing or malformed %s", headerTimestamp)
	}
	if d := c.now().Sub(time.Unix(secs, 0)); d > replayWindow || d < -replayWindow {
		return errorf("%s is %s away from now, beyond the %s replay window", headerTimestamp, d.Round(time.Second), replayWindow)
	}
	return nil
}

// slashCommand reads a slash command's form fields.
func slashCommand(form url.Values) slack.SlashCommand {
	return slack.SlashCommand{
		TeamID: form.Get("team_id"), ChannelID: form.Get("channel_id"), UserID: form.Get("user_id"),
		UserName: form.Get("user_name"), Command: form.Get("command"), Text: form.Get("text"),
		ResponseURL: form.Get("response_url"), TriggerID: form.Get("trigger_id"), APIAppID: form.Get("api_app_id"),
	}
}
