package slack_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/slack"
)

// The HTTP handler's defences, each expectation explicit: every request
// must be signed with the signing secret, no more than five minutes away
// from now, and is handled once however often it is replayed within
// them; bodies are capped per URL, in time and in number while they are
// unauthenticated; malformed bodies are refused without reaching the bot.

// securityFake is a fake in HTTP mode on a clock the test sets, listening
// with a recorder.
func securityFake(t *testing.T) (*fakeSlack, *recorder, *testClock) {
	t.Helper()
	clock := &testClock{now: time.Now()}
	f := newFake(t, fakeOptions{http: true, now: clock.Now, config: func(c *slack.Config) { c.Now = clock.Now }})
	h := &recorder{}
	f.listen(t, h)
	return f, h, clock
}

// post sends body to path with the given timestamp and signature headers
// (left out when empty) and returns the status and the answer.
func post(t *testing.T, base, path, contentType, body, ts, sig string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if ts != "" {
		req.Header.Set("X-Slack-Request-Timestamp", ts)
	}
	if sig != "" {
		req.Header.Set("X-Slack-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// unixTS is a request timestamp.
func unixTS(at time.Time) string { return strconv.FormatInt(at.Unix(), 10) }

// imEvent is a signed-ready message event in a member's direct message.
func imEvent(f *fakeSlack, eventID string) string {
	user := userOf(string(f.Member(0)))
	b, _ := json.Marshal(eventCallback(eventID, map[string]any{"type": "message", "channel": "D0SECURITY", "user": user,
		"text": "a note", "ts": "1700000000.000100", "channel_type": "im"}))
	return string(b)
}

func TestHTTPForgedMissingAndStaleSignaturesRefused(t *testing.T) {
	f, h, clock := securityFake(t)
	body := imEvent(f, "Ev0FORGED")
	now := clock.Now()
	ts := unixTS(now)
	for _, tt := range []struct{ name, ts, sig string }{
		{"OtherSecret", ts, sign("not-the-secret", ts, []byte(body))},
		{"NoSignature", ts, ""},
		{"NoTimestamp", "", sign(fakeSecret, ts, []byte(body))},
		{"TimestampNotANumber", "yesterday", sign(fakeSecret, "yesterday", []byte(body))},
		{"SignatureNotHex", ts, "v0=not-hex"},
		{"OtherVersion", ts, "v1=" + strings.TrimPrefix(sign(fakeSecret, ts, []byte(body)), "v0=")},
		{"SignatureOfAnotherBody", ts, sign(fakeSecret, ts, []byte(imEvent(f, "Ev0OTHER")))},
		{"SignatureForAnotherTime", ts, sign(fakeSecret, unixTS(now.Add(-time.Second)), []byte(body))},
		{"Stale", unixTS(now.Add(-5*time.Minute - time.Second)), sign(fakeSecret, unixTS(now.Add(-5*time.Minute-time.Second)), []byte(body))},
		{"FromTheFuture", unixTS(now.Add(5*time.Minute + time.Second)), sign(fakeSecret, unixTS(now.Add(5*time.Minute+time.Second)), []byte(body))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if status, answer := post(t, f.hooks.URL, "/slack/events", "application/json", body, tt.ts, tt.sig); status != http.StatusUnauthorized {
				t.Errorf("answered %d %q, want 401", status, answer)
			}
		})
	}
	if n := len(h.seen()); n != 0 {
		t.Errorf("the bot saw %d refused requests, want none", n)
	}
	// The same request, rightly signed, is accepted: the refusals above
	// were for their signatures alone.
	if status, answer := post(t, f.hooks.URL, "/slack/events", "application/json", body, ts, sign(fakeSecret, ts, []byte(body))); status != http.StatusOK || len(h.seen()) != 1 {
		t.Errorf("the signed request: %d %q, the bot saw %d events; want 200 and 1", status, answer, len(h.seen()))
	}
}

func TestHTTPReplayedRequestHandledOnce(t *testing.T) {
	f, h, clock := securityFake(t)
	body := imEvent(f, "Ev0REPLAY")
	signedAt := clock.Now().Truncate(time.Second)
	ts, sig := unixTS(signedAt), sign(fakeSecret, unixTS(signedAt), []byte(body))
	for i, at := range []time.Duration{0, time.Minute, 5 * time.Minute} {
		clock.Set(signedAt.Add(at))
		if status, answer := post(t, f.hooks.URL, "/slack/events", "application/json", body, ts, sig); status != http.StatusOK {
			t.Errorf("delivery %d, %s after signing: %d %q, want 200 (acknowledged)", i+1, at, status, answer)
		}
	}
	if n := len(h.seen()); n != 1 {
		t.Errorf("a request replayed within the window was handled %d times, want once", n)
	}
	clock.Set(signedAt.Add(5*time.Minute + time.Second))
	if status, answer := post(t, f.hooks.URL, "/slack/events", "application/json", body, ts, sig); status != http.StatusUnauthorized {
		t.Errorf("replayed after the window: %d %q, want 401", status, answer)
	}
	// Once the duplicate filter has forgotten it, the signature has expired.
	if n := len(h.seen()); n != 1 {
		t.Errorf("the bot saw %d deliveries, want 1", n)
	}
}

func TestHTTPMalformedBodiesRefused(t *testing.T) {
	f, h, clock := securityFake(t)
	ts := unixTS(clock.Now())
	form := "application/x-www-form-urlencoded"
	for _, tt := range []struct {
		name, path, contentType, body string
		want                          int
	}{
		{"FormBadEscape", "/slack/commands", form, "command=%2Fforum&text=%zz", http.StatusBadRequest},
		{"PayloadNotJSON", "/slack/interactive", form, "payload=" + url.QueryEscape("{not json"), http.StatusBadRequest},
		{"FormOfNothingKnown", "/slack/interactive", form, "hello=world", http.StatusBadRequest},
		{"Empty", "/slack/interactive", form, "", http.StatusBadRequest},
		{"EventNotJSON", "/slack/events", "application/json", `{"type":`, http.StatusBadRequest},
		{"BinaryEvent", "/slack/events", "application/json", "\x00\xff\xfe binary", http.StatusBadRequest},
		// Slack retries what is not acknowledged: an event the bot does
		// not subscribe to is acknowledged and ignored.
		{"EventOfAnotherKind", "/slack/events", "application/json", `{"type":"event_callback","event_id":"Ev0X","event":{"type":"reaction_added"}}`, http.StatusOK},
		{"CallbackWithoutEvent", "/slack/events", "application/json", `{"type":"event_callback","event_id":"Ev0Y"}`, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, answer := post(t, f.hooks.URL, tt.path, tt.contentType, tt.body, ts, sign(fakeSecret, ts, []byte(tt.body)))
			if status != tt.want {
				t.Errorf("answered %d %q, want %d", status, answer, tt.want)
			}
		})
	}
	if n := len(h.seen()); n != 0 {
		t.Errorf("the bot saw %d malformed requests, want none", n)
	}
	resp, err := http.Get(f.hooks.URL + "/slack/events")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != http.MethodPost {
		t.Errorf("GET: %d, Allow %q; want 405 and Allow: POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

// rawRequest opens a connection to srv and sends a POST's headers to path
// with a body of length bytes announced (chunked when length < 0), signed
// or not with a timestamp at ts; the test writes the body, if any.
func rawRequest(t *testing.T, srv *httptest.Server, path string, length int, ts string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	framing := fmt.Sprintf("Content-Length: %d", length)
	if length < 0 {
		framing = "Transfer-Encoding: chunked"
	}
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: slack.test\r\nContent-Type: application/json\r\n%s\r\n"+
		"X-Slack-Request-Timestamp: %s\r\nX-Slack-Signature: v0=%s\r\n\r\n", path, framing, ts, strings.Repeat("0", 64))
	return conn
}

// answerOn reads the response on conn within limit.
func answerOn(t *testing.T, conn net.Conn, limit time.Duration) (int, error) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(limit))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func TestHTTPOversizedBodiesRefusedUnread(t *testing.T) {
	f, _, clock := securityFake(t)
	ts := unixTS(clock.Now())
	for _, tt := range []struct {
		path   string
		length int
	}{
		{"/slack/commands", 128<<10 + 1},
		{"/slack/events", 512<<10 + 1},
		{"/slack/interactive", 1<<20 + 1},
		{"/slack/", 1<<20 + 1},
	} {
		t.Run(tt.path, func(t *testing.T) {
			// Only the headers are sent: the answer must not wait for the body.
			conn := rawRequest(t, f.hooks, tt.path, tt.length, ts)
			if status, err := answerOn(t, conn, 5*time.Second); status != http.StatusRequestEntityTooLarge {
				t.Errorf("a body of %d bytes announced: %d %v, want 413 before it is sent", tt.length, status, err)
			}
		})
	}
	t.Run("Chunked", func(t *testing.T) {
		conn := rawRequest(t, f.hooks, "/slack/commands", -1, ts)
		chunk := strings.Repeat("x", 64<<10)
		for range 3 {
			fmt.Fprintf(conn, "%x\r\n%s\r\n", len(chunk), chunk)
		}
		if status, err := answerOn(t, conn, 5*time.Second); status != http.StatusRequestEntityTooLarge {
			t.Errorf("a chunked body over 128 KiB: %d %v, want 413", status, err)
		}
	})
	t.Run("StaleTimestamp", func(t *testing.T) {
		conn := rawRequest(t, f.hooks, "/slack/events", 1000, unixTS(clock.Now().Add(-time.Hour)))
		if status, err := answerOn(t, conn, 5*time.Second); status != http.StatusUnauthorized {
			t.Errorf("a stale request: %d %v, want 401 before its body is sent", status, err)
		}
	})
}

// limitedHooks serves the adapter's HTTP handler with the given limits;
// reading receives a value each time a body starts being read.
func limitedHooks(t *testing.T, f *fakeSlack, bodies int, bodyTime time.Duration) (*httptest.Server, chan struct{}) {
	t.Helper()
	reading := make(chan struct{}, 16)
	srv := httptest.NewServer(slack.HTTPHandlerWithLimits(f.chat, bodies, bodyTime, func() { reading <- struct{}{} }))
	t.Cleanup(srv.Close)
	return srv, reading
}

func TestHTTPSlowBodyCutOff(t *testing.T) {
	f, _, clock := securityFake(t)
	const bodyTime = 200 * time.Millisecond
	srv, reading := limitedHooks(t, f, 4, bodyTime)
	conn := rawRequest(t, srv, "/slack/events", 1000, unixTS(clock.Now()))
	io.WriteString(conn, `{"type":`)
	<-reading
	start := time.Now()
	status, err := answerOn(t, conn, 10*time.Second)
	if took := time.Since(start); status != http.StatusRequestTimeout || took < bodyTime/2 {
		t.Errorf("a body stalled after 8 bytes: %d %v after %s, want 408 once %s have passed", status, err, took.Round(time.Millisecond), bodyTime)
	}
}

func TestHTTPUnauthenticatedBodiesCapped(t *testing.T) {
	f, h, clock := securityFake(t)
	srv, reading := limitedHooks(t, f, 2, time.Minute)
	ts := unixTS(clock.Now())
	var slow []net.Conn
	for range 2 {
		conn := rawRequest(t, srv, "/slack/events", 1000, ts)
		io.WriteString(conn, `{"type":`)
		<-reading
		slow = append(slow, conn)
	}
	// Both places are taken: a third request is refused at once, unread,
	// with Retry-After so that Slack tries again.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/slack/events", strings.NewReader(`{"type":"url_verification","challenge":"c"}`))
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(fakeSecret, ts, []byte(`{"type":"url_verification","challenge":"c"}`)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("a third body while two are read: %d, Retry-After %q; want 503 and 1", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// One slow body completes (it is not signed: 401); its place is free.
	io.WriteString(slow[0], strings.Repeat(" ", 992))
	if status, err := answerOn(t, slow[0], 5*time.Second); status != http.StatusUnauthorized {
		t.Fatalf("the completed slow body: %d %v, want 401", status, err)
	}
	body := imEvent(f, "Ev0AFTERCAP")
	if status, answer := post(t, srv.URL, "/slack/events", "application/json", body, ts, sign(fakeSecret, ts, []byte(body))); status != http.StatusOK || len(h.seen()) != 1 {
		t.Errorf("a signed request once a place is free: %d %q, the bot saw %d; want 200 and 1", status, answer, len(h.seen()))
	}
}
