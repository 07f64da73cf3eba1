package sqlite

import (
	"context"
	"strings"

	"forumbot/bot"
)

// milestonesChunk bounds the milestones of one MilestonesDone query, well
// inside SQLite's limit on parameters.
const milestonesChunk = 4000

// milestonesDoneQuery reads, for each of n milestones (the first 2n
// parameters, in pairs of commitment and milestone), the first period in
// which a latest version marks it done, if that is not later than the
// last parameter, in the forum the one before names: one seek each on the
// milestones_first table, which holds a row per milestone done (schema
// v14), however many months reported it. The parameters are anonymous,
// numbered as they come in the text: the driver looks each numbered
// parameter's name up in a list of the numbered ones, which for thousands
// of them cost more than the query.
func milestonesDoneQuery(n int) string {
	keys := "(?, ?)" + strings.Repeat(", (?, ?)", n-1)
	return `SELECT f.commitment_id, f.milestone_id, f.period FROM (VALUES ` + keys + `) k
		CROSS JOIN milestones_first f ON f.forum_id = ? AND f.commitment_id = k.column1 AND f.milestone_id = k.column2
		WHERE f.period <= ?`
}

// MilestonesDone implements bot.Store from the milestones_first table,
// which the updates table's trigger keeps in step with the record.
func (db *DB) MilestonesDone(ctx context.Context, forumID string, milestones []bot.MilestoneKey, through bot.Period) (map[string]map[string]bot.Period, error) {
	out := map[string]map[string]bot.Period{}
	for len(milestones) > 0 {
		chunk := milestones[:min(len(milestones), milestonesChunk)]
		milestones = milestones[len(chunk):]
		args := make([]any, 0, 2*len(chunk)+2)
		for _, k := range chunk {
			args = append(args, k.CommitmentID, k.MilestoneID)
		}
		args = append(args, forumID, through.String())
		rows, err := db.query(ctx, milestonesDoneQuery(len(chunk)), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c, m, p string
			if err := rows.Scan(&c, &m, &p); err != nil {
				rows.Close()
				return nil, err
			}
			period, err := bot.ParsePeriod(p)
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
