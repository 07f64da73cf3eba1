-- forumbot schema v15. The standing keeps, beside each member's latest
-- answer with a level, the answer with a level before it (its period, its
-- blocker and needs, and since when they ran), so that the index of a
-- member's answers across periods, answers_member, can go. Its key put
-- every member's answers of every month side by side: after two years a
-- round's answers each wrote a leaf of their own in it, and a burst of
-- acknowledgements wrote and synced almost twice the pages it wrote on one
-- month of history (docs/BENCHMARKS.md, "The answer before, in the
-- standing"). What read that index reads the standing instead:
--
-- a prompt:     the member's last level before the round is the standing
--               one, or, once they have answered in the round, the one
--               before it;
-- a new version in the standing's period (a button, then the form): the
--               standing is worked out again from the answer before, as an
--               answer of a later period is from the standing;
-- the rest:     an answer to an older round than the standing's, a note
--               that takes the place of a level, or a prompt of an older
--               round: rare, they read the member's answers period by
--               period through the forum's rounds (answered, below), one
--               seek per month.
--
-- The record stays the source of truth: the derived-table tests compare
-- the standing with what the record says, and this migration fills the
-- answer before from the answers table.

DROP TRIGGER updates_answers;
DROP VIEW standing_of;
DROP INDEX answers_member;

ALTER TABLE standing ADD COLUMN before_period         TEXT NOT NULL DEFAULT '';
ALTER TABLE standing ADD COLUMN before_blockers       TEXT NOT NULL DEFAULT '';
ALTER TABLE standing ADD COLUMN before_blockers_since TEXT NOT NULL DEFAULT '';
ALTER TABLE standing ADD COLUMN before_needs          TEXT NOT NULL DEFAULT '[]';
ALTER TABLE standing ADD COLUMN before_needs_since    TEXT NOT NULL DEFAULT '{}';

-- A member's answers with a level, found period by period: each of the
-- forum's rounds (every answer is in one; a voided round holds none) then
-- one seek on the answers' primary key. Read newest first with a LIMIT, a
-- walk stops at the first answer it finds.
CREATE VIEW answered AS
SELECT r.forum_id, r.period, a.commitment_id, a.member, a.update_id, a.grp, a.organisation, a.blockers, a.needs
FROM rounds r INDEXED BY rounds_held
CROSS JOIN answers a ON a.forum_id = r.forum_id AND a.period = r.period
WHERE r.state <> 'voided' AND a.completion <> '';

-- Each answer with a level, with since when its blocker and each of its
-- needs had run, without a break, among the member's answers with a
-- level: the standing as it was at that answer.
CREATE VIEW standing_at AS
SELECT l.forum_id, l.commitment_id, l.member, l.period, l.update_id, l.grp, l.organisation, l.blockers,
    CASE WHEN l.blockers = '' THEN '' ELSE (
        SELECT MIN(a.period) FROM answered a
        WHERE a.forum_id = l.forum_id AND a.commitment_id = l.commitment_id AND a.member = l.member
          AND a.period <= l.period
          AND a.period > COALESCE((SELECT b.period FROM answered b
              WHERE b.forum_id = l.forum_id AND b.commitment_id = l.commitment_id AND b.member = l.member
                AND b.period < l.period AND b.blockers <> l.blockers
              ORDER BY b.period DESC LIMIT 1), '')
    ) END AS blockers_since,
    l.needs,
    (SELECT COALESCE(json_group_object(n.value, (
        SELECT MIN(a.period) FROM answered a
        WHERE a.forum_id = l.forum_id AND a.commitment_id = l.commitment_id AND a.member = l.member
          AND a.period <= l.period
          AND a.period > COALESCE((SELECT b.period FROM answered b
              WHERE b.forum_id = l.forum_id AND b.commitment_id = l.commitment_id AND b.member = l.member
                AND b.period < l.period AND NOT EXISTS (SELECT 1 FROM json_each(b.needs) x WHERE x.value = n.value)
              ORDER BY b.period DESC LIMIT 1), '')
    )), '{}') FROM json_each(l.needs) n) AS needs_since
FROM answers l
WHERE l.completion <> '';

UPDATE standing SET (before_period, before_blockers, before_blockers_since, before_needs, before_needs_since) = (
    SELECT b.period, b.blockers, b.blockers_since, b.needs, b.needs_since FROM standing_at b
    WHERE b.forum_id = standing.forum_id AND b.commitment_id = standing.commitment_id AND b.member = standing.member
      AND b.period = (SELECT p.period FROM answered p
          WHERE p.forum_id = standing.forum_id AND p.commitment_id = standing.commitment_id AND p.member = standing.member
            AND p.period < standing.period
          ORDER BY p.period DESC LIMIT 1))
WHERE EXISTS (SELECT 1 FROM answered p
    WHERE p.forum_id = standing.forum_id AND p.commitment_id = standing.commitment_id AND p.member = standing.member
      AND p.period < standing.period);

-- A new version is always the latest of its round. It takes the place of
-- the version before it in answers and in the level counts, as in v12. The
-- standing then changes in one of three ways, each statement below
-- matching one of them alone.
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

    -- The slow path, rare: a version of a period before the standing's, or
    -- one without a level in the standing's period. The standing and the
    -- answer before it are read again from the member's answers.
    DELETE FROM standing
        WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id AND member = NEW.member
          AND (period > NEW.period OR (period = NEW.period AND NEW.completion = ''));
    INSERT INTO standing (forum_id, commitment_id, member, period, update_id, grp, organisation, blockers, blockers_since, needs, needs_since,
                          before_period, before_blockers, before_blockers_since, before_needs, before_needs_since)
        SELECT c.forum_id, c.commitment_id, c.member, c.period, c.update_id, c.grp, c.organisation, c.blockers, c.blockers_since, c.needs, c.needs_since,
            COALESCE(b.period, ''), COALESCE(b.blockers, ''), COALESCE(b.blockers_since, ''), COALESCE(b.needs, '[]'), COALESCE(b.needs_since, '{}')
        FROM standing_at c LEFT JOIN standing_at b
            ON b.forum_id = c.forum_id AND b.commitment_id = c.commitment_id AND b.member = c.member
           AND b.period = (SELECT p.period FROM answered p
               WHERE p.forum_id = NEW.forum_id AND p.commitment_id = NEW.commitment_id AND p.member = NEW.member
                 AND p.period < c.period
               ORDER BY p.period DESC LIMIT 1)
        WHERE NOT EXISTS (SELECT 1 FROM standing s
                  WHERE s.forum_id = NEW.forum_id AND s.commitment_id = NEW.commitment_id AND s.member = NEW.member)
          AND c.forum_id = NEW.forum_id AND c.commitment_id = NEW.commitment_id AND c.member = NEW.member
          AND c.period = (SELECT p.period FROM answered p
              WHERE p.forum_id = NEW.forum_id AND p.commitment_id = NEW.commitment_id AND p.member = NEW.member
              ORDER BY p.period DESC LIMIT 1)
          AND (NEW.completion = '' OR c.period > NEW.period);

    -- A new version in the standing's period: it becomes the standing,
    -- its blocker and needs running on from the answer before.
    UPDATE standing SET update_id = NEW.id, grp = NEW.grp, organisation = NEW.organisation,
            blockers = NEW.blockers,
            blockers_since = CASE WHEN NEW.blockers = '' THEN '' WHEN before_blockers = NEW.blockers THEN before_blockers_since ELSE NEW.period END,
            needs = NEW.needs,
            needs_since = (SELECT COALESCE(json_group_object(n.value,
                 COALESCE(json_extract(before_needs_since, '$."' || n.value || '"'), NEW.period)), '{}')
             FROM json_each(NEW.needs) n)
        WHERE forum_id = NEW.forum_id AND commitment_id = NEW.commitment_id AND member = NEW.member
          AND period = NEW.period AND NEW.completion <> '';

    -- The fast path: an answer after the standing becomes the standing,
    -- and the standing the answer before it.
    INSERT OR REPLACE INTO standing (forum_id, commitment_id, member, period, update_id, grp, organisation,
                                     blockers, blockers_since, needs, needs_since,
                                     before_period, before_blockers, before_blockers_since, before_needs, before_needs_since)
        SELECT NEW.forum_id, NEW.commitment_id, NEW.member, NEW.period, NEW.id, NEW.grp, NEW.organisation,
            NEW.blockers,
            CASE WHEN NEW.blockers = '' THEN '' WHEN s.blockers = NEW.blockers THEN s.blockers_since ELSE NEW.period END,
            NEW.needs,
            (SELECT COALESCE(json_group_object(n.value,
                 COALESCE(json_extract(s.needs_since, '$."' || n.value || '"'), NEW.period)), '{}')
             FROM json_each(NEW.needs) n),
            COALESCE(s.period, ''), COALESCE(s.blockers, ''), COALESCE(s.blockers_since, ''), COALESCE(s.needs, '[]'), COALESCE(s.needs_since, '{}')
        FROM (SELECT 1) LEFT JOIN standing s
            ON s.forum_id = NEW.forum_id AND s.commitment_id = NEW.commitment_id AND s.member = NEW.member
        WHERE NEW.completion <> '' AND (s.period IS NULL OR s.period < NEW.period);
END;
