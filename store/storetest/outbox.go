package storetest

import (
	"fmt"
	"testing"
	"time"

	"forumbot/bot"
)

func testOutbox(t *testing.T, h Harness) {
	db := h.open(t)
	r := mustRound(t, db, "local:a", "local:b")
	due, err := db.DueDeliveries(ctx, t0, 0, 10)
	if err != nil || len(due) != 2 {
		t.Fatalf("due: %d %v", len(due), err)
	}
	a, b := due[0], due[1]
	if page, _ := db.DueDeliveries(ctx, t0, a.ID, 10); len(page) != 1 || page[0].ID != b.ID {
		t.Errorf("the page after %d: %+v, want only %d", a.ID, page, b.ID)
	}
	if err := db.MarkSending(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.DeliveryByKey(ctx, a.Key); got.State != bot.Sending {
		t.Errorf("after MarkSending: %s, want sending", got.State)
	}
	ref := bot.MessageRef{Platform: "local", Channel: "dm-a", ID: "1"}
	if err := db.MarkSent(ctx, a.ID, ref, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSent(ctx, a.ID, ref, t0); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("marking a sent entry again: %v, want ECONFLICT", err)
	}
	if err := db.MarkSending(ctx, a.ID); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("sending a sent entry again: %v, want ECONFLICT", err)
	}
	if err := db.MarkRetry(ctx, b.ID, t0, t0.Add(time.Minute), "503"); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.DueDeliveries(ctx, t0, 0, 10); len(due) != 0 {
		t.Errorf("due before the retry time: %+v", due)
	}
	due, _ = db.DueDeliveries(ctx, t0.Add(time.Minute), 0, 10)
	if len(due) != 1 || due[0].Attempts != 1 || due[0].LastError != "503" || !due[0].FailingSince.Equal(t0) {
		t.Fatalf("due after the retry time: %+v", due)
	}
	if err := db.MarkRetry(ctx, b.ID, t0.Add(time.Minute), t0.Add(2*time.Minute), "502"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.DeliveryByKey(ctx, b.Key); got.Attempts != 2 || !got.FailingSince.Equal(t0) {
		t.Errorf("a second failure: %+v, want 2 attempts failing since the first", got)
	}
	got, err := db.DeliveryByRef(ctx, ref)
	if err != nil || got.ID != a.ID || got.State != bot.Sent || got.Ref != ref || !got.SentAt.Equal(t0) {
		t.Errorf("DeliveryByRef: %+v %v", got, err)
	}
	if _, err := db.DeliveryByRef(ctx, bot.MessageRef{Platform: "local", Channel: "x", ID: "9"}); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("unknown ref: %v", err)
	}
	if _, err := db.DeliveryByKey(ctx, "nothing"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("unknown key: %v", err)
	}
	if err := db.MarkSkipped(ctx, b.ID, "answered"); err != nil {
		t.Fatal(err)
	}
	if n, err := db.CountDeliveries(ctx, r.ID, bot.KindPrompt, bot.Skipped); err != nil || n != 1 {
		t.Errorf("skipped: %d %v", n, err)
	}
	if who, err := db.Prompted(ctx, r.ID, nil); err != nil || fmt.Sprint(who) != "[local:a]" {
		t.Errorf("Prompted: %v %v, want local:a (local:b's prompt was skipped)", who, err)
	}
	for _, c := range []struct {
		among []bot.Address
		want  string
	}{
		{[]bot.Address{"local:a", "local:z"}, "[local:a]"}, {[]bot.Address{"local:b"}, "[]"}, {[]bot.Address{}, "[]"},
	} {
		if who, err := db.Prompted(ctx, r.ID, c.among); err != nil || fmt.Sprint(who) != c.want {
			t.Errorf("Prompted among %v: %v %v, want %s", c.among, who, err, c.want)
		}
	}
	if n, err := db.Enqueue(ctx, []bot.Delivery{{Key: a.Key, Kind: bot.KindPrompt, ForumID: "f", RoundID: r.ID, To: "local:a", NextAttemptAt: t0, CreatedAt: t0},
		{Key: "new", Kind: bot.KindReminder, ForumID: "f", RoundID: r.ID, To: "local:a", NextAttemptAt: t0, CreatedAt: t0}}); err != nil || n != 1 {
		t.Errorf("enqueue of an existing key and a new one: %d %v, want 1 added", n, err)
	}
}

// testLastRefs reads the newest sent message of each recipient at once;
// one never sent to is absent.
func testLastRefs(t *testing.T, h Harness) {
	db := h.open(t)
	r := mustRound(t, db, "local:a", "local:b", "local:c")
	prompts, err := db.Deliveries(ctx, r.ID, bot.KindPrompt)
	if err != nil || len(prompts) != 3 {
		t.Fatal(prompts, err)
	}
	refs := map[bot.Address]bot.MessageRef{}
	for i, d := range prompts[:2] {
		ref := bot.MessageRef{Platform: "local", Channel: "D" + d.To.ID(), ID: fmt.Sprint(i + 1)}
		if err := db.MarkSent(ctx, d.ID, ref, t0); err != nil {
			t.Fatal(err)
		}
		refs[d.To] = ref
	}
	later := bot.Delivery{Key: "later/a", Kind: bot.KindReminder, ForumID: "f", RoundID: r.ID, To: "local:a", NextAttemptAt: t0, CreatedAt: t0}
	if _, err := db.Enqueue(ctx, []bot.Delivery{later}); err != nil {
		t.Fatal(err)
	}
	l, _ := db.DeliveryByKey(ctx, later.Key)
	newer := bot.MessageRef{Platform: "local", Channel: "Da", ID: "7"}
	if err := db.MarkSent(ctx, l.ID, newer, t0); err != nil {
		t.Fatal(err)
	}
	refs["local:a"] = newer
	got, err := db.LastRefs(ctx, []bot.Address{"local:a", "local:b", "local:c", "local:nobody"})
	if err != nil || fmt.Sprint(got) != fmt.Sprint(refs) {
		t.Errorf("LastRefs: %v %v, want %v", got, err, refs)
	}
}

func testOutboxBacklog(t *testing.T, h Harness) {
	db := h.open(t)
	if b, err := db.OutboxBacklog(ctx); err != nil || b.Pending != 0 || !b.OldestPending.IsZero() || b.Failed != 0 {
		t.Fatalf("empty outbox: %+v %v", b, err)
	}
	r := mustRound(t, db, "local:a", "local:b", "local:c")
	later := t0.Add(time.Hour)
	if _, err := db.Enqueue(ctx, []bot.Delivery{{Key: "late", Kind: bot.KindReminder, ForumID: "f", RoundID: r.ID, To: "local:a", State: bot.Pending, NextAttemptAt: later, CreatedAt: later}}); err != nil {
		t.Fatal(err)
	}
	due, err := db.DueDeliveries(ctx, t0, 0, 10)
	if err != nil || len(due) != 3 {
		t.Fatalf("due: %v %v", due, err)
	}
	if err := db.MarkSent(ctx, due[0].ID, bot.MessageRef{Platform: "local", Channel: "a", ID: "1"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx, due[1].ID, "gone"); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSending(ctx, due[2].ID); err != nil {
		t.Fatal(err)
	}
	b, err := db.OutboxBacklog(ctx)
	if err != nil || b.Pending != 2 || !b.OldestPending.Equal(t0) || b.Failed != 1 {
		t.Errorf("backlog: %+v %v, want 2 to send (one sending, one pending) since %s and 1 failed", b, err, t0)
	}
	if err := db.Writable(ctx); err != nil {
		t.Errorf("Writable: %v", err)
	}
}

func testMarkSendingBatch(t *testing.T, h Harness) {
	db := h.open(t)
	r := mustRound(t, db, "local:a", "local:b", "local:c", "local:d")
	ps, err := db.Deliveries(ctx, r.ID, bot.KindPrompt)
	if err != nil || len(ps) != 4 {
		t.Fatalf("prompts: %d %v", len(ps), err)
	}
	a, b, c, d := ps[0], ps[1], ps[2], ps[3]
	if err := db.MarkSent(ctx, b.ID, bot.MessageRef{Platform: "local", Channel: "dm-b", ID: "1"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSending(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := db.MarkSendingBatch(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("an empty batch: %v %v, want nothing marked", got, err)
	}
	const missing = 1 << 40
	got, err := db.MarkSendingBatch(ctx, []int64{c.ID, b.ID, missing, a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{c.ID, a.ID}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("marked %v, want %v (the pending and the sending entry, in the order given)", got, want)
	}
	for _, tc := range []struct {
		e    bot.Delivery
		want bot.DeliveryState
	}{{a, bot.Sending}, {b, bot.Sent}, {c, bot.Sending}, {d, bot.Pending}} {
		if e, err := db.DeliveryByKey(ctx, tc.e.Key); err != nil || e.State != tc.want {
			t.Errorf("%s after the batch: %s %v, want %s", tc.e.To, e.State, err, tc.want)
		}
	}
	if e, _ := db.DeliveryByKey(ctx, b.Key); e.Ref.IsZero() {
		t.Errorf("the sent entry lost its reference: %+v", e)
	}
	if err := db.MarkSent(ctx, a.ID, bot.MessageRef{Platform: "local", Channel: "dm-a", ID: "2"}, t0); err != nil {
		t.Errorf("MarkSent after the batch: %v", err)
	}
}

func testMarkSentBatch(t *testing.T, h Harness) {
	db := h.open(t)
	r := mustRound(t, db, "local:a", "local:b", "local:c", "local:d")
	ps, err := db.Deliveries(ctx, r.ID, bot.KindPrompt)
	if err != nil || len(ps) != 4 {
		t.Fatalf("prompts: %d %v", len(ps), err)
	}
	a, b, c, d := ps[0], ps[1], ps[2], ps[3]
	refB := bot.MessageRef{Platform: "local", Channel: "dm-b", ID: "1"}
	if err := db.MarkSent(ctx, b.ID, refB, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MarkSendingBatch(ctx, []int64{a.ID, c.ID}); err != nil {
		t.Fatal(err)
	}
	if got, err := db.MarkSentBatch(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("an empty batch: %v %v, want nothing marked", got, err)
	}
	at := t0.Add(time.Minute)
	marks := []bot.SentMark{
		{ID: c.ID, Ref: bot.MessageRef{Platform: "local", Channel: "dm-c", ID: "3"}, At: at},
		{ID: b.ID, Ref: bot.MessageRef{Platform: "local", Channel: "dm-b", ID: "9"}, At: at},
		{ID: a.ID, Ref: bot.MessageRef{Platform: "email", Channel: "a@example.org", ID: "m2"}, At: at},
	}
	got, err := db.MarkSentBatch(ctx, marks)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{c.ID, a.ID}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("marked %v, want %v (the two entries sending, in the order given)", got, want)
	}
	for _, tc := range []struct {
		e     bot.Delivery
		state bot.DeliveryState
		ref   bot.MessageRef
		at    time.Time
	}{{a, bot.Sent, marks[2].Ref, at}, {b, bot.Sent, refB, t0}, {c, bot.Sent, marks[0].Ref, at}, {d, bot.Pending, bot.MessageRef{}, time.Time{}}} {
		e, err := db.DeliveryByKey(ctx, tc.e.Key)
		if err != nil || e.State != tc.state || e.Ref != tc.ref || !e.SentAt.Equal(tc.at) {
			t.Errorf("%s after the batch: %s %v at %v (%v), want %s %v at %v", tc.e.To, e.State, e.Ref, e.SentAt, err, tc.state, tc.ref, tc.at)
		}
	}
}

func testDeliveryOutcomes(t *testing.T, h Harness) {
	db := h.open(t)
	r := mustRound(t, db, "local:a", "local:b", "local:c", "local:d", "local:e")
	ps, err := db.Deliveries(ctx, r.ID, bot.KindPrompt)
	if err != nil || len(ps) != 5 {
		t.Fatalf("prompts: %d %v", len(ps), err)
	}
	if failed, byFallback, err := db.DeliveryOutcomes(ctx, r.ID, bot.KindPrompt); err != nil || failed != 0 || byFallback != 0 {
		t.Errorf("nothing sent yet: %d failed, %d by fallback, %v; want 0, 0", failed, byFallback, err)
	}
	// a on its own platform; b and e at their fallback (another platform);
	// c given up on; d still pending.
	sends := []struct {
		d   bot.Delivery
		ref bot.MessageRef
	}{
		{ps[0], bot.MessageRef{Platform: "local", Channel: "dm-a", ID: "1"}},
		{ps[1], bot.MessageRef{Platform: "email", Channel: "b@example.org", ID: "m1"}},
		{ps[4], bot.MessageRef{Platform: "slack", Channel: "D1", ID: "2"}},
	}
	for _, s := range sends {
		if err := db.MarkSent(ctx, s.d.ID, s.ref, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MarkFailed(ctx, ps[2].ID, "account_inactive"); err != nil {
		t.Fatal(err)
	}
	reminder := bot.Delivery{Key: "reminder/f/local:d", Kind: bot.KindReminder, ForumID: "f", RoundID: r.ID, To: "local:d", State: bot.Pending, NextAttemptAt: t0, CreatedAt: t0}
	if _, err := db.Enqueue(ctx, []bot.Delivery{reminder}); err != nil {
		t.Fatal(err)
	}
	if d, err := db.DeliveryByKey(ctx, reminder.Key); err != nil {
		t.Fatal(err)
	} else if err := db.MarkFailed(ctx, d.ID, "gone"); err != nil {
		t.Fatal(err)
	}
	failed, byFallback, err := db.DeliveryOutcomes(ctx, r.ID, bot.KindPrompt)
	if err != nil || failed != 1 || byFallback != 2 {
		t.Errorf("prompts: %d failed, %d by fallback, %v; want 1 failed, 2 by fallback", failed, byFallback, err)
	}
	if failed, byFallback, err := db.DeliveryOutcomes(ctx, r.ID, bot.KindReminder); err != nil || failed != 1 || byFallback != 0 {
		t.Errorf("reminders: %d failed, %d by fallback, %v; want 1, 0", failed, byFallback, err)
	}
}

func testWaits(t *testing.T, h Harness) {
	db := h.open(t)
	r := mustRound(t, db, "local:a", "local:b")
	ps, _ := db.Deliveries(ctx, r.ID, bot.KindPrompt)
	a, b := ps[0], ps[1]
	if err := db.MarkSending(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkWaiting(ctx, a.ID, t0.Add(time.Minute), "429", true); err != nil {
		t.Fatal(err)
	}
	due, _ := db.DueDeliveries(ctx, t0.Add(time.Minute), 0, 10)
	if len(due) != 2 || due[0].State != bot.Pending || due[0].Attempts != 0 || !due[0].FailingSince.IsZero() {
		t.Fatalf("after a refused send's wait: %+v, want pending, no attempt, not failing", due[0])
	}
	if err := db.MarkSending(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkWaiting(ctx, a.ID, t0, "429", false); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.DueDeliveries(ctx, t0, 0, 10); len(due) != 2 || due[0].State != bot.Sending {
		t.Errorf("a wait before anything was sent keeps the state: %+v", due)
	}
	if err := db.MarkFailed(ctx, b.ID, "user_not_found"); err != nil {
		t.Fatal(err)
	}
	failed, err := db.FailedDeliveries(ctx, "f")
	if err != nil || len(failed) != 1 || failed[0].ID != b.ID || failed[0].LastError != "user_not_found" {
		t.Fatalf("FailedDeliveries: %+v %v", failed, err)
	}
	if n, err := db.RetryFailed(ctx, "f", t0.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("RetryFailed: %d %v", n, err)
	}
	due, _ = db.DueDeliveries(ctx, t0.Add(time.Hour), 0, 10)
	if len(due) != 2 || due[1].ID != b.ID || due[1].State != bot.Pending || due[1].Attempts != 1 {
		t.Errorf("retried entry: %+v, want pending, one attempt kept so the sender asks before resending", due)
	}
	if failed, _ := db.FailedDeliveries(ctx, "f"); len(failed) != 0 {
		t.Errorf("still failed after a retry: %+v", failed)
	}
}

func testNoticesAreSentOnce(t *testing.T, h Harness) {
	db := h.open(t)
	n := bot.Notice{Key: "notice/f/2026-11/late", ForumID: "f", CreatedAt: t0, Message: bot.Message{Text: "opened late"}}
	for i, want := range []bool{true, false} {
		added, err := db.AddNotice(ctx, n, []bot.Address{"local:c1", "local:c2"})
		if err != nil || added != want {
			t.Fatalf("AddNotice #%d: added=%v %v, want %v", i+1, added, err, want)
		}
	}
	due, _ := db.DueDeliveries(ctx, t0, 0, 10)
	if len(due) != 2 || due[0].Kind != bot.KindNotice || due[0].To != "local:c1" || due[0].NoticeID == 0 {
		t.Fatalf("queued: %+v, want one notice to each coordinator", due)
	}
	got, err := db.Notice(ctx, due[0].NoticeID)
	if err != nil || got.Message.Text != "opened late" || got.Key != n.Key {
		t.Errorf("Notice: %+v %v", got, err)
	}
	if _, err := db.Notice(ctx, due[0].NoticeID+100); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("a missing notice: %v, want ENOTFOUND", err)
	}
}

func testCommandClaims(t *testing.T, h Harness) {
	db := h.open(t)
	c := bot.CommandRecord{Member: "slack:U1", EventID: "T1", Command: bot.CmdRound, ClaimedAt: t0}
	if _, claimed, err := db.ClaimCommand(ctx, c); err != nil || !claimed {
		t.Fatalf("first claim: %v %v", claimed, err)
	}
	prior, claimed, err := db.ClaimCommand(ctx, c)
	if err != nil || claimed || prior.Outcome != "" || !prior.ClaimedAt.Equal(t0) {
		t.Fatalf("second claim before the outcome: %+v %v %v", prior, claimed, err)
	}
	if err := db.FinishCommand(ctx, c.Member, c.EventID, bot.CommandReplied, "done"); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishCommand(ctx, c.Member, c.EventID, bot.CommandRefused, "no"); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("finishing twice: %v, want ECONFLICT", err)
	}
	prior, claimed, _ = db.ClaimCommand(ctx, c)
	if claimed || prior.Outcome != bot.CommandReplied || prior.Text != "done" || prior.Command != bot.CmdRound {
		t.Errorf("claim after the outcome: %+v %v", prior, claimed)
	}
	other := c
	other.Member = "slack:U2"
	if _, claimed, _ := db.ClaimCommand(ctx, other); !claimed {
		t.Errorf("the same id from another member was taken for a replay")
	}
}
