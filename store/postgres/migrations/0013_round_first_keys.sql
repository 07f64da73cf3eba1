-- forumbot schema v13 (PostgreSQL): an update is unique by round first,
-- then member, commitment and version, and a version's milestone reports
-- are found the same way, where both keys started with the member. With
-- the member first, each answer of a round landed among that member's
-- answers of every month: on two years of history a round's answers each
-- touched a page of their own in both indexes, and after a checkpoint the
-- server logs a page whole the first time it changes, so an answer wrote
-- three times the log it wrote on one month of history
-- (docs/BENCHMARKS.md, "History on PostgreSQL"). Round first, a round's
-- answers land on the round's own pages. Every query that reads these
-- keys names the round (a member's updates in a round, the version a new
-- one follows); SQLite's keys are the same since its schema v12.

ALTER TABLE updates DROP CONSTRAINT updates_member_round_id_commitment_id_version_key;
ALTER TABLE updates ADD CONSTRAINT updates_round_member UNIQUE (round_id, member, commitment_id, version);

DROP INDEX milestone_reports_update;
CREATE INDEX milestone_reports_update ON milestone_reports (round_id, member, commitment_id);
