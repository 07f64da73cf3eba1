package sqlite_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"forumbot/bot"
)

// lastRefsRebuilt reads the last message each recipient was sent from the
// outbox itself, and the last_refs table kept beside it.
func lastRefsRebuilt(t *testing.T, path string) (rebuilt, kept string) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	read := func(q string) string {
		rows, err := raw.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var who, ref string
			var id int64
			if err := rows.Scan(&who, &id, &ref); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s=%d:%s ", who, id, ref)
		}
		return b.String()
	}
	return read(`SELECT o.recipient, o.id, o.ref FROM outbox o WHERE o.ref <> ''
			AND o.id = (SELECT MAX(p.id) FROM outbox p WHERE p.recipient = o.recipient AND p.ref <> '') ORDER BY o.recipient`),
		read(`SELECT recipient, outbox_id, ref FROM last_refs ORDER BY recipient`)
}

// TestLastRefsAreTheOutboxs: the last message per recipient (schema v11's
// last_refs) equals what the outbox says after entries are marked sent in
// any order, singly and in batches, after an entry is readdressed (as
// forgetting an asker's address does), and after a database of schema v10
// is migrated.
func TestLastRefsAreTheOutboxs(t *testing.T) {
	db := MustOpenDB(t)
	var people []bot.Address
	for i := range 12 {
		people = append(people, bot.Address(fmt.Sprintf("local:p%d", i)))
	}
	r := mustRound(t, db, people...)
	var more []bot.Delivery
	for i, who := range people {
		for n := range i % 4 {
			more = append(more, bot.Delivery{Key: fmt.Sprintf("reminder/%s/%d", who, n), Kind: bot.KindReminder, ForumID: "f", RoundID: r.ID,
				To: who, NextAttemptAt: t0, CreatedAt: t0})
		}
	}
	if _, err := db.Enqueue(ctx, more); err != nil {
		t.Fatal(err)
	}
	var all []bot.Delivery
	for _, kind := range []bot.DeliveryKind{bot.KindPrompt, bot.KindReminder} {
		ds, err := db.Deliveries(ctx, r.ID, kind)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ds...)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	var batch []bot.SentMark
	for i, d := range all[:len(all)-3] { // three stay unsent
		ref := bot.MessageRef{Platform: "local", Channel: "D" + d.To.ID(), ID: fmt.Sprint(d.ID)}
		if i%3 == 0 {
			batch = append(batch, bot.SentMark{ID: d.ID, Ref: ref, At: t0})
			continue
		}
		if err := db.MarkSent(ctx, d.ID, ref, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.MarkSentBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		rebuilt, kept := lastRefsRebuilt(t, db.Path)
		if rebuilt != kept || strings.Count(kept, "=") < len(people)-3 {
			t.Fatalf("%s: last_refs holds\n%s\nthe outbox says\n%s", when, kept, rebuilt)
		}
	}
	check("after the marks")
	got, err := db.LastRefs(ctx, people)
	if err != nil || len(got) < len(people)-3 {
		t.Fatalf("LastRefs: %v %v", got, err)
	}

	// Readdress the last message of the person with the most entries, as
	// ForgetContacts readdresses a forgotten asker's notices.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", db.Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE outbox SET recipient = 'email:forgotten@invalid' WHERE id = (SELECT outbox_id FROM last_refs WHERE recipient = 'local:p11')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	check("after a readdress")
	// p11 had earlier messages: its row was found again among them, not
	// just dropped.
	if _, kept := lastRefsRebuilt(t, db.Path); !strings.Contains(kept, "local:p11=") {
		t.Fatalf("after the readdress local:p11 has no last message left:\n%s", kept)
	}

	// Back to schema v10, then open: the migration fills the table.
	raw, err = sql.Open("sqlite", db.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range slices.Concat(undoRoundFirstKeys(t), undoLastRefs, []string{"PRAGMA user_version = 10"}) {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	migrated := openMigrated(t, db.Path)
	check("after the migration")
	again, err := migrated.LastRefs(ctx, people)
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range people {
		changed := again[who] != got[who]
		if changed != (who == "local:p11") {
			t.Errorf("LastRefs of %s after the readdress and the migration: %v, before %v", who, again[who], got[who])
		}
	}
}
