package faults_test

import (
	"database/sql"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"forumbot/store/sqlite/sqlitetest/filefault"
)

// answerConfirmed sends user's reply as a signed event and waits for the
// bot's reaction on it.
func answerConfirmed(r *rig, p *proc, user, eventID, text string) {
	r.t.Helper()
	ts := r.slack.say(user, text)
	if code, body, err := p.signed("/slack/events", "application/json", dmEvent(eventID, user, ts, text), 0); err != nil || code != http.StatusOK {
		r.t.Fatalf("event %s: %d %s %v", eventID, code, body, err)
	}
	r.waitFor(user+"'s answer confirmed", 20*time.Second, func() bool { return r.slack.reacted(user, ts) })
}

// TestReadOnlyDatabase starts serve on a database file that cannot be
// written: serve is alive but not ready, a member's answer is refused in
// plain words and not confirmed; once the file can be written the same
// process turns ready and stores the answer sent again, and the refused
// attempt left nothing in the record.
func TestReadOnlyDatabase(t *testing.T) {
	t.Parallel()
	r := newRig(t, 2)
	p := r.start()
	r.waitFor("both members prompted", 30*time.Second, func() bool { return len(r.slack.prompts(promptPrefix)) == 2 })
	r.waitFor("the outbox empty", 30*time.Second, func() bool { return p.metric("forumbot_outbox_depth") == 0 })
	r.stop(p)

	writable := filefault.Unwritable(t, r.db())
	p = r.start()
	if code, body := p.get("/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "store: the database cannot be written") {
		t.Errorf("/readyz on an unwritable database: %d %q, want 503 naming the store", code, body)
	}
	if code, _ := p.get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz on an unwritable database: %d, want 200 (alive)", code)
	}
	if !strings.Contains(p.log.String(), "the database cannot be written") {
		t.Errorf("serve did not say at start that the database cannot be written:\n%s", p.log)
	}
	user := r.users[0]
	ts := r.slack.say(user, "substantial: first try")
	if code, body, err := p.signed("/slack/events", "application/json", dmEvent("EvRO1", user, ts, "substantial: first try"), 0); err != nil || code != http.StatusOK {
		t.Fatalf("event: %d %s %v", code, body, err)
	}
	r.waitFor("the refusal shown", 20*time.Second, func() bool {
		return slices.ContainsFunc(r.slack.shownTo(user), func(s string) bool { return strings.Contains(s, "nothing was recorded") })
	})
	if r.slack.reacted(user, ts) {
		t.Errorf("an answer the database refused was confirmed")
	}

	writable()
	r.waitFor("/readyz ready again", 20*time.Second, func() bool { code, _ := p.get("/readyz"); return code == http.StatusOK })
	answerConfirmed(r, p, user, "EvRO2", "substantial: second try")
	if p.metric("forumbot_store_writable") != 1 {
		t.Errorf("forumbot_store_writable is not 1 once the file can be written")
	}
	r.stop(p)
	var notes []string
	for _, u := range r.export() {
		if u.Member == "slack:"+user {
			notes = append(notes, u.Note)
		}
	}
	if len(notes) != 1 || notes[0] != "second try" {
		t.Errorf("%s's versions: %q, want only the one sent once the file could be written", user, notes)
	}
}

// TestTamperedDatabase stores answers through serve, then changes one
// with SQL (dropping the append-only trigger first, as anyone holding the
// file can): forumbot verify, which passed before, names the row and the
// column and exits 1.
func TestTamperedDatabase(t *testing.T) {
	t.Parallel()
	r := newRig(t, 3)
	p := r.start()
	r.waitFor("the round open", 30*time.Second, func() bool { return total(r.slack.prompts(promptPrefix)) >= 1 })
	for i, u := range r.users {
		answerConfirmed(r, p, u, "EvT"+u, []string{"limited: started", "substantial: most done", "complete: all done"}[i])
	}
	r.stop(p)
	if code, out, errOut := r.run("verify", "--config", r.config); code != 0 || !strings.Contains(out, "record intact") || !strings.Contains(out, "forum f: 3 entries") {
		t.Fatalf("verify before tampering: exit %d\n%s%s", code, out, errOut)
	}
	raw, err := sql.Open("sqlite", r.db())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{"DROP TRIGGER updates_no_update", "UPDATE updates SET completion = 'Complete' WHERE id = 1"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	code, out, errOut := r.run("verify", "--config", r.config)
	if code != 1 || !strings.Contains(errOut, "updates id 1 (entry 1 of forum f): column completion differs from what was chained") {
		t.Errorf("verify after a level was changed: exit %d, want 1 naming updates id 1 and its completion\n%s%s", code, out, errOut)
	}
}
