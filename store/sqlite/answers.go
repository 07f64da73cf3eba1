package sqlite

import (
	"context"
	"strconv"
	"strings"

	"forumbot/bot"
)

// uColumns are the updates columns, prefixed for a join.
var uColumns = "u." + strings.ReplaceAll(updateColumns, ", ", ", u.")

// answerWhere narrows a query on the answers (a) or standing (s) table by
// f, after the forum.
func answerWhere(table string, f bot.AnswerFilter) (string, []any) {
	where := table + ".forum_id = ?"
	args := []any{f.ForumID}
	if len(f.Commitments) > 0 {
		where += " AND " + table + ".commitment_id IN (?" + strings.Repeat(", ?", len(f.Commitments)-1) + ")"
		for _, c := range f.Commitments {
			args = append(args, c)
		}
	}
	if f.Member != "" {
		where += " AND " + table + ".member = ?"
		args = append(args, string(f.Member))
	}
	return where, args
}

// latestInQuery reads the latest versions in n periods.
func latestInQuery(f bot.AnswerFilter, n int) (string, []any) {
	where, args := answerWhere("a", f)
	return `SELECT ` + uColumns + ` FROM answers a JOIN updates u ON u.id = a.update_id
		WHERE ` + where + ` AND a.period IN (?` + strings.Repeat(", ?", n-1) + `) ORDER BY a.period, u.id`, args
}

// LatestIn implements bot.Store from the answers table.
func (db *DB) LatestIn(ctx context.Context, f bot.AnswerFilter, periods ...bot.Period) ([]bot.Update, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	query, args := latestInQuery(f, len(periods))
	for _, p := range periods {
		args = append(args, p.String())
	}
	return db.updates(ctx, query, args...)
}

// standingQuery reads each member's latest answer through a period: the
// standing row when it is not later than that period, else the latest
// answered period up to it, found on the answers table's primary key.
// CROSS JOIN keeps SQLite from driving the join from answers, which would
// read the forum's whole history.
func standingQuery(f bot.AnswerFilter) (string, []any) {
	where, args := answerWhere("s", f)
	return `SELECT ` + uColumns + ` FROM standing s
		CROSS JOIN answers a ON a.forum_id = s.forum_id AND a.commitment_id = s.commitment_id AND a.member = s.member
			AND a.period = CASE WHEN s.period <= ?1 THEN s.period ELSE (SELECT MAX(b.period) FROM answers b
				WHERE b.forum_id = s.forum_id AND b.commitment_id = s.commitment_id AND b.member = s.member
				AND b.answered AND b.period <= ?1) END
		CROSS JOIN updates u ON u.id = a.update_id
		WHERE ` + renumber(where, 2) + ` ORDER BY a.period, u.id`, args
}

// renumber turns the ? of where into ?n, ?n+1, …, for a query whose first
// parameters are numbered.
func renumber(where string, n int) string {
	var b strings.Builder
	for _, r := range where {
		if r == '?' {
			b.WriteString("?")
			b.WriteString(strconv.Itoa(n))
			n++
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Standing implements bot.Store from the standing and answers tables.
func (db *DB) Standing(ctx context.Context, f bot.AnswerFilter, through bot.Period) ([]bot.Update, error) {
	query, args := standingQuery(f)
	return db.updates(ctx, query, append([]any{through.String()}, args...)...)
}

// historyChunk bounds the pairs of one AnswerHistory query, well inside
// SQLite's limit on parameters.
const historyChunk = 400

// historyQuery reads the answered latest versions of n members'
// commitments on the answers table's primary key, driven from the list of
// pairs (CROSS JOIN fixes the order; the period index would read the whole
// history).
func historyQuery(n int) string {
	return `SELECT ` + uColumns + ` FROM (VALUES (?3, ?4)` + strings.Repeat(", (?, ?)", n-1) + `) k
		CROSS JOIN answers a ON a.forum_id = ?1 AND a.commitment_id = k.column1 AND a.member = k.column2 AND a.period <= ?2
		CROSS JOIN updates u ON u.id = a.update_id
		WHERE a.answered ORDER BY a.period, u.id`
}

// AnswerHistory implements bot.Store.
func (db *DB) AnswerHistory(ctx context.Context, forumID string, pairs []bot.AnswerKey, through bot.Period) ([]bot.Update, error) {
	var out []bot.Update
	for len(pairs) > 0 {
		chunk := pairs[:min(len(pairs), historyChunk)]
		pairs = pairs[len(chunk):]
		args := []any{forumID, through.String()}
		for _, k := range chunk {
			args = append(args, k.CommitmentID, string(k.Member))
		}
		us, err := db.updates(ctx, historyQuery(len(chunk)), args...)
		if err != nil {
			return nil, err
		}
		out = append(out, us...)
	}
	return out, nil
}
