package postgres

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"forumbot/bot"
	"forumbot/store/postgres/pgtest"
)

// planHistory is the history TestHotQueriesUseTheirIndex plans on: a
// year of a forum of 50 commitments of 30 members from 300 people, one
// prompt in ten given up on.
var planHistory = history{Commitments: 50, People: 300, Months: 12}

// planPerMonth is the answers of one month of planHistory.
var planPerMonth = planHistory.perMonth()

// TestHotQueriesUseTheirIndex runs the queries a prompt, a button, a
// reply, a refresh, a digest and a status reply make on a forum with a
// year of history and statistics, each as PostgreSQL plans it with the
// parameters' values (a custom plan) and as it may plan a prepared
// statement from its sixth run on (a generic plan). Each must use the
// index it was written for and read what it returns, not the history: no
// step of the plan may touch more rows (returned or thrown away) than the
// query's bound, which for a member is a few rows and for a forum one
// month of answers.
func TestHotQueriesUseTheirIndex(t *testing.T) {
	db := NewDB(pgtest.URL(t))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	last := planHistory.seed(t, db)
	through := last.Period.String()
	member := bot.Address("local:m31")
	mine, few := []string{"C1", "C11"}, []string{"C1", "C2", "C3"}
	all := planHistory.commitments()
	forum := bot.AnswerFilter{ForumID: "f"}
	groups := make([]string, len(bot.Groups))
	for i, g := range bot.Groups {
		groups[i] = string(g)
	}
	made := func(sql string, args []any) stmt { return stmt{sql, args} }
	// at puts the period the query reads through first, as the store does.
	at := func(sql string, args []any) stmt { return stmt{sql, append([]any{through}, args...)} }
	tests := []struct {
		name string
		stmt
		most int // rows any step of the plan may touch
		want []string
	}{
		{"a member's updates in a round", made(updatesQuery(bot.UpdateFilter{Member: member, RoundID: last.ID})), 10,
			[]string{"updates_round_member"}},
		{"a round's updates", made(updatesQuery(bot.UpdateFilter{ForumID: "f", RoundID: last.ID, From: last.Period})), planPerMonth,
			[]string{"updates_round_member"}},
		{"a month's answers", at(periodQuery(forum)), 2 * planPerMonth,
			[]string{"answers_period", "updates_pkey"}},
		{"a few commitments' answers of a month", at(periodQuery(bot.AnswerFilter{ForumID: "f", Commitments: few})), 200,
			[]string{"on answers", "updates_pkey"}},
		{"a member's answers of a month on their commitments", at(periodQuery(bot.AnswerFilter{ForumID: "f", Commitments: mine, Member: member})), 10,
			[]string{"answers_pkey", "updates_pkey"}},
		{"a forum's standing", at(standingQuery(forum)), 2 * planPerMonth,
			[]string{"on standing", "answers_pkey", "updates_pkey"}},
		{"a member's standing", at(standingQuery(bot.AnswerFilter{ForumID: "f", Commitments: mine, Member: member})), 10,
			[]string{"standing_pkey", "answers_pkey", "updates_pkey"}},
		{"a member's last levels", at(lastLevelsQuery(bot.AnswerFilter{ForumID: "f", Commitments: mine, Member: member})), 10,
			[]string{"standing_pkey", "answers_pkey"}},
		{"a forum's last levels", at(lastLevelsQuery(forum)), 2 * planPerMonth,
			[]string{"on standing", "answers_pkey"}},
		{"a forum's open flags", made(openFlagsQuery(forum)), planPerMonth,
			[]string{"on standing"}},
		{"a few commitments' open flags", made(openFlagsQuery(bot.AnswerFilter{ForumID: "f", Commitments: few})), 100,
			[]string{"standing_flags"}},
		{"a forum's level counts", stmt{levelCountsQuery, []any{"f", through, last.Period.Prev().String(), all, groups}}, 1000,
			[]string{"level_counts_pkey", "level_counts_group"}},
		{"a few commitments' level counts", stmt{levelCountsQuery, []any{"f", through, last.Period.Prev().String(), few, groups}}, 100,
			[]string{"level_counts_pkey", "level_counts_group"}},
		{"a forum's milestones done", stmt{milestonesDoneQuery, []any{"f", all, slices.Repeat([]string{"M1"}, len(all)), through}}, len(all),
			[]string{"milestone_reports_first"}},
		{"milestones done", stmt{milestonesDoneQuery, []any{"f", few, []string{"M1", "M1", "M2"}, through}}, 10,
			[]string{"milestone_reports_first"}},
		{"a commitment's last updates", stmt{recentQuery, []any{"f", "C1", 3}}, 10,
			[]string{"updates_commitment"}},
		{"counting a round's failed prompts", stmt{countQuery, []any{last.ID, "prompt", "failed"}}, planHistory.People,
			[]string{"outbox_round"}},
		{"a round's prompts given up on and sent to a fallback", stmt{outcomesQuery, []any{last.ID, "prompt"}}, planHistory.People,
			[]string{"outbox_round"}},
		{"who was prompted", stmt{promptedQuery, []any{last.ID}}, planHistory.People,
			[]string{"outbox_round"}},
		{"who of a committee was prompted", stmt{promptedAmongQuery, []any{last.ID, []string{"local:m1", "local:m2"}}}, 10,
			[]string{"outbox_round"}},
		{"last messages to recipients", stmt{lastRefsQuery, []any{[]string{"local:m1", "local:m2"}}}, 10,
			[]string{"outbox_recipient"}},
		{"the chain's head", stmt{chainHeadQuery, []any{"f"}}, 10,
			[]string{"record_chain_pkey"}},
		{"standing of one member's commitment", stmt{`SELECT * FROM standing_of WHERE forum_id = $1 AND commitment_id = $2 AND member = $3`, []any{"f", "C1", string(member)}}, 50,
			[]string{"answers_pkey"}},
	}
	for _, tt := range tests {
		for _, mode := range []string{"custom", "generic"} {
			t.Run(tt.name+"/"+mode, func(t *testing.T) {
				plan := explainAnalyze(t, db, mode, tt.sql, tt.args...)
				for _, want := range tt.want {
					if !strings.Contains(plan, want) {
						t.Errorf("plan does not use %q:\n%s", want, plan)
					}
				}
				n, step, ok := mostRows(plan)
				if !ok {
					t.Fatalf("no step of the plan says what it read:\n%s", plan)
				}
				if n > tt.most {
					t.Errorf("plan touches %d rows in one step, more than %d (%s):\n%s", n, tt.most, step, plan)
				}
			})
		}
	}
}

// stmt is a statement and the values of its parameters.
type stmt struct {
	sql  string
	args []any
}

var rowsRE = regexp.MustCompile(`^\s*(?:->\s*)?(.*?) \(actual (?:time=\S+ )?rows=(\d+) loops=(\d+)\)|Rows Removed by (?:Join Filter|Filter|Index Recheck): (\d+)`)

// mostRows returns the most rows one step of an analysed plan touched
// (rows returned over all its loops, and rows it read and threw away),
// and that step; ok is false when no step says what it read.
func mostRows(plan string) (most int, which string, ok bool) {
	step, n := "", 0
	flush := func() {
		if n > most {
			most, which = n, step
		}
	}
	for _, line := range strings.Split(plan, "\n") {
		m := rowsRE.FindStringSubmatch(line)
		switch {
		case m == nil:
		case m[4] != "":
			removed, _ := strconv.Atoi(m[4])
			n += removed
		default:
			flush()
			ok = true
			rows, _ := strconv.Atoi(m[2])
			loops, _ := strconv.Atoi(m[3])
			step, n = m[1], rows*loops
		}
	}
	flush()
	return most, which, ok
}

// explainAnalyze runs query with args as a prepared statement, planned in
// mode (custom: for the values; generic: for any), and returns its plan
// with what each step read.
func explainAnalyze(t *testing.T, db *DB, mode, query string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	values := make([]string, len(args))
	for i, a := range args {
		values[i] = literal(t, a)
	}
	exec := func(sql string) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec("SET plan_cache_mode = force_" + mode + "_plan")
	exec("PREPARE probe AS " + query)
	defer exec("RESET plan_cache_mode")
	defer exec("DEALLOCATE probe")
	rows, err := conn.Query(ctx, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE probe("+strings.Join(values, ", ")+")", pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// literal writes a as an SQL literal for EXECUTE.
func literal(t *testing.T, a any) string {
	switch v := a.(type) {
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case []string:
		q := make([]string, len(v))
		for i, s := range v {
			q[i] = literal(t, s)
		}
		return "ARRAY[" + strings.Join(q, ", ") + "]::text[]"
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	}
	t.Fatalf("no literal for %T", a)
	return ""
}
