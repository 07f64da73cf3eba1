-- forumbot schema v6. An update's event id is unique per member, not
-- across members: a platform's event or request id identifies what one
-- person did, and another person's update that happens to carry the same
-- id is theirs, never the first person's answer returned to them. Every
-- database of v5 satisfies the new index, as its ids were unique overall.

DROP INDEX updates_event;
CREATE UNIQUE INDEX updates_member_event ON updates (member, event_id) WHERE event_id IS NOT NULL;
