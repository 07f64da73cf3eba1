package main

import (
	"bufio"
	"context"
	"errors"
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
)

// startListener runs serve's Main, with Slack in HTTP mode against a stub
// of Slack's Web API, within timeouts, and returns the listener's address
// once Slack is listening.
func startListener(t *testing.T, timeouts HTTPTimeouts) string {
	t.Helper()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true,"user_id":"UBOT","team_id":"T1","user":"forumbot"}`)
	}))
	t.Cleanup(api.Close)
	path := filepath.Join(t.TempDir(), "forumbot.yaml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(serveConfig, api.URL+"/api/")), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FORUMBOT_TEST_BOT_TOKEN", "xoxb-test")
	t.Setenv("FORUMBOT_TEST_SIGNING_SECRET", "listener-secret")
	cfg, err := loadConfig(path, secretsRequired, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	logs := &signalWriter{}
	listening := logs.on(`msg="listening for HTTP events"`)
	m, err := NewMain(cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m.HTTPTimeouts = timeouts
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan net.Addr, 1), make(chan error, 1)
	go func() { done <- m.Run(ctx, func(a net.Addr) { ready <- a }) }()
	t.Cleanup(func() {
		cancel()
		<-done
		m.Close()
	})
	var addr string
	select {
	case a := <-ready:
		addr = a.String()
	case err := <-done:
		t.Fatalf("serve stopped before it was ready: %v\n%s", err, logs)
	}
	select {
	case <-listening:
	case err := <-done:
		t.Fatalf("serve stopped before Slack was listening: %v\n%s", err, logs)
	}
	return addr
}

// closedWithin reports whether the server closes conn, after answering or
// not, within limit, and how long that took.
func closedWithin(conn net.Conn, limit time.Duration) (bool, time.Duration) {
	start := time.Now()
	conn.SetReadDeadline(start.Add(limit))
	_, err := io.Copy(io.Discard, conn)
	var timeout net.Error
	return !(errors.As(err, &timeout) && timeout.Timeout()), time.Since(start)
}

// TestListenerClosesSlowClients: a client that sends its headers or its
// body slowly, or keeps a connection idle, is cut off once the listener's
// timeout has passed, holding neither a connection nor memory for long.
func TestListenerClosesSlowClients(t *testing.T) {
	timeouts := HTTPTimeouts{ReadHeader: 200 * time.Millisecond, Read: 400 * time.Millisecond, Write: 2 * time.Second, Idle: 300 * time.Millisecond}
	addr := startListener(t, timeouts)
	dial := func(t *testing.T) net.Conn {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	headers := func(length int) string {
		return fmt.Sprintf("POST /slack/events HTTP/1.1\r\nHost: bot.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"+
			"X-Slack-Request-Timestamp: %d\r\nX-Slack-Signature: v0=%s\r\n\r\n", length, time.Now().Unix(), strings.Repeat("0", 64))
	}
	for _, tt := range []struct {
		name    string
		timeout time.Duration
		send    func(conn net.Conn)
	}{
		{"SlowHeaders", timeouts.ReadHeader, func(conn net.Conn) { io.WriteString(conn, "POST /slack/events HTTP/1.1\r\nHost: bot.test\r\n") }},
		{"StalledBody", timeouts.Read, func(conn net.Conn) { io.WriteString(conn, headers(1000)+`{"type":`) }},
		{"TricklingBody", timeouts.Read, func(conn net.Conn) {
			io.WriteString(conn, headers(1000))
			go func() {
				tick := time.NewTicker(20 * time.Millisecond)
				defer tick.Stop()
				for range tick.C {
					if _, err := io.WriteString(conn, " "); err != nil {
						return
					}
				}
			}()
		}},
		{"IdleKeepAlive", timeouts.Idle, func(conn net.Conn) {
			io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: bot.test\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err == nil {
				resp.Body.Close()
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conn := dial(t)
			tt.send(conn)
			closed, took := closedWithin(conn, 10*tt.timeout+2*time.Second)
			if !closed || took > 5*tt.timeout+time.Second {
				t.Errorf("closed %v after %s; want closed soon after the %s timeout", closed, took.Round(time.Millisecond), tt.timeout)
			}
		})
	}
	t.Run("HugeHeaders", func(t *testing.T) {
		conn := dial(t)
		fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: bot.test\r\nX-Padding: %s\r\n\r\n", strings.Repeat("x", 128<<10))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("128 KiB of headers: %v %v, want 431", resp, err)
		}
	})
	t.Run("NormalRequestStillServed", func(t *testing.T) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("healthz: %v %v", resp, err)
		}
		resp.Body.Close()
	})
}
