package sqlite

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"forumbot/bot"
	"forumbot/store"
)

// uColumns are the updates columns, prefixed for a join.
var uColumns = "u." + strings.ReplaceAll(store.UpdateColumns, ", ", ", u.")

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

// periodRow is what PeriodAnswers reads of each update, packed into one
// value (packed.go). The forum and the period are the caller's.
var periodRow = packed([]string{"u.id", "u.round_id", "u.version"},
	[]string{"u.commitment_id", "u.member", "u.grp", "u.organisation", "u.completion", "u.progress", "u.note", "u.evidence"})

// periodQuery reads the latest versions in a period on a named index
// (without statistics SQLite may prefer an index that reads more): a few
// commitments' on the primary key (period, then commitment, sorted by
// update after), a whole forum's, or most of it, on the period index,
// which is in update order already.
func periodQuery(f bot.AnswerFilter) (string, []any) {
	where, args := answerWhere("a", f)
	return `SELECT ` + periodRow + ` FROM answers a INDEXED BY ` + periodIndex(f) + ` CROSS JOIN updates u ON u.id = a.update_id
		WHERE ` + where + ` AND a.period = ? ORDER BY a.update_id`, args
}

// periodCountQuery counts what periodQuery reads, from the index alone.
func periodCountQuery(f bot.AnswerFilter) (string, []any) {
	where, args := answerWhere("a", f)
	return `SELECT COUNT(*) FROM answers a INDEXED BY ` + periodIndex(f) + ` WHERE ` + where + ` AND a.period = ?`, args
}

// answersKey is the name SQLite gives the answers table's primary key.
const answersKey = "sqlite_autoindex_answers_1"

// periodIndex is the index periodQuery reads.
func periodIndex(f bot.AnswerFilter) string {
	if len(f.Commitments) > 0 && len(f.Commitments) <= fewCommitments {
		return answersKey
	}
	return "answers_period"
}

// PeriodAnswers implements bot.Store from the answers table. It counts the
// rows first, so that a big forum's tens of thousands of updates are read
// into one allocation.
func (db *DB) PeriodAnswers(ctx context.Context, f bot.AnswerFilter, p bot.Period) ([]bot.Update, error) {
	countQuery, args := periodCountQuery(f)
	var n int
	if err := db.queryRow(ctx, countQuery, append(args, p.String())...).Scan(&n); err != nil {
		return nil, err
	}
	query, args := periodQuery(f)
	rows, err := db.query(ctx, query, append(args, p.String())...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]bot.Update, 0, n)
	var row string
	for rows.Next() {
		if err := rows.Scan(&row); err != nil {
			return nil, err
		}
		out = append(out, bot.Update{ForumID: f.ForumID, Period: p})
		if err := unpackPeriodRow(row, &out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// unpackPeriodRow fills u from a row packed as periodRow says.
func unpackPeriodRow(row string, u *bot.Update) error {
	var nums [3]int64
	var texts [8]string
	if err := unpack(row, nums[:], texts[:]); err != nil {
		return err
	}
	u.ID, u.RoundID, u.Version = nums[0], nums[1], int(nums[2])
	u.CommitmentID, u.Member, u.Group, u.Organisation = texts[0], bot.Address(texts[1]), bot.Group(texts[2]), texts[3]
	u.Completion, u.Progress, u.Note = bot.Completion(texts[4]), texts[5], texts[6]
	return stringList(texts[7], &u.Evidence)
}

// answeredThrough is the period of each member's latest answer with a
// level up to the first parameter: the standing's when it is not later,
// else the answer before it (a member who has answered in the round being
// prompted), else, for an older round, the latest found walking the
// member's answers back through the forum's rounds (schema v15). A
// standing with no answer before it has an empty before_period, which
// matches no answer.
const answeredThrough = `CASE WHEN s.period <= ?1 THEN s.period WHEN s.before_period <= ?1 THEN s.before_period ELSE (
	SELECT b.period FROM answered b WHERE b.forum_id = s.forum_id AND b.commitment_id = s.commitment_id AND b.member = s.member
		AND b.period <= ?1 ORDER BY b.period DESC LIMIT 1) END`

// standingQuery reads each member's latest answer through a period, as
// answeredThrough finds it, from the answers table's primary key.
// CROSS JOIN keeps SQLite from driving the join from answers.
func standingQuery(f bot.AnswerFilter) (string, []any) {
	where, args := answerWhere("s", f)
	return `SELECT ` + uColumns + ` FROM standing s
		CROSS JOIN answers a ON a.forum_id = s.forum_id AND a.commitment_id = s.commitment_id AND a.member = s.member
			AND a.period = ` + answeredThrough + `
		CROSS JOIN updates u ON u.id = a.update_id
		WHERE ` + renumber(where, 2), args
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

// lastLevelsQuery is standingQuery reading the level and the period alone,
// from the answers table, without the update's row.
func lastLevelsQuery(f bot.AnswerFilter) (string, []any) {
	where, args := answerWhere("s", f)
	return `SELECT a.commitment_id, a.member, a.period, a.completion FROM standing s
		CROSS JOIN answers a ON a.forum_id = s.forum_id AND a.commitment_id = s.commitment_id AND a.member = s.member
			AND a.period = ` + answeredThrough + `
		WHERE ` + renumber(where, 2), args
}

// LastLevels implements bot.Store.
func (db *DB) LastLevels(ctx context.Context, f bot.AnswerFilter, through bot.Period) ([]bot.Update, error) {
	query, args := lastLevelsQuery(f)
	rows, err := db.query(ctx, query, append([]any{through.String()}, args...)...)
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

// Standing implements bot.Store from the standing and answers tables.
func (db *DB) Standing(ctx context.Context, f bot.AnswerFilter, through bot.Period) ([]bot.Update, error) {
	query, args := standingQuery(f)
	return sortedUpdates(db.updates(ctx, query, append([]any{through.String()}, args...)...))
}

// recentCountsQuery reads the level counts of two periods on the
// level_counts primary key.
func recentCountsQuery(commitments int) string {
	q := `SELECT ` + countsRow("") + ` FROM level_counts WHERE forum_id = ? AND period IN (?, ?)`
	if commitments > 0 {
		q += ` AND commitment_id IN (?` + strings.Repeat(", ?", commitments-1) + `)`
	}
	return q
}

// latestCountsQuery reads, for each of n pairs of commitment and group
// (the first 2n parameters, anonymous, as milestonesDoneQuery explains),
// the counts of the group's latest period up to the last parameter, of
// the forum named by the one before, found on the level_counts_group
// index.
func latestCountsQuery(n int) string {
	keys := "(?, ?)" + strings.Repeat(", (?, ?)", n-1)
	forum, through := fmt.Sprintf("?%d", 2*n+1), fmt.Sprintf("?%d", 2*n+2)
	return `SELECT ` + countsRow("lc.") + ` FROM (VALUES ` + keys + `) k
		CROSS JOIN level_counts lc INDEXED BY level_counts_group
			ON lc.forum_id = ` + forum + ` AND lc.commitment_id = k.column1 AND lc.grp = k.column2
			AND lc.period = (SELECT MAX(m.period) FROM level_counts m INDEXED BY level_counts_group
				WHERE m.forum_id = ` + forum + ` AND m.commitment_id = k.column1 AND m.grp = k.column2 AND m.period <= ` + through + `)`
}

// LevelCounts implements bot.Store: the counts of through and of the
// period before in one range read, then, for the groups that answered in
// neither, one seek each for their latest period.
func (db *DB) LevelCounts(ctx context.Context, forumID string, commitments []string, through bot.Period) ([]bot.LevelCount, error) {
	if len(commitments) == 0 {
		return nil, nil
	}
	args := []any{forumID, through.String(), through.Prev().String()}
	var out []bot.LevelCount
	var err error
	if len(commitments) > fewCommitments {
		// Most of the forum: read both periods whole, in the same order,
		// rather than bind and seek each commitment, and keep those asked.
		if out, err = db.levelCounts(ctx, recentCountsQuery(0), args...); err != nil {
			return nil, err
		}
		asked := make(map[string]bool, len(commitments))
		for _, c := range commitments {
			asked[c] = true
		}
		out = slices.DeleteFunc(out, func(lc bot.LevelCount) bool { return !asked[lc.CommitmentID] })
	} else {
		for _, c := range commitments {
			args = append(args, c)
		}
		if out, err = db.levelCounts(ctx, recentCountsQuery(len(commitments)), args...); err != nil {
			return nil, err
		}
	}
	type key struct {
		c string
		g bot.Group
	}
	seen := map[key]bool{}
	for _, lc := range out {
		seen[key{lc.CommitmentID, lc.Group}] = true
	}
	var missing []key
	for _, c := range commitments {
		for _, g := range bot.Groups {
			if !seen[key{c, g}] {
				missing = append(missing, key{c, g})
			}
		}
	}
	for len(missing) > 0 {
		chunk := missing[:min(len(missing), countsChunk)]
		missing = missing[len(chunk):]
		args := make([]any, 0, 2*len(chunk)+2)
		for _, k := range chunk {
			args = append(args, k.c, string(k.g))
		}
		args = append(args, forumID, through.Prev().String())
		older, err := db.levelCounts(ctx, latestCountsQuery(len(chunk)), args...)
		if err != nil {
			return nil, err
		}
		out = append(out, older...)
	}
	return out, nil
}

// fewCommitments is the most commitments LevelCounts seeks one by one;
// for more it reads the periods' counts whole.
const fewCommitments = 16

// countsChunk bounds the pairs of one latestCountsQuery, inside SQLite's
// limit on parameters.
const countsChunk = 4000

// countsRow is a level_counts row (its columns prefixed with prefix)
// packed into one value (packed.go).
func countsRow(prefix string) string {
	return packed([]string{prefix + "n"}, []string{prefix + "period", prefix + "commitment_id", prefix + "grp", prefix + "completion"})
}

func (db *DB) levelCounts(ctx context.Context, query string, args ...any) ([]bot.LevelCount, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.LevelCount
	var row string
	var nums [1]int64
	var texts [4]string
	for rows.Next() {
		if err := rows.Scan(&row); err != nil {
			return nil, err
		}
		if err := unpack(row, nums[:], texts[:]); err != nil {
			return nil, err
		}
		lc := bot.LevelCount{CommitmentID: texts[1], Group: bot.Group(texts[2]), Completion: bot.Completion(texts[3]), N: int(nums[0])}
		if lc.Period, err = bot.ParsePeriod(texts[0]); err != nil {
			return nil, err
		}
		out = append(out, lc)
	}
	return out, rows.Err()
}

// flagRow is a standing row's flags, packed into one value (packed.go).
var flagRow = packed(nil, []string{"s.commitment_id", "s.member", "s.grp", "s.organisation", "s.blockers", "s.blockers_since", "s.needs", "s.needs_since"})

// openFlagsQuery reads the standing rows that flag something, on the
// standing table's partial index.
func openFlagsQuery(f bot.AnswerFilter) (string, []any) {
	where, args := answerWhere("s", f)
	return `SELECT ` + flagRow + `
		FROM standing s INDEXED BY standing_flags WHERE ` + where + ` AND (s.blockers <> '' OR s.needs <> '[]')`, args
}

// OpenFlags implements bot.Store from the standing table.
func (db *DB) OpenFlags(ctx context.Context, f bot.AnswerFilter) ([]bot.OpenFlag, error) {
	query, args := openFlagsQuery(f)
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.OpenFlag
	var row string
	var texts [8]string
	for rows.Next() {
		if err := rows.Scan(&row); err != nil {
			return nil, err
		}
		if err := unpack(row, nil, texts[:]); err != nil {
			return nil, err
		}
		fl := bot.OpenFlag{CommitmentID: texts[0], Member: bot.Address(texts[1]), Group: bot.Group(texts[2]), Organisation: texts[3], Blockers: texts[4]}
		if texts[5] != "" {
			if fl.BlockersSince, err = bot.ParsePeriod(texts[5]); err != nil {
				return nil, err
			}
		}
		if err := stringList(texts[6], &fl.Needs); err != nil {
			return nil, err
		}
		if len(fl.Needs) > 0 {
			if err := json.Unmarshal([]byte(texts[7]), &fl.NeedsSince); err != nil {
				return nil, err
			}
		}
		out = append(out, fl)
	}
	return out, rows.Err()
}

// sortedUpdates puts updates in period order, then in the order stored.
func sortedUpdates(us []bot.Update, err error) ([]bot.Update, error) {
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
