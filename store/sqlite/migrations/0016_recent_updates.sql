-- forumbot schema v16. A commitment's last versions, for the status
-- reply, are kept in a table of their own, ten a commitment, in place of
-- the index of every version by commitment, updates_commitment. That
-- index put each commitment's versions of every month side by side: once
-- a commitment's versions filled more than a leaf, a round's answers
-- across a forum's commitments each wrote a leaf of their own in it, and a
-- burst of answers on a year of history wrote half as many pages again as
-- on one month (docs/BENCHMARKS.md, "A commitment's last versions"). Ten
-- a commitment fit a forum's commitments in a few leaves, whatever the
-- history.
--
-- RecentUpdates reads this table for up to ten versions (the status reply
-- asks for three) and the record itself for more. The record stays the
-- source of truth: the derived-table tests compare what RecentUpdates
-- returns with the record's versions, and this migration fills the table
-- from them.

CREATE TABLE recent_updates (
    forum_id      TEXT    NOT NULL,
    commitment_id TEXT    NOT NULL,
    id            INTEGER NOT NULL,
    PRIMARY KEY (forum_id, commitment_id, id)
) WITHOUT ROWID;

INSERT INTO recent_updates (forum_id, commitment_id, id)
SELECT forum_id, commitment_id, id FROM (
    SELECT forum_id, commitment_id, id, row_number() OVER (PARTITION BY forum_id, commitment_id ORDER BY id DESC) AS newest
    FROM updates)
WHERE newest <= 10;

DROP INDEX updates_commitment;

-- Each version stored joins its commitment's last ten and pushes out the
-- eleventh; a commitment with fewer keeps them all (the subquery is NULL).
CREATE TRIGGER updates_recent AFTER INSERT ON updates
BEGIN
    INSERT INTO recent_updates (forum_id, commitment_id, id) VALUES (NEW.forum_id, NEW.commitment_id, NEW.id);
    DELETE FROM recent_updates
    WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id
      AND id < (SELECT id FROM recent_updates
                WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id
                ORDER BY id DESC LIMIT 1 OFFSET 9);
END;
