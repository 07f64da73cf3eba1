-- forumbot schema v9: questions from the public.
--
-- questions:         what a visitor asked on the public site about a
--                    commitment. Append-only, like updates.
-- question_events:   what happened to a question since (approved,
--                    rejected, answered, moved to another commitment), in
--                    order. Append-only; the store checks in the inserting
--                    transaction that an event may follow the ones before.
-- question_contacts: the e-mail address an asker left for a notice, kept
--                    apart from the question so that it can be deleted once
--                    the question is closed and its retention has passed.

CREATE TABLE questions (
    id            INTEGER PRIMARY KEY,
    forum_id      TEXT    NOT NULL,
    commitment_id TEXT    NOT NULL,
    text          TEXT    NOT NULL,
    name          TEXT    NOT NULL DEFAULT '',
    organisation  TEXT    NOT NULL DEFAULT '',
    publish_name  INTEGER NOT NULL DEFAULT 0,
    locale        TEXT    NOT NULL DEFAULT '',
    asked_at      TEXT    NOT NULL,
    due_at        TEXT    NOT NULL
);
CREATE INDEX questions_forum ON questions (forum_id, id);

CREATE TABLE question_events (
    id            INTEGER PRIMARY KEY,
    question_id   INTEGER NOT NULL REFERENCES questions (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('approved', 'rejected', 'answered', 'reassigned')),
    at            TEXT    NOT NULL,
    by_member     TEXT    NOT NULL,
    grp           TEXT    NOT NULL DEFAULT '',
    organisation  TEXT    NOT NULL DEFAULT '',
    reason        TEXT    NOT NULL DEFAULT '',
    text          TEXT    NOT NULL DEFAULT '',
    evidence      TEXT    NOT NULL DEFAULT '[]',
    commitment_id TEXT    NOT NULL DEFAULT '',
    event_id      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX question_events_question ON question_events (question_id, id);
CREATE UNIQUE INDEX question_events_once ON question_events (question_id, event_id) WHERE event_id <> '';
-- One decision per question, whatever the application checks.
CREATE UNIQUE INDEX question_events_decided ON question_events (question_id) WHERE kind IN ('approved', 'rejected');

CREATE TABLE question_contacts (
    question_id INTEGER PRIMARY KEY REFERENCES questions (id),
    email       TEXT    NOT NULL
);

CREATE TRIGGER questions_no_update BEFORE UPDATE ON questions
BEGIN SELECT RAISE(ABORT, 'questions are append-only'); END;
CREATE TRIGGER questions_no_delete BEFORE DELETE ON questions
BEGIN SELECT RAISE(ABORT, 'questions are append-only'); END;
CREATE TRIGGER question_events_no_update BEFORE UPDATE ON question_events
BEGIN SELECT RAISE(ABORT, 'question events are append-only'); END;
CREATE TRIGGER question_events_no_delete BEFORE DELETE ON question_events
BEGIN SELECT RAISE(ABORT, 'question events are append-only'); END;
