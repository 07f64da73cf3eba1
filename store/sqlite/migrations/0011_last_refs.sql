-- forumbot schema v11. The last message each person was sent (what the
-- sender reads to replace or refer to it) is kept in a table of one row
-- per recipient, written by the update that marks an entry sent, instead
-- of an index of every message ever sent keyed by recipient: on two years
-- of history each mark landed on a page of that index of its own, and a
-- round's commits wrote and synced that many more pages
-- (docs/BENCHMARKS.md, "Reading the file"). The outbox stays the record;
-- this table is derived from it, and a test rebuilds and compares it.

CREATE TABLE last_refs (
    recipient TEXT    NOT NULL PRIMARY KEY,
    outbox_id INTEGER NOT NULL,
    ref       TEXT    NOT NULL
) WITHOUT ROWID;

INSERT INTO last_refs (recipient, outbox_id, ref)
    SELECT recipient, MAX(id), ref FROM outbox WHERE ref <> '' GROUP BY recipient;

-- A sent entry's reference becomes its recipient's last unless a later
-- entry's is already there (marks of a batch commit in any order).
CREATE TRIGGER last_refs_sent AFTER UPDATE OF ref ON outbox
WHEN NEW.ref <> '' AND NEW.ref IS NOT OLD.ref
BEGIN
    INSERT INTO last_refs (recipient, outbox_id, ref) VALUES (NEW.recipient, NEW.id, NEW.ref)
    ON CONFLICT (recipient) DO UPDATE SET outbox_id = excluded.outbox_id, ref = excluded.ref
        WHERE excluded.outbox_id >= last_refs.outbox_id;
END;

-- An entry readdressed (an asker's address forgotten) moves with its
-- reference: its old recipient's row is found again among what is left
-- (a scan of the outbox, which has no index by recipient any more; a rare
-- maintenance write), and the new recipient's row takes it if later.
CREATE TRIGGER last_refs_readdressed AFTER UPDATE OF recipient ON outbox
WHEN NEW.recipient IS NOT OLD.recipient
BEGIN
    DELETE FROM last_refs WHERE recipient = OLD.recipient AND outbox_id = OLD.id;
    INSERT INTO last_refs (recipient, outbox_id, ref)
        SELECT recipient, id, ref FROM outbox
        WHERE recipient = OLD.recipient AND ref <> '' AND NOT EXISTS (SELECT 1 FROM last_refs WHERE recipient = OLD.recipient)
        ORDER BY id DESC LIMIT 1;
    INSERT INTO last_refs (recipient, outbox_id, ref) SELECT NEW.recipient, NEW.id, NEW.ref WHERE NEW.ref <> ''
    ON CONFLICT (recipient) DO UPDATE SET outbox_id = excluded.outbox_id, ref = excluded.ref
        WHERE excluded.outbox_id >= last_refs.outbox_id;
END;

DROP INDEX outbox_recipient;
