-- forumbot schema v11 (PostgreSQL): a member's event id is unique within
-- the round, where every event resolves (store/sqlite's 0012 says why).
-- Every database of v10 satisfies the new index, as its ids were unique
-- per member across rounds.

DROP INDEX updates_member_event;
CREATE UNIQUE INDEX updates_member_event ON updates (round_id, member, event_id) WHERE event_id IS NOT NULL;
