package bot

import (
	"context"
	"time"
)

// Notice is a message the bot sends a forum's coordinators about what it
// did, or did not do, on its own: a round opened late after downtime, a
// round it could not open. Notices go through the outbox like digests;
// Key makes each one be sent once.
type Notice struct {
	ID        int64
	Key       string
	ForumID   string
	CreatedAt time.Time
	Message   Message
}

// notify stores a notice to forum f's coordinators under key, with text in
// the forum's locale, unless it was stored before; it reports whether it
// was new. Callers log what they notice only when it is new, so that a
// condition a tick finds again and again is logged and told once.
func (e *Engine) notify(ctx context.Context, f *Forum, key, text string, now time.Time) (bool, error) {
	t := e.Texts(f.Locale)
	n := Notice{
		Key: key, ForumID: f.ID, CreatedAt: now,
		Message: Message{Header: t.T("notice.header", "Forum", f.Name), Text: text},
	}
	added, err := e.store.AddNotice(ctx, n, f.Coordinators)
	if added {
		e.kick()
	}
	return added, err
}
