package discord_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"forumbot/adapters/discord"
)

// endpointPath is where the tests mount the interactions endpoint, serve's
// default.
const endpointPath = "/discord/interactions"

// endpointRoute counts, in the fake's calls, the requests to the bot's
// endpoint.
const endpointRoute = "POST (bot) " + endpointPath

// withEndpoint makes the fake send interactions to the bot's Interactions
// Endpoint URL, signed with a key pair made here, as Discord does once the
// URL is saved in the developer portal. It returns the config the adapter
// needs (the public key) and a function that starts serving chat's
// handler on 127.0.0.1.
func (f *fakeDiscord) withEndpoint(t testing.TB) (discord.Config, func(chat *discord.Chat) *httptest.Server) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.signer = priv
	f.mu.Unlock()
	start := func(chat *discord.Chat) *httptest.Server {
		mux := http.NewServeMux()
		mux.Handle(endpointPath, f.track(chat.InteractionsHandler()))
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		f.mu.Lock()
		f.endpoint = srv.URL + endpointPath
		f.mu.Unlock()
		return srv
	}
	return discord.Config{PublicKey: hex.EncodeToString(pub)}, start
}

// signed returns a request to url as Discord sends it: the body signed
// with the fake's key at the given time.
func (f *fakeDiscord) signed(url string, body []byte, at time.Time) *http.Request {
	ts := strconv.FormatInt(at.Unix(), 10)
	f.mu.Lock()
	sig := ed25519.Sign(f.signer, append([]byte(ts), body...))
	f.mu.Unlock()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", ts)
	return req
}

// post sends an interaction to the bot's endpoint and applies the HTTP
// response as its first response, checking it as Discord would.
func (f *fakeDiscord) post(url string, p *pendingInteraction, payload map[string]any) {
	defer close(p.answered)
	body, err := json.Marshal(payload)
	if err != nil {
		panic(err)
	}
	resp, err := http.DefaultClient.Do(f.signed(url, body, time.Now()))
	if err != nil {
		p.results <- result{status: -1, final: true}
		return
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		p.results <- result{status: resp.StatusCode, final: true}
		return
	}
	var cb interactionCallback
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := json.Unmarshal(got, &cb); err != nil || resp.Header.Get("Content-Type") != "application/json" {
		f.violate("interaction %s: the endpoint answered %q (%s), not an interaction response", p.id, got, resp.Header.Get("Content-Type"))
		p.results <- result{status: resp.StatusCode, final: true}
		return
	}
	if status, _, msg := f.firstResponse(p, cb); status != http.StatusNoContent {
		f.violate("interaction %s: the endpoint's response was refused: %s", p.id, msg)
	}
}

// afterResponse holds a follow-up call (an edit of the original response,
// a follow-up message) of an interaction sent to the endpoint until its
// HTTP response has been read, as Discord has it before any follow-up can
// arrive; a follow-up sent before the bot had written that response in
// full breaks the rule. f.mu held; released while waiting.
func (f *fakeDiscord) afterResponse(p *pendingInteraction, what string) {
	if p.answered == nil {
		return
	}
	if !f.written[p.id] {
		f.violate("interaction %s: %s before the endpoint's response was written", p.id, what)
	}
	f.mu.Unlock()
	defer f.mu.Lock()
	select {
	case <-p.answered:
	case <-time.After(5 * time.Second):
		f.mu.Lock()
		f.violate("interaction %s: %s, but the endpoint's response never came", p.id, what)
		f.mu.Unlock()
	}
}

// track wraps the bot's handler to record when it has written and
// flushed the response to an interaction.
func (f *fakeDiscord) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var in struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(body, &in)
		f.mu.Lock()
		f.calls[endpointRoute]++
		f.mu.Unlock()
		h.ServeHTTP(&trackedWriter{ResponseWriter: w, f: f, id: in.ID}, r)
	})
}

// trackedWriter marks its interaction written once a flush follows a
// write.
type trackedWriter struct {
	http.ResponseWriter
	f     *fakeDiscord
	id    string
	wrote bool
}

func (t *trackedWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}

func (t *trackedWriter) Flush() {
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	if t.wrote && t.id != "" {
		t.f.mu.Lock()
		t.f.written[t.id] = true
		t.f.mu.Unlock()
	}
}

// Unwrap lets http.ResponseController reach the server's writer.
func (t *trackedWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
