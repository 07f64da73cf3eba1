-- forumbot schema v2. Absences become a log: a round's response rate
-- excuses the members who were away as the round closed, and a digest or
-- report made later must see the absences as they stood then, not as they
-- stand now. The log is append-only like the rest of the record.

CREATE TABLE absence_log (
    id     INTEGER PRIMARY KEY,
    member TEXT NOT NULL,
    until  TEXT NOT NULL, -- '' means back
    set_at TEXT NOT NULL
);

INSERT INTO absence_log (member, until, set_at)
    SELECT member, until, set_at FROM absences ORDER BY set_at, member;

DROP TABLE absences;

CREATE TRIGGER absence_log_no_update BEFORE UPDATE ON absence_log
BEGIN SELECT RAISE(ABORT, 'absences are append-only: record a new one'); END;
CREATE TRIGGER absence_log_no_delete BEFORE DELETE ON absence_log
BEGIN SELECT RAISE(ABORT, 'absences are append-only'); END;
