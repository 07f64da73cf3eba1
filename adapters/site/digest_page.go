package site

import (
	"context"
	"strconv"

	"forumbot/bot"
)

// digestsPage is a forum's archive of digests: one per closed round, each
// with its permalink.
type digestsPage struct {
	Layout
	Name   string
	Rounds roundsTable
}

func (s *Site) digestsPage(ctx context.Context, path, lang string, sn *snapshot) (any, error) {
	d, err := s.load(ctx, sn)
	if err != nil {
		return nil, err
	}
	f := sn.pub.Forum
	base := "forums/" + f.ID + "/"
	v := &digestsPage{Layout: s.forumLayout(path, lang, base+"digests/", sn.pub), Name: f.Name}
	l := &v.Layout
	t := l.t
	l.Title = t.T("site.digests.title", "Forum", f.Name)
	l.dataLinks("data/forums/" + f.ID + "/digests")
	var rounds []bot.Round
	_, v.Rounds, rounds = roundRows(l, lang, base, sn, d.report)
	v.Rounds.Caption = l.Title
	v.Rounds.Heads = append([]string{t.T("site.digests.closed")}, v.Rounds.Heads...)
	for i, r := range rounds {
		row := &v.Rounds.Rows[i]
		row.Cells = append([]string{t.Date(bot.DateOf(r.ClosedAt.In(f.Location)))}, row.Cells...)
	}
	return v, nil
}

// digestPage is the permalink of one round's digest, computed as the
// digest is, with the record as it stands (corrections included).
type digestPage struct {
	Layout
	Heading    string
	Closed     string
	Response   *responseView
	Cards      []card
	Prev, Next *link
}

func (s *Site) digestPage(ctx context.Context, path, lang string, sn *snapshot, p bot.Period) (any, error) {
	dd, err := s.digest(ctx, sn, p)
	if err != nil {
		return nil, err
	}
	f := sn.pub.Forum
	base := "forums/" + f.ID + "/"
	v := &digestPage{Layout: s.forumLayout(path, lang, base+"digests/"+p.String()+"/", sn.pub)}
	l := &v.Layout
	t := l.t
	l.Crumbs = append(l.Crumbs, link{Label: t.T("site.forum.archive"), Href: l.Root + lang + "/" + base + "digests/"})
	v.Heading = t.T("digest.header", "Forum", f.Name, "Period", t.Period(p))
	l.Title = v.Heading
	l.dataLinks("data/forums/" + f.ID + "/digests/" + p.String())
	r, _ := sn.closedRound(p)
	v.Closed = t.T("site.digest.closed", "Date", t.Date(bot.DateOf(r.ClosedAt.In(f.Location))))
	v.Response = newResponse(l, dd)
	for i := range dd.Commitments {
		c := &dd.Commitments[i]
		v.Cards = append(v.Cards, newCard(l, sn.pub, dd.HasRound, p, c, l.Root+lang+"/"+base+"commitments/"+c.Commitment.ID+"/", true))
	}
	for i, cr := range sn.closed {
		if cr.Period != p {
			continue
		}
		if i > 0 {
			q := sn.closed[i-1].Period
			v.Prev = &link{Label: t.T("site.digest.prev", "Period", t.Period(q)), Href: l.Root + lang + "/" + base + "digests/" + q.String() + "/"}
		}
		if i+1 < len(sn.closed) {
			q := sn.closed[i+1].Period
			v.Next = &link{Label: t.T("site.digest.next", "Period", t.Period(q)), Href: l.Root + lang + "/" + base + "digests/" + q.String() + "/"}
		}
	}
	return v, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
