package slack_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// slackEscape escapes what a person types, as Slack delivers it.
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func eventCallback(eventID string, ev map[string]any) map[string]any {
	return map[string]any{"token": "verification-token", "team_id": fakeTeam, "api_app_id": fakeApp, "event": ev,
		"type": "event_callback", "event_id": eventID, "event_time": time.Now().Unix(), "authorizations": []any{}}
}

// echo tells the adapter about a message the bot itself posted in a direct
// message, as Slack does; nothing waits for it.
func (f *fakeSlack) echo(channel string, m *fakeMsg) {
	ev := map[string]any{"type": "message", "channel": channel, "user": fakeBotUser, "bot_id": fakeBotID, "text": m.text,
		"ts": m.ts, "channel_type": "im", "event_ts": m.ts}
	payload := eventCallback(f.nextID("Ev"), ev)
	f.bg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), actTimeout)
		defer cancel()
		go func() {
			select {
			case <-f.sock.stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		f.send(ctx, "events_api", payload)
	})
}

// send delivers a request to the adapter, through Socket Mode or as a
// signed HTTP request, and returns the acknowledgement's payload.
func (f *fakeSlack) send(ctx context.Context, kind string, payload any) (json.RawMessage, error) {
	if !f.opts.http {
		return f.sock.deliver(ctx, kind, payload)
	}
	path, contentType, body := httpRequest(kind, payload)
	start := time.Now()
	resp, err := f.postSigned(ctx, path, contentType, body, f.opts.now(), 0)
	for retry := 1; err == nil && resp.status == http.StatusServiceUnavailable; retry++ {
		// The adapter is not listening yet (Listen runs auth.test
		// first). Slack retries events; the fake retries every kind, so
		// that tests do not depend on how fast Listen starts. Nothing
		// signals readiness from outside the adapter, so this polls.
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%s still answered 503: %w", path, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
		start = time.Now()
		resp, err = f.postSigned(ctx, path, contentType, body, f.opts.now(), retry)
	}
	if err != nil {
		return nil, err
	}
	if took := time.Since(start); took > ackWithin {
		f.violate("%s answered after %s", path, took.Round(time.Millisecond))
	}
	if resp.status != http.StatusOK {
		return nil, fmt.Errorf("%s answered %d: %s", path, resp.status, resp.body)
	}
	return resp.body, nil
}

// httpRequest is where and how Slack posts a request of kind in HTTP mode.
func httpRequest(kind string, payload any) (path, contentType string, body []byte) {
	switch kind {
	case "events_api":
		path, contentType = "/slack/events", "application/json"
		body, _ = json.Marshal(payload)
	case "interactive":
		path, contentType = "/slack/interactive", "application/x-www-form-urlencoded"
		js, _ := json.Marshal(payload)
		body = []byte(url.Values{"payload": {string(js)}}.Encode())
	case "slash_commands":
		path, contentType = "/slack/commands", "application/x-www-form-urlencoded"
		form := url.Values{}
		for k, v := range payload.(map[string]string) {
			form.Set(k, v)
		}
		body = []byte(form.Encode())
	}
	return path, contentType, body
}

// prepared is a request made ready before a benchmark's clock starts, as
// Slack encodes (and, in HTTP mode, signs) its requests on its own
// machines. Sending it returns the acknowledgement's payload and how long
// Slack waited for it: from the envelope written to its acknowledgement
// read, or from the HTTP request sent to its answer read.
type prepared func(ctx context.Context) (ack json.RawMessage, took time.Duration, err error)

// prepare encodes a request of kind for the adapter's mode.
func (f *fakeSlack) prepare(kind string, payload any) (prepared, error) {
	if !f.opts.http {
		env, err := f.sock.prepare(kind, payload)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (json.RawMessage, time.Duration, error) {
			ack, err := f.sock.deliverEnvelope(ctx, env)
			f.sock.mu.Lock()
			took := env.took
			f.sock.mu.Unlock()
			return ack, took, err
		}, nil
	}
	path, contentType, body := httpRequest(kind, payload)
	ts := strconv.FormatInt(f.opts.now().Unix(), 10)
	signature := sign(f.opts.secret, ts, body)
	return func(ctx context.Context) (json.RawMessage, time.Duration, error) {
		start := time.Now()
		resp, err := f.post(ctx, path, contentType, body, ts, signature, 0)
		took := time.Since(start)
		if took > ackWithin {
			f.violate("%s answered after %s", path, took.Round(time.Millisecond))
		}
		if err == nil && resp.status != http.StatusOK {
			err = fmt.Errorf("%s answered %d: %s", path, resp.status, resp.body)
		}
		return resp.body, took, err
	}, nil
}

// httpResult is the adapter's answer to a request.
type httpResult struct {
	status int
	body   []byte
}

// postSigned posts body to the adapter's handler signed as Slack signs it,
// with the timestamp at and, when retry > 0, X-Slack-Retry-Num.
func (f *fakeSlack) postSigned(ctx context.Context, path, contentType string, body []byte, at time.Time, retry int) (httpResult, error) {
	ts := strconv.FormatInt(at.Unix(), 10)
	return f.post(ctx, path, contentType, body, ts, sign(f.opts.secret, ts, body), retry)
}

// post posts body to the adapter's handler with the timestamp ts and its
// signature, and, when retry > 0, X-Slack-Retry-Num.
func (f *fakeSlack) post(ctx context.Context, path, contentType string, body []byte, ts, signature string, retry int) (httpResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.hooks.URL+path, bytes.NewReader(body))
	if err != nil {
		return httpResult{}, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", signature)
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return httpResult{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return httpResult{status: resp.StatusCode, body: b}, err
}

// sign computes Slack's v0 request signature.
func sign(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}
