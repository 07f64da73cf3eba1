package bot_test

import (
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

func command(t *testing.T, h *harness, who, text string) bot.Response {
	t.Helper()
	resp, err := h.person(who).Command(h.ctx, text)
	if err != nil {
		t.Fatalf("%s: /forum %s: %v", who, text, err)
	}
	return resp
}

func TestCommandPermissions(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	tests := []struct {
		who, text string
		refused   string // substring of the refusal, "" when allowed
	}{
		{"local:mayor", "status C1", ""},
		{"local:coord", "status c1", ""},
		{"local:cs2", "status C1", ""}, // a member of the forum, on another committee
		{"local:stranger", "status C1", "open to its coordinators, officials and committee members"},
		{"local:gov1", "digest", "Only the coordinators of Test Forum"},
		{"local:stranger", "digest", "you coordinate no forum"},
		{"local:mayor", "round close", "Only the coordinators"},
		{"local:coord", "digest C1", ""},
		{"local:coord", "digest nosuch", `no commitment "nosuch"`},
		{"local:cs1", "update C2", "not on the committee of C2"},
		{"local:stranger", "away 2026-12-01", "not on any committee"},
		{"local:mayor", "status C7", `There is no commitment "C7". Did you mean C1, C2, C3?`},
		{"local:mayor", "status X", `There is no commitment "X".`},
		{"local:coord", "round open", "already open"},
		{"local:coord", "round bogus", "is not a round action"},
	}
	for _, tt := range tests {
		resp := command(t, h, tt.who, tt.text)
		switch {
		case tt.refused == "" && resp.Error != "":
			t.Errorf("%s /forum %s: refused: %s", tt.who, tt.text, resp.Error)
		case tt.refused == "" && resp.Reply == nil:
			t.Errorf("%s /forum %s: no reply", tt.who, tt.text)
		case tt.refused != "" && !strings.Contains(resp.Error, tt.refused):
			t.Errorf("%s /forum %s: got error %q, want it to say %q", tt.who, tt.text, resp.Error, tt.refused)
		}
	}
}

func TestStatusVisibilityWorkspace(t *testing.T) {
	h := newHarness(t, strings.Replace(testForum, "officials: [local:mayor]", "officials: [local:mayor]\n    status_visibility: workspace", 1), time.Time{})
	if resp := command(t, h, "local:stranger", "status C2"); resp.Error != "" || resp.Reply == nil {
		t.Errorf("workspace visibility: stranger refused: %q", resp.Error)
	}
	if resp := command(t, h, "local:stranger", "digest"); resp.Error == "" {
		t.Errorf("workspace visibility lets a stranger post a digest")
	}
}

func TestStatusReply(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	h.answer("local:gov1", "C1", "Complete", bot.FieldMilestones, "M1", bot.FieldBlockers, "Printer broke")
	h.answer("local:cs1", "C1", "Limited", bot.FieldNeeds, "resources")
	resp := command(t, h, "local:mayor", "status C1")
	text := bot.RenderText(*resp.Reply)
	for _, want := range []string{
		"C1 · Open budget", "Finance (Government)", "Watchdog (Civil society)",
		"Government: Complete (1 answer)", "Civil society: Limited (1 answer)", "disagree",
		"✓ M1 Budget published (due 15 Nov 2026), done", "✗ M2 Hearings held (due 30 Sep 2026), overdue",
		"Printer broke", "Needs resources: Watchdog", "Next round opens 1 Dec 2026, 09:00",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("status reply lacks %q:\n%s", want, text)
		}
	}
}

func TestDigestCommandPostsToTheForumChannel(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	h.answer("local:gov1", "C1", "Substantial")
	resp := command(t, h, "local:coord", "digest")
	if resp.Error != "" || resp.Reply == nil || !strings.Contains(resp.Reply.Text, "local:digest") {
		t.Fatalf("digest: %+v", resp)
	}
	h.at(2026, time.November, 1, 9, 10)
	var posted []string
	for _, s := range h.chat.All() {
		if s.Channel && s.To == "local:digest" {
			posted = append(posted, bot.RenderText(s.Message))
		}
	}
	if len(posted) != 1 || !strings.Contains(posted[0], "Government: Substantial") {
		t.Fatalf("posted digests: %q", posted)
	}
}

func TestRoundCommandsOpenCloseReopen(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 10, 12, 0) // November's scheduled window has passed
	if resp := command(t, h, "local:coord", "round open"); resp.Error != "" {
		t.Fatalf("round open: %s", resp.Error)
	}
	h.at(2026, time.November, 10, 12, 1)
	if got := len(h.counts("prompt/")); got != len(allMembers) {
		t.Fatalf("prompts after manual open: %d", got)
	}
	if resp := command(t, h, "local:coord", "round close"); resp.Error != "" {
		t.Fatalf("round close: %s", resp.Error)
	}
	if resp := command(t, h, "local:coord", "round close"); !strings.Contains(resp.Error, "already closed") {
		t.Errorf("second close: %q", resp.Error)
	}
	if resp := command(t, h, "local:coord", "round open 2026-11"); resp.Error != "" || !strings.Contains(resp.Reply.Text, "open again") {
		t.Fatalf("reopen: %+v", resp)
	}
	rs := h.rounds("f1")
	if len(rs) != 1 || rs[0].State != bot.RoundOpen {
		t.Fatalf("after reopen: %+v", rs)
	}
	// Reopening does not prompt again; closing again posts a second digest.
	h.at(2026, time.November, 17, 12, 1)
	digests := 0
	for _, s := range h.chat.All() {
		if s.Channel {
			digests++
		}
	}
	if got := h.counts("prompt/")["local:gov1"]; got != 1 || digests != 2 {
		t.Errorf("gov1 prompts %d (want 1), digests %d (want 2)", got, digests)
	}
}

func TestUpdateCommandOpensTheForm(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	if resp := command(t, h, "local:cs1", "update"); !strings.Contains(resp.Error, "No round has opened yet") {
		t.Errorf("update before any round: %q", resp.Error)
	}
	h.at(2026, time.November, 1, 9, 0)
	resp := command(t, h, "local:cs1", "update")
	if resp.Form == nil || !strings.Contains(resp.Form.Ref, ":C1") {
		t.Fatalf("update (one commitment): %+v", resp)
	}
	resp = command(t, h, "local:gov1", "update")
	if resp.Reply == nil || len(resp.Reply.Sections) != 2 {
		t.Fatalf("update (two commitments): want the prompt with both, got %+v", resp)
	}
	resp = command(t, h, "local:gov1", "update c2")
	if resp.Form == nil || !strings.HasSuffix(resp.Form.Ref, ":C2") {
		t.Fatalf("update c2: %+v", resp)
	}
}

func TestHelpListsWhatTheCallerMayDo(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	member := bot.RenderText(*command(t, h, "local:cs1", "help").Reply)
	coord := bot.RenderText(*command(t, h, "local:coord", "help").Reply)
	if !strings.Contains(member, "digest [<commitment>|all] [<YYYY-MM>]: post the implementation digest to the forum channel (coordinators). (not available to you)") {
		t.Errorf("member's help does not mark digest as unavailable:\n%s", member)
	}
	if strings.Contains(coord, "digest [<commitment>|all] [<YYYY-MM>]: post the implementation digest to the forum channel (coordinators). (not available") {
		t.Errorf("coordinator's help marks digest unavailable:\n%s", coord)
	}
	one := command(t, h, "local:cs1", "help away")
	if len(one.Reply.Sections) != 1 {
		t.Errorf("help away: %d sections, want 1", len(one.Reply.Sections))
	}
}

func TestFormValidation(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	msg := h.latest("local:gov1")
	p := h.person("local:gov1")
	resp, _ := p.Press(h.ctx, msg, "C1")
	form := *resp.Form
	if f, _ := form.Field(bot.FieldMilestones); len(f.Options) != 2 {
		t.Errorf("milestone options: %+v", f.Options)
	}
	if w := form.Texts; w.TryAgain != "Try again" || !strings.Contains(w.ChooseLevel, "Completion") || !strings.Contains(w.NotSaved, "press Try again") || w.StillSaving == "" {
		t.Errorf("the words around the form: %+v", w)
	}
	tests := []struct {
		name   string
		values map[string][]string
		errs   map[string]string // field → substring
	}{
		{"Empty", map[string][]string{}, map[string]string{bot.FieldCompletion: "required", bot.FieldProgress: "required"}},
		{"BadLevel", map[string][]string{bot.FieldCompletion: {"Great"}, bot.FieldProgress: {"x"}}, map[string]string{bot.FieldCompletion: "listed completion levels"}},
		{"BadURL", map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"x"}, bot.FieldEvidence: {"https://ok.example/a\njavascript:alert(1)"}}, map[string]string{bot.FieldEvidence: `"javascript:alert(1)" is not a link`}},
		{"TooLong", map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {strings.Repeat("é", bot.MaxProgress+1)}}, map[string]string{bot.FieldProgress: "At most 2000 characters"}},
		{"BadNeed", map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"x"}, bot.FieldNeeds: {"money"}}, map[string]string{bot.FieldNeeds: `"money" is not one of the choices`}},
		{"BadMilestone", map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"x"}, bot.FieldMilestones: {"M9"}}, map[string]string{bot.FieldMilestones: "not one of the choices"}},
	}
	for _, tt := range tests {
		resp, err := p.Submit(h.ctx, msg.Ref, form, tt.values)
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.FieldErrors) != len(tt.errs) || resp.Reply != nil {
			t.Errorf("%s: field errors %v (reply %v), want %d errors and no confirmation", tt.name, resp.FieldErrors, resp.Reply, len(tt.errs))
		}
		for field, want := range tt.errs {
			if !strings.Contains(resp.FieldErrors[field], want) {
				t.Errorf("%s: %s error %q, want %q", tt.name, field, resp.FieldErrors[field], want)
			}
		}
	}
	if us, _ := h.store.Updates(h.ctx, bot.UpdateFilter{ForumID: "f1"}); len(us) != 0 {
		t.Errorf("invalid forms stored %d updates", len(us))
	}
	// The form is pre-filled from the last answer.
	h.answer("local:gov1", "C1", "Substantial", bot.FieldBlockers, "No budget", bot.FieldNeeds, "resources")
	resp, _ = p.Press(h.ctx, h.latest("local:gov1"), "C1")
	for field, want := range map[string]string{bot.FieldCompletion: "Substantial", bot.FieldBlockers: "No budget", bot.FieldNeeds: "resources"} {
		if f, _ := resp.Form.Field(field); len(f.Initial) == 0 || f.Initial[0] != want {
			t.Errorf("pre-filled %s: %v, want %q", field, f.Initial, want)
		}
	}
}

func TestThreadReplies(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	msg := h.latest("local:cs2") // on C2 and C3
	p := h.person("local:cs2")
	resp, err := p.Reply(h.ctx, msg.Ref, "C3 Substantial: the assemblies started")
	if err != nil || !resp.React || resp.Error != "" {
		t.Fatalf("reply: %v %+v", err, resp)
	}
	if want := "Recorded C3: Substantial."; resp.Reply == nil || resp.Reply.Text != want {
		t.Errorf("reply with a level: told %+v, want %q", resp.Reply, want)
	}
	resp, _ = p.Reply(h.ctx, bot.MessageRef{}, "general note for all")
	if !resp.React {
		t.Fatalf("plain DM reply not confirmed: %+v", resp)
	}
	if want := `Noted on C2, C3. No level is recorded for C2 yet: use the button, or write "C2 substantial: …".`; resp.Reply == nil || resp.Reply.Text != want {
		t.Errorf("plain note: told %+v, want %q", resp.Reply, want)
	}
	us, _ := h.store.Updates(h.ctx, bot.UpdateFilter{ForumID: "f1", Member: "local:cs2"})
	if len(us) != 3 {
		t.Fatalf("updates: %d, want 3 (C3 with level; then a note on C2 and C3)", len(us))
	}
	c3 := us[2]
	if us[0].CommitmentID != "C3" || us[0].Completion != bot.Substantial || us[0].Note != "the assemblies started" || us[0].Source != bot.SourceThread {
		t.Errorf("first reply: %+v", us[0])
	}
	if c3.CommitmentID != "C3" || c3.Completion != bot.Substantial || c3.Note != "the assemblies started\ngeneral note for all" {
		t.Errorf("note appended to C3 keeps its level: %+v", c3)
	}
	if h.chat.Reactions("local:cs2") != 2 {
		t.Errorf("reactions: %d, want 2", h.chat.Reactions("local:cs2"))
	}
	// Someone with no prompt gets told so.
	resp, _ = h.person("local:stranger").Reply(h.ctx, bot.MessageRef{}, "hello")
	if resp.React || !strings.Contains(resp.Error, "no progress prompt") {
		t.Errorf("stranger's reply: %+v", resp)
	}
}
