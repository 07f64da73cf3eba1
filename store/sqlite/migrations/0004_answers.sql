-- forumbot schema v4. Tables derived from the record, kept in step by a
-- trigger in the same transaction as each insert into updates (which stays
-- the source of truth; TestDerivedTablesRebuildFromTheRecord compares them
-- with it), so that what a digest, a status reply, a reminder or a prompt
-- reads is bounded by the committees, not by the forum's history:
--
-- answers:      the latest version of each member's update of each
--               commitment per period, with what the figures read of it;
-- level_counts: how many of those latest versions give each completion
--               level, per commitment, stakeholder group and period (the
--               multiset a group's view is the median of);
-- standing:     each member's latest answer with a level per commitment,
--               and since when its blocker and each of its needs have been
--               carried without a break (the open flags' "since").
--
-- The definitions are the Go code's (bot/figures.go, bot/views.go,
-- bot/flags.go); TestInvariants checks that digests built from these tables
-- equal digests built from the whole record.

CREATE TABLE answers (
    forum_id      TEXT    NOT NULL,
    commitment_id TEXT    NOT NULL,
    member        TEXT    NOT NULL,
    period        TEXT    NOT NULL,
    round_id      INTEGER NOT NULL,
    update_id     INTEGER NOT NULL,
    grp           TEXT    NOT NULL,
    organisation  TEXT    NOT NULL,
    completion    TEXT    NOT NULL,
    blockers      TEXT    NOT NULL,
    needs         TEXT    NOT NULL,
    PRIMARY KEY (forum_id, commitment_id, member, period)
) WITHOUT ROWID;

CREATE INDEX answers_period ON answers (forum_id, period, update_id);

-- A commitment's last updates, for the status reply.
CREATE INDEX updates_commitment ON updates (forum_id, commitment_id, id);

CREATE TABLE level_counts (
    forum_id      TEXT    NOT NULL,
    period        TEXT    NOT NULL,
    commitment_id TEXT    NOT NULL,
    grp           TEXT    NOT NULL,
    completion    TEXT    NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (forum_id, period, commitment_id, grp, completion)
) WITHOUT ROWID;

CREATE INDEX level_counts_group ON level_counts (forum_id, commitment_id, grp, period);

CREATE TABLE standing (
    forum_id       TEXT    NOT NULL,
    commitment_id  TEXT    NOT NULL,
    member         TEXT    NOT NULL,
    period         TEXT    NOT NULL,
    update_id      INTEGER NOT NULL,
    grp            TEXT    NOT NULL,
    organisation   TEXT    NOT NULL,
    blockers       TEXT    NOT NULL,
    blockers_since TEXT    NOT NULL,
    needs          TEXT    NOT NULL,
    needs_since    TEXT    NOT NULL, -- JSON object: need → first period of its run
    PRIMARY KEY (forum_id, commitment_id, member)
) WITHOUT ROWID;

CREATE INDEX standing_flags ON standing (forum_id, commitment_id) WHERE blockers <> '' OR needs <> '[]';

INSERT INTO answers (forum_id, commitment_id, member, period, round_id, update_id, grp, organisation, completion, blockers, needs)
    SELECT u.forum_id, u.commitment_id, u.member, u.period, u.round_id, u.id, u.grp, u.organisation, u.completion, u.blockers, u.needs
    FROM updates u
    WHERE u.version = (SELECT MAX(v.version) FROM updates v
                       WHERE v.member = u.member AND v.round_id = u.round_id AND v.commitment_id = u.commitment_id);

INSERT INTO level_counts (forum_id, period, commitment_id, grp, completion, n)
    SELECT forum_id, period, commitment_id, grp, completion, COUNT(*) FROM answers
    WHERE completion <> '' GROUP BY forum_id, period, commitment_id, grp, completion;

-- standing_of is the standing row of one member's commitment: the latest
-- answer with a level, and the first period of the unbroken run of answers
-- that carried its blocker and each of its needs. It is written as a view
-- so that the backfill and the trigger share it.
CREATE VIEW standing_of AS
SELECT l.forum_id, l.commitment_id, l.member, l.period, l.update_id, l.grp, l.organisation, l.blockers,
    CASE WHEN l.blockers = '' THEN '' ELSE (
        SELECT MIN(a.period) FROM answers a
        WHERE a.forum_id = l.forum_id AND a.commitment_id = l.commitment_id AND a.member = l.member
          AND a.completion <> '' AND a.period <= l.period
          AND a.period > COALESCE((SELECT MAX(b.period) FROM answers b
              WHERE b.forum_id = l.forum_id AND b.commitment_id = l.commitment_id AND b.member = l.member
                AND b.completion <> '' AND b.period < l.period AND b.blockers <> l.blockers), '')
    ) END AS blockers_since,
    l.needs,
    (SELECT COALESCE(json_group_object(n.value, (
        SELECT MIN(a.period) FROM answers a
        WHERE a.forum_id = l.forum_id AND a.commitment_id = l.commitment_id AND a.member = l.member
          AND a.completion <> '' AND a.period <= l.period
          AND a.period > COALESCE((SELECT MAX(b.period) FROM answers b
              WHERE b.forum_id = l.forum_id AND b.commitment_id = l.commitment_id AND b.member = l.member
                AND b.completion <> '' AND b.period < l.period
                AND NOT EXISTS (SELECT 1 FROM json_each(b.needs) x WHERE x.value = n.value)), '')
    )), '{}') FROM json_each(l.needs) n) AS needs_since
FROM answers l
WHERE l.completion <> '' AND l.period = (
    SELECT MAX(m.period) FROM answers m
    WHERE m.forum_id = l.forum_id AND m.commitment_id = l.commitment_id AND m.member = l.member AND m.completion <> '');

INSERT INTO standing SELECT * FROM standing_of;

-- A new version is always the latest of its round. It takes the place of
-- the version before it in answers and in the level counts. The member's
-- standing for the commitment then changes in one of two ways. Usually the
-- new version is an answer for a later period than the standing one: it
-- becomes the standing, and each flag's run goes on from the old standing
-- or starts afresh (the fast path, a few reads). Otherwise (an edit in the
-- same period, a correction of an earlier one, a note replacing an answer)
-- the standing is read again from answers (standing_of). The slow path is
-- decided first, on the standing as it was.
CREATE TRIGGER updates_answers AFTER INSERT ON updates
BEGIN
    UPDATE level_counts SET n = n - 1
        WHERE (forum_id, period, commitment_id, grp, completion) =
              (SELECT forum_id, period, commitment_id, grp, completion FROM answers
               WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id AND member = NEW.member
                 AND period = NEW.period AND completion <> '');
    DELETE FROM level_counts
        WHERE forum_id = NEW.forum_id AND period = NEW.period AND commitment_id = NEW.commitment_id AND n = 0;
    INSERT OR REPLACE INTO answers (forum_id, commitment_id, member, period, round_id, update_id, grp, organisation, completion, blockers, needs)
        VALUES (NEW.forum_id, NEW.commitment_id, NEW.member, NEW.period, NEW.round_id, NEW.id, NEW.grp, NEW.organisation,
                NEW.completion, NEW.blockers, NEW.needs);
    INSERT INTO level_counts (forum_id, period, commitment_id, grp, completion, n)
        SELECT NEW.forum_id, NEW.period, NEW.commitment_id, NEW.grp, NEW.completion, 1 WHERE NEW.completion <> ''
        ON CONFLICT DO UPDATE SET n = n + 1;

    -- The slow path: the new version does not simply follow the standing.
    DELETE FROM standing
        WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id AND member = NEW.member
          AND period >= NEW.period;
    INSERT INTO standing SELECT * FROM standing_of
        WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id AND member = NEW.member
          AND NOT EXISTS (SELECT 1 FROM standing s
              WHERE s.forum_id = NEW.forum_id AND s.commitment_id = NEW.commitment_id AND s.member = NEW.member);

    -- The fast path: an answer after the standing becomes the standing.
    INSERT OR REPLACE INTO standing (forum_id, commitment_id, member, period, update_id, grp, organisation,
                                     blockers, blockers_since, needs, needs_since)
        SELECT NEW.forum_id, NEW.commitment_id, NEW.member, NEW.period, NEW.id, NEW.grp, NEW.organisation,
            NEW.blockers,
            CASE WHEN NEW.blockers = '' THEN '' WHEN s.blockers = NEW.blockers THEN s.blockers_since ELSE NEW.period END,
            NEW.needs,
            (SELECT COALESCE(json_group_object(n.value,
                 COALESCE(json_extract(s.needs_since, '$."' || n.value || '"'), NEW.period)), '{}')
             FROM json_each(NEW.needs) n)
        FROM (SELECT 1) LEFT JOIN standing s
            ON s.forum_id = NEW.forum_id AND s.commitment_id = NEW.commitment_id AND s.member = NEW.member
        WHERE NEW.completion <> '' AND (s.period IS NULL OR s.period < NEW.period);
END;
