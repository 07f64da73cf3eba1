package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"forumbot/store/postgres"
	"forumbot/store/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

const pgServeConfig = `
store: {url: "${FORUMBOT_TEST_PG_URL}", lease: 1s}
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
    plan:
      id: P
      commitments:
        - id: C1
          title: Open budget
          committee: [{who: slack:U0GOV, name: Gov, group: government, org: Finance}]
`

// instance is one serve Main running in the test.
type instance struct {
	addr string
	stop func()
	logs *signalWriter
}

// startInstance runs serve's Main on the config at path.
func startInstance(t *testing.T, path string) *instance {
	t.Helper()
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
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
			m.Close()
		}
	}
	t.Cleanup(stop)
	select {
	case a := <-ready:
		return &instance{addr: a.String(), stop: stop, logs: logs}
	case err := <-done:
		t.Fatalf("serve stopped before it was ready: %v\n%s", err, logs)
	}
	return nil
}

// TestServeOnPostgres runs two serve instances on one PostgreSQL database
// behind Slack in HTTP mode: both are ready and answer members, exactly
// one leads (its /readyz, /metrics and log say so), a command delivered
// to both is stored once, and when the leader stops the other takes
// over. verify and export read the record in PostgreSQL; backup explains
// pg_dump instead of writing a file.
func TestServeOnPostgres(t *testing.T) {
	dbURL := pgtest.URL(t)
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
	path := filepath.Join(dir, "forumbot.yaml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(pgServeConfig, api.URL+"/api/")), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FORUMBOT_TEST_PG_URL", dbURL)
	t.Setenv("FORUMBOT_TEST_BOT_TOKEN", "xoxb-test")
	t.Setenv("FORUMBOT_TEST_SIGNING_SECRET", readySecret)

	a, b := startInstance(t, path), startInstance(t, path)
	leaderOf := func(insts ...*instance) (leaders []*instance) {
		for _, in := range insts {
			code, body := until(t, "http://"+in.addr+"/readyz", func(code int, body string) bool {
				return code == http.StatusOK && strings.Contains(body, "leader: ")
			})
			if code != http.StatusOK {
				t.Fatalf("/readyz of %s: %d %s", in.addr, code, body)
			}
			if strings.Contains(body, "leader: yes") {
				leaders = append(leaders, in)
			} else if !strings.Contains(body, "leader: no (another instance runs the tick and the sender") {
				t.Errorf("/readyz of %s says no part: %s", in.addr, body)
			}
		}
		return leaders
	}
	// Leadership takes a lease to try and a lease of grace.
	leaders := leaderOf(a, b)
	for deadline := time.Now().Add(15 * time.Second); len(leaders) != 1 && time.Now().Before(deadline); leaders = leaderOf(a, b) {
		time.Sleep(50 * time.Millisecond)
	}
	if len(leaders) != 1 {
		t.Fatalf("%d leaders, want 1", len(leaders))
	}
	leader, follower := leaders[0], a
	if leader == a {
		follower = b
	}
	for in, want := range map[*instance]string{leader: "forumbot_leader 1", follower: "forumbot_leader 0"} {
		if _, metrics := get(t, "http://"+in.addr+"/metrics"); !strings.Contains(metrics, want) || !strings.Contains(metrics, "forumbot_leader_changes_total") {
			t.Errorf("/metrics of %s lacks %q", in.addr, want)
		}
	}
	if !strings.Contains(leader.logs.String(), "leadership: this instance leads") {
		t.Errorf("the leader did not log its leadership:\n%s", leader.logs)
	}

	// The same request reaches both instances (a load balancer's retry):
	// both answer, one absence is stored.
	away := "away until " + time.Now().AddDate(0, 0, 20).Format("2006-01-02")
	for _, in := range []*instance{follower, leader} {
		if got := signedCommand(t, in.addr, "U0GOV", away, "T.same"); !strings.Contains(got, "Noted: you are away until") {
			t.Errorf("away via %s: %s", in.addr, got)
		}
	}
	db := postgres.NewDB(dbURL)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if abs, err := db.Absences(context.Background()); err != nil || len(abs) != 1 {
		t.Errorf("absences stored: %d %v, want 1", len(abs), err)
	}

	// The leader stops: the follower takes over.
	leader.stop()
	if !strings.Contains(leader.logs.String(), "leadership: this instance stepped down") {
		t.Errorf("the leader did not log stepping down:\n%s", leader.logs)
	}
	code, body := until(t, "http://"+follower.addr+"/readyz", func(_ int, body string) bool { return strings.Contains(body, "leader: yes") })
	if code != http.StatusOK || !strings.Contains(body, "leader: yes") {
		t.Errorf("/readyz of the follower once the leader stopped: %d %s", code, body)
	}

	code, out, errOut := forumbot(t, "verify", "--config", path)
	if code != 0 || !strings.Contains(out, "record intact") || strings.Contains(out+errOut, "postgres@") {
		t.Errorf("verify on PostgreSQL: %d %s %s", code, out, errOut)
	}
	code, out, errOut = forumbot(t, "export", "--config", path, "--forum", "f", "--format", "csv")
	if code != 0 || !strings.HasPrefix(out, "forum,") {
		t.Errorf("export on PostgreSQL: %d %q %s", code, out, errOut)
	}
	target := filepath.Join(dir, "backup.db")
	code, _, errOut = forumbot(t, "backup", "--config", path, target)
	if code != 2 || !strings.Contains(errOut, "pg_dump") {
		t.Errorf("backup on PostgreSQL: %d %s, want exit 2 explaining pg_dump", code, errOut)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Errorf("backup on PostgreSQL wrote %s", target)
	}
}
