package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"forumbot/bot"
)

// milestonesChunk bounds the milestones of one MilestonesDone query, well
// inside SQLite's limit on parameters.
const milestonesChunk = 4000

// milestonesDoneQuery reads, for each of n milestones (?3 onwards, in
// pairs of commitment and milestone), the first period up to ?2 in which a
// latest version marks it done: the first entry of its range of the
// milestone_reports_first index (LIMIT 1: a MIN over the range would read
// every report of the milestone, which grows with the history). The pairs
// are anonymous parameters, numbered after ?1 and ?2 as they come: the
// driver looks each numbered parameter's name up in a list of the
// numbered ones, which for thousands of them cost more than the query.
// A milestone never done reads as NULL: a WHERE on the column would run
// the subquery a second time for every milestone that was.
func milestonesDoneQuery(n int) string {
	keys := "(?, ?)" + strings.Repeat(", (?, ?)", n-1)
	return `SELECT k.column1, k.column2, (SELECT r.period FROM milestone_reports r INDEXED BY milestone_reports_first
			WHERE r.forum_id = ?1 AND r.commitment_id = k.column1 AND r.milestone_id = k.column2 AND r.period <= ?2
			ORDER BY r.period LIMIT 1) AS first
		FROM (VALUES ` + keys + `) k`
}

// MilestonesDone implements bot.Store from the milestone_reports table,
// which the updates table's trigger keeps in step with the record.
func (db *DB) MilestonesDone(ctx context.Context, forumID string, milestones []bot.MilestoneKey, through bot.Period) (map[string]map[string]bot.Period, error) {
	out := map[string]map[string]bot.Period{}
	for len(milestones) > 0 {
		chunk := milestones[:min(len(milestones), milestonesChunk)]
		milestones = milestones[len(chunk):]
		args := []any{forumID, through.String()}
		for _, k := range chunk {
			args = append(args, k.CommitmentID, k.MilestoneID)
		}
		rows, err := db.query(ctx, milestonesDoneQuery(len(chunk)), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c, m string
			var p sql.NullString
			if err := rows.Scan(&c, &m, &p); err != nil {
				rows.Close()
				return nil, err
			}
			if !p.Valid {
				continue
			}
			period, err := bot.ParsePeriod(p.String)
			if err != nil {
				rows.Close()
				return nil, err
			}
			if out[c] == nil {
				out[c] = map[string]bot.Period{}
			}
			out[c][m] = period
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
