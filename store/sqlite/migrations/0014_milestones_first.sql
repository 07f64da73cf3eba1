-- forumbot schema v14. The period each milestone was first reported done,
-- one row per milestone, kept in step with milestone_reports by the same
-- trigger, in the same transaction. A prompt, a follow-up and a digest
-- read it with one seek per milestone into a table as large as the plan's
-- milestones. They used to seek milestone_reports_first, which holds a
-- row per member and month that reported the milestone: after two years
-- its B-tree is deeper and every seek costs more (docs/BENCHMARKS.md,
-- "The milestones' first reports, one row each").
--
-- The rows of a round share its period, so a new version changes
-- milestone_reports at that period alone: a milestone it adds is first
-- done then or earlier; one it drops may lose its first period, found
-- again on milestone_reports_first (one seek), or its last report.

CREATE TABLE milestones_first (
    forum_id      TEXT NOT NULL,
    commitment_id TEXT NOT NULL,
    milestone_id  TEXT NOT NULL,
    period        TEXT NOT NULL,
    PRIMARY KEY (forum_id, commitment_id, milestone_id)
) WITHOUT ROWID;

INSERT INTO milestones_first (forum_id, commitment_id, milestone_id, period)
    SELECT forum_id, commitment_id, milestone_id, MIN(period) FROM milestone_reports
    GROUP BY forum_id, commitment_id, milestone_id;

DROP TRIGGER updates_milestone_reports;

-- The store numbers a first version 1: a first version that marks no
-- milestone done has no earlier version's reports to replace, and none of
-- its own, so the trigger skips it (most answers).
CREATE TRIGGER updates_milestone_reports AFTER INSERT ON updates
WHEN NEW.version > 1 OR NEW.milestones_done <> '[]'
BEGIN
    DELETE FROM milestone_reports
        WHERE member = NEW.member AND round_id = NEW.round_id AND commitment_id = NEW.commitment_id;
    INSERT OR IGNORE INTO milestone_reports (forum_id, commitment_id, milestone_id, period, round_id, member)
        SELECT NEW.forum_id, NEW.commitment_id, j.value, NEW.period, NEW.round_id, NEW.member
        FROM json_each(NEW.milestones_done) j;
    -- A milestone first done in this period whose last report was dropped.
    DELETE FROM milestones_first
        WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id AND period = NEW.period
          AND NOT EXISTS (SELECT 1 FROM milestone_reports r INDEXED BY milestone_reports_first
              WHERE r.forum_id = NEW.forum_id AND r.commitment_id = NEW.commitment_id
                AND r.milestone_id = milestones_first.milestone_id);
    -- One whose reports of this period were all dropped, but not its later ones.
    UPDATE milestones_first SET period = (SELECT r.period FROM milestone_reports r INDEXED BY milestone_reports_first
              WHERE r.forum_id = NEW.forum_id AND r.commitment_id = NEW.commitment_id
                AND r.milestone_id = milestones_first.milestone_id
              ORDER BY r.period LIMIT 1)
        WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id AND period = NEW.period
          AND NOT EXISTS (SELECT 1 FROM milestone_reports r INDEXED BY milestone_reports_first
              WHERE r.forum_id = NEW.forum_id AND r.commitment_id = NEW.commitment_id
                AND r.milestone_id = milestones_first.milestone_id AND r.period = NEW.period);
    -- The milestones this version reports: done by this period at the latest.
    INSERT INTO milestones_first (forum_id, commitment_id, milestone_id, period)
        SELECT NEW.forum_id, NEW.commitment_id, j.value, NEW.period FROM json_each(NEW.milestones_done) j WHERE true
        ON CONFLICT DO UPDATE SET period = excluded.period WHERE excluded.period < milestones_first.period;
END;
