package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"forumbot/bot"
	"forumbot/store"
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
	round, roundArgs := filter(bot.UpdateFilter{Member: "local:a", RoundID: 7})
	wholeRound, wholeRoundArgs := filter(bot.UpdateFilter{ForumID: "f", RoundID: 7, From: bot.Period{Year: 2026, Month: 11}})
	period, periodArgs := periodQuery(bot.AnswerFilter{ForumID: "f"})
	count, countArgs := periodCountQuery(bot.AnswerFilter{ForumID: "f"})
	one, oneArgs := periodQuery(bot.AnswerFilter{ForumID: "f", Commitments: []string{"C1"}})
	countOne, countOneArgs := periodCountQuery(bot.AnswerFilter{ForumID: "f", Commitments: []string{"C1"}})
	many := make([]string, fewCommitments+1)
	for i := range many {
		many[i] = fmt.Sprint("C", i)
	}
	most, mostArgs := periodQuery(bot.AnswerFilter{ForumID: "f", Commitments: many})
	standing, standingArgs := standingQuery(bot.AnswerFilter{ForumID: "f"})
	flags, flagsArgs := openFlagsQuery(bot.AnswerFilter{ForumID: "f"})
	levels, levelsArgs := lastLevelsQuery(bot.AnswerFilter{ForumID: "f", Commitments: []string{"C1", "C2"}, Member: "local:a"})
	mine, mineArgs := standingQuery(bot.AnswerFilter{ForumID: "f", Commitments: []string{"C1", "C2"}, Member: "local:a"})
	// A walk of a member's answers, newest first, through the forum's
	// rounds (the answered view): up to a period, and from the newest.
	walk := "SEARCH r USING INDEX rounds_held (forum_id=? AND period<?)\nSEARCH a USING PRIMARY KEY (forum_id=? AND period=? AND commitment_id=? AND member=?)"
	walkAll := "SEARCH r USING INDEX rounds_held (forum_id=?)\nSEARCH a USING PRIMARY KEY (forum_id=? AND period=? AND commitment_id=? AND member=?)"
	tests := []struct {
		name, query string
		args        []any
		want        []string
	}{
		{"a member's updates in a round", `SELECT ` + store.UpdateColumns + ` FROM updates` + round + ` ORDER BY id`, roundArgs,
			[]string{"SEARCH updates USING INDEX sqlite_autoindex_updates_1 (round_id=? AND member=?)"}},
		{"a round's updates", `SELECT ` + store.UpdateColumns + ` FROM updates` + wholeRound + ` ORDER BY id`, wholeRoundArgs,
			[]string{"SEARCH updates USING INDEX sqlite_autoindex_updates_1 (round_id=?)"}},
		{"milestones done", milestonesDoneQuery(2), []any{"C1", "M1", "C2", "M1", "f", "2026-11"},
			[]string{"SEARCH f USING PRIMARY KEY (forum_id=? AND commitment_id=? AND milestone_id=?)"}},
		{"latest versions of a period", period, append(periodArgs, "2026-11"),
			[]string{"SEARCH a USING COVERING INDEX answers_period (forum_id=? AND period=?)", "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"counting a period's latest versions", count, append(countArgs, "2026-11"),
			[]string{"SEARCH a USING COVERING INDEX answers_period (forum_id=? AND period=?)"}},
		{"latest versions of one commitment", one, append(oneArgs, "2026-11"),
			[]string{"SEARCH a USING PRIMARY KEY (forum_id=? AND period=? AND commitment_id=?)", "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"counting one commitment's latest versions", countOne, append(countOneArgs, "2026-11"),
			[]string{"SEARCH a USING PRIMARY KEY (forum_id=? AND period=? AND commitment_id=?)"}},
		{"latest versions of most of a forum", most, append(mostArgs, "2026-11"),
			[]string{"SEARCH a USING COVERING INDEX answers_period (forum_id=? AND period=?", "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"standing", standing, append([]any{"2026-11"}, standingArgs...),
			[]string{"SEARCH s USING PRIMARY KEY (forum_id=?)", "SEARCH a USING PRIMARY KEY (forum_id=? AND period=? AND commitment_id=? AND member=?)",
				walk, "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"a member's standing", mine, append([]any{"2026-11"}, mineArgs...),
			[]string{"SEARCH s USING PRIMARY KEY (forum_id=? AND commitment_id=? AND member=?)"}},
		{"a commitment's last updates", recentQuery, []any{"f", "C1", 3},
			[]string{"SEARCH recent_updates USING PRIMARY KEY (forum_id=? AND commitment_id=?)", "SEARCH updates USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"counting a round's failed prompts", countQuery, []any{7, "prompt", "failed"},
			[]string{"SEARCH outbox USING COVERING INDEX outbox_round (round_id=? AND kind=?)"}},
		{"a round's prompts given up on and sent to a fallback", outcomesQuery, []any{7, "prompt"},
			[]string{"SEARCH outbox USING INDEX outbox_round (round_id=? AND kind=?)"}},
		{"who was prompted", promptedQuery, []any{7},
			[]string{"SEARCH outbox USING COVERING INDEX outbox_round (round_id=? AND kind=?)"}},
		{"who of a committee was prompted", promptedAmongQuery(2), []any{7, "local:a", "local:b"},
			[]string{"SEARCH outbox USING COVERING INDEX outbox_round (round_id=? AND kind=? AND recipient=?)"}},
		{"last messages to recipients", lastRefsQuery(2), []any{"slack:U1", "slack:U2"},
			[]string{"SEARCH l USING PRIMARY KEY (recipient=?)"}},
		{"a member's last levels", levels, append([]any{"2026-11"}, levelsArgs...),
			[]string{"SEARCH s USING PRIMARY KEY (forum_id=? AND commitment_id=? AND member=?)", "SEARCH a USING PRIMARY KEY (forum_id=? AND period=? AND commitment_id=? AND member=?)",
				walk}},
		{"level counts of two periods", recentCountsQuery(2), []any{"f", "2026-11", "2026-10", "C1", "C2"},
			[]string{"SEARCH level_counts USING PRIMARY KEY (forum_id=? AND period=? AND commitment_id=?)"}},
		{"level counts of two periods, whole", recentCountsQuery(0), []any{"f", "2026-11", "2026-10"},
			[]string{"SEARCH level_counts USING PRIMARY KEY (forum_id=? AND period=?)"}},
		{"latest level counts", latestCountsQuery(2), []any{"C1", "government", "C2", "other", "f", "2026-10"},
			[]string{"SEARCH lc USING INDEX level_counts_group (forum_id=? AND commitment_id=? AND grp=? AND period=?)", "SEARCH m USING COVERING INDEX level_counts_group (forum_id=? AND commitment_id=? AND grp=? AND period<?)"}},
		{"open flags", flags, flagsArgs,
			[]string{"SEARCH s USING INDEX standing_flags (forum_id=?)"}},
		{"standing of one member's commitment, read again", `SELECT * FROM standing_at WHERE forum_id = ?1 AND commitment_id = ?2 AND member = ?3
			AND period = (SELECT p.period FROM answered p WHERE p.forum_id = ?1 AND p.commitment_id = ?2 AND p.member = ?3 ORDER BY p.period DESC LIMIT 1)`, []any{"f", "C1", "local:a"},
			[]string{"SEARCH l USING PRIMARY KEY (forum_id=? AND period=? AND commitment_id=? AND member=?)", walkAll,
				"SEARCH r USING INDEX rounds_held (forum_id=? AND period>? AND period<?)\nCORRELATED SCALAR SUBQUERY 6\n" + walk}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := explain(t, db, tt.query, tt.args...)
			for _, want := range tt.want {
				if !strings.Contains(plan, want) {
					t.Errorf("plan of %s:\n%s\nwant %q", tt.name, plan, want)
				}
			}
			if tableScans(plan) {
				t.Errorf("plan of %s scans a table:\n%s", tt.name, plan)
			}
			if subqueriesTwice(plan) {
				t.Errorf("plan of %s runs a subquery twice for a row:\n%s", tt.name, plan)
			}
		})
	}
}

// tableScans reports whether a plan's SCAN lines read a table: scanning a
// VALUES list, json_each of one row's column or the rows of a subquery
// (whose own lines say how it reads them) is not reading a table.
func tableScans(plan string) bool {
	for _, line := range strings.Split(plan, "\n") {
		if strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, "VIRTUAL TABLE") && !strings.Contains(line, "VALUES CLAUSE") &&
			!strings.HasPrefix(line, "SCAN (subquery-") {
			return true
		}
	}
	return false
}

// subqueriesTwice reports whether a plan has the same correlated
// subquery twice, as SQLite plans one named both in the result and in the
// WHERE clause: it runs once for each.
func subqueriesTwice(plan string) bool {
	seen := map[string]bool{}
	for _, line := range strings.Split(plan, "\n") {
		if strings.HasPrefix(line, "CORRELATED SCALAR SUBQUERY") {
			if seen[line] {
				return true
			}
			seen[line] = true
		}
	}
	return false
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
