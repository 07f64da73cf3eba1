-- forumbot schema v3: which milestones each member's latest version marks
-- done, derived from the record by a trigger in the same transaction
-- (store/sqlite's 0003).

CREATE TABLE milestone_reports (
    forum_id      TEXT   NOT NULL,
    commitment_id TEXT   NOT NULL,
    milestone_id  TEXT   NOT NULL,
    period        TEXT   COLLATE "C" NOT NULL,
    round_id      BIGINT NOT NULL,
    member        TEXT   NOT NULL,
    PRIMARY KEY (forum_id, commitment_id, milestone_id, round_id, member)
);

CREATE INDEX milestone_reports_update ON milestone_reports (member, round_id, commitment_id);
CREATE INDEX milestone_reports_first ON milestone_reports (forum_id, commitment_id, milestone_id, period);

CREATE FUNCTION updates_milestone_reports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM milestone_reports
        WHERE member = NEW.member AND round_id = NEW.round_id AND commitment_id = NEW.commitment_id;
    INSERT INTO milestone_reports (forum_id, commitment_id, milestone_id, period, round_id, member)
        SELECT NEW.forum_id, NEW.commitment_id, j.value, NEW.period, NEW.round_id, NEW.member
        FROM jsonb_array_elements_text(NEW.milestones_done::jsonb) j
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER updates_milestone_reports AFTER INSERT ON updates
    FOR EACH ROW EXECUTE FUNCTION updates_milestone_reports();
