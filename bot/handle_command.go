package bot

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

func (e *Engine) onCommand(ctx context.Context, ev Event) Response {
	t := e.textsFor(ev.From)
	today := DateOf(e.now())
	if f := e.homeForum(ev.From); f != nil {
		today = DateOf(e.now().In(f.Location))
	}
	cmd, err := ParseCommand(ev.Text, today, e.localesOf(ev.From))
	if err != nil {
		var ce *CommandError
		if errors.As(err, &ce) {
			return Response{Error: t.CommandError(ce, today) + "\n" + t.T("cmd.see_help")}
		}
		return Response{Error: t.T("err.store")}
	}
	if actsOnce(cmd.Name) {
		return e.once(ctx, t, ev, cmd.Name, func() Response { return e.runCommand(ctx, t, ev, cmd, today) })
	}
	return e.runCommand(ctx, t, ev, cmd, today)
}

// runCommand carries out a parsed command.
func (e *Engine) runCommand(ctx context.Context, t Texts, ev Event, cmd Command, today Date) Response {
	switch cmd.Name {
	case CmdStatus:
		return e.cmdStatus(ctx, t, ev, cmd)
	case CmdDigest:
		return e.cmdDigest(ctx, t, ev, cmd)
	case CmdUpdate:
		return e.cmdUpdate(ctx, t, ev, cmd)
	case CmdRound:
		return e.cmdRound(ctx, t, ev, cmd)
	case CmdAway, CmdBack:
		return e.cmdAway(ctx, t, ev, cmd)
	case CmdQuestions:
		return e.cmdQuestions(ctx, t, ev, cmd)
	case CmdMove:
		return e.cmdMove(ctx, t, ev, cmd)
	}
	return Response{Reply: e.help(t, ev.From, cmd.Topic, today)}
}

// localesOf returns the locales in which to read what who types: their own
// (as a member), then their forums', in the order of the configuration.
// English, always read, need not be listed.
func (e *Engine) localesOf(who Address) []string {
	var out []string
	for _, f := range e.forums {
		if m, ok := f.Member(who); ok && m.Locale != "" {
			out = append(out, m.Locale)
		}
	}
	for _, f := range e.forums {
		if _, ok := f.Member(who); ok || f.IsCoordinator(who) || f.IsOfficial(who) {
			out = append(out, f.Locale)
		}
	}
	return out
}

// homeForum returns the first forum in which who has any role.
func (e *Engine) homeForum(who Address) *Forum {
	for _, f := range e.forums {
		if _, ok := f.Member(who); ok || f.IsCoordinator(who) || f.IsOfficial(who) {
			return f
		}
	}
	return nil
}

// canSeeStatus applies status_visibility: everyone in the workspace, or the
// forum's coordinators, officials and committee members.
func (e *Engine) canSeeStatus(f *Forum, who Address) bool {
	if f.StatusVisibility == VisibilityWorkspace {
		return true
	}
	_, member := f.Member(who)
	return member || f.IsCoordinator(who) || f.IsOfficial(who)
}

// findCommitment looks a commitment up across forums (or in one), and when
// it does not exist explains so, suggesting the closest ids the caller may
// see.
func (e *Engine) findCommitment(t Texts, who Address, id, forumID string) (*Forum, *Commitment, string) {
	var ids []string
	for _, f := range e.forums {
		if forumID != "" && f.ID != forumID {
			continue
		}
		if c, ok := f.Plan.Commitment(id); ok {
			return f, c, ""
		}
		if e.canSeeStatus(f, who) {
			for _, c := range f.Plan.Commitments {
				ids = append(ids, c.ID)
			}
		}
	}
	if forumID != "" {
		if _, ok := e.byID[forumID]; !ok {
			return nil, nil, e.noForum(t, who, forumID)
		}
	}
	if s := Closest(id, ids, 3); len(s) > 0 {
		return nil, nil, t.T("cmd.err.no_commitment_suggest", "Value", echoInput(id), "List", strings.Join(s, ", "))
	}
	return nil, nil, t.T("cmd.err.no_commitment", "Value", echoInput(id))
}

// noForum says there is no forum id, listing the forums in which who has a
// role: none to a stranger, who learns no forum's id.
func (e *Engine) noForum(t Texts, who Address, id string) string {
	var ids []string
	for _, f := range e.forums {
		if _, member := f.Member(who); member || f.IsCoordinator(who) || f.IsOfficial(who) {
			ids = append(ids, f.ID)
		}
	}
	if len(ids) == 0 {
		return t.T("cmd.err.no_forum_unlisted", "Value", echoInput(id))
	}
	return t.T("cmd.err.no_forum", "Value", echoInput(id), "List", strings.Join(ids, ", "))
}

func (e *Engine) cmdStatus(ctx context.Context, t Texts, ev Event, cmd Command) Response {
	f, c, problem := e.findCommitment(t, ev.From, cmd.Target, cmd.Forum)
	if problem != "" {
		return Response{Error: problem}
	}
	if !e.canSeeStatus(f, ev.From) {
		return Response{Error: t.T("cmd.err.status_forbidden", "Forum", f.Name)}
	}
	in, _, err := e.loadDigestInput(ctx, f, e.currentPeriod(ctx, f), nil, c.ID)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	recent, err := e.store.RecentUpdates(ctx, f.ID, c.ID, 3)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	msg := renderStatus(t, statusInput{Commitment: c, Digest: buildDigest(in), Recent: recent})
	return Response{Reply: &msg}
}

// currentPeriod is the period of the forum's latest round, or the calendar
// month in the forum's time zone if it has none.
func (e *Engine) currentPeriod(ctx context.Context, f *Forum) Period {
	rounds, err := e.store.Rounds(ctx, f.ID)
	if err == nil && len(rounds) > 0 {
		return rounds[len(rounds)-1].Period
	}
	return PeriodOf(e.now().In(f.Location))
}

// planSpan writes a plan's dates, "1 Jan 2019 to 30 Jun 2020", with "…"
// for a date not set.
func planSpan(t Texts, p Plan) string {
	start, end := t.Date(p.Start), t.Date(p.End)
	if start == "" {
		start = "…"
	}
	if end == "" {
		end = "…"
	}
	return t.T("report.plan_dates", "Start", start, "End", end)
}

// noRoundText says in t's language that no round was held in p, and lists
// the rounds there were.
func (e *Engine) noRoundText(ctx context.Context, t Texts, f *Forum, p Period) string {
	rounds, err := e.store.Rounds(ctx, f.ID)
	if err != nil {
		return e.storeError(t, err, "err.store")
	}
	if len(rounds) == 0 {
		return t.T("cmd.err.no_round_held_none", "Period", t.Period(p))
	}
	return t.T("cmd.err.no_round_held", "Period", t.Period(p), "List", strings.Join(roundPeriods(rounds), ", "))
}

// coordinatedForum resolves the forum a coordinator's command is about: the
// one named, the one a commitment belongs to, or their only forum.
func (e *Engine) coordinatedForum(t Texts, who Address, forumID, commitmentID string) (*Forum, string) {
	if forumID == "" && commitmentID != "" {
		if f, ok := e.byID[commitmentID]; ok {
			forumID = f.ID
		}
	}
	var f *Forum
	switch {
	case forumID != "":
		found, ok := e.byID[forumID]
		if !ok {
			return nil, e.noForum(t, who, forumID)
		}
		f = found
	case commitmentID != "":
		found, _, problem := e.findCommitment(t, who, commitmentID, "")
		if problem != "" {
			return nil, problem
		}
		f = found
	default:
		var mine []string
		for _, g := range e.forums {
			if g.IsCoordinator(who) {
				mine = append(mine, g.ID)
				f = g
			}
		}
		if len(mine) > 1 {
			return nil, t.T("cmd.err.which_forum", "List", strings.Join(mine, ", "))
		}
		if f == nil {
			// Not a coordinator: name the forum they belong to in the refusal.
			f = e.homeForum(who)
		}
	}
	if f == nil {
		return nil, t.T("cmd.err.coordinators_only_any")
	}
	if !f.IsCoordinator(who) {
		return nil, t.T("cmd.err.coordinators_only", "Forum", f.Name)
	}
	return f, ""
}

func (e *Engine) cmdDigest(ctx context.Context, t Texts, ev Event, cmd Command) Response {
	f, problem := e.coordinatedForum(t, ev.From, cmd.Forum, cmd.Target)
	if problem != "" {
		return Response{Error: problem}
	}
	only := ""
	if cmd.Target != "" && cmd.Target != f.ID {
		c, ok := f.Plan.Commitment(cmd.Target)
		if !ok {
			_, _, problem := e.findCommitment(t, ev.From, cmd.Target, f.ID)
			return Response{Error: problem}
		}
		only = c.ID
	}
	p := cmd.Period
	if p.IsZero() {
		p = e.currentPeriod(ctx, f)
	}
	msg, err := e.digestMessage(ctx, f, p, nil, only)
	if ErrorCode(err) == ENOTFOUND {
		return Response{Error: e.noRoundText(ctx, t, f, p)}
	}
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	now := e.now()
	key := fmt.Sprintf("digest/%s/%s/%s/cmd/%s", f.ID, p, only, ev.ID)
	if ev.ID == "" {
		key = fmt.Sprintf("digest/%s/%s/%s/cmd/%d", f.ID, p, only, now.UnixNano())
	}
	if _, err := e.store.AddDigest(ctx, Digest{
		ForumID: f.ID, CommitmentID: only, Period: p, CreatedAt: now, Channel: f.DigestChannel, Message: msg,
	}, key); err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	e.kick()
	return Response{Reply: &Message{Text: t.T("cmd.digest.queued", "Period", t.Period(p), "Channel", string(f.DigestChannel))}}
}

func (e *Engine) cmdUpdate(ctx context.Context, t Texts, ev Event, cmd Command) Response {
	type mine struct {
		f *Forum
		c *Commitment
	}
	var all []mine
	for _, f := range e.forums {
		for _, c := range f.CommitmentsOf(ev.From) {
			if cmd.Target == "" || strings.EqualFold(c.ID, cmd.Target) {
				all = append(all, mine{f, c})
			}
		}
	}
	if len(all) == 0 {
		if cmd.Target == "" {
			return Response{Error: t.T("cmd.err.not_member")}
		}
		_, c, problem := e.findCommitment(t, ev.From, cmd.Target, "")
		if problem != "" {
			return Response{Error: problem}
		}
		return Response{Error: t.T("err.not_on_committee", "ID", c.ID)}
	}
	f := all[0].f
	rounds, err := e.store.Rounds(ctx, f.ID)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	if len(rounds) == 0 {
		if next := e.NextRound(f, e.now()); !next.IsZero() {
			return Response{Error: t.T("cmd.err.no_round", "When", t.Time(next.In(f.Location)))}
		}
		return Response{Error: t.T("cmd.err.no_round_plan_over", "End", t.Date(f.Plan.End))}
	}
	r := rounds[len(rounds)-1]
	m, _ := f.Member(ev.From)
	if len(all) == 1 {
		form, err := e.formFor(ctx, f, r, all[0].c, m)
		if err != nil {
			return Response{Error: e.storeError(t, err, "err.store")}
		}
		return Response{Form: &form}
	}
	in, err := e.promptInput(ctx, f, r, m)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	msg := renderPrompt(t, in)
	return Response{Reply: &msg}
}

func (e *Engine) cmdAway(ctx context.Context, t Texts, ev Event, cmd Command) Response {
	var forums []*Forum
	for _, f := range e.forums {
		if _, ok := f.Member(ev.From); ok {
			forums = append(forums, f)
		}
	}
	if len(forums) == 0 {
		return Response{Error: t.T("cmd.err.not_member")}
	}
	if err := e.store.SetAway(ctx, ev.From, cmd.Until); err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	if cmd.Name == CmdAway {
		return Response{Reply: &Message{Text: t.T("cmd.away.set", "Date", t.Date(cmd.Until))}}
	}
	// Back: prompt for any open round the member was excused from.
	rounds, err := e.store.OpenRounds(ctx)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	now := e.now()
	for _, r := range rounds {
		f, ok := e.byID[r.ForumID]
		if !ok || !contains(forums, f) {
			continue
		}
		m, _ := f.Member(ev.From)
		d, _ := e.promptFor(f, r, m, Date{}, now)
		d.RoundID = r.ID
		if _, err := e.store.Enqueue(ctx, []Delivery{d}); err != nil {
			return Response{Error: e.storeError(t, err, "err.store")}
		}
	}
	e.kick()
	return Response{Reply: &Message{Text: t.T("cmd.away.back")}}
}

// help lists the commands the caller may use, or explains one. Its
// examples are dates two weeks after today.
func (e *Engine) help(t Texts, who Address, topic string, today Date) *Message {
	coordinator, member, status := false, false, false
	for _, f := range e.forums {
		_, m := f.Member(who)
		member = member || m
		coordinator = coordinator || f.IsCoordinator(who)
		status = status || e.canSeeStatus(f, who)
	}
	msg := &Message{Header: t.T("help.header")}
	example := t.Date(awayExample(today))
	for _, name := range CommandNames {
		if topic != "" && string(name) != topic {
			continue
		}
		allowed := true
		switch name {
		case CmdStatus:
			allowed = status
		case CmdDigest, CmdRound, CmdMove:
			allowed = coordinator
		case CmdQuestions:
			allowed = status
		case CmdUpdate, CmdAway, CmdBack:
			allowed = member
		}
		line := t.T("help."+string(name), "Command", "/forum", "Date", example)
		if !allowed {
			line += " " + t.T("help.not_for_you")
		}
		msg.Sections = append(msg.Sections, Section{Text: line})
	}
	if topic != "" && len(msg.Sections) == 0 {
		msg.Text = t.T("cmd.err.unknown", "Command", echoInput(topic))
	}
	msg.Footer = t.T("help.footer")
	if list := commandWords(t.Locale()); len(list) > 0 {
		msg.Footer += "\n" + t.T("help.words", "List", strings.Join(list, ", "))
	}
	return msg
}

// Closest returns up to n of candidates nearest to s (edit distance, case
// ignored), nearest first, leaving out any that are hardly alike.
func Closest(s string, candidates []string, n int) []string {
	type scored struct {
		id   string
		dist int
	}
	var all []scored
	ls := strings.ToLower(s)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := editDistance(ls, lc)
		if strings.HasPrefix(lc, ls) || strings.HasPrefix(ls, lc) {
			d = min(d, 1)
		}
		if d <= max(2, len(ls)/3) {
			all = append(all, scored{c, d})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].dist < all[j].dist })
	var out []string
	for _, s := range all {
		if len(out) == n {
			break
		}
		out = append(out, s.id)
	}
	return out
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
