package faults_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The stub workspace's secrets, given to the binary through the
// environment as a deployment would.
const (
	botToken      = "xoxb-faults"
	signingSecret = "faults-signing-secret"
)

// rig is one forum served by forumbot against a stub Slack: its config,
// its database and the process running now, if any.
type rig struct {
	t      testing.TB
	dir    string
	config string
	slack  *stubSlack
	users  []string // the members' Slack user ids
	env    []string // added to the processes' environment

	mu   sync.Mutex
	proc *proc
}

// newRig writes the config of a forum of n members, each on one of a few
// commitments, whose round opens at the minute the rig is made: serve's
// first tick opens it.
func newRig(t testing.TB, n int) *rig {
	t.Helper()
	r := &rig{t: t, dir: t.TempDir(), slack: newStubSlack(t)}
	now := time.Now().UTC()
	var b strings.Builder
	fmt.Fprintf(&b, `store: {path: forumbot.db}
http: {listen: "127.0.0.1:0"}
slack:
  bot_token: ${FAULTS_BOT_TOKEN}
  signing_secret: ${FAULTS_SIGNING_SECRET}
  api_url: %s
forums:
  - id: f
    name: Fault Forum
    timezone: UTC
    digest_channel: slack:C0FORUM
    coordinators: [slack:UCOORD]
    schedule: {prompt: "%d %d %d %d *", window: 7d}
    plan:
      id: P
      commitments:
`, r.slack.URL(), now.Minute(), now.Hour(), now.Day(), int(now.Month()))
	const commitments = 4
	for c := range commitments {
		fmt.Fprintf(&b, "        - id: C%d\n          title: Commitment %d\n          committee:\n", c+1, c+1)
		for i := c; i < n; i += commitments {
			user := fmt.Sprintf("UM%05d", i)
			fmt.Fprintf(&b, "            - {who: slack:%s, name: Member %d, group: civil_society, org: Org %d}\n", user, i, i)
		}
	}
	for i := range n {
		r.users = append(r.users, fmt.Sprintf("UM%05d", i))
	}
	r.config = filepath.Join(r.dir, "forumbot.yaml")
	if err := os.WriteFile(r.config, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.cleanup)
	return r
}

// db is the rig's database file.
func (r *rig) db() string { return filepath.Join(r.dir, "forumbot.db") }

// proc is one forumbot serve process.
type proc struct {
	cmd  *exec.Cmd
	addr string
	log  *logBuffer
	done chan struct{}
	err  error
}

// logBuffer keeps a process's log and says when it first matches a
// pattern.
type logBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	waits map[*regexp.Regexp]chan string
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	for re, ch := range l.waits {
		if m := re.FindStringSubmatch(l.buf.String()); m != nil {
			ch <- m[len(m)-1]
			delete(l.waits, re)
		}
	}
	return len(p), nil
}

// on returns a channel that receives the last submatch of re once the log
// matches it.
func (l *logBuffer) on(re string) <-chan string {
	l.mu.Lock()
	defer l.mu.Unlock()
	ch := make(chan string, 1)
	if m := regexp.MustCompile(re).FindStringSubmatch(l.buf.String()); m != nil {
		ch <- m[len(m)-1]
		return ch
	}
	if l.waits == nil {
		l.waits = map[*regexp.Regexp]chan string{}
	}
	l.waits[regexp.MustCompile(re)] = ch
	return ch
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// command returns forumbot with args, in the rig's environment.
func (r *rig) command(args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "FAULTS_BOT_TOKEN="+botToken, "FAULTS_SIGNING_SECRET="+signingSecret)
	cmd.Env = append(cmd.Env, r.env...)
	return cmd
}

// start runs forumbot serve and returns once its listener is open.
func (r *rig) start() *proc {
	r.t.Helper()
	p := &proc{cmd: r.command("serve", "--config", r.config), log: &logBuffer{}, done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = io.Discard, p.log
	ready := p.log.on(`msg=ready http=(\S+)`)
	if err := p.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	select {
	case p.addr = <-ready:
	case <-p.done:
		r.t.Fatalf("serve exited before it was ready: %v\n%s", p.err, p.log)
	case <-time.After(deadlineFor(30 * time.Second)):
		p.cmd.Process.Kill()
		r.t.Fatalf("serve not ready within 30 s:\n%s", p.log)
	}
	r.mu.Lock()
	r.proc = p
	r.mu.Unlock()
	return p
}

// current returns the process running now, nil if none.
func (r *rig) current() *proc {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.proc
}

// kill ends the process with SIGKILL, as a crash or the OOM killer does.
func (r *rig) kill(p *proc) {
	r.mu.Lock()
	if r.proc == p {
		r.proc = nil
	}
	r.mu.Unlock()
	p.cmd.Process.Kill()
	<-p.done
}

// stop ends the process with SIGTERM and checks that it stopped cleanly
// and that the race detector, when on, saw nothing.
func (r *rig) stop(p *proc) {
	r.t.Helper()
	r.mu.Lock()
	if r.proc == p {
		r.proc = nil
	}
	r.mu.Unlock()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(deadlineFor(20 * time.Second)):
		p.cmd.Process.Kill()
		<-p.done
		r.t.Errorf("serve did not stop within 20 s of SIGTERM")
	}
	if p.err != nil || strings.Contains(p.log.String(), "DATA RACE") {
		r.t.Errorf("serve stopped with %v:\n%s", p.err, p.log)
	}
}

// cleanup kills a process still running at the end of a test.
func (r *rig) cleanup() {
	if p := r.current(); p != nil {
		r.kill(p)
	}
}

// waitFor polls cond every 50 ms until it holds, failing the test after
// limit (longer under the race detector).
func (r *rig) waitFor(what string, limit time.Duration, cond func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(deadlineFor(limit))
	for !cond() {
		if time.Now().After(deadline) {
			log := ""
			if p := r.current(); p != nil {
				log = p.log.String()
			}
			r.t.Fatalf("%s: not within %s\n%s", what, deadlineFor(limit), tail(log, 4000))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
