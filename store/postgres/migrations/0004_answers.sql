-- forumbot schema v4: the tables derived from the record (store/sqlite's
-- 0004, which explains each), kept in step by a trigger in the same
-- transaction as each insert into updates:
--
-- answers:      the latest version of each member's update of each
--               commitment per period;
-- level_counts: how many of those give each completion level, per
--               commitment, stakeholder group and period;
-- standing:     each member's latest answer with a level per commitment,
--               and since when its blocker and each of its needs have been
--               carried without a break.
--
-- The store takes its forum's lock before it inserts an update, so the
-- trigger of one forum never runs twice at once.

CREATE TABLE answers (
    forum_id      TEXT   NOT NULL,
    commitment_id TEXT   NOT NULL,
    member        TEXT   NOT NULL,
    period        TEXT   COLLATE "C" NOT NULL,
    round_id      BIGINT NOT NULL,
    update_id     BIGINT NOT NULL,
    grp           TEXT   NOT NULL,
    organisation  TEXT   NOT NULL,
    completion    TEXT   NOT NULL,
    blockers      TEXT   NOT NULL,
    needs         TEXT   NOT NULL,
    PRIMARY KEY (forum_id, commitment_id, member, period)
);

CREATE INDEX answers_period ON answers (forum_id, period, update_id);

-- A commitment's last updates, for the status reply.
CREATE INDEX updates_commitment ON updates (forum_id, commitment_id, id);

CREATE TABLE level_counts (
    forum_id      TEXT   NOT NULL,
    period        TEXT   COLLATE "C" NOT NULL,
    commitment_id TEXT   NOT NULL,
    grp           TEXT   NOT NULL,
    completion    TEXT   NOT NULL,
    n             BIGINT NOT NULL,
    PRIMARY KEY (forum_id, period, commitment_id, grp, completion)
);

CREATE INDEX level_counts_group ON level_counts (forum_id, commitment_id, grp, period);

CREATE TABLE standing (
    forum_id       TEXT   NOT NULL,
    commitment_id  TEXT   NOT NULL,
    member         TEXT   NOT NULL,
    period         TEXT   COLLATE "C" NOT NULL,
    update_id      BIGINT NOT NULL,
    grp            TEXT   NOT NULL,
    organisation   TEXT   NOT NULL,
    blockers       TEXT   NOT NULL,
    blockers_since TEXT   COLLATE "C" NOT NULL,
    needs          TEXT   NOT NULL,
    needs_since    TEXT   NOT NULL, -- JSON object: need → first period of its run
    PRIMARY KEY (forum_id, commitment_id, member)
);

CREATE INDEX standing_flags ON standing (forum_id, commitment_id) WHERE blockers <> '' OR needs <> '[]';

-- standing_of is the standing row of one member's commitment: the latest
-- answer with a level, and the first period of the unbroken run of answers
-- that carried its blocker and each of its needs.
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
    COALESCE((SELECT jsonb_object_agg(n.value, (
        SELECT MIN(a.period) FROM answers a
        WHERE a.forum_id = l.forum_id AND a.commitment_id = l.commitment_id AND a.member = l.member
          AND a.completion <> '' AND a.period <= l.period
          AND a.period > COALESCE((SELECT MAX(b.period) FROM answers b
              WHERE b.forum_id = l.forum_id AND b.commitment_id = l.commitment_id AND b.member = l.member
                AND b.completion <> '' AND b.period < l.period
                AND NOT (b.needs::jsonb @> jsonb_build_array(n.value))), '')
    )) FROM jsonb_array_elements_text(l.needs::jsonb) n), '{}')::text AS needs_since
FROM answers l
WHERE l.completion <> '' AND l.period = (
    SELECT MAX(m.period) FROM answers m
    WHERE m.forum_id = l.forum_id AND m.commitment_id = l.commitment_id AND m.member = l.member AND m.completion <> '');

-- A new version is always the latest of its round: it takes the place of
-- the version before it in answers and in the level counts; the member's
-- standing then follows it (the fast path: an answer for a later period
-- than the standing one) or is read again from answers (standing_of).
CREATE FUNCTION updates_answers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cur standing%ROWTYPE;
BEGIN
    UPDATE level_counts lc SET n = lc.n - 1
        FROM answers a
        WHERE a.forum_id = NEW.forum_id AND a.commitment_id = NEW.commitment_id AND a.member = NEW.member
          AND a.period = NEW.period AND a.completion <> ''
          AND lc.forum_id = a.forum_id AND lc.period = a.period AND lc.commitment_id = a.commitment_id
          AND lc.grp = a.grp AND lc.completion = a.completion;
    DELETE FROM level_counts
        WHERE forum_id = NEW.forum_id AND period = NEW.period AND commitment_id = NEW.commitment_id AND n = 0;
    INSERT INTO answers (forum_id, commitment_id, member, period, round_id, update_id, grp, organisation, completion, blockers, needs)
        VALUES (NEW.forum_id, NEW.commitment_id, NEW.member, NEW.period, NEW.round_id, NEW.id, NEW.grp, NEW.organisation,
                NEW.completion, NEW.blockers, NEW.needs)
        ON CONFLICT (forum_id, commitment_id, member, period) DO UPDATE SET
            round_id = EXCLUDED.round_id, update_id = EXCLUDED.update_id, grp = EXCLUDED.grp,
            organisation = EXCLUDED.organisation, completion = EXCLUDED.completion,
            blockers = EXCLUDED.blockers, needs = EXCLUDED.needs;
    IF NEW.completion <> '' THEN
        INSERT INTO level_counts (forum_id, period, commitment_id, grp, completion, n)
            VALUES (NEW.forum_id, NEW.period, NEW.commitment_id, NEW.grp, NEW.completion, 1)
            ON CONFLICT (forum_id, period, commitment_id, grp, completion) DO UPDATE SET n = level_counts.n + 1;
    END IF;

    -- The slow path: the new version does not simply follow the standing.
    DELETE FROM standing
        WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id AND member = NEW.member
          AND period >= NEW.period;
    INSERT INTO standing SELECT * FROM standing_of v
        WHERE v.forum_id = NEW.forum_id AND v.commitment_id = NEW.commitment_id AND v.member = NEW.member
          AND NOT EXISTS (SELECT 1 FROM standing s
              WHERE s.forum_id = NEW.forum_id AND s.commitment_id = NEW.commitment_id AND s.member = NEW.member);

    -- The fast path: an answer after the standing becomes the standing.
    IF NEW.completion <> '' THEN
        SELECT * INTO cur FROM standing
            WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id AND member = NEW.member;
        IF NOT FOUND OR cur.period < NEW.period THEN
            INSERT INTO standing (forum_id, commitment_id, member, period, update_id, grp, organisation,
                                  blockers, blockers_since, needs, needs_since)
                VALUES (NEW.forum_id, NEW.commitment_id, NEW.member, NEW.period, NEW.id, NEW.grp, NEW.organisation,
                    NEW.blockers,
                    CASE WHEN NEW.blockers = '' THEN '' WHEN cur.blockers = NEW.blockers THEN cur.blockers_since ELSE NEW.period END,
                    NEW.needs,
                    COALESCE((SELECT jsonb_object_agg(n.value, COALESCE(cur.needs_since::jsonb ->> n.value, NEW.period))
                              FROM jsonb_array_elements_text(NEW.needs::jsonb) n), '{}')::text)
                ON CONFLICT (forum_id, commitment_id, member) DO UPDATE SET
                    period = EXCLUDED.period, update_id = EXCLUDED.update_id, grp = EXCLUDED.grp,
                    organisation = EXCLUDED.organisation, blockers = EXCLUDED.blockers,
                    blockers_since = EXCLUDED.blockers_since, needs = EXCLUDED.needs, needs_since = EXCLUDED.needs_since;
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER updates_answers AFTER INSERT ON updates
    FOR EACH ROW EXECUTE FUNCTION updates_answers();
