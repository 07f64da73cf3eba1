-- forumbot schema v3. Which milestones each member reported done, from the
-- latest version of each update: derived from the record (the updates table
-- stays the source of truth) and kept in step by a trigger in the same
-- transaction, so that a prompt reads its commitments' milestones in one
-- indexed query instead of their whole history. A new version replaces what
-- the member's earlier version of the same round and commitment said.

CREATE TABLE milestone_reports (
    forum_id      TEXT    NOT NULL,
    commitment_id TEXT    NOT NULL,
    milestone_id  TEXT    NOT NULL,
    period        TEXT    NOT NULL,
    round_id      INTEGER NOT NULL,
    member        TEXT    NOT NULL,
    PRIMARY KEY (forum_id, commitment_id, milestone_id, round_id, member)
) WITHOUT ROWID;

CREATE INDEX milestone_reports_update ON milestone_reports (member, round_id, commitment_id);
CREATE INDEX milestone_reports_first ON milestone_reports (forum_id, commitment_id, milestone_id, period);

INSERT INTO milestone_reports (forum_id, commitment_id, milestone_id, period, round_id, member)
    SELECT DISTINCT u.forum_id, u.commitment_id, j.value, u.period, u.round_id, u.member
    FROM updates u, json_each(u.milestones_done) j
    WHERE u.version = (SELECT MAX(v.version) FROM updates v
                       WHERE v.member = u.member AND v.round_id = u.round_id AND v.commitment_id = u.commitment_id);

CREATE TRIGGER updates_milestone_reports AFTER INSERT ON updates
BEGIN
    DELETE FROM milestone_reports
        WHERE member = NEW.member AND round_id = NEW.round_id AND commitment_id = NEW.commitment_id;
    INSERT OR IGNORE INTO milestone_reports (forum_id, commitment_id, milestone_id, period, round_id, member)
        SELECT NEW.forum_id, NEW.commitment_id, j.value, NEW.period, NEW.round_id, NEW.member
        FROM json_each(NEW.milestones_done) j;
END;
