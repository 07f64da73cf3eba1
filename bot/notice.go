package bot

import "time"

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
