package faults_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// get returns the status and body of a GET on the process's listener;
// status 0 when it cannot be reached.
func (p *proc) get(path string) (int, string) {
	resp, err := http.Get("http://" + p.addr + path)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metric reads one sample of /metrics, -1 when it is missing.
func (p *proc) metric(name string) float64 {
	_, body := p.get("/metrics")
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}

// signed posts body to the process's Slack endpoint at path, signed with
// the signing secret as Slack signs; retry, when above 0, is sent as
// Slack's X-Slack-Retry-Num.
func (p *proc) signed(path, contentType string, body []byte, retry int) (int, string, error) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(signingSecret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	req, err := http.NewRequest(http.MethodPost, "http://"+p.addr+path, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

// dmEvent is the Events API request for a message user typed in their
// direct message with the bot.
func dmEvent(eventID, user, ts, text string) []byte {
	b, _ := json.Marshal(map[string]any{
		"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": eventID, "event_time": time.Now().Unix(),
		"event": map[string]any{"type": "message", "channel": "D" + user, "channel_type": "im", "user": user, "text": text, "ts": ts, "event_ts": ts},
	})
	return b
}

// exported is one update version of forumbot export --format json.
type exported struct {
	Member     string `json:"member"`
	Commitment string `json:"commitment"`
	Version    int    `json:"version"`
	Completion string `json:"completion"`
	Note       string `json:"note"`
}

// export runs forumbot export and returns the versions it lists.
func (r *rig) export() []exported {
	r.t.Helper()
	var out, errOut bytes.Buffer
	cmd := r.command("export", "--config", r.config, "--forum", "f", "--format", "json")
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("export: %v\n%s", err, errOut.String())
	}
	var us []exported
	if err := json.Unmarshal(out.Bytes(), &us); err != nil {
		r.t.Fatalf("export: %v\n%s", err, out.String())
	}
	return us
}

// run runs a forumbot command to its end and returns its exit code and
// output.
func (r *rig) run(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	cmd := r.command(args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		r.t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}
