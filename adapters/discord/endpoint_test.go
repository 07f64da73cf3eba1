package discord_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/adapters/discord"
	"forumbot/bot"
)

// endpointBot is an adapter that answers interactions on its endpoint
// alone, as an instance that does not hold the gateway: ServeInteractions
// runs, the gateway is never connected.
type endpointBot struct {
	f    *fakeDiscord
	chat *discord.Chat
	url  string
	// events are those the handler received.
	mu     sync.Mutex
	events []bot.Event
	answer func(context.Context, bot.Event) bot.Response
}

func (b *endpointBot) HandleEvent(ctx context.Context, e bot.Event) bot.Response {
	b.mu.Lock()
	b.events = append(b.events, e)
	answer := b.answer
	b.mu.Unlock()
	if answer == nil {
		return bot.Response{Reply: &bot.Message{Text: "handled " + string(e.Kind)}}
	}
	return answer(ctx, e)
}

// use makes h answer the events from now on.
func (b *endpointBot) use(h bot.Handler) {
	b.mu.Lock()
	b.answer = h.HandleEvent
	b.mu.Unlock()
}

func (b *endpointBot) seen() []bot.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]bot.Event(nil), b.events...)
}

// newEndpointBot starts a fake Discord sending interactions to the
// endpoint of an adapter configured with cfg, which serves them until the
// test ends.
func newEndpointBot(t *testing.T, cfg discord.Config) *endpointBot {
	t.Helper()
	f := newFake()
	t.Cleanup(f.Close)
	keyed, start := f.withEndpoint(t)
	cfg.PublicKey = keyed.PublicKey
	chat := newChat(t, f, cfg)
	f.chat = chat
	b := &endpointBot{f: f, chat: chat}
	srv := start(chat)
	b.url = srv.URL + endpointPath
	serve(t, chat, b)
	return b
}

// serve runs chat.ServeInteractions with h until the test ends.
func serve(t *testing.T, chat *discord.Chat, h bot.Handler) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- chat.ServeInteractions(ctx, h) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ServeInteractions: %v", err)
		}
		if v := chat.Endpoint(); !v {
			t.Errorf("Endpoint() = false with a public key")
		}
	})
}

// buttonPress is the body of a button press as Discord sends it to the
// endpoint: a component interaction in a DM.
func (f *fakeDiscord) buttonPress(user, id string) []byte {
	f.mu.Lock()
	u := f.users[user]
	f.mu.Unlock()
	body, err := json.Marshal(map[string]any{
		"id": id, "application_id": f.appID, "type": 3, "token": "tok-" + id, "version": 1,
		"channel_id": "1180000000000000077", "user": u, "locale": "en-US",
		"data": map[string]any{"custom_id": "b:" + bot.ActionOpenForm + ":u:1:C1", "component_type": 2},
	})
	if err != nil {
		panic(err)
	}
	return body
}

// do sends req and returns the status and the body.
func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestEndpointPing: Discord's PING, sent when the URL is saved in the
// developer portal and now and then, is answered PONG (type 1), even
// before interactions are served; a PING with a bad signature is refused
// like any request.
func TestEndpointPing(t *testing.T) {
	f := newFake()
	t.Cleanup(f.Close)
	keyed, start := f.withEndpoint(t)
	chat := newChat(t, f, keyed)
	url := start(chat).URL + endpointPath
	ping := []byte(`{"id":"1180000000000000050","application_id":"` + f.appID + `","type":1,"token":"tok","version":1}`)
	resp, err := http.DefaultClient.Do(f.signed(url, ping, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Type int `json:"type"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusOK || got.Type != 1 || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("PING: HTTP %d %s type %d (%v), want 200 application/json type 1", resp.StatusCode, resp.Header.Get("Content-Type"), got.Type, err)
	}
	bad := f.signed(url, ping, time.Now())
	bad.Header.Set("X-Signature-Ed25519", strings.Repeat("00", 64))
	if status, _ := do(t, bad); status != http.StatusUnauthorized {
		t.Errorf("PING with a bad signature: HTTP %d, want 401", status)
	}
}

// TestEndpointRefusesUnsigned: every request that Discord did not sign,
// or signed for another time or body, is answered 401 and reaches no
// handler, whatever it carries.
func TestEndpointRefusesUnsigned(t *testing.T) {
	b := newEndpointBot(t, discord.Config{})
	user := b.f.addUser("mallory")
	_, other, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	body := b.f.buttonPress(user, "1180000000000000060")
	for _, tc := range []struct {
		name   string
		modify func(r *http.Request)
	}{
		{"NoHeaders", func(r *http.Request) {
			r.Header.Del("X-Signature-Ed25519")
			r.Header.Del("X-Signature-Timestamp")
		}},
		{"NoSignature", func(r *http.Request) { r.Header.Del("X-Signature-Ed25519") }},
		{"NoTimestamp", func(r *http.Request) { r.Header.Del("X-Signature-Timestamp") }},
		{"SignatureNotHex", func(r *http.Request) {
			r.Header.Set("X-Signature-Ed25519", "zz"+r.Header.Get("X-Signature-Ed25519")[2:])
		}},
		{"SignatureShort", func(r *http.Request) { r.Header.Set("X-Signature-Ed25519", r.Header.Get("X-Signature-Ed25519")[:64]) }},
		{"AnotherKey", func(r *http.Request) {
			sig := ed25519.Sign(other, append([]byte(r.Header.Get("X-Signature-Timestamp")), body...))
			r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
		}},
		{"BodyChanged", func(r *http.Request) {
			changed := bytes.Replace(body, []byte(`"type":3`), []byte(`"type":2`), 1)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(changed)), int64(len(changed))
		}},
		{"TimestampChanged", func(r *http.Request) {
			ts, _ := strconv.ParseInt(r.Header.Get("X-Signature-Timestamp"), 10, 64)
			r.Header.Set("X-Signature-Timestamp", strconv.FormatInt(ts+1, 10))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := b.f.signed(b.url, body, time.Now())
			tc.modify(req)
			if status, text := do(t, req); status != http.StatusUnauthorized || !strings.Contains(text, "invalid request signature") {
				t.Errorf("HTTP %d %q, want 401 invalid request signature", status, text)
			}
		})
	}
	if got := b.seen(); len(got) != 0 {
		t.Errorf("the handler received %d events from unsigned requests", len(got))
	}
	if n := b.f.count("POST /webhooks/{app}/{token}") + b.f.count("PATCH /webhooks/{app}/{token}/messages/@original"); n != 0 {
		t.Errorf("%d follow-up calls for refused requests", n)
	}
}

// TestEndpointRefusesStaleAndReplayed: a request signed more than five
// minutes from now, either way, is refused 401 before its body is read;
// one received again within the window (a replay of a captured request)
// is refused 409 and handled once.
func TestEndpointRefusesStaleAndReplayed(t *testing.T) {
	b := newEndpointBot(t, discord.Config{})
	user := b.f.addUser("replayer")
	for _, at := range []time.Time{time.Now().Add(-6 * time.Minute), time.Now().Add(6 * time.Minute)} {
		body := b.f.buttonPress(user, "1180000000000000061")
		if status, text := do(t, b.f.signed(b.url, body, at)); status != http.StatusUnauthorized {
			t.Errorf("signed %s from now: HTTP %d %q, want 401", time.Until(at).Round(time.Minute), status, text)
		}
	}
	body := b.f.buttonPress(user, "1180000000000000062")
	first := b.f.signed(b.url, body, time.Now().Add(-4*time.Minute))
	again := first.Clone(context.Background())
	again.Body = io.NopCloser(bytes.NewReader(body))
	if status, text := do(t, first); status != http.StatusOK {
		t.Fatalf("signed four minutes ago: HTTP %d %q, want 200", status, text)
	}
	if status, _ := do(t, again); status != http.StatusConflict {
		t.Errorf("the same request again: HTTP %d, want 409", status)
	}
	if got := b.seen(); len(got) != 1 || got[0].ID != "1180000000000000062" {
		t.Errorf("events %+v, want the fresh press once", got)
	}
}

// TestEndpointBodyLimits: a body over 256 KiB is refused 413, announced
// or not; a GET is refused 405; nothing reaches the handler.
func TestEndpointBodyLimits(t *testing.T) {
	b := newEndpointBot(t, discord.Config{})
	user := b.f.addUser("verbose")
	press := b.f.buttonPress(user, "1180000000000000063")
	huge := append(bytes.TrimSuffix(press, []byte("}")), []byte(`,"padding":"`+strings.Repeat("x", 300<<10)+`"}`)...)
	announced := b.f.signed(b.url, huge, time.Now())
	if status, _ := do(t, announced); status != http.StatusRequestEntityTooLarge {
		t.Errorf("a %d KiB body: HTTP %d, want 413", len(huge)>>10, status)
	}
	chunked := b.f.signed(b.url, huge, time.Now())
	chunked.ContentLength = -1
	chunked.Body = io.NopCloser(bytes.NewReader(huge))
	if status, _ := do(t, chunked); status != http.StatusRequestEntityTooLarge {
		t.Errorf("a %d KiB body without Content-Length: HTTP %d, want 413", len(huge)>>10, status)
	}
	get, _ := http.NewRequest(http.MethodGet, b.url, nil)
	if status, _ := do(t, get); status != http.StatusMethodNotAllowed {
		t.Errorf("GET: HTTP %d, want 405", status)
	}
	if got := b.seen(); len(got) != 0 {
		t.Errorf("the handler received %+v", got)
	}
}

// TestEndpointNotServing: without ServeInteractions running an
// interaction is answered 503 (PING still works, TestEndpointPing);
// without a public key the handler answers 404 and ServeInteractions
// refuses to start.
func TestEndpointNotServing(t *testing.T) {
	f := newFake()
	t.Cleanup(f.Close)
	keyed, start := f.withEndpoint(t)
	chat := newChat(t, f, keyed)
	url := start(chat).URL + endpointPath
	user := f.addUser("early")
	if status, _ := do(t, f.signed(url, f.buttonPress(user, "1180000000000000064"), time.Now())); status != http.StatusServiceUnavailable {
		t.Errorf("before ServeInteractions: HTTP %d, want 503", status)
	}
	gatewayOnly := newChat(t, f, discord.Config{})
	req := f.signed(url, f.buttonPress(user, "1180000000000000065"), time.Now())
	rec := &recorder{header: http.Header{}}
	gatewayOnly.InteractionsHandler().ServeHTTP(rec, req)
	if rec.status != http.StatusNotFound {
		t.Errorf("without a public key: HTTP %d, want 404", rec.status)
	}
	err := gatewayOnly.ServeInteractions(context.Background(), bot.HandlerFunc(func(context.Context, bot.Event) bot.Response { return bot.Response{} }))
	if err == nil || !strings.Contains(err.Error(), "no public key") {
		t.Errorf("ServeInteractions without a public key: %v", err)
	}
}

// recorder is a ResponseWriter that keeps the status.
type recorder struct {
	header http.Header
	status int
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return len(b), nil
}
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

// TestPublicKeyChecked: New refuses a public key that is not 64
// hexadecimal digits, naming what is wrong without echoing it.
func TestPublicKeyChecked(t *testing.T) {
	for _, tc := range []struct{ name, key, want string }{
		{"NotHex", strings.Repeat("g", 64), "is not hexadecimal"},
		{"Short", strings.Repeat("ab", 31), "has 62 hexadecimal digits, want 64"},
		{"Long", strings.Repeat("ab", 33), "has 66 hexadecimal digits, want 64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := discord.New(discord.Config{Token: "t", ApplicationID: "1", PublicKey: tc.key})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), tc.key) {
				t.Errorf("New with public key %s: %v, want %q without the key", tc.name, err, tc.want)
			}
		})
	}
}
