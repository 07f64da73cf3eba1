package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"forumbot/bot"
)

// forumbot runs the command in-process and returns its exit code and output.
func forumbot(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// exampleSecrets are the variables configs/example.yaml reads.
var exampleSecrets = []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_BOT_TOKEN"}

var exampleCommitments = []string{"COT0001", "COT0002", "COT0003", "COT0004", "COT0005"}

func TestDemo(t *testing.T) {
	code, out, errOut := forumbot(t, "demo")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"prompt   → 15 members", "form     ←", "reply    ←", "reminder →", "digest   → posted to slack:C0FORUM01",
		"refused: There is no commitment \"COT0O03\". Did you mean COT0003", "Only the coordinators of South Cotabato Multistakeholder Forum",
		"`forumbot demo --keep DIR` keeps it in DIR with a config"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Contains(out, "--config") {
		t.Errorf("the demo without --keep prints commands for a database it removed:\n%s", out)
	}
	digest := out[strings.LastIndex(out, "implementation digest, November 2026"):]
	for _, id := range exampleCommitments {
		i := strings.Index(digest, id+" · ")
		if i < 0 {
			t.Errorf("the digest does not name %s", id)
			continue
		}
		section := digest[i:]
		if j := strings.Index(section[1:], "│ COT"); j > 0 {
			section = section[:j]
		}
		if !strings.Contains(section, "Government:") || !strings.Contains(section, "Civil society:") {
			t.Errorf("%s lacks the government and civil-society views:\n%s", id, section)
		}
		if !containsAny(section, "Not Started", "Limited", "Substantial", "Complete") {
			t.Errorf("%s shows no completion level:\n%s", id, section)
		}
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestValidate(t *testing.T) {
	unsetEnv(t, exampleSecrets...)
	code, out, errOut := forumbot(t, "validate", "--config", "../../configs/example.yaml")
	if code != 0 || !strings.Contains(out, "ok: 1 forum(s), 5 commitment(s), 16 member(s)") {
		t.Errorf("example: exit %d\n%s%s", code, out, errOut)
	}
	files, _ := filepath.Glob("../../testdata/config/*.yaml")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		first := strings.SplitN(strings.TrimPrefix(strings.SplitN(string(data), "\n", 2)[0], "# want: "), ":", 2)
		code, _, errOut := forumbot(t, "validate", "--config", f)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2", f, code)
		}
		if !strings.Contains(errOut, "problem(s) in the config") || !strings.Contains(errOut, strings.TrimSpace(first[len(first)-1])) {
			t.Errorf("%s: stderr lacks %q:\n%s", f, first[len(first)-1], errOut)
		}
	}
}

func TestImportOGP(t *testing.T) {
	out := filepath.Join(t.TempDir(), "plan.yaml")
	// The sample holds 37 action plans: they are listed, not merged.
	code, stdout, stderr := forumbot(t, "import-ogp", "../../testdata/ogp-commitments-sample.csv", "--out", out)
	for _, want := range []string{"action plans found (37):", "\n  AP_PHSC01  South Cotabato, Philippines  2 commitments  2018-08-31 to 2020-08-31\n",
		"the rows hold 37 action plans", "import again with --plan ID"} {
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("import without --plan: exit %d, stderr lacks %q:\n%s", code, want, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil || stdout != "" {
		t.Errorf("import without --plan wrote %s (%v) or printed %q", out, err, stdout)
	}
	code, stdout, stderr = forumbot(t, "import-ogp", "../../testdata/ogp-commitments-sample.csv", "--locality", "scotland", "--plan", "AP_GBSC02", "--out", out)
	if code != 0 || !strings.Contains(stdout, "wrote 1 commitment(s)") || !strings.Contains(stderr, "\n* AP_GBSC02  Scotland") || !strings.Contains(stderr, "\n  AP_GBSC01  Scotland") {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		`note: forum scotland-united-kingdom: timezone Europe/London (proposed from "Scotland, United Kingdom"; review)`,
		`note: ../../testdata/ogp-commitments-sample.csv: row 6, column "Full Text": the milestone table of SCO0006 (headed "Milestone") was not read`,
		`warning: ../../testdata/ogp-commitments-sample.csv: row 6, column "Full Text": 8 e-mail addresses and 1 phone number removed`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("import: stderr lacks %q:\n%s", want, stderr)
		}
	}
	if data, err := os.ReadFile(out); err != nil || !strings.Contains(string(data), `timezone: Europe/London # proposed from "Scotland, United Kingdom"; review`) {
		t.Errorf("import: the YAML does not note the proposed time zone (%v):\n%s", err, data)
	}
	// The import's placeholder addresses are for the demo: serve refuses
	// them, and so does validate, until they are replaced.
	code, stdout, stderr = forumbot(t, "validate", "--config", out)
	if code != 2 || !strings.Contains(stderr, "local: addresses (such as the placeholders import-ogp writes)") {
		t.Errorf("validate the import: exit %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = forumbot(t, "import-ogp", "../../testdata/ogp-commitments-sample.csv", "--locality", "Atlantis")
	if code != 2 || !strings.Contains(stderr, "Atlantis") {
		t.Errorf("no matching rows: exit %d\n%s", code, stderr)
	}
	if code, _, _ := forumbot(t, "import-ogp", "no-such.csv"); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
}

// TestDigestExportBackup runs the demo keeping its database, then reads it
// back with the operator's commands.
func TestDigestExportBackup(t *testing.T) {
	dir, cfgPath := keptDemo(t)
	code, out, errOut := forumbot(t, "digest", "--config", cfgPath, "--forum", "cotabato", "--format", "json")
	if code != 0 {
		t.Fatalf("digest: %d %s", code, errOut)
	}
	var d struct {
		Period      string
		Commitments []struct{ ID string }
		Response    struct {
			Overall struct{ Answered, Expected int }
		}
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || d.Period != "2026-11" || len(d.Commitments) != 5 || d.Response.Overall.Expected != 17 {
		t.Errorf("digest json: %+v %v\n%s", d, err, out)
	}
	code, out, _ = forumbot(t, "digest", "--config", cfgPath, "--forum", "cotabato", "--period", "2026-11", "--format", "markdown")
	if code != 0 || !strings.Contains(out, "# South Cotabato Multistakeholder Forum: implementation digest, November 2026") {
		t.Errorf("markdown digest of November: %d\n%s", code, out)
	}
	code, _, errOut = forumbot(t, "digest", "--config", cfgPath, "--forum", "cotabato", "--period", "2019-11")
	if code != 2 || !strings.Contains(errOut, "no round was held in November 2019; rounds: 2026-10, 2026-11") {
		t.Errorf("digest of November 2019, when no round was held: exit %d, %q", code, errOut)
	}
	code, out, _ = forumbot(t, "export", "--config", cfgPath, "--forum", "cotabato", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) < 15 || rows[0][0] != "forum" {
		t.Fatalf("export csv: %d %v, %d rows", code, err, len(rows))
	}
	versions := 0
	for _, r := range rows[1:] {
		if r[2] == "COT0005" && r[3] == "slack:U0GOV0501" {
			versions++
		}
	}
	if versions != 2 {
		t.Errorf("export keeps %d versions of Vicente's COT0005 answer, want 2 (the answer and its edit)", versions)
	}
	// Written a month at a time, the export still holds every stored
	// version, months in order.
	fd, err := openForum(cfgPath, "cotabato", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := fd.db.Updates(context.Background(), bot.UpdateFilter{ForumID: "cotabato"})
	fd.db.Close()
	if err != nil || len(stored) != len(rows)-1 {
		t.Errorf("export csv has %d rows, the store %d updates (%v)", len(rows)-1, len(stored), err)
	}
	months := map[string]bool{}
	for i, r := range rows[1:] {
		months[r[1]] = true
		if i > 0 && r[1] < rows[i][1] {
			t.Errorf("export row %d of %s after one of %s", i+1, r[1], rows[i][1])
		}
	}
	if len(months) != 2 {
		t.Errorf("export covers months %v, want the demo's two rounds", months)
	}
	code, out, _ = forumbot(t, "export", "--config", cfgPath, "--forum", "cotabato", "--format", "json")
	var exported []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &exported) != nil || len(exported) != len(rows)-1 {
		t.Errorf("export json: %d, %d records, want %d", code, len(exported), len(rows)-1)
	}
	backup := filepath.Join(dir, "backup.db")
	if code, _, errOut := forumbot(t, "backup", "--config", cfgPath, backup); code != 0 {
		t.Fatalf("backup: %d %s", code, errOut)
	}
	if code, _, errOut := forumbot(t, "backup", "--config", cfgPath, backup); code != 2 || !strings.Contains(errOut, "exists") {
		t.Errorf("backup over an existing file: %d %s", code, errOut)
	}
}

func TestUsageErrorsAndHelp(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"validate"}, {"digest", "--config", "../../configs/example.yaml", "--format", "pdf"}, {"export", "--config", "../../configs/example.yaml", "--forum", "nowhere"}, {"backup", "--config", "../../configs/example.yaml"}, {"validate", "--bogus"}} {
		if code, _, _ := forumbot(t, args...); code != 2 {
			t.Errorf("forumbot %v: exit %d, want 2", args, code)
		}
	}
	for _, cmd := range []string{"demo", "serve", "validate", "digest", "export", "report", "import-ogp", "backup", "verify"} {
		code, out, _ := forumbot(t, cmd, "--help")
		if code != 0 || !strings.Contains(out, "Usage: forumbot "+cmd) {
			t.Errorf("%s --help: exit %d\n%s", cmd, code, out)
		}
	}
	if code, out, _ := forumbot(t, "import-ogp", "--help"); code != 0 || !strings.Contains(out, "when the rows hold several and --plan\ndoes not choose one") || !strings.Contains(out, "  -plan ID\n") {
		t.Errorf("import-ogp --help: exit %d\n%s", code, out)
	}
	if code, out, _ := forumbot(t, "help"); code != 0 || !strings.Contains(out, "import-ogp") {
		t.Errorf("help: %d %s", code, out)
	}
}

func TestReport(t *testing.T) {
	_, cfgPath := keptDemo(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "markdown"}, "# South Cotabato Multistakeholder Forum: implementation report, September 2024 to"},
		{[]string{"--format", "markdown", "--from", "2026-10", "--to", "2026-11", "--locale", "en"}, "implementation report, October 2026 to November 2026"},
		{[]string{"--format", "html", "--from", "2026-10", "--to", "2026-11"}, `<svg xmlns="http://www.w3.org/2000/svg"`},
		{[]string{"--format", "csv"}, "commitment,title,lead_agency"},
		{[]string{"--format", "json", "--from", "2026-10"}, `"from": "2026-10"`},
	} {
		code, out, errOut := forumbot(t, append([]string{"report", "--config", cfgPath, "--forum", "cotabato"}, tt.args...)...)
		if code != 0 || !strings.Contains(out, tt.want) {
			t.Errorf("report %v: exit %d, output lacks %q\n%s", tt.args, code, tt.want, errOut)
		}
	}
	for _, bad := range [][]string{{"--format", "pdf"}, {"--from", "2026-13"}, {"--from", "2026-11", "--to", "2026-10"}, {"--locale", "de"}} {
		if code, _, _ := forumbot(t, append([]string{"report", "--config", cfgPath, "--forum", "cotabato"}, bad...)...); code != 2 {
			t.Errorf("report %v: exit %d, want 2", bad, code)
		}
	}
}

func TestDiscordInviteURL(t *testing.T) {
	code, out, errOut := forumbot(t, "discord", "invite-url", "--config", "../../configs/example.yaml")
	if code != 0 || !strings.Contains(out, "https://discord.com/oauth2/authorize?client_id=1180000000000000001&permissions=84992&scope=bot+applications.commands") {
		t.Errorf("invite-url: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := forumbot(t, "discord", "invite-url", "--config", "../../testdata/config/bad-date.yaml"); code != 2 {
		t.Errorf("invite-url with a broken config: exit %d, want 2", code)
	}
	if code, _, _ := forumbot(t, "discord"); code != 2 {
		t.Errorf("discord without a subcommand: exit %d, want 2", code)
	}
}

// TestDiscordInviteURLEndpoint: with interactions: endpoint, invite-url
// also says where the Interactions Endpoint URL is to be set, with the
// configured path; over the gateway it says nothing of it.
func TestDiscordInviteURLEndpoint(t *testing.T) {
	example, err := os.ReadFile("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := strings.Replace(string(example), "  # interactions: endpoint ", "  interactions: endpoint\n  public_key: "+strings.Repeat("ab", 32)+"\n  interactions_path: /hooks/discord\n  # ", 1)
	if endpoint == string(example) {
		t.Fatal("configs/example.yaml no longer shows interactions: endpoint")
	}
	path := writeConfig(t, t.TempDir(), "endpoint.yaml", endpoint)
	code, out, errOut := forumbot(t, "discord", "invite-url", "--config", path)
	if code != 0 || !strings.Contains(out, "Interactions Endpoint URL to https://<your host>/hooks/discord") {
		t.Errorf("invite-url with interactions: endpoint: exit %d\n%s%s", code, out, errOut)
	}
	if _, out, _ := forumbot(t, "discord", "invite-url", "--config", "../../configs/example.yaml"); strings.Contains(out, "Interactions Endpoint URL") {
		t.Errorf("invite-url over the gateway mentions the endpoint:\n%s", out)
	}
}
