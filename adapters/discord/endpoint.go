package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// Headers of a request to the interactions endpoint, as Discord signs it.
const (
	headerSignature = "X-Signature-Ed25519"
	headerTimestamp = "X-Signature-Timestamp"
)

// Limits of the interactions endpoint.
const (
	// replayWindow is how far a request's timestamp may be from now.
	// Discord documents no window; an interaction must be answered within
	// 3 s anyway, and five minutes (Slack's window) leaves room for clocks
	// that disagree.
	replayWindow = 5 * time.Minute
	// maxReplays bounds the interaction ids remembered within the window.
	maxReplays = 100_000
	// maxInteractionBody is the largest request read. The largest
	// interaction the bot receives carries the message a component is on:
	// at most 2,000 characters of content and 6,000 of embeds, with its
	// components, well under 100 KiB as JSON.
	maxInteractionBody = 256 << 10
	// bodiesAtOnce and bodyTime bound the unauthenticated bodies being
	// read: 32 of at most 256 KiB, each within 10 s.
	bodiesAtOnce = 32
	bodyTime     = 10 * time.Second
)

// InteractionsHandler returns the handler of the application's
// Interactions Endpoint URL, to mount on the bot's HTTP listener (serve
// mounts it at discord.interactions_path, /discord/interactions by
// default). Each request must carry Discord's Ed25519 signature of
// X-Signature-Timestamp followed by the body, made with the key whose
// public half is Config.PublicKey, and a timestamp within five minutes of
// now: otherwise it is answered 401 and nothing is handled. A request
// whose headers are missing or malformed, or whose timestamp is stale, is
// refused before its body is read; bodies are read at most 32 at once
// (503 with Retry-After beyond), each within 10 s (408) and no larger than
// 256 KiB (413). Discord's PING is answered PONG at any time; an
// interaction already received (a replay) is refused with 409; any other
// interaction is answered 503 while ServeInteractions (or Listen) is not
// running. Without a public key the handler answers 404.
//
// An interaction is handled by the same code as one from the gateway, and
// its first response (a message, a modal, a deferral when the bot takes
// longer than AckWithin) is the HTTP response; what follows it (the answer
// after a deferral, further messages of a long answer, the edit of the
// prompt) goes over REST with the interaction's token once the response
// is written.
func (c *Chat) InteractionsHandler() http.Handler {
	return &endpoint{c: c, bodies: kit.NewBodies(bodiesAtOnce, bodyTime)}
}

// endpoint is the handler InteractionsHandler returns.
type endpoint struct {
	c      *Chat
	bodies *kit.Bodies
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := e.c
	if c.publicKey == nil {
		http.Error(w, "this bot receives Discord interactions over the gateway (no discord.public_key is set)", http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	sig, err := c.checkHeaders(r.Header)
	if err != nil {
		c.log.Warn("discord: interaction refused", "err", err, "remote", r.RemoteAddr)
		kit.RefuseUnread(w)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	body, ok := e.bodies.Read(w, r, maxInteractionBody, c.log)
	if !ok {
		return
	}
	if !ed25519.Verify(c.publicKey, append([]byte(r.Header.Get(headerTimestamp)), body...), sig) {
		c.log.Warn("discord: interaction refused", "err", headerSignature+" does not match the body", "remote", r.RemoteAddr)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "unreadable interaction", http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeResponse(w, discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	if !c.replays.claim(i.ID, c.cfg.Now()) {
		c.log.Warn("discord: interaction received again, refused", "interaction", i.ID, "remote", r.RemoteAddr)
		http.Error(w, "interaction already received", http.StatusConflict)
		return
	}
	rc := c.current(&c.endpoint)
	if rc == nil {
		c.replays.forget(i.ID)
		http.Error(w, "not answering interactions yet", http.StatusServiceUnavailable)
		return
	}
	c.answer(w, r, rc, &i)
}

// checkHeaders checks the signature headers before the body is read: the
// timestamp within the replay window, the signature's form. It returns
// the signature.
func (c *Chat) checkHeaders(h http.Header) ([]byte, error) {
	secs, err := strconv.ParseInt(h.Get(headerTimestamp), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("missing or malformed %s", headerTimestamp)
	}
	if d := c.cfg.Now().Sub(time.Unix(secs, 0)); d > replayWindow || d < -replayWindow {
		return nil, fmt.Errorf("%s is %s away from now, beyond the %s replay window", headerTimestamp, d.Round(time.Second), replayWindow)
	}
	sig, err := hex.DecodeString(h.Get(headerSignature))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("missing or malformed %s", headerSignature)
	}
	return sig, nil
}

// answer hands the interaction to a goroutine of rc, which handles it as
// one from the gateway, and writes its first response as the HTTP
// response as soon as it is decided. The goroutine goes on (follow-ups,
// the edit of the prompt) once the response is written.
func (c *Chat) answer(w http.ResponseWriter, r *http.Request, rc *receiver, i *discordgo.Interaction) {
	x := newExchange()
	handled := make(chan struct{})
	started := c.spawn(rc, func(ctx context.Context) {
		defer close(handled)
		c.onInteraction(ctx, rc.h, &interaction{Interaction: i, reply: x.reply})
	})
	if !started {
		c.replays.forget(i.ID)
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	var err error
	select {
	case resp := <-x.first:
		err = writeResponse(w, resp)
	case <-handled:
		// Handled without a response: an interaction the bot does not
		// know, as the log says. Discord tells the person it failed.
		err = errors.New("not answered")
		http.Error(w, "interaction not understood", http.StatusBadRequest)
	case <-r.Context().Done():
		err = fmt.Errorf("discord: stopped waiting: %w", r.Context().Err())
	}
	x.written(err)
}

// writeResponse writes an interaction response as the whole HTTP
// response and flushes it: once it returns, Discord has all of it, before
// any follow-up the bot then sends.
func writeResponse(w http.ResponseWriter, resp any) error {
	b, err := json.Marshal(resp)
	if err != nil {
		http.Error(w, "response not encoded", http.StatusInternalServerError)
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	if _, err := w.Write(b); err != nil {
		return err
	}
	if err := http.NewResponseController(w).Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	return nil
}

// exchange passes an interaction's first response from the goroutine
// handling it to the HTTP handler, and tells the goroutine once the
// response is written: no follow-up may reach Discord before the response
// it follows.
type exchange struct {
	first chan any
	// done is closed once the handler has answered, with err saying how.
	done chan struct{}
	err  error
	used chan struct{}
}

func newExchange() *exchange {
	return &exchange{first: make(chan any, 1), done: make(chan struct{}), used: make(chan struct{}, 1)}
}

// reply hands over the first response and waits until it is written. A
// second response is refused: Discord takes one.
func (x *exchange) reply(resp any) error {
	select {
	case x.used <- struct{}{}:
	default:
		return bot.Errorf(bot.ECONFLICT, "the interaction was answered already")
	}
	x.first <- resp
	<-x.done
	return x.err
}

// written says the handler has answered, and how.
func (x *exchange) written(err error) {
	x.err = err
	close(x.done)
}
