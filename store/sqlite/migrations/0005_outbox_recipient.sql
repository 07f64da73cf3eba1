-- forumbot schema v5. The messages each recipient was sent, newest first:
-- an adapter may reuse the conversation of the last one (Slack's direct
-- message channel) instead of opening it again after a restart.

CREATE INDEX outbox_recipient ON outbox (recipient, id, ref) WHERE ref <> '';

-- Who was prompted in a round, read from the index alone.
DROP INDEX outbox_round;
CREATE INDEX outbox_round ON outbox (round_id, kind, recipient, state);
