package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"

	"forumbot/bot"
	"forumbot/store"
)

// answerArgs are the filter's optional parts as arrays: commitments (NULL
// for all) and member (” for all), so that each query is one prepared
// statement whatever the filter.
func answerArgs(f bot.AnswerFilter) (commitments any, member string) {
	if len(f.Commitments) > 0 {
		commitments = f.Commitments
	}
	return commitments, string(f.Member)
}

// answerWhere narrows table t by the forum ($1), the commitments ($2) and
// the member ($3).
func answerWhere(t string) string {
	return t + `.forum_id = $1 AND ($2::text[] IS NULL OR ` + t + `.commitment_id = ANY($2)) AND ($3 = '' OR ` + t + `.member = $3)`
}

// PeriodAnswers implements bot.Store from the answers table.
func (db *DB) PeriodAnswers(ctx context.Context, f bot.AnswerFilter, p bot.Period) ([]bot.Update, error) {
	commitments, member := answerArgs(f)
	rows, err := db.pool.Query(ctx, `SELECT u.id, u.round_id, u.commitment_id, u.member, u.grp, u.organisation, u.version,
			u.completion, u.progress, u.note, u.evidence
		FROM answers a JOIN updates u ON u.id = a.update_id
		WHERE `+answerWhere("a")+` AND a.period = $4 ORDER BY a.update_id`, f.ForumID, commitments, member, p.String())
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
// member's latest with a level through $4: the standing one when it is
// not later, else the latest answered period up to $4.
const standingJoin = `FROM standing s
	JOIN answers a ON a.forum_id = s.forum_id AND a.commitment_id = s.commitment_id AND a.member = s.member
		AND a.period = CASE WHEN s.period <= $4 THEN s.period ELSE (SELECT MAX(b.period) FROM answers b
			WHERE b.forum_id = s.forum_id AND b.commitment_id = s.commitment_id AND b.member = s.member
			AND b.completion <> '' AND b.period <= $4) END`

// Standing implements bot.Store from the standing and answers tables.
func (db *DB) Standing(ctx context.Context, f bot.AnswerFilter, through bot.Period) ([]bot.Update, error) {
	commitments, member := answerArgs(f)
	us, err := db.updates(ctx, `SELECT u.`+joinColumns+` `+standingJoin+` JOIN updates u ON u.id = a.update_id WHERE `+answerWhere("s"),
		f.ForumID, commitments, member, through.String())
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
	commitments, member := answerArgs(f)
	rows, err := db.pool.Query(ctx, `SELECT a.commitment_id, a.member, a.period, a.completion `+standingJoin+` WHERE `+answerWhere("s"),
		f.ForumID, commitments, member, through.String())
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
	rows, err := db.pool.Query(ctx, `SELECT lc.period, lc.commitment_id, lc.grp, lc.completion, lc.n FROM level_counts lc
		WHERE lc.forum_id = $1 AND lc.period IN ($2, $3) AND lc.commitment_id = ANY($4)
		UNION
		SELECT lc.period, lc.commitment_id, lc.grp, lc.completion, lc.n
		FROM unnest($4::text[]) c(id) CROSS JOIN unnest($5::text[]) g(grp)
		CROSS JOIN LATERAL (SELECT MAX(m.period) AS period FROM level_counts m
			WHERE m.forum_id = $1 AND m.commitment_id = c.id AND m.grp = g.grp AND m.period <= $2) latest
		JOIN level_counts lc ON lc.forum_id = $1 AND lc.commitment_id = c.id AND lc.grp = g.grp AND lc.period = latest.period`,
		forumID, through.String(), through.Prev().String(), commitments, groups)
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

// OpenFlags implements bot.Store from the standing table.
func (db *DB) OpenFlags(ctx context.Context, f bot.AnswerFilter) ([]bot.OpenFlag, error) {
	commitments, member := answerArgs(f)
	rows, err := db.pool.Query(ctx, `SELECT `+store.OpenFlagColumns+`
		FROM standing s WHERE `+answerWhere("s")+` AND (s.blockers <> '' OR s.needs <> '[]')`, f.ForumID, commitments, member)
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
	rows, err := db.pool.Query(ctx, `SELECT k.c, k.m, f.period FROM unnest($2::text[], $3::text[]) k(c, m)
		CROSS JOIN LATERAL (SELECT r.period FROM milestone_reports r
			WHERE r.forum_id = $1 AND r.commitment_id = k.c AND r.milestone_id = k.m AND r.period <= $4
			ORDER BY r.period LIMIT 1) f`, forumID, cs, ms, through.String())
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
