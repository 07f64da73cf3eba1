package discord_test

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"forumbot/adapters/chattest"
	"forumbot/bot"
)

// fakeDiscord is a Discord of its own on 127.0.0.1: REST under /api/v9/ and
// a gateway websocket, enough for the adapter and the real discordgo
// client. It holds channels and messages, acts as people (chattest.Fake),
// enforces Discord's limits and records what breaks them, and injects
// faults.
type fakeDiscord struct {
	srv   *httptest.Server
	gw    *gateway
	appID string
	token string
	bot   *discordgo.User
	guild string

	mu       sync.Mutex
	next     int64
	users    map[string]*discordgo.User
	closed   map[string]bool // users who do not accept DMs
	channels map[string]*fakeChannel
	dmOf     map[string]string // user id → DM channel id
	messages map[string]*fakeMessage
	nonces   map[string]nonceSeen
	// nonceWindow is how long enforce_nonce remembers a nonce.
	nonceWindow time.Duration
	faults      []chattest.Fault
	// bare429 sends 429s without X-RateLimit headers, so that discordgo's
	// bucket does not hold later calls back (Retry-After and the body
	// still say how long to wait).
	bare429    bool
	violations []string
	// commands holds the last bulk overwrite, by "global" or guild id.
	commands map[string][]command
	// registeredCh is closed by the first registration of /forum.
	registeredCh chan struct{}
	overwrites   []string
	pending      map[string]*pendingInteraction
	// answered is closed, per person message id, when the bot reacts to it
	// or replies to it.
	answered map[string]chan struct{}
	// calls counts REST calls by "METHOD route".
	calls map[string]int
	// pace, when set, enforces Discord's rate limits.
	pace *fakePace
	// chat is the adapter connected to this fake, for Chat().
	chat bot.Chat
	// digestChannel is the channel Channel() names.
	digestChannel string
	members       []string
	// endpoint, when set, is the bot's Interactions Endpoint URL:
	// interactions are posted there, signed with signer, instead of sent
	// over the gateway. written holds the interactions whose HTTP response
	// the bot has written in full.
	endpoint string
	signer   ed25519.PrivateKey
	written  map[string]bool
}

type fakeChannel struct {
	id        string
	guild     string
	recipient string // for a DM: the person
	messages  []*fakeMessage
}

type fakeMessage struct {
	wire      wireMessage
	ephemeral bool
	owner     string
	deleted   bool
	edits     int
	// reactions by emoji, the users who reacted.
	reactions map[string][]string
}

type nonceSeen struct {
	id string
	at time.Time
}

const fakeToken = "fake-token"

// newFake starts a fake Discord with three people and a digest channel.
func newFake() *fakeDiscord {
	f := &fakeDiscord{
		appID: "1180000000000000001", guild: "1180000000000000002", token: fakeToken,
		next:  1300000000000000000,
		users: map[string]*discordgo.User{}, closed: map[string]bool{},
		channels: map[string]*fakeChannel{}, dmOf: map[string]string{},
		messages: map[string]*fakeMessage{}, nonces: map[string]nonceSeen{},
		nonceWindow: 5 * time.Minute,
		commands:    map[string][]command{}, registeredCh: make(chan struct{}), pending: map[string]*pendingInteraction{},
		answered: map[string]chan struct{}{}, calls: map[string]int{},
		written: map[string]bool{},
	}
	f.bot = &discordgo.User{ID: f.id(), Username: "forumbot", Bot: true}
	f.gw = newGateway(f)
	f.srv = httptest.NewServer(f.routes())
	for i := range 3 {
		f.members = append(f.members, f.addUser(fmt.Sprintf("member%d", i)))
	}
	f.digestChannel = f.addChannel()
	return f
}

// Close stops the server and the gateway connection.
func (f *fakeDiscord) Close() {
	f.gw.close()
	f.srv.Close()
}

// APIURL is the base the adapter's Config.APIURL points at.
func (f *fakeDiscord) APIURL() string { return f.srv.URL + "/api/v9/" }

// id returns a fresh snowflake.
func (f *fakeDiscord) id() string {
	f.next++
	return strconv.FormatInt(f.next, 10)
}

// addUser adds a person who shares a server with the bot.
func (f *fakeDiscord) addUser(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	u := &discordgo.User{ID: f.id(), Username: name}
	f.users[u.ID] = u
	return u.ID
}

// addChannel adds a text channel in the guild.
func (f *fakeDiscord) addChannel() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := &fakeChannel{id: f.id(), guild: f.guild}
	f.channels[c.id] = c
	return c.id
}

// dm returns (opening if needed) the DM channel with a user; f.mu held.
func (f *fakeDiscord) dm(user string) *fakeChannel {
	if id, ok := f.dmOf[user]; ok {
		return f.channels[id]
	}
	c := &fakeChannel{id: f.id(), recipient: user}
	f.channels[c.id] = c
	f.dmOf[user] = c.id
	return c
}

// violate records a broken platform rule; f.mu held.
func (f *fakeDiscord) violate(format string, args ...any) {
	f.violations = append(f.violations, fmt.Sprintf(format, args...))
}

// Violations implements chattest.Fake.
func (f *fakeDiscord) Violations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	return append(append([]string(nil), f.violations...), f.gw.problems...)
}

// FailNext implements chattest.Fake: faults apply to message creates and
// edits.
func (f *fakeDiscord) FailNext(n int, fault chattest.Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.faults = append(f.faults, fault)
	}
}

// takeFault pops the next fault; f.mu held.
func (f *fakeDiscord) takeFault() (chattest.Fault, bool) {
	if len(f.faults) == 0 {
		return chattest.Fault{}, false
	}
	fault := f.faults[0]
	f.faults = f.faults[1:]
	return fault, true
}

// writeFault answers with a fault: a 429 as Discord sends it (headers and
// the JSON body discordgo reads) or a 5xx.
func writeFault(w http.ResponseWriter, fault chattest.Fault, bare bool) {
	if fault.Status == http.StatusTooManyRequests {
		secs := fault.RetryAfter.Seconds()
		w.Header().Set("Retry-After", strconv.Itoa(int(fault.RetryAfter.Round(time.Second)/time.Second)))
		if bare {
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": secs, "global": false})
			return
		}
		w.Header().Set("X-RateLimit-Limit", "5")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
		w.Header().Set("X-RateLimit-Scope", "user")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": secs, "global": false})
		return
	}
	writeJSON(w, fault.Status, map[string]any{"message": http.StatusText(fault.Status), "code": 0})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// apiError answers like Discord's JSON errors.
func apiError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

// Chat implements chattest.Fake.
func (f *fakeDiscord) Chat() bot.Chat { return f.chat }

// Member implements chattest.Fake.
func (f *fakeDiscord) Member(i int) bot.Address { return bot.Address("discord:" + f.members[i]) }

// Channel implements chattest.Fake.
func (f *fakeDiscord) Channel() bot.Address { return bot.Address("discord:" + f.digestChannel) }

// Drop implements chattest.Fake.
func (f *fakeDiscord) Drop() { f.gw.drop() }

// Held implements chattest.Fake: the bot's messages in the conversation,
// oldest first, as the person sees them.
func (f *fakeDiscord) Held(to bot.Address) []chattest.Held {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := to.ID()
	c := f.channels[id]
	if dm, ok := f.dmOf[id]; ok {
		c = f.channels[dm]
	}
	if c == nil {
		return nil
	}
	var out []chattest.Held
	for _, m := range c.messages {
		if m.deleted || m.ephemeral || m.wire.Author.ID != f.bot.ID {
			continue
		}
		h := chattest.Held{Ref: bot.MessageRef{Platform: "discord", Channel: c.id, ID: m.wire.ID}, Text: seenText(m.wire), Edits: m.edits}
		each(m.wire.Components, func(x *wireComponent) {
			if ref, ok := strings.CutPrefix(x.CustomID, "b:"+bot.ActionOpenForm+":"); ok {
				h.FormRefs = append(h.FormRefs, ref)
			}
		})
		h.Reactions = len(m.reactions[reactionEmoji])
		for _, r := range c.messages {
			if r.wire.MessageReference != nil && r.wire.MessageReference.MessageID == m.wire.ID {
				h.Reactions += len(r.reactions[reactionEmoji])
			}
		}
		out = append(out, h)
	}
	return out
}

// reactionEmoji is the reaction the adapter confirms notes with.
const reactionEmoji = "✅"

// heldMessage returns a copy of a message's wire form.
func (f *fakeDiscord) heldMessage(id string) (wireMessage, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.messages[id]
	if !ok {
		return wireMessage{}, false
	}
	return m.wire, true
}

// count returns how many REST calls matched route so far.
func (f *fakeDiscord) count(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[route]
}
