package sqlite

import (
	"context"
	"strings"

	"forumbot/bot"
)

// milestonesDoneQuery reads the first period each milestone of n
// commitments was reported done, on the table's primary key.
func milestonesDoneQuery(n int) string {
	return `SELECT commitment_id, milestone_id, MIN(period) FROM milestone_reports
		WHERE forum_id = ? AND period <= ? AND commitment_id IN (?` + strings.Repeat(", ?", n-1) + `)
		GROUP BY commitment_id, milestone_id`
}

// MilestonesDone implements bot.Store from the milestone_reports table,
// which the updates table's trigger keeps in step with the record.
func (db *DB) MilestonesDone(ctx context.Context, forumID string, commitments []string, through bot.Period) (map[string]map[string]bot.Period, error) {
	out := map[string]map[string]bot.Period{}
	if len(commitments) == 0 {
		return out, nil
	}
	args := []any{forumID, through.String()}
	for _, c := range commitments {
		args = append(args, c)
	}
	rows, err := db.query(ctx, milestonesDoneQuery(len(commitments)), args...)
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
