-- forumbot schema v4. Two tables derived from the record, kept in step by a
-- trigger in the same transaction as each insert into updates (which stays
-- the source of truth; TestDerivedTablesRebuildFromTheRecord compares
-- them with it), so that what a digest, a status reply, a reminder or a
-- prompt reads is bounded by the committees, not by the forum's history:
--
-- answers:  the latest version of each member's update of each commitment
--           per period, and whether it carries a completion level;
-- standing: each member's latest answer with a level per commitment, by
--           period.

CREATE TABLE answers (
    forum_id      TEXT    NOT NULL,
    commitment_id TEXT    NOT NULL,
    member        TEXT    NOT NULL,
    period        TEXT    NOT NULL,
    round_id      INTEGER NOT NULL,
    update_id     INTEGER NOT NULL,
    answered      INTEGER NOT NULL,
    PRIMARY KEY (forum_id, commitment_id, member, period)
) WITHOUT ROWID;

CREATE INDEX answers_period ON answers (forum_id, period);

CREATE TABLE standing (
    forum_id      TEXT    NOT NULL,
    commitment_id TEXT    NOT NULL,
    member        TEXT    NOT NULL,
    period        TEXT    NOT NULL,
    update_id     INTEGER NOT NULL,
    PRIMARY KEY (forum_id, commitment_id, member)
) WITHOUT ROWID;

CREATE INDEX standing_member ON standing (member, forum_id);

INSERT INTO answers (forum_id, commitment_id, member, period, round_id, update_id, answered)
    SELECT u.forum_id, u.commitment_id, u.member, u.period, u.round_id, u.id, u.completion <> ''
    FROM updates u
    WHERE u.version = (SELECT MAX(v.version) FROM updates v
                       WHERE v.member = u.member AND v.round_id = u.round_id AND v.commitment_id = u.commitment_id);

INSERT INTO standing (forum_id, commitment_id, member, period, update_id)
    SELECT a.forum_id, a.commitment_id, a.member, a.period, a.update_id
    FROM answers a
    WHERE a.answered AND a.period = (SELECT MAX(b.period) FROM answers b
                                     WHERE b.forum_id = a.forum_id AND b.commitment_id = a.commitment_id
                                       AND b.member = a.member AND b.answered);

-- A new version is always the latest of its round: it replaces the row of
-- its period, and the member's standing is read again from answers (one
-- seek on the primary key).
CREATE TRIGGER updates_answers AFTER INSERT ON updates
BEGIN
    INSERT OR REPLACE INTO answers (forum_id, commitment_id, member, period, round_id, update_id, answered)
        VALUES (NEW.forum_id, NEW.commitment_id, NEW.member, NEW.period, NEW.round_id, NEW.id, NEW.completion <> '');
    DELETE FROM standing
        WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id AND member = NEW.member;
    INSERT INTO standing (forum_id, commitment_id, member, period, update_id)
        SELECT forum_id, commitment_id, member, period, update_id FROM answers
        WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id AND member = NEW.member AND answered
        ORDER BY period DESC LIMIT 1;
END;
