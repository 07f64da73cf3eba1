package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"forumbot/bot"
)

// TestHotQueriesUseTheirIndex asserts the plans of the queries a prompt, a
// button, a reply and a refresh run, so that a schema change cannot send
// them back to reading the forum's whole history.
func TestHotQueriesUseTheirIndex(t *testing.T) {
	db := NewDB(filepath.Join(t.TempDir(), "plan.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	member, memberArgs := filter(bot.UpdateFilter{ForumID: "f", Member: "local:a", To: bot.Period{Year: 2026, Month: 11}})
	round, roundArgs := filter(bot.UpdateFilter{Member: "local:a", RoundID: 7})
	period, periodArgs := latestInQuery(bot.AnswerFilter{ForumID: "f"}, 2)
	one, oneArgs := latestInQuery(bot.AnswerFilter{ForumID: "f", Commitments: []string{"C1"}}, 2)
	standing, standingArgs := standingQuery(bot.AnswerFilter{ForumID: "f"})
	mine, mineArgs := standingQuery(bot.AnswerFilter{ForumID: "f", Commitments: []string{"C1", "C2"}, Member: "local:a"})
	tests := []struct {
		name, query string
		args        []any
		want        []string
	}{
		{"a member's updates", `SELECT ` + updateColumns + ` FROM updates` + member + ` ORDER BY id`, memberArgs,
			[]string{"SEARCH updates USING INDEX sqlite_autoindex_updates_1 (member=?)"}},
		{"a member's updates in a round", `SELECT ` + updateColumns + ` FROM updates` + round + ` ORDER BY id`, roundArgs,
			[]string{"SEARCH updates USING INDEX sqlite_autoindex_updates_1 (member=? AND round_id=?)"}},
		{"milestones done", milestonesDoneQuery(2), []any{"f", "2026-11", "C1", "C2"},
			[]string{"SEARCH milestone_reports USING PRIMARY KEY (forum_id=? AND commitment_id=?)"}},
		{"latest versions of two periods", period, append(periodArgs, "2026-10", "2026-11"),
			[]string{"SEARCH a USING INDEX answers_period (forum_id=? AND period=?)", "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"latest versions of one commitment", one, append(oneArgs, "2026-10", "2026-11"),
			[]string{"SEARCH a USING INDEX answers_period (forum_id=? AND period=? AND commitment_id=?)", "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"standing", standing, append([]any{"2026-11"}, standingArgs...),
			[]string{"SEARCH s USING PRIMARY KEY (forum_id=?)", "SEARCH a USING PRIMARY KEY (forum_id=? AND commitment_id=? AND member=? AND period=?)", "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"a member's standing", mine, append([]any{"2026-11"}, mineArgs...),
			[]string{"SEARCH s USING PRIMARY KEY (forum_id=? AND commitment_id=? AND member=?)"}},
		{"last message to a recipient", lastRefQuery, []any{"slack:U1"},
			[]string{"SEARCH outbox USING INDEX outbox_recipient (recipient=?)"}},
		{"answer history", historyQuery(2), []any{"f", "2026-11", "C1", "local:a", "C2", "local:b"},
			[]string{"SEARCH a USING PRIMARY KEY (forum_id=? AND commitment_id=? AND member=? AND period<?)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := explain(t, db, tt.query, tt.args...)
			for _, want := range tt.want {
				if !strings.Contains(plan, want) {
					t.Errorf("plan of %s:\n%s\nwant %q", tt.name, plan, want)
				}
			}
			if strings.Contains(strings.ReplaceAll(plan, "SCAN 2-ROW VALUES CLAUSE", ""), "SCAN") {
				t.Errorf("plan of %s scans a table:\n%s", tt.name, plan)
			}
		})
	}
}

func explain(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}
