package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"forumbot/bot"
	"forumbot/store"
)

// answerWhere narrows table t to the filter's forum, commitments and
// member, its parameters numbered from $n, and returns their values. Only
// the parts the filter sets are written, so that each shape of filter is
// a statement of its own. A part made optional inside the statement (the
// member's condition true for an empty parameter) leaves a generic plan,
// which PostgreSQL may choose for a prepared statement from its sixth
// run, unable to seek the member (TestHotQueriesUseTheirIndex).
func answerWhere(t string, f bot.AnswerFilter, n int) (string, []any) {
	where, args := t+".forum_id = $"+strconv.Itoa(n), []any{f.ForumID}
	if len(f.Commitments) > 0 {
		args = append(args, f.Commitments)
		where += " AND " + t + ".commitment_id = ANY($" + strconv.Itoa(n+len(args)-1) + ")"
	}
	if f.Member != "" {
		args = append(args, string(f.Member))
		where += " AND " + t + ".member = $" + strconv.Itoa(n+len(args)-1)
	}
	return where, args
}

// updateOf reads the update of each answer a as u: one seek on the
// updates' key each. It is a LATERAL with a LIMIT, which the planner keeps
// as it is written: as a join, the planner's costs (a page read at random
// four times one read in order) make a hash join over every update look
// cheaper than a digest's 3,000 seeks, and at 24 months it read all 72,000
// updates in 12 ms where the seeks take 3.4.
const updateOf = `CROSS JOIN LATERAL (SELECT * FROM updates WHERE id = a.update_id LIMIT 1) u`

// periodQuery reads the latest versions of a period ($1) that f names.
func periodQuery(f bot.AnswerFilter) (string, []any) {
	where, args := answerWhere("a", f, 2)
	return `SELECT u.id, u.round_id, u.commitment_id, u.member, u.grp, u.organisation, u.version,
			u.completion, u.progress, u.note, u.evidence
		FROM answers a ` + updateOf + `
		WHERE a.period = $1 AND ` + where + ` ORDER BY a.update_id`, args
}

// PeriodAnswers implements bot.Store from the answers table.
func (db *DB) PeriodAnswers(ctx context.Context, f bot.AnswerFilter, p bot.Period) ([]bot.Update, error) {
	query, args := periodQuery(f)
	rows, err := db.pool.Query(ctx, query, append([]any{p.String()}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	strs := interner{}
	var out []bot.Update
	var commitment, who, grp, org, completion, evidence string
	for rows.Next() {
		u := bot.Update{ForumID: f.ForumID, Period: p}
		if err := rows.Scan(&u.ID, &u.RoundID, &commitment, &who, &grp, &org, &u.Version,
			&completion, &u.Progress, &u.Note, &evidence); err != nil {
			return nil, err
		}
		u.CommitmentID, u.Organisation = strs.of(commitment), strs.of(org)
		u.Member, u.Group, u.Completion = bot.Address(strs.of(who)), bot.Group(strs.of(grp)), bot.Completion(strs.of(completion))
		if evidence != "[]" {
			if err := json.Unmarshal([]byte(evidence), &u.Evidence); err != nil {
				return nil, err
			}
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// interner keeps each distinct string once.
type interner map[string]string

func (in interner) of(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	in[s] = s
	return s
}

// standingJoin joins each standing row (s) to the answer (a) that was the
// member's latest with a level through $1: the standing one when it is
// not later, else the latest answered period up to $1. Like updateOf, it
// is one seek each, which the planner would otherwise trade for a hash
// join over the forum's whole history of answers.
const standingJoin = `FROM standing s
	CROSS JOIN LATERAL (SELECT * FROM answers a WHERE a.forum_id = s.forum_id AND a.commitment_id = s.commitment_id AND a.member = s.member
		AND a.period = CASE WHEN s.period <= $1 THEN s.period ELSE (SELECT MAX(b.period) FROM answers b
			WHERE b.forum_id = s.forum_id AND b.commitment_id = s.commitment_id AND b.member = s.member
			AND b.completion <> '' AND b.period <= $1) END LIMIT 1) a`

// standingQuery reads the updates of the standing through $1 that f names.
func standingQuery(f bot.AnswerFilter) (string, []any) {
	where, args := answerWhere("s", f, 2)
	return `SELECT u.` + joinColumns + ` ` + standingJoin + ` ` + updateOf + ` WHERE ` + where, args
}

// lastLevelsQuery reads the level of each answer of the standing through
// $1 that f names.
func lastLevelsQuery(f bot.AnswerFilter) (string, []any) {
	where, args := answerWhere("s", f, 2)
	return `SELECT a.commitment_id, a.member, a.period, a.completion ` + standingJoin + ` WHERE ` + where, args
}

// Standing implements bot.Store from the standing and answers tables.
func (db *DB) Standing(ctx context.Context, f bot.AnswerFilter, through bot.Period) ([]bot.Update, error) {
	query, args := standingQuery(f)
	us, err := db.updates(ctx, query, append([]any{through.String()}, args...)...)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(us, func(a, b bot.Update) int {
		if c := a.Period.Compare(b.Period); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return us, nil
}

// joinColumns are the update's columns after "u.".
var joinColumns = strings.ReplaceAll(store.UpdateColumns, ", ", ", u.")

// LastLevels implements bot.Store.
func (db *DB) LastLevels(ctx context.Context, f bot.AnswerFilter, through bot.Period) ([]bot.Update, error) {
	query, args := lastLevelsQuery(f)
	rows, err := db.pool.Query(ctx, query, append([]any{through.String()}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Update
	for rows.Next() {
		var u bot.Update
		var who, period, level string
		if err := rows.Scan(&u.CommitmentID, &who, &period, &level); err != nil {
			return nil, err
		}
		if u.Period, err = bot.ParsePeriod(period); err != nil {
			return nil, err
		}
		u.ForumID, u.Member, u.Completion = f.ForumID, bot.Address(who), bot.Completion(level)
		out = append(out, u)
	}
	return out, rows.Err()
}

// levelCountsQuery reads the level counts of forum $1 for commitments $4
// in period $2, the period before ($3), and each group's latest up to $2
// (groups $5): index seeks per commitment, and per commitment and group,
// each in a LATERAL that OFFSET 0 keeps from being turned into a join.
// As joins, the planner read a digest's counts by scanning every month's
// twice (9,600 rows at 24 months for 800 shown).
const levelCountsQuery = `SELECT lc.period, lc.commitment_id, lc.grp, lc.completion, lc.n
	FROM unnest($4::text[]) c(id)
	CROSS JOIN LATERAL (SELECT * FROM level_counts l
		WHERE l.forum_id = $1 AND l.period IN ($2, $3) AND l.commitment_id = c.id OFFSET 0) lc
	UNION
	SELECT lc.period, lc.commitment_id, lc.grp, lc.completion, lc.n
	FROM unnest($4::text[]) c(id) CROSS JOIN unnest($5::text[]) g(grp)
	CROSS JOIN LATERAL (SELECT * FROM level_counts l
		WHERE l.forum_id = $1 AND l.commitment_id = c.id AND l.grp = g.grp AND l.period = (SELECT MAX(m.period) FROM level_counts m
			WHERE m.forum_id = $1 AND m.commitment_id = c.id AND m.grp = g.grp AND m.period <= $2) OFFSET 0) lc`

// LevelCounts implements bot.Store: the counts of through and of the
// period before, and, for each commitment and group, those of the group's
// latest period up to through (one seek each on level_counts_group).
func (db *DB) LevelCounts(ctx context.Context, forumID string, commitments []string, through bot.Period) ([]bot.LevelCount, error) {
	if len(commitments) == 0 {
		return nil, nil
	}
	groups := make([]string, len(bot.Groups))
	for i, g := range bot.Groups {
		groups[i] = string(g)
	}
	rows, err := db.pool.Query(ctx, levelCountsQuery, forumID, through.String(), through.Prev().String(), commitments, groups)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.LevelCount
	for rows.Next() {
		var lc bot.LevelCount
		var p, g, l string
		if err := rows.Scan(&p, &lc.CommitmentID, &g, &l, &lc.N); err != nil {
			return nil, err
		}
		if lc.Period, err = bot.ParsePeriod(p); err != nil {
			return nil, err
		}
		lc.Group, lc.Completion = bot.Group(g), bot.Completion(l)
		out = append(out, lc)
	}
	return out, rows.Err()
}

// openFlagsQuery reads the open flags of the standing that f names.
func openFlagsQuery(f bot.AnswerFilter) (string, []any) {
	where, args := answerWhere("s", f, 1)
	return `SELECT ` + store.OpenFlagColumns + ` FROM standing s WHERE ` + where + ` AND (s.blockers <> '' OR s.needs <> '[]')`, args
}

// OpenFlags implements bot.Store from the standing table.
func (db *DB) OpenFlags(ctx context.Context, f bot.AnswerFilter) ([]bot.OpenFlag, error) {
	query, args := openFlagsQuery(f)
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.OpenFlag
	for rows.Next() {
		fl, err := store.ScanOpenFlag(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, fl)
	}
	return out, rows.Err()
}

// milestonesDoneQuery reads, for each commitment ($2) and milestone ($3)
// of forum $1, the first period up to $4 that reports it done.
const milestonesDoneQuery = `SELECT k.c, k.m, f.period FROM unnest($2::text[], $3::text[]) k(c, m)
	CROSS JOIN LATERAL (SELECT r.period FROM milestone_reports r
		WHERE r.forum_id = $1 AND r.commitment_id = k.c AND r.milestone_id = k.m AND r.period <= $4
		ORDER BY r.period LIMIT 1) f`

// MilestonesDone implements bot.Store from the milestone_reports table:
// for each milestone asked for, the first period up to through in which a
// latest version marks it done (the first entry of its range of the
// milestone_reports_first index).
func (db *DB) MilestonesDone(ctx context.Context, forumID string, milestones []bot.MilestoneKey, through bot.Period) (map[string]map[string]bot.Period, error) {
	out := map[string]map[string]bot.Period{}
	if len(milestones) == 0 {
		return out, nil
	}
	cs, ms := make([]string, len(milestones)), make([]string, len(milestones))
	for i, k := range milestones {
		cs[i], ms[i] = k.CommitmentID, k.MilestoneID
	}
	rows, err := db.pool.Query(ctx, milestonesDoneQuery, forumID, cs, ms, through.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c, m, p string
		if err := rows.Scan(&c, &m, &p); err != nil {
			return nil, err
		}
		period, err := bot.ParsePeriod(p)
		if err != nil {
			return nil, err
		}
		if out[c] == nil {
			out[c] = map[string]bot.Period{}
		}
		out[c][m] = period
	}
	return out, rows.Err()
}
