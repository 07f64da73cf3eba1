package discord_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// Message endpoints: create (with nonce and enforce_nonce), list, get,
// edit, delete, react.

func (f *fakeDiscord) createMessage(w http.ResponseWriter, r *http.Request) {
	var body messageBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	var echo *wireMessage
	defer func() {
		// Discord sends the bot its own DMs too (after f.mu is released).
		if echo != nil {
			f.gw.dispatch("MESSAGE_CREATE", echo)
		}
	}()
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.channel(w, r)
	if c == nil {
		return
	}
	if c.recipient != "" && f.closed[c.recipient] {
		apiError(w, http.StatusForbidden, 50007, "Cannot send messages to this user")
		return
	}
	fault, faulty := f.takeFault()
	if faulty && !fault.AfterPost {
		writeFault(w, fault, f.bare429)
		return
	}
	nonce := body.nonce()
	key := c.id + "|" + nonce
	if seen, ok := f.nonces[key]; ok && body.EnforceNonce && nonce != "" && time.Since(seen.at) < f.nonceWindow && !f.messages[seen.id].deleted {
		// Discord returns the message it created with this nonce.
		writeJSON(w, http.StatusOK, f.messages[seen.id].wire)
		return
	}
	m, ok := f.newMessage(c, body, "POST message")
	if !ok {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	m.wire.Nonce = nonce
	if nonce != "" {
		f.nonces[key] = nonceSeen{id: m.wire.ID, at: time.Now()}
	}
	if ref := body.MessageReference; ref != nil {
		f.signal(ref.MessageID)
	}
	if c.recipient != "" {
		copied := m.wire
		echo = &copied
	}
	if faulty {
		writeFault(w, fault, f.bare429)
		return
	}
	writeJSON(w, http.StatusOK, m.wire)
}

// newMessage checks and stores a message from the bot in c; f.mu held.
func (f *fakeDiscord) newMessage(c *fakeChannel, body messageBody, what string) (*fakeMessage, bool) {
	embeds, err1 := body.embeds()
	comps, err2 := body.components()
	if err1 != nil || err2 != nil {
		f.violate("%s: malformed embeds or components: %v %v", what, err1, err2)
		return nil, false
	}
	content := ""
	if body.Content != nil {
		content = *body.Content
	}
	if !f.checkMessage(what, content, embeds, comps, body.AllowedMentions) || !f.checkNonce(what, body.nonce()) {
		return nil, false
	}
	m := &fakeMessage{wire: wireMessage{
		ID: f.id(), ChannelID: c.id, GuildID: c.guild, Author: f.bot, Content: content,
		Embeds: embeds, Components: comps, Timestamp: time.Now().UTC().Format(time.RFC3339Nano),
		MessageReference: body.MessageReference, Flags: body.Flags,
	}, reactions: map[string][]string{}}
	if body.MessageReference != nil {
		m.wire.Type = 19
	}
	f.messages[m.wire.ID] = m
	c.messages = append(c.messages, m)
	return m, true
}

func (f *fakeDiscord) listMessages(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.channel(w, r)
	if c == nil {
		return
	}
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 {
		limit = 50
	}
	if limit > 100 {
		f.violate("GET messages: limit %d over 100", limit)
		limit = 100
	}
	after := r.URL.Query().Get("after")
	var out []wireMessage
	for _, m := range c.messages {
		if m.deleted || m.ephemeral || (after != "" && !later(m.wire.ID, after)) {
			continue
		}
		out = append(out, m.wire)
	}
	if after != "" && len(out) > limit {
		out = out[:limit]
	} else if len(out) > limit {
		out = out[len(out)-limit:]
	}
	// Newest first, as Discord lists them.
	sort.Slice(out, func(i, j int) bool { return later(out[i].ID, out[j].ID) })
	writeJSON(w, http.StatusOK, out)
}

// later compares snowflakes.
func later(a, b string) bool { return len(a) > len(b) || (len(a) == len(b) && a > b) }

func (f *fakeDiscord) getMessage(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if m := f.message(w, r); m != nil {
		writeJSON(w, http.StatusOK, m.wire)
	}
}

func (f *fakeDiscord) editMessage(w http.ResponseWriter, r *http.Request) {
	var body messageBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.message(w, r)
	if m == nil {
		return
	}
	if m.wire.Author.ID != f.bot.ID {
		apiError(w, http.StatusForbidden, 50005, "Cannot edit a message authored by another user")
		return
	}
	fault, faulty := f.takeFault()
	if faulty && !fault.AfterPost {
		writeFault(w, fault, f.bare429)
		return
	}
	if !f.applyEdit(m, body, "PATCH message") {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	if faulty {
		writeFault(w, fault, f.bare429)
		return
	}
	writeJSON(w, http.StatusOK, m.wire)
}

// applyEdit changes what body gives and checks the result; f.mu held.
func (f *fakeDiscord) applyEdit(m *fakeMessage, body messageBody, what string) bool {
	next := m.wire
	if body.Content != nil {
		next.Content = *body.Content
	}
	embeds, err1 := body.embeds()
	comps, err2 := body.components()
	if err1 != nil || err2 != nil {
		f.violate("%s: malformed embeds or components: %v %v", what, err1, err2)
		return false
	}
	if given(body.Embeds) {
		next.Embeds = embeds
	}
	if given(body.Components) {
		next.Components = comps
	}
	if !f.checkMessage(what, next.Content, next.Embeds, next.Components, body.AllowedMentions) {
		return false
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	next.EditedTimestamp = &now
	m.wire = next
	m.edits++
	return true
}

func (f *fakeDiscord) deleteMessage(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if m := f.message(w, r); m != nil {
		m.deleted = true
		w.WriteHeader(http.StatusNoContent)
	}
}

func (f *fakeDiscord) react(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.message(w, r)
	if m == nil {
		return
	}
	emoji := r.PathValue("emoji")
	if !contains(m.reactions[emoji], f.bot.ID) {
		m.reactions[emoji] = append(m.reactions[emoji], f.bot.ID)
	}
	f.signal(m.wire.ID)
	w.WriteHeader(http.StatusNoContent)
}
