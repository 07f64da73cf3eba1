package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"forumbot/bot/config"
)

const endpointConfig = `
discord:
  token: t
  application_id: "1180000000000000001"
  interactions: endpoint
  public_key: %KEY%
  interactions_path: /hooks/discord
forums:
  - id: f
    name: F
    timezone: UTC
    digest_channel: discord:1180000000000000011
    coordinators: [discord:1180000000000000012]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan: {id: P, commitments: [{id: C1, title: T, committee: [{who: discord:1180000000000000013, name: A, group: government, org: O}]}]}
`

// TestDiscordEndpointMounted: with discord.interactions: endpoint, the
// wiring serve and validate share mounts the Interactions Endpoint URL at
// discord.interactions_path, checking requests against discord.public_key:
// Discord's signed PING is answered PONG there, a request signed with
// another key 401. Over the gateway nothing is mounted.
func TestDiscordEndpointMounted(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, other, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(endpointConfig, "%KEY%", hex.EncodeToString(pub), 1)
	cfg, err := config.Parse([]byte(yaml), "d.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, unchecked, err := prepare(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil || len(unchecked) != 0 {
		t.Fatalf("prepare: %v %v", unchecked, err)
	}
	h := m.Handlers["/hooks/discord"]
	if h == nil {
		t.Fatalf("nothing mounted at discord.interactions_path; handlers %v", m.Handlers)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	ping := []byte(`{"id":"1180000000000000050","application_id":"1180000000000000001","type":1,"token":"tok","version":1}`)
	post := func(key ed25519.PrivateKey) (int, int) {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(string(ping)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), ping...))))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got struct{ Type int }
		json.NewDecoder(resp.Body).Decode(&got)
		return resp.StatusCode, got.Type
	}
	if status, typ := post(priv); status != http.StatusOK || typ != 1 {
		t.Errorf("signed PING: HTTP %d type %d, want 200 type 1 (PONG)", status, typ)
	}
	if status, _ := post(other); status != http.StatusUnauthorized {
		t.Errorf("PING signed with another key: HTTP %d, want 401", status)
	}

	gateway := strings.Replace(strings.Replace(yaml, "  interactions: endpoint\n", "", 1), "  interactions_path: /hooks/discord\n", "", 1)
	cfg, err = config.Parse([]byte(gateway), "g.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m, _, err := prepare(cfg, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil || len(m.Handlers) != 0 {
		t.Errorf("over the gateway: handlers %v, err %v; want none", m.Handlers, err)
	}
}
