-- forumbot schema v5: the messages each recipient was sent, newest first
-- (store/sqlite's 0005).

CREATE INDEX outbox_recipient ON outbox (recipient, id DESC) INCLUDE (ref) WHERE ref <> '';

-- Who was prompted in a round, read from the index alone.
DROP INDEX outbox_round;
CREATE INDEX outbox_round ON outbox (round_id, kind, recipient, state);
