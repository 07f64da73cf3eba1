package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/store/sqlite"
)

// signalWriter collects log output and signals, once each, when it first
// matches one of its patterns: the test waits on what the log says.
type signalWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	waits map[*regexp.Regexp]chan string
}

// on returns a channel that receives the first submatch of re (or the
// whole match) when the output first matches it.
func (w *signalWriter) on(re string) <-chan string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.waits == nil {
		w.waits = map[*regexp.Regexp]chan string{}
	}
	ch := make(chan string, 1)
	w.waits[regexp.MustCompile(re)] = ch
	return ch
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for re, ch := range w.waits {
		if m := re.FindStringSubmatch(w.buf.String()); m != nil {
			ch <- m[len(m)-1]
			delete(w.waits, re)
		}
	}
	return len(p), nil
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

const serveConfig = `
store: {path: serve.db}
http: {listen: "127.0.0.1:0"}
slack:
  bot_token: ${FORUMBOT_TEST_BOT_TOKEN}
  signing_secret: ${FORUMBOT_TEST_SIGNING_SECRET}
  api_url: %s
forums:
  - id: f
    name: Serve Forum
    timezone: UTC
    digest_channel: slack:C0FORUM
    coordinators: [slack:U0COORD]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    site: {public: true, licence: CC-BY-4.0}
    plan:
      id: P
      commitments:
        - id: C1
          title: Open budget
          committee: [{who: slack:U0GOV, name: Gov, group: government, org: Finance}]
`

// TestServe runs forumbot serve with Slack in HTTP mode against a stub of
// Slack's Web API: it must be ready, answer /healthz, verify and answer a
// signed slash command through the engine, and stop cleanly.
func TestServe(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "auth.test") {
			io.WriteString(w, `{"ok":true,"user_id":"UBOT","team_id":"T1","user":"forumbot"}`)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	defer api.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "forumbot.yaml")
	// The forum takes questions on its site, signed with a secret from
	// the environment.
	config := "site: {form_secret: \"${FORUMBOT_TEST_FORM_SECRET}\"}\n" +
		strings.Replace(fmt.Sprintf(serveConfig, api.URL+"/api/"), "licence: CC-BY-4.0}", "licence: CC-BY-4.0, questions: {enabled: true}}", 1)
	if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FORUMBOT_TEST_FORM_SECRET", "0123456789abcdef0123456789abcdef")
	const secret = "8f742231b10e8888abcd99yyyzzz85a5"
	t.Setenv("FORUMBOT_TEST_BOT_TOKEN", "xoxb-test")
	t.Setenv("FORUMBOT_TEST_SIGNING_SECRET", secret)

	stderr := &signalWriter{}
	ready := stderr.on(`msg=ready http=(\S+)`)
	listening := stderr.on(`msg="listening for HTTP events"`)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--config", cfg}, io.Discard, stderr) }()
	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("serve exited with %d before it was ready:\n%s", code, stderr)
	}
	// Ready means the listener is open, before any platform connects.
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	// The public site is mounted on the same listener.
	for _, p := range []string{"/site/", "/site/en/forums/f/", "/site/en/forums/f/commitments/C1/", "/site/data/forums/f.json"} {
		resp, err := http.Get("http://" + addr + p)
		if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") == "" {
			t.Fatalf("GET %s: %v %v", p, resp, err)
		}
		resp.Body.Close()
	}
	// Its question form takes a question.
	ask := "http://" + addr + "/site/en/forums/f/commitments/C1/ask/"
	resp, err = http.Get(ask)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	token := regexp.MustCompile(`name="token" value="([^"]+)"`).FindSubmatch(page)
	if resp.StatusCode != 200 || token == nil {
		t.Fatalf("GET %s: %d, no token:\n%s", ask, resp.StatusCode, page)
	}
	resp, err = http.DefaultTransport.RoundTrip(func() *http.Request {
		req, _ := http.NewRequest("POST", ask, strings.NewReader(url.Values{"token": {string(token[1])}, "question": {"Is the budget online?"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	}())
	if err != nil || resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/site/en/forums/f/questions/Q-1/") {
		t.Fatalf("POST %s: %v %v", ask, resp, err)
	}
	resp.Body.Close()
	select {
	case <-listening:
	case code := <-done:
		t.Fatalf("serve exited with %d before Slack was listening:\n%s", code, stderr)
	}

	form := url.Values{"command": {"/forum"}, "text": {"help"}, "user_id": {"U0COORD"}, "channel_id": {"C0FORUM"}, "trigger_id": {"T.1"}, "team_id": {"T1"}}.Encode()
	post := func(secret string) *http.Response {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte(secret))
		fmt.Fprintf(mac, "v0:%s:%s", ts, form)
		req, _ := http.NewRequest("POST", "http://"+addr+"/slack/commands", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp = post(secret)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "forumbot commands") {
		t.Errorf("signed /forum help: %d %s", resp.StatusCode, body)
	}
	if resp := post("wrong-secret"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("badly signed request: %d, want 401", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited with %d after shutdown:\n%s", code, stderr)
	}
}

func TestServeRefusesWhatItCannotRun(t *testing.T) {
	dir := t.TempDir()
	for name, tt := range map[string]struct{ config, want string }{
		"local addresses":    {strings.NewReplacer("slack:U", "local:U", "slack:C", "local:C").Replace(fmt.Sprintf(serveConfig, "https://slack.example/api/")), "only work in forumbot demo"},
		"no discord section": {strings.Replace(fmt.Sprintf(serveConfig, "https://slack.example/api/"), "who: slack:U0GOV", "who: discord:123456789", 1), "has no discord: section"},
		"unset secret":       {fmt.Sprintf(serveConfig, "https://slack.example/api/"), "environment variable FORUMBOT_TEST_BOT_TOKEN is not set"},
		"questions without a form secret": {strings.Replace(fmt.Sprintf(serveConfig, "https://slack.example/api/"), "licence: CC-BY-4.0}", "licence: CC-BY-4.0, questions: {enabled: true}}", 1),
			"site.form_secret: missing, and forums[0] has site.questions.enabled: true"},
	} {
		cfg := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".yaml")
		if err := os.WriteFile(cfg, []byte(tt.config), 0o644); err != nil {
			t.Fatal(err)
		}
		if name != "unset secret" {
			t.Setenv("FORUMBOT_TEST_BOT_TOKEN", "xoxb-test")
			t.Setenv("FORUMBOT_TEST_SIGNING_SECRET", "s")
		} else {
			os.Unsetenv("FORUMBOT_TEST_BOT_TOKEN")
		}
		code, _, errOut := forumbot(t, "serve", "--config", cfg)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, want 2 and %q:\n%s", name, code, tt.want, errOut)
		}
	}
}

// TestWarnPagePool: serve says when SQLite's page pool could not be set
// aside, and stays quiet when it was.
func TestWarnPagePool(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	warnPagePool(log, nil)
	if out.Len() != 0 {
		t.Errorf("logged %q with the pool set aside", out.String())
	}
	warnPagePool(log, errors.New("out of memory"))
	if got := out.String(); !strings.Contains(got, "page pool could not be set aside") || !strings.Contains(got, "out of memory") {
		t.Errorf("logged %q, want the warning with its cause", got)
	}
	if err := sqlite.PagePoolErr(); err != nil {
		t.Errorf("the page pool was not set aside in this process: %v", err)
	}
}
