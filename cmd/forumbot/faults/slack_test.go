package faults_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// stubSlack speaks the Web API methods forumbot calls, on 127.0.0.1, and
// keeps what Slack would: each conversation's messages with their
// metadata, reactions and what each person was shown alone. fault, when
// set, may make a call fail as Slack does when it is overloaded or down.
type stubSlack struct {
	srv *httptest.Server

	mu       sync.Mutex
	seq      int
	channels map[string][]*stubMsg // by channel id; a direct message is "D"+user
	shown    map[string][]string   // texts shown to each user alone
	calls    map[string]int
	// fault decides the fate of a call before it is answered.
	fault func(method string) stubFault
	// limit, when set, is Slack's posting limit: a chat.postMessage
	// beyond it is answered 429 with Retry-After 1, and counted in
	// limited.
	limit   *rate.Limiter
	limited int
}

// stubMsg is a message as Slack stores it.
type stubMsg struct {
	ts, thread, user, text string
	key                    string // the bot's delivery key, from the metadata
	part                   int
	at                     time.Time // when the stub stored it
	meta                   json.RawMessage
	reactions              []string
}

// stubFault is what a call meets: nothing, an answer with status
// (429 with RetryAfter seconds, or a 5xx), or, for chat.postMessage, the
// message stored and then a 500 (the answer lost on the way).
type stubFault struct {
	status     int
	retryAfter int
	afterStore bool
}

func newStubSlack(t testing.TB) *stubSlack {
	s := &stubSlack{channels: map[string][]*stubMsg{}, shown: map[string][]string{}, calls: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the Web API base for the config's api_url.
func (s *stubSlack) URL() string { return s.srv.URL + "/api/" }

// setFault sets the function that decides each call's fault; nil for none.
func (s *stubSlack) setFault(f func(method string) stubFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// setLimit makes the stub limit chat.postMessage to perSecond, with
// bursts of up to burst posts, as Slack limits an app's posts.
func (s *stubSlack) setLimit(perSecond float64, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = rate.NewLimiter(rate.Limit(perSecond), burst)
}

// rateLimited returns how many posts the limit of setLimit refused.
func (s *stubSlack) rateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

func (s *stubSlack) serve(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	if err := r.ParseForm(); err != nil {
		reply(w, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+botToken && r.Form.Get("token") != botToken {
		reply(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	s.mu.Lock()
	s.calls[method]++
	var f stubFault
	if s.fault != nil {
		f = s.fault(method)
	}
	if f.status == 0 && method == "chat.postMessage" && s.limit != nil && !s.limit.Allow() {
		f = stubFault{status: http.StatusTooManyRequests, retryAfter: 1}
		s.limited++
	}
	s.mu.Unlock()
	if f.status != 0 && !f.afterStore {
		writeFault(w, f)
		return
	}
	switch method {
	case "auth.test":
		reply(w, map[string]any{"ok": true, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "forumbot"})
	case "conversations.open":
		reply(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + r.Form.Get("users")}})
	case "chat.postMessage":
		s.post(w, r.Form, f)
	case "conversations.history", "conversations.replies":
		s.history(w, r.Form, method == "conversations.replies")
	case "reactions.add":
		s.react(w, r.Form)
	case "chat.postEphemeral":
		s.mu.Lock()
		s.shown[r.Form.Get("user")] = append(s.shown[r.Form.Get("user")], r.Form.Get("text"))
		s.seq++
		s.mu.Unlock()
		reply(w, map[string]any{"ok": true, "message_ts": s.ts()})
	default: // chat.update, views.open, chat.delete: accepted
		reply(w, map[string]any{"ok": true, "channel": r.Form.Get("channel"), "ts": r.Form.Get("ts")})
	}
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// writeFault answers as Slack does when it limits or fails.
func writeFault(w http.ResponseWriter, f stubFault) {
	if f.status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", strconv.Itoa(max(f.retryAfter, 1)))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"ok":false,"error":"ratelimited"}`))
		return
	}
	w.WriteHeader(f.status)
	w.Write([]byte("<html>Slack is having trouble</html>"))
}

// ts returns a fresh message timestamp.
func (s *stubSlack) ts() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("%d.%06d", 1700000000+s.seq/1000000, s.seq%1000000)
}

func (s *stubSlack) post(w http.ResponseWriter, form url.Values, f stubFault) {
	m := &stubMsg{ts: s.ts(), thread: form.Get("thread_ts"), user: "UBOT", text: form.Get("text"), at: time.Now()}
	if raw := form.Get("metadata"); raw != "" {
		var md struct {
			EventPayload struct {
				Key  string `json:"key"`
				Part int    `json:"part"`
			} `json:"event_payload"`
		}
		json.Unmarshal([]byte(raw), &md)
		m.meta, m.key, m.part = json.RawMessage(raw), md.EventPayload.Key, md.EventPayload.Part
	}
	channel := form.Get("channel")
	s.mu.Lock()
	s.channels[channel] = append(s.channels[channel], m)
	s.mu.Unlock()
	if f.afterStore {
		writeFault(w, f)
		return
	}
	reply(w, map[string]any{"ok": true, "channel": channel, "ts": m.ts, "message": map[string]any{"ts": m.ts, "text": m.text}})
}

// history lists a channel's top-level messages newest first, or a
// thread's messages parent first, all on one page.
func (s *stubSlack) history(w http.ResponseWriter, form url.Values, thread bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs := s.channels[form.Get("channel")]
	out := []map[string]any{}
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if thread && m.ts != form.Get("ts") && m.thread != form.Get("ts") || !thread && m.thread != "" {
			continue
		}
		wire := map[string]any{"type": "message", "ts": m.ts, "user": m.user, "text": m.text}
		if m.thread != "" {
			wire["thread_ts"] = m.thread
		}
		if m.meta != nil {
			wire["metadata"] = m.meta
		}
		if thread {
			out = append([]map[string]any{wire}, out...)
		} else {
			out = append(out, wire)
		}
	}
	reply(w, map[string]any{"ok": true, "messages": out, "has_more": false})
}

func (s *stubSlack) react(w http.ResponseWriter, form url.Values) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.channels[form.Get("channel")] {
		if m.ts == form.Get("timestamp") {
			m.reactions = append(m.reactions, form.Get("name"))
			reply(w, map[string]any{"ok": true})
			return
		}
	}
	reply(w, map[string]any{"ok": false, "error": "message_not_found"})
}

// say stores a message user typed in their direct message with the bot,
// as Slack does before it sends the event, and returns its ts.
func (s *stubSlack) say(user, text string) string {
	ts := s.ts()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels["D"+user] = append(s.channels["D"+user], &stubMsg{ts: ts, user: user, text: text})
	return ts
}

// reacted reports whether the bot reacted to user's message ts: the
// answer is confirmed stored.
func (s *stubSlack) reacted(user, ts string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.channels["D"+user] {
		if m.ts == ts {
			return len(m.reactions) > 0
		}
	}
	return false
}

// prompts counts, for each user, the messages carrying a delivery key
// that starts with prefix, one per key part 0: a user prompted once has 1.
func (s *stubSlack) prompts(prefix string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for ch, msgs := range s.channels {
		for _, m := range msgs {
			if m.part == 0 && strings.HasPrefix(m.key, prefix) {
				out[strings.TrimPrefix(ch, "D")]++
			}
		}
	}
	return out
}

// promptSpan returns when the first and the last of the messages counted
// by prompts(prefix) were stored; zero times when there are none.
func (s *stubSlack) promptSpan(prefix string) (first, last time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, msgs := range s.channels {
		for _, m := range msgs {
			if m.part != 0 || !strings.HasPrefix(m.key, prefix) {
				continue
			}
			if first.IsZero() || m.at.Before(first) {
				first = m.at
			}
			if m.at.After(last) {
				last = m.at
			}
		}
	}
	return first, last
}

// shownTo returns what user was shown alone.
func (s *stubSlack) shownTo(user string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.shown[user]...)
}

// count returns how often method was called.
func (s *stubSlack) count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// deadlineFor is how long a test waits for what it polls: long under the
// race detector, which slows the binary several times.
func deadlineFor(d time.Duration) time.Duration {
	if raceEnabled {
		return 3 * d
	}
	return d
}
