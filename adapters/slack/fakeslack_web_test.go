package slack_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"forumbot/adapters/chattest"
)

// apiArgs are a Web API call's arguments: form fields (and query), or a
// JSON body.
type apiArgs struct {
	form url.Values
	json map[string]json.RawMessage
}

func (a apiArgs) get(name string) string {
	if v, ok := a.json[name]; ok {
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
		return string(v)
	}
	return a.form.Get(name)
}

func readArgs(r *http.Request) (apiArgs, error) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "application/json" {
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil && !errors.Is(err, io.EOF) {
			return apiArgs{}, err
		}
		return apiArgs{json: m, form: r.URL.Query()}, nil
	}
	if err := r.ParseForm(); err != nil {
		return apiArgs{}, err
	}
	return apiArgs{form: r.Form}, nil
}

// ok writes a successful Web API answer with fields.
func ok(w http.ResponseWriter, fields map[string]any) {
	out := map[string]any{"ok": true}
	for k, v := range fields {
		out[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// fail writes a Web API error, which Slack sends with HTTP 200.
func fail(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": code})
}

// writeFault answers as Slack does when it is overloaded or down.
func writeFault(w http.ResponseWriter, fault chattest.Fault) {
	if fault.Status == http.StatusTooManyRequests {
		secs := max(1, int(math.Ceil(fault.RetryAfter.Seconds())))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"ok":false,"error":"ratelimited"}`))
		return
	}
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(fault.Status)
	w.Write([]byte("<html><body>Slack is having trouble</body></html>"))
}

func (f *fakeSlack) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	args, err := readArgs(r)
	if err != nil {
		fail(w, "invalid_arguments")
		return
	}
	f.mu.Lock()
	f.calls[method]++
	f.mu.Unlock()
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if token == "" {
		token = args.get("token")
	}
	want := fakeBotToken
	if method == "apps.connections.open" {
		want = fakeAppToken
	}
	if token != want {
		fail(w, "invalid_auth")
		return
	}
	switch method {
	case "auth.test":
		ok(w, map[string]any{"user_id": fakeBotUser, "bot_id": fakeBotID, "team_id": fakeTeam, "user": "forumbot", "team": "Fake Workspace"})
	case "apps.connections.open":
		ok(w, map[string]any{"url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/link"})
	case "conversations.open":
		f.openConversation(w, args)
	case "chat.postMessage":
		f.postMessage(w, args)
	case "chat.update":
		f.updateMessage(w, args)
	case "chat.delete":
		f.deleteMessage(w, args)
	case "chat.postEphemeral":
		f.postEphemeral(w, args)
	case "conversations.history":
		f.history(w, args)
	case "conversations.replies":
		f.replies(w, args)
	case "views.open":
		f.openView(w, args)
	case "reactions.add":
		f.addReaction(w, args)
	default:
		f.violate("called %s, which the fake does not know", method)
		fail(w, "unknown_method")
	}
}

func (f *fakeSlack) openConversation(w http.ResponseWriter, args apiArgs) {
	if !f.admit(w, "conversations.open", "") {
		return
	}
	users := strings.Split(args.get("users"), ",")
	if len(users) != 1 || !strings.HasPrefix(users[0], "U") || strings.HasPrefix(users[0], "UGONE") {
		fail(w, "user_not_found")
		return
	}
	if strings.HasPrefix(users[0], "UNOCHANNEL") {
		// A broken proxy in front of Slack: ok, and no channel.
		ok(w, map[string]any{})
		return
	}
	f.mu.Lock()
	ch := f.dm(users[0])
	f.mu.Unlock()
	ok(w, map[string]any{"channel": map[string]any{"id": ch.id}})
}

// moveDMs gives every direct message a new channel id, keeping its
// messages, as if the old ids had gone: a call on an old id is answered
// channel_not_found.
func (f *fakeSlack) moveDMs() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for user, old := range f.dms {
		ch := f.channels[old]
		delete(f.channels, old)
		f.seq++
		ch.id = fmt.Sprintf("D%07d", f.seq)
		f.channels[ch.id] = ch
		f.dms[user] = ch.id
	}
}

// dmOf returns the direct-message channel of user, "" if none was opened.
func (f *fakeSlack) dmOf(user string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dms[user]
}

// conversation finds a channel by id (a user id names the direct message);
// must be called with f.mu held.
func (f *fakeSlack) conversation(id string) *fakeChannel {
	if strings.HasPrefix(id, "U") && !strings.HasPrefix(id, "UGONE") {
		return f.dm(id)
	}
	return f.channels[id]
}

// find returns the message ts in channel; must be called with f.mu held.
func (ch *fakeChannel) find(ts string) *fakeMsg {
	for _, m := range ch.msgs {
		if m.ts == ts && !m.deleted {
			return m
		}
	}
	return nil
}

// history lists a conversation's top-level messages, newest first, with
// metadata only when asked for it, as Slack does.
func (f *fakeSlack) history(w http.ResponseWriter, args apiArgs) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.conversation(args.get("channel"))
	if ch == nil {
		fail(w, "channel_not_found")
		return
	}
	var top []*fakeMsg
	for i := len(ch.msgs) - 1; i >= 0; i-- {
		if m := ch.msgs[i]; !m.deleted && (m.thread == "" || m.thread == m.ts) {
			top = append(top, m)
		}
	}
	page, next := paginate(top, args)
	ok(w, map[string]any{"messages": wireMessages(page, args.get("include_all_metadata") == "1"),
		"has_more": next != "", "response_metadata": map[string]any{"next_cursor": next}})
}

// replies lists a thread, parent first.
func (f *fakeSlack) replies(w http.ResponseWriter, args apiArgs) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.conversation(args.get("channel"))
	parent := args.get("ts")
	if ch == nil || ch.find(parent) == nil {
		fail(w, "thread_not_found")
		return
	}
	thread := []*fakeMsg{ch.find(parent)}
	for _, m := range ch.msgs {
		if !m.deleted && m.thread == parent && m.ts != parent {
			thread = append(thread, m)
		}
	}
	sort.SliceStable(thread[1:], func(i, j int) bool { return thread[1+i].ts < thread[1+j].ts })
	page, next := paginate(thread, args)
	ok(w, map[string]any{"messages": wireMessages(page, args.get("include_all_metadata") == "1"),
		"has_more": next != "", "response_metadata": map[string]any{"next_cursor": next}})
}

// paginate cuts msgs at the limit and cursor arguments.
func paginate(msgs []*fakeMsg, args apiArgs) ([]*fakeMsg, string) {
	limit, _ := strconv.Atoi(args.get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	start, _ := strconv.Atoi(strings.TrimPrefix(args.get("cursor"), "next:"))
	start = min(start, len(msgs))
	end := min(start+limit, len(msgs))
	next := ""
	if end < len(msgs) {
		next = fmt.Sprintf("next:%d", end)
	}
	return msgs[start:end], next
}

func wireMessages(msgs []*fakeMsg, withMetadata bool) []map[string]any {
	out := []map[string]any{}
	for _, m := range msgs {
		w := map[string]any{"type": "message", "ts": m.ts, "user": m.user, "text": m.text, "blocks": m.blocks}
		if m.thread != "" {
			w["thread_ts"] = m.thread
		}
		if m.bot {
			w["bot_id"] = fakeBotID
		}
		if withMetadata && m.meta != nil {
			w["metadata"] = m.meta
		}
		out = append(out, w)
	}
	return out
}
