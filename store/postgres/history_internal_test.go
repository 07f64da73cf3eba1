package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"forumbot/bot"
)

// UndoRoundFirstKeys takes a database back from schema v13 to v12: the
// update's key and its milestone reports' index member first again.
const UndoRoundFirstKeys = `ALTER TABLE updates DROP CONSTRAINT updates_round_member;
	ALTER TABLE updates ADD CONSTRAINT updates_member_round_id_commitment_id_version_key UNIQUE (member, round_id, commitment_id, version);
	DROP INDEX milestone_reports_update; CREATE INDEX milestone_reports_update ON milestone_reports (member, round_id, commitment_id);
	UPDATE forumbot_schema SET version = 12`

// history is the shape of a forum's record written by seed: Commitments
// commitments of committee members each, drawn from People people (each
// in Commitments×committee/People committees), over Months months ending
// in November 2026. Member m of commitment c is person (c×committee+m)
// mod People, in seed's SQL as in committees.
type history struct {
	Commitments, People, Months int
}

// committee is how many members each commitment has.
const committee = 30

// perMonth is how many answers a month has.
func (h history) perMonth() int { return h.Commitments * committee }

// seed writes h to db, a round a month, each with every person's prompt
// sent (one in ten given up on) and every member's answer, and returns
// the last round. The answers go in by SQL, one statement a month,
// through the triggers that derive the answers, counts, standing and
// milestones; the chain's entries are placeholders. It ends with the
// vacuum and statistics autovacuum keeps on a server that runs.
func (h history) seed(tb testing.TB, db *DB) bot.Round {
	tb.Helper()
	ctx := context.Background()
	p := bot.Period{Year: 2026, Month: time.November}.Add(1 - h.Months)
	var r bot.Round
	for i := range h.Months {
		at := time.Date(p.Year, p.Month, 1, 9, 0, 0, 0, time.UTC)
		prompts := make([]bot.Delivery, h.People)
		for m := range prompts {
			prompts[m] = bot.Delivery{Key: fmt.Sprintf("prompt:%s:%d", p, m), Kind: bot.KindPrompt, ForumID: "f",
				To: h.person(m), State: bot.Pending, NextAttemptAt: at, CreatedAt: at}
		}
		var err error
		if r, _, err = db.OpenRound(ctx, bot.Round{ForumID: "f", Period: p, ScheduledAt: at, OpenedAt: at, ClosesAt: at.AddDate(0, 0, 7)}, prompts); err != nil {
			tb.Fatal(err)
		}
		if _, err := db.pool.Exec(ctx, `UPDATE outbox SET state = CASE WHEN id % 10 = 0 THEN 'failed' ELSE 'sent' END,
				ref = CASE WHEN id % 10 = 0 THEN '' ELSE 'local:' || id END, sent_at = created_at WHERE round_id = $1`, r.ID); err != nil {
			tb.Fatal(err)
		}
		if _, err := db.pool.Exec(ctx, `INSERT INTO updates (forum_id, period, round_id, commitment_id, member, grp, organisation, version,
				completion, progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction)
			SELECT 'f', $1, $2::bigint, 'C' || c, 'local:m' || ((c * $7 + m) % $5), CASE WHEN m % 2 = 0 THEN 'government' ELSE 'civil_society' END, 'O', 1,
				(ARRAY['not_started', 'limited', 'substantial', 'complete'])[1 + (c + m + $3) % 4], 'p',
				CASE WHEN (c + m + $3) % 5 = 0 THEN 'b' ELSE '' END, '', '', '[]',
				CASE WHEN (c + m + $3) % 7 = 0 THEN '["resources"]' ELSE '[]' END,
				CASE WHEN (c + m + $3) % 3 = 0 THEN '["M' || (1 + (c + m) % 3) || '"]' ELSE '[]' END,
				'form', $4, 0
			FROM generate_series(0, $6 - 1) c, generate_series(0, $7 - 1) m`, p.String(), r.ID, i, fmtTime(at), h.People, h.Commitments, committee); err != nil {
			tb.Fatal(err)
		}
		if _, err := db.pool.Exec(ctx, `INSERT INTO record_chain (forum_id, seq, tbl, row_id, hash, fields)
			SELECT 'f', id, 'updates', id, '', '' FROM updates WHERE round_id = $1`, r.ID); err != nil {
			tb.Fatal(err)
		}
		p = p.Add(1)
	}
	if _, err := db.pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		tb.Fatal(err)
	}
	return r
}

// person is the address of the i-th person.
func (h history) person(i int) bot.Address { return bot.Address(fmt.Sprintf("local:m%d", i)) }

// commitment is the id of the c-th commitment.
func (h history) commitment(c int) string { return fmt.Sprint("C", c) }

// commitments returns every commitment's id.
func (h history) commitments() []string {
	out := make([]string, h.Commitments)
	for c := range out {
		out[c] = h.commitment(c)
	}
	return out
}

// committees returns, for each person, the commitments they are a
// member of.
func (h history) committees() [][]string {
	out := make([][]string, h.People)
	for c := range h.Commitments {
		for m := range committee {
			who := (c*committee + m) % h.People
			if n := len(out[who]); n == 0 || out[who][n-1] != h.commitment(c) {
				out[who] = append(out[who], h.commitment(c))
			}
		}
	}
	return out
}
