-- forumbot schema v6: an update's event id is unique per member, not
-- across members (store/sqlite's 0006).

DROP INDEX updates_event;
CREATE UNIQUE INDEX updates_member_event ON updates (member, event_id) WHERE event_id IS NOT NULL;
