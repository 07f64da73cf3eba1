package faults_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store/postgres"
	"forumbot/store/postgres/pgtest"
)

// benchMembers is the size of the round BenchmarkFanOutInstances sends.
var benchMembers = flag.Int("faults.benchmembers", 1200, "members of the round BenchmarkFanOutInstances sends (about a minute a run at the emulated limit)")

// The emulated posting limit and the adapter's pace under it. 20 posts a
// second is the most slack.posts_per_second accepts; the pace is 1 %
// under the limit, so that the bot never meets the limit, and the stub
// allows a burst of a few posts, so that the jitter of requests on a
// loaded machine is not taken for a breach.
const (
	benchLimit = 20.0
	benchBurst = 5
	benchPace  = 19.8
)

// fanOut is what one round of the benchmark measured.
type fanOut struct {
	elapsed        time.Duration // from the first prompt stored by Slack to the last
	lost, doubled  int           // members never prompted; prompted more than once
	limited        int           // posts Slack answered 429
	opens          int           // conversations.open calls
	followerPrompt float64       // prompts the processes not leading sent
}

// BenchmarkFanOutInstances sends a round's prompts to -faults.benchmembers
// members (1,200 by default) through one forumbot serve process and then
// through three sharing one PostgreSQL database, each round on a fresh
// database, against the stub Slack limiting chat.postMessage to 20 a
// second (the adapter paced at 19.8). The members were reached before (a
// sent message of theirs is in the outbox), so their direct-message
// channels are known and conversations.open, paced far lower, is not the
// bound. Only the leader sends, so three instances should take what one
// takes: the metrics are each run's seconds, its ratio to the bound the
// limit allows (members ÷ 20 s), the ratio of three to one, the prompts
// lost and doubled (an iteration with any fails), Slack's 429s, and the
// prompts the non-leaders sent.
func BenchmarkFanOutInstances(b *testing.B) {
	members := *benchMembers
	bound := time.Duration(float64(members) / benchLimit * float64(time.Second))
	var one, three, lost, doubled, limited, followers float64
	for range b.N {
		o := fanOutRound(b, members, 1)
		t := fanOutRound(b, members, 3)
		b.Logf("%d members, bound %s: one instance %s (%.3f of the bound, %d 429s, %d conversations.open), three %s (%.3f, %d 429s, %d conversations.open, %v prompts from non-leaders)",
			members, bound, o.elapsed.Round(time.Millisecond), ratio(o.elapsed, bound), o.limited, o.opens,
			t.elapsed.Round(time.Millisecond), ratio(t.elapsed, bound), t.limited, t.opens, t.followerPrompt)
		for _, r := range []struct {
			what string
			f    fanOut
		}{{"one instance", o}, {"three instances", t}} {
			if r.f.lost > 0 || r.f.doubled > 0 {
				b.Fatalf("%s: %d of %d members never prompted, %d prompted more than once", r.what, r.f.lost, members, r.f.doubled)
			}
		}
		one += o.elapsed.Seconds()
		three += t.elapsed.Seconds()
		lost += float64(o.lost + t.lost)
		doubled += float64(o.doubled + t.doubled)
		limited += float64(o.limited + t.limited)
		followers += t.followerPrompt
	}
	n := float64(b.N)
	b.ReportMetric(one/n, "one-s")
	b.ReportMetric(three/n, "three-s")
	b.ReportMetric(one/n/bound.Seconds(), "one/bound")
	b.ReportMetric(three/n/bound.Seconds(), "three/bound")
	b.ReportMetric(three/one, "three/one")
	b.ReportMetric(lost/n, "lost")
	b.ReportMetric(doubled/n, "doubled")
	b.ReportMetric(limited/n, "429s")
	b.ReportMetric(followers/n, "follower-prompts")
}

func ratio(d, bound time.Duration) float64 { return d.Seconds() / bound.Seconds() }

// fanOutRound runs one round of members through instances serve
// processes on a fresh database, and returns once the leader's outbox is
// empty.
func fanOutRound(b *testing.B, members, instances int) fanOut {
	b.Helper()
	url := pgtest.URL(b)
	r := newRig(b, members)
	seedReached(b, url, r.users)
	r.env = []string{"FAULTS_PG_URL=" + url}
	cfg, err := os.ReadFile(r.config)
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Replace(string(cfg), "store: {path: forumbot.db}", fmt.Sprintf(`store: {url: "${FAULTS_PG_URL}", lease: %s}`, failoverLease), 1)
	text = strings.Replace(text, "slack:\n", fmt.Sprintf("slack:\n  posts_per_second: %g\n", benchPace), 1)
	if err := os.WriteFile(r.config, []byte(text), 0o600); err != nil {
		b.Fatal(err)
	}
	r.slack.setLimit(benchLimit, benchBurst)
	c := &cluster{r: r}
	for range instances {
		c.add()
	}
	leader := c.leader(30 * time.Second)
	within := time.Duration(float64(members)/benchPace*float64(time.Second)) + 120*time.Second
	r.waitFor("the round open", 60*time.Second, func() bool { return total(r.slack.prompts(promptPrefix)) >= 1 })
	r.waitFor("the outbox empty", within, func() bool { return leader.metric("forumbot_outbox_depth") == 0 })
	if failed := leader.metric("forumbot_outbox_failed"); failed != 0 {
		b.Errorf("%d instances: %v deliveries given up, want none", instances, failed)
	}
	if n := len(c.leaders()); n != 1 || !slices.Contains(c.leaders(), leader) {
		b.Errorf("%d instances: the leader changed during the round", instances)
	}
	var f fanOut
	counts := r.slack.prompts(promptPrefix)
	for _, u := range r.users {
		switch {
		case counts[u] == 0:
			f.lost++
		case counts[u] > 1:
			f.doubled++
		}
	}
	first, last := r.slack.promptSpan(promptPrefix)
	f.elapsed = last.Sub(first)
	f.limited = r.slack.rateLimited()
	f.opens = r.slack.count("conversations.open")
	if sent := leader.metric(`forumbot_deliveries_total{kind="prompt",outcome="sent"}`); sent != float64(members) {
		b.Errorf("%d instances: the leader's /metrics count %v prompts sent, want %d", instances, sent, members)
	}
	for _, p := range c.live() {
		if p != leader {
			f.followerPrompt += max(p.metric(`forumbot_deliveries_total{kind="prompt",outcome="sent"}`), 0)
		}
	}
	for _, p := range c.live() {
		r.stop(p)
	}
	return f
}

// seedReached migrates the database at url and stores, as sent, a
// message to each of users in their direct message: the bot has reached
// them before, so the adapter finds their channels in the outbox and
// needs no conversations.open.
func seedReached(b *testing.B, url string, users []string) {
	b.Helper()
	ctx := context.Background()
	db := postgres.NewDB(url)
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	to := make([]bot.Address, len(users))
	for i, u := range users {
		to[i] = bot.Address("slack:" + u)
	}
	n := bot.Notice{Key: "bench/welcome", ForumID: "f", CreatedAt: time.Now().Add(-24 * time.Hour), Message: bot.Message{Text: "Welcome to the forum."}}
	if _, err := db.AddNotice(ctx, n, to); err != nil {
		b.Fatal(err)
	}
	tag, err := db.Pool().Exec(ctx, `UPDATE outbox SET state = 'sent', sent_at = created_at,
		ref = 'slack:D' || substr(recipient, 7) || '/1600000000.000001' WHERE key LIKE 'bench/welcome/%'`)
	if err != nil {
		b.Fatal(err)
	}
	if tag.RowsAffected() != int64(len(users)) {
		b.Fatalf("seeded %d reached members, want %d", tag.RowsAffected(), len(users))
	}
}
