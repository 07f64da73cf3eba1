package discord_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
)

// interactionDeadline is Discord's time for the first response.
const interactionDeadline = 3 * time.Second

// pendingInteraction is an interaction the fake dispatched and the answers
// the bot gave it.
type pendingInteraction struct {
	id, token string
	user      string
	channel   string
	at        time.Time
	// on is the message a component was used on (or a modal opened from).
	on *fakeMessage
	// responded and deferred track the first response; acked is when it
	// came.
	responded bool
	acked     time.Time
	deferred  int
	// original is the message made by the first response (type 4 or 5).
	original *fakeMessage
	results  chan result
	// answered is closed once the bot's HTTP response to an interaction
	// sent to its endpoint has been read; nil for one sent over the
	// gateway.
	answered chan struct{}
}

// result is one thing the person saw in answer: a modal, choices, or a
// message (new, or updated in place).
type result struct {
	kind int // 4, 7, 8, 9; or 0 for an edit of the original / a follow-up
	// status is the endpoint's HTTP status when it refused the interaction.
	status  int
	modal   messageBody
	choices []*discordgo.ApplicationCommandOptionChoice
	msg     wireMessage
	final   bool
}

// interact dispatches an interaction from user in channel and returns it
// for waiting. data is the interaction's "data"; on the message a
// component is on; guild makes it a server interaction (member.user).
func (f *fakeDiscord) interact(user, channel string, typ int, data any, on *fakeMessage, guild bool) *pendingInteraction {
	p, payload := f.prepare(user, channel, typ, data, on, guild)
	f.deliver(p, payload)
	return p
}

// prepare makes an interaction and its payload, to be delivered.
func (f *fakeDiscord) prepare(user, channel string, typ int, data any, on *fakeMessage, guild bool) (*pendingInteraction, map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := &pendingInteraction{id: f.id(), token: "tok-" + f.id(), user: user, channel: channel, at: time.Now(), on: on, results: make(chan result, 16)}
	f.pending[p.token] = p
	payload := map[string]any{
		"id": p.id, "application_id": f.appID, "type": typ, "data": data, "channel_id": channel,
		"token": p.token, "version": 1, "locale": "en-US",
	}
	u := f.users[user]
	if guild {
		payload["guild_id"] = f.guild
		payload["member"] = map[string]any{"user": u, "roles": []string{}}
		payload["context"] = 0
	} else {
		payload["user"] = u
		payload["context"] = 1
	}
	if on != nil {
		payload["message"] = on.wire
	}
	if f.endpoint != "" {
		p.answered = make(chan struct{})
	}
	return p, payload
}

// deliver sends an interaction to the bot: to its endpoint when it has
// one, else over the gateway.
func (f *fakeDiscord) deliver(p *pendingInteraction, payload map[string]any) {
	f.mu.Lock()
	endpoint := f.endpoint
	f.mu.Unlock()
	if endpoint != "" {
		go f.post(endpoint, p, payload)
		return
	}
	f.gw.dispatch("INTERACTION_CREATE", payload)
}

// await waits for the final answer to p: a modal, choices, or a message
// (after a deferral, the edit or follow-up that completes it).
func (f *fakeDiscord) await(ctx context.Context, p *pendingInteraction) (result, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for {
		select {
		case r := <-p.results:
			if r.status != 0 {
				return r, fmt.Errorf("interaction %s: the interactions endpoint answered HTTP %d", p.id, r.status)
			}
			if r.final {
				return r, nil
			}
		case <-ctx.Done():
			return result{}, fmt.Errorf("interaction %s: no answer from the bot: %w", p.id, ctx.Err())
		}
	}
}

// pendingFor returns the interaction of a token; f.mu held.
func (f *fakeDiscord) pendingFor(w http.ResponseWriter, token string) *pendingInteraction {
	p, ok := f.pending[token]
	if !ok {
		apiError(w, http.StatusNotFound, 10015, "Unknown Webhook")
	}
	return p
}

func (f *fakeDiscord) interactionCallback(w http.ResponseWriter, r *http.Request) {
	var cb interactionCallback
	if err := json.NewDecoder(r.Body).Decode(&cb); err != nil {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.pendingFor(w, r.PathValue("token"))
	if p == nil {
		return
	}
	if p.id != r.PathValue("id") {
		apiError(w, http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	if p.answered != nil {
		// Discord: this endpoint is only valid for interactions received
		// over the gateway.
		f.violate("interaction %s came to the interactions endpoint but was answered on the callback endpoint", p.id)
		apiError(w, http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	if status, code, msg := f.firstResponse(p, cb); status != http.StatusNoContent {
		apiError(w, status, code, msg)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// firstResponse applies the first response to p, from the callback
// endpoint or the interactions endpoint's HTTP response, and returns the
// status Discord answers with (204, or an error's code and message);
// f.mu held.
func (f *fakeDiscord) firstResponse(p *pendingInteraction, cb interactionCallback) (status, code int, msg string) {
	if p.responded {
		f.violate("interaction %s answered twice (type %d)", p.id, cb.Type)
		return http.StatusBadRequest, 40060, "Interaction has already been acknowledged."
	}
	if late := time.Since(p.at); late > interactionDeadline {
		f.violate("interaction %s first answered after %s", p.id, late)
	}
	what := fmt.Sprintf("interaction response type %d", cb.Type)
	res := result{kind: cb.Type, final: true}
	switch cb.Type {
	case 4, 5:
		c := f.channels[p.channel]
		m := &fakeMessage{wire: wireMessage{
			ID: f.id(), ChannelID: p.channel, Author: f.bot, Flags: cb.Data.Flags,
			Timestamp: time.Now().UTC().Format(time.RFC3339Nano),
		}, ephemeral: cb.Data.Flags&64 != 0, owner: p.user, reactions: map[string][]string{}}
		if cb.Type == 4 && !f.applyEdit(m, cb.Data, what) {
			return http.StatusBadRequest, 50035, "Invalid Form Body"
		}
		m.edits = 0
		f.messages[m.wire.ID] = m
		if !m.ephemeral && c != nil {
			c.messages = append(c.messages, m)
		}
		p.original = m
		res.msg, res.final = m.wire, cb.Type == 4
		if cb.Type == 5 {
			p.deferred = 5
		}
	case 6:
		p.deferred, res.final = 6, false
	case 7:
		if p.on == nil {
			f.violate("interaction %s: update without a message", p.id)
			break
		}
		if !f.applyEdit(p.on, cb.Data, what) {
			return http.StatusBadRequest, 50035, "Invalid Form Body"
		}
		p.original, res.msg = p.on, p.on.wire
	case 8:
		if len(cb.Data.Choices) > limOptions {
			f.violate("autocomplete: %d choices", len(cb.Data.Choices))
		}
		for _, c := range cb.Data.Choices {
			if c.Name == "" || n(c.Name) > limOptionText || n(fmt.Sprint(c.Value)) > limOptionText {
				f.violate("autocomplete: choice %q=%v", c.Name, c.Value)
			}
		}
		res.choices = cb.Data.Choices
	case 9:
		if !f.checkModal(cb.Data) {
			return http.StatusBadRequest, 50035, "Invalid Form Body"
		}
		res.modal = cb.Data
	default:
		f.violate("interaction %s: response type %d", p.id, cb.Type)
	}
	p.responded, p.acked = true, time.Now()
	p.results <- res
	return http.StatusNoContent, 0, ""
}

func (f *fakeDiscord) editOriginal(w http.ResponseWriter, r *http.Request) {
	var body messageBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.pendingFor(w, r.PathValue("token"))
	if p == nil {
		return
	}
	f.afterResponse(p, "edit of the original response")
	m := p.original
	if p.deferred == 6 {
		m = p.on
	}
	if m == nil {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	if !f.applyEdit(m, body, "edit original response") {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	p.results <- result{msg: m.wire, final: true}
	writeJSON(w, http.StatusOK, m.wire)
}

func (f *fakeDiscord) followup(w http.ResponseWriter, r *http.Request) {
	var body messageBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.pendingFor(w, r.PathValue("token"))
	if p == nil {
		return
	}
	f.afterResponse(p, "follow-up message")
	c := f.channels[p.channel]
	if c == nil {
		apiError(w, http.StatusNotFound, 10003, "Unknown Channel")
		return
	}
	m, ok := f.newMessage(c, body, "follow-up message")
	if !ok {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	if body.Flags&64 != 0 {
		m.ephemeral, m.owner = true, p.user
	}
	if !p.responded {
		f.violate("interaction %s: follow-up before any response", p.id)
	}
	p.results <- result{msg: m.wire, final: p.deferred != 0}
	writeJSON(w, http.StatusOK, m.wire)
}
