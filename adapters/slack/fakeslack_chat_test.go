package slack_test

import (
	"encoding/json"
	"net/http"
	"strings"

	slackgo "github.com/slack-go/slack"
)

// incoming reads and checks the blocks, text and metadata of a message the
// adapter sends. It returns false, having answered, when Slack would
// refuse the message.
func (f *fakeSlack) incoming(w http.ResponseWriter, method string, args apiArgs) (slackgo.Blocks, *slackgo.SlackMetadata, bool) {
	var blocks slackgo.Blocks
	if raw := args.get("blocks"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
			f.violate("%s: unreadable blocks: %v", method, err)
			fail(w, "invalid_blocks_format")
			return blocks, nil, false
		}
	}
	if problems := f.checkMessage(method, args.get("text"), blocks.BlockSet); len(problems) > 0 {
		fail(w, "invalid_blocks")
		return blocks, nil, false
	}
	var md *slackgo.SlackMetadata
	if raw := args.get("metadata"); raw != "" {
		md = &slackgo.SlackMetadata{}
		if err := json.Unmarshal([]byte(raw), md); err != nil || md.EventType == "" {
			f.violate("%s: invalid metadata %s", method, raw)
			fail(w, "invalid_metadata_format")
			return blocks, nil, false
		}
	}
	return blocks, md, true
}

func (f *fakeSlack) postMessage(w http.ResponseWriter, args apiArgs) {
	fault, faulty := f.takeFault()
	if faulty && !fault.AfterPost {
		writeFault(w, fault)
		return
	}
	if !f.admit(w, "chat.postMessage", args.get("channel")) {
		return
	}
	blocks, md, good := f.incoming(w, "chat.postMessage", args)
	if !good {
		return
	}
	f.mu.Lock()
	ch := f.conversation(args.get("channel"))
	if ch == nil {
		f.mu.Unlock()
		fail(w, "channel_not_found")
		return
	}
	thread := args.get("thread_ts")
	if thread != "" && ch.find(thread) == nil {
		f.mu.Unlock()
		fail(w, "thread_not_found")
		return
	}
	m := &fakeMsg{ts: f.nextTS(), thread: thread, user: fakeBotUser, bot: true, text: args.get("text"), blocks: blocks, meta: md}
	ch.msgs = append(ch.msgs, m)
	channel, user := ch.id, ch.user
	f.mu.Unlock()
	if f.opts.echo && user != "" {
		f.echo(channel, m)
	}
	if faulty {
		writeFault(w, fault)
		return
	}
	ok(w, map[string]any{"channel": channel, "ts": m.ts, "message": map[string]any{"ts": m.ts, "text": m.text, "thread_ts": thread}})
}

func (f *fakeSlack) updateMessage(w http.ResponseWriter, args apiArgs) {
	if fault, faulty := f.takeFault(); faulty {
		writeFault(w, fault)
		return
	}
	blocks, md, good := f.incoming(w, "chat.update", args)
	if !good {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.conversation(args.get("channel"))
	var m *fakeMsg
	if ch != nil {
		m = ch.find(args.get("ts"))
	}
	switch {
	case m == nil:
		fail(w, "message_not_found")
		return
	case !m.bot:
		fail(w, "cant_update_message")
		return
	}
	m.blocks, m.text = blocks, args.get("text")
	if md != nil {
		m.meta = md
	}
	m.edits++
	ok(w, map[string]any{"channel": ch.id, "ts": m.ts, "text": m.text})
}

func (f *fakeSlack) deleteMessage(w http.ResponseWriter, args apiArgs) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.conversation(args.get("channel"))
	if ch == nil || ch.find(args.get("ts")) == nil {
		fail(w, "message_not_found")
		return
	}
	ch.find(args.get("ts")).deleted = true
	ok(w, map[string]any{"channel": ch.id, "ts": args.get("ts")})
}

func (f *fakeSlack) postEphemeral(w http.ResponseWriter, args apiArgs) {
	blocks, _, good := f.incoming(w, "chat.postEphemeral", args)
	if !good {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.conversation(args.get("channel"))
	user := args.get("user")
	if ch == nil {
		fail(w, "channel_not_found")
		return
	}
	if ch.user != "" && ch.user != user {
		fail(w, "user_not_in_channel")
		return
	}
	f.shown[user] = append(f.shown[user], flatten(blocks.BlockSet, args.get("text")))
	ok(w, map[string]any{"message_ts": f.nextTS()})
}

func (f *fakeSlack) addReaction(w http.ResponseWriter, args apiArgs) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.conversation(args.get("channel"))
	var m *fakeMsg
	if ch != nil {
		m = ch.find(args.get("timestamp"))
	}
	if m == nil {
		fail(w, "message_not_found")
		return
	}
	for _, r := range m.reactions {
		if r == args.get("name") {
			fail(w, "already_reacted")
			return
		}
	}
	m.reactions = append(m.reactions, args.get("name"))
	ok(w, nil)
}

// serveResponseURL receives what the adapter posts to a response_url: a
// message shown to the person who acted.
func (f *fakeSlack) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Text            string         `json:"text"`
		Blocks          slackgo.Blocks `json:"blocks"`
		ResponseType    string         `json:"response_type"`
		ReplaceOriginal bool           `json:"replace_original"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		f.violate("response_url: unreadable body: %v", err)
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	token := strings.TrimPrefix(r.URL.Path, "/response/")
	if msg.ReplaceOriginal {
		f.violate("response_url %s: replace_original would overwrite the prompt", token)
	}
	if msg.ResponseType == "in_channel" {
		f.violate("response_url %s: an answer meant for one person posted in_channel", token)
	}
	f.checkMessage("response_url", msg.Text, msg.Blocks.BlockSet)
	f.mu.Lock()
	defer f.mu.Unlock()
	ru, known := f.responseURLs[token]
	if !known {
		http.Error(w, "unknown response_url", http.StatusNotFound)
		return
	}
	if ru.uses++; ru.uses > 5 {
		// Slack honours a response_url five times.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"ok":false,"error":"used_url"}`))
		return
	}
	f.shown[ru.user] = append(f.shown[ru.user], flatten(msg.Blocks.BlockSet, msg.Text))
	ok(w, nil)
}
