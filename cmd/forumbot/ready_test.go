package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"forumbot/store/sqlite"
	"forumbot/store/sqlite/sqlitetest/filefault"
)

const readySecret = "ready-signing-secret"

// opsMain runs serve's Main in dir against a Slack Web API stub whose
// auth.test fails while refuse is set, and returns the listener's address.
func opsMain(t *testing.T, dir string, refuse *atomic.Bool) string {
	t.Helper()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true,"user_id":"UBOT","team_id":"T1","user":"forumbot"}`)
	}))
	t.Cleanup(api.Close)
	path := filepath.Join(dir, "forumbot.yaml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(serveConfig, api.URL+"/api/")), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FORUMBOT_TEST_BOT_TOKEN", "xoxb-test")
	t.Setenv("FORUMBOT_TEST_SIGNING_SECRET", readySecret)
	cfg, err := loadConfig(path, secretsRequired, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	logs := &signalWriter{}
	m, err := NewMain(cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan net.Addr, 1), make(chan error, 1)
	go func() { done <- m.Run(ctx, func(a net.Addr) { ready <- a }) }()
	t.Cleanup(func() {
		cancel()
		<-done
		m.Close()
	})
	select {
	case a := <-ready:
		return a.String()
	case err := <-done:
		t.Fatalf("serve stopped before it was ready: %v\n%s", err, logs)
	}
	return ""
}

// get returns the status and body of a GET.
func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// until polls get(u) every 50 ms until ok says yes, for at most 15 s, and
// returns the last answer.
func until(t *testing.T, u string, ok func(int, string) bool) (int, string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, body := get(t, u)
		if ok(code, body) || time.Now().After(deadline) {
			return code, body
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// slashCommand posts a signed /forum command from user, as a new request,
// and returns the acknowledgement's body.
func slashCommand(t *testing.T, addr, user, text string) string {
	t.Helper()
	return signedCommand(t, addr, user, text, strconv.FormatInt(time.Now().UnixNano(), 10))
}

// signedCommand posts a /forum command from user with the given trigger
// id (Slack's id of the request, the event id) to addr.
func signedCommand(t *testing.T, addr, user, text, trigger string) string {
	t.Helper()
	form := url.Values{"command": {"/forum"}, "text": {text}, "user_id": {user}, "channel_id": {"C0FORUM"},
		"trigger_id": {trigger}, "team_id": {"T1"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(readySecret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, form)
	req, _ := http.NewRequest("POST", "http://"+addr+"/slack/commands", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestReadyzFollowsTheStore starts serve on a database file that cannot be
// written: /healthz answers (the process is alive), /readyz does not, a
// member's write is refused in plain words, and once the file can be
// written /readyz turns ready and the same write is stored, without a
// restart. /metrics says the same.
func TestReadyzFollowsTheStore(t *testing.T) {
	dir := t.TempDir()
	db := sqlite.NewDB(filepath.Join(dir, "serve.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	writable := filefault.Unwritable(t, db.Path)
	addr := opsMain(t, dir, new(atomic.Bool))
	base := "http://" + addr

	if code, body := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz while the store cannot be written: %d %s, want 200 (alive)", code, body)
	}
	code, body := until(t, base+"/readyz", func(_ int, body string) bool { return strings.Contains(body, "slack: connected") })
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "store: the database cannot be written") {
		t.Errorf("/readyz while the store cannot be written: %d %q, want 503 naming the store", code, body)
	}
	away := "away until " + time.Now().AddDate(0, 0, 20).Format("2006-01-02")
	if got := slashCommand(t, addr, "U0GOV", away); !strings.Contains(got, "nothing was recorded") {
		t.Errorf("away while the store cannot be written: %s, want the plain refusal", got)
	}
	_, metrics := get(t, base+"/metrics")
	for _, want := range []string{"forumbot_store_writable 0", `forumbot_store_errors_total{method="ClaimCommand"} 1`, `forumbot_platform_connected{platform="slack"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q while unwritable", want)
		}
	}

	writable()
	if code, body := until(t, base+"/readyz", func(code int, _ string) bool { return code == http.StatusOK }); code != http.StatusOK || !strings.Contains(body, "store: writable") {
		t.Fatalf("/readyz once the file can be written: %d %q", code, body)
	}
	if got := slashCommand(t, addr, "U0GOV", away); !strings.Contains(got, "Noted: you are away until") {
		t.Errorf("away once the file can be written: %s", got)
	}
	_, metrics = get(t, base+"/metrics")
	for _, want := range []string{"forumbot_store_writable 1", `forumbot_ack_latency_seconds_count{platform="slack"} 2`, "forumbot_rounds_open 0", "forumbot_outbox_depth 0"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q once writable", want)
		}
	}
}

// TestReadyzWaitsForSlack: while Slack does not answer auth.test, serve is
// alive but not ready; it turns ready once Slack answers.
func TestReadyzWaitsForSlack(t *testing.T) {
	refuse := new(atomic.Bool)
	refuse.Store(true)
	base := "http://" + opsMain(t, t.TempDir(), refuse)
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "slack: not accepting events yet") {
		t.Errorf("/readyz while Slack is down: %d %q, want 503 naming slack", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz while Slack is down: %d, want 200", code)
	}
	refuse.Store(false)
	if code, body := until(t, base+"/readyz", func(code int, _ string) bool { return code == http.StatusOK }); code != http.StatusOK || !strings.Contains(body, "slack: connected") {
		t.Errorf("/readyz once Slack answers: %d %q", code, body)
	}
}
