-- forumbot schema v12. The record's tables are keyed so that a month's
-- answers are written next to each other, whatever the forum's history.
-- Keyed by member or by commitment first, each answer of a round landed on
-- a page of its own in every such index, and the more months a forum had,
-- the more distinct pages a group of answers wrote and synced: a burst of
-- acknowledgements took 1.7 times as long on two years of history as on
-- one month (docs/BENCHMARKS.md, "History and the page cache"). Now:
--
-- updates:      unique by round, member, commitment and version (round
--               first); a member's event id is unique within the round,
--               which is where every event resolves: a form, a button and
--               a thread reply carry their round, and a command is claimed
--               once per event before it stores anything (commands).
-- answers:      keyed by period first; a member's answers across periods
--               are found on answers_member.
-- milestone_reports: its index by update starts with the round.
--
-- SQLite changes a table's keys by building it anew: the rows are copied
-- with their ids (the record chain names rows by id, so it holds), then
-- the triggers and the view are created again as they were.

DROP VIEW standing_of;

CREATE TABLE updates_v12 (
    id              INTEGER PRIMARY KEY,
    forum_id        TEXT    NOT NULL,
    period          TEXT    NOT NULL,
    round_id        INTEGER NOT NULL REFERENCES rounds (id),
    commitment_id   TEXT    NOT NULL,
    member          TEXT    NOT NULL,
    grp             TEXT    NOT NULL,
    organisation    TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    completion      TEXT    NOT NULL,
    progress        TEXT    NOT NULL,
    blockers        TEXT    NOT NULL,
    next_steps      TEXT    NOT NULL,
    note            TEXT    NOT NULL,
    evidence        TEXT    NOT NULL,
    needs           TEXT    NOT NULL,
    milestones_done TEXT    NOT NULL,
    source          TEXT    NOT NULL CHECK (source IN ('form', 'thread', 'command')),
    submitted_at    TEXT    NOT NULL,
    correction      INTEGER NOT NULL,
    event_id        TEXT,
    -- Round first: a round's versions are written next to each other,
    -- and a member's versions of a round are read on it.
    UNIQUE (round_id, member, commitment_id, version)
);

INSERT INTO updates_v12 SELECT * FROM updates;
DROP TABLE updates;
ALTER TABLE updates_v12 RENAME TO updates;

CREATE INDEX updates_period ON updates (forum_id, period);
CREATE INDEX updates_commitment ON updates (forum_id, commitment_id, id);
CREATE UNIQUE INDEX updates_member_event ON updates (round_id, member, event_id) WHERE event_id IS NOT NULL;

CREATE TABLE answers_v12 (
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
    PRIMARY KEY (forum_id, period, commitment_id, member)
) WITHOUT ROWID;

INSERT INTO answers_v12 SELECT * FROM answers;
DROP TABLE answers;
ALTER TABLE answers_v12 RENAME TO answers;

CREATE INDEX answers_period ON answers (forum_id, period, update_id);
CREATE INDEX answers_member ON answers (forum_id, commitment_id, member, period);

DROP INDEX milestone_reports_update;
CREATE INDEX milestone_reports_update ON milestone_reports (round_id, member, commitment_id);

-- As they were (schema v1, v3, v4 and v7), except that the view reads a
-- member's answers across periods on answers_member, by name: the primary
-- key, now period first, would read every period's answers.
CREATE TRIGGER updates_no_update BEFORE UPDATE ON updates
BEGIN SELECT RAISE(ABORT, 'updates are append-only: store a new version'); END;

CREATE TRIGGER updates_no_delete BEFORE DELETE ON updates
BEGIN SELECT RAISE(ABORT, 'updates are append-only'); END;

CREATE TRIGGER updates_not_voided BEFORE INSERT ON updates
WHEN (SELECT state FROM rounds WHERE id = NEW.round_id) = 'voided'
BEGIN SELECT RAISE(ABORT, 'the round was voided: nothing is stored in it'); END;

CREATE TRIGGER updates_milestone_reports AFTER INSERT ON updates
BEGIN
    DELETE FROM milestone_reports
        WHERE member = NEW.member AND round_id = NEW.round_id AND commitment_id = NEW.commitment_id;
    INSERT OR IGNORE INTO milestone_reports (forum_id, commitment_id, milestone_id, period, round_id, member)
        SELECT NEW.forum_id, NEW.commitment_id, j.value, NEW.period, NEW.round_id, NEW.member
        FROM json_each(NEW.milestones_done) j;
END;

CREATE VIEW standing_of AS
SELECT l.forum_id, l.commitment_id, l.member, l.period, l.update_id, l.grp, l.organisation, l.blockers,
    CASE WHEN l.blockers = '' THEN '' ELSE (
        SELECT MIN(a.period) FROM answers a INDEXED BY answers_member
        WHERE a.forum_id = l.forum_id AND a.commitment_id = l.commitment_id AND a.member = l.member
          AND a.completion <> '' AND a.period <= l.period
          AND a.period > COALESCE((SELECT MAX(b.period) FROM answers b INDEXED BY answers_member
              WHERE b.forum_id = l.forum_id AND b.commitment_id = l.commitment_id AND b.member = l.member
                AND b.completion <> '' AND b.period < l.period AND b.blockers <> l.blockers), '')
    ) END AS blockers_since,
    l.needs,
    (SELECT COALESCE(json_group_object(n.value, (
        SELECT MIN(a.period) FROM answers a INDEXED BY answers_member
        WHERE a.forum_id = l.forum_id AND a.commitment_id = l.commitment_id AND a.member = l.member
          AND a.completion <> '' AND a.period <= l.period
          AND a.period > COALESCE((SELECT MAX(b.period) FROM answers b INDEXED BY answers_member
              WHERE b.forum_id = l.forum_id AND b.commitment_id = l.commitment_id AND b.member = l.member
                AND b.completion <> '' AND b.period < l.period
                AND NOT EXISTS (SELECT 1 FROM json_each(b.needs) x WHERE x.value = n.value)), '')
    )), '{}') FROM json_each(l.needs) n) AS needs_since
FROM answers l
WHERE l.completion <> '' AND l.period = (
    SELECT MAX(m.period) FROM answers m INDEXED BY answers_member
    WHERE m.forum_id = l.forum_id AND m.commitment_id = l.commitment_id AND m.member = l.member AND m.completion <> '');

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
