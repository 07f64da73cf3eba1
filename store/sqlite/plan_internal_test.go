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
	tests := []struct {
		name, query string
		args        []any
		want        string
	}{
		{"a member's updates", `SELECT ` + updateColumns + ` FROM updates` + member + ` ORDER BY id`, memberArgs, "USING INDEX sqlite_autoindex_updates_1 (member=?)"},
		{"milestones done", milestonesDoneQuery(2), []any{"f", "2026-11", "C1", "C2"}, "USING PRIMARY KEY (forum_id=? AND commitment_id=?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := explain(t, db, tt.query, tt.args...)
			if !strings.Contains(plan, tt.want) {
				t.Errorf("plan of %s:\n%s\nwant it to use %q", tt.name, plan, tt.want)
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
