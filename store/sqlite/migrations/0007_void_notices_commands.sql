-- forumbot schema v7.
--
-- rounds:   a round opened by mistake can be voided. It stays in the
--           record, with who voided it and when, but it no longer holds its
--           period: a later round of the same period is a new revision. A
--           voided round stays voided and takes no update.
-- outbox:   notices to coordinators (a round opened late, rounds missed
--           while the bot was down) are a kind of entry; failing_since is
--           when an entry's sends began to fail, for the sender to give up
--           after a long time, never because the platform asked to wait.
-- notices:  the message of each notice, rendered once.
-- commands: the platform requests that carried a coordinator's or a
--           member's command, so that a replayed request never acts twice.
--
-- Rounds and the outbox are rebuilt to change their constraints; the rows
-- keep their ids, so every reference to them stays valid.

PRAGMA defer_foreign_keys = ON;

CREATE TABLE rounds_v6 AS SELECT * FROM rounds;
DROP TABLE rounds;
CREATE TABLE rounds (
    id               INTEGER PRIMARY KEY,
    forum_id         TEXT    NOT NULL,
    period           TEXT    NOT NULL,
    -- how many voided rounds of the same period came before this one
    revision         INTEGER NOT NULL DEFAULT 0,
    scheduled_at     TEXT    NOT NULL,
    opened_at        TEXT    NOT NULL,
    closes_at        TEXT    NOT NULL,
    closed_at        TEXT,
    state            TEXT    NOT NULL CHECK (state IN ('open', 'closed', 'voided')),
    reminders_sent   INTEGER NOT NULL DEFAULT 0,
    manual_reminders INTEGER NOT NULL DEFAULT 0,
    voided_at        TEXT,
    voided_by        TEXT    NOT NULL DEFAULT '',
    UNIQUE (forum_id, period, revision)
);
INSERT INTO rounds (id, forum_id, period, scheduled_at, opened_at, closes_at, closed_at, state, reminders_sent, manual_reminders)
    SELECT id, forum_id, period, scheduled_at, opened_at, closes_at, closed_at, state, reminders_sent, manual_reminders FROM rounds_v6;
DROP TABLE rounds_v6;

-- One round that is not voided per forum and period.
CREATE UNIQUE INDEX rounds_held ON rounds (forum_id, period) WHERE state <> 'voided';
CREATE INDEX rounds_open ON rounds (state) WHERE state = 'open';

CREATE TRIGGER rounds_voided_stay BEFORE UPDATE ON rounds WHEN OLD.state = 'voided'
BEGIN SELECT RAISE(ABORT, 'a voided round stays voided'); END;
CREATE TRIGGER rounds_no_delete BEFORE DELETE ON rounds
BEGIN SELECT RAISE(ABORT, 'rounds are part of the record'); END;
CREATE TRIGGER updates_not_voided BEFORE INSERT ON updates
WHEN (SELECT state FROM rounds WHERE id = NEW.round_id) = 'voided'
BEGIN SELECT RAISE(ABORT, 'the round was voided: nothing is stored in it'); END;

CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    key        TEXT    NOT NULL UNIQUE,
    forum_id   TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    message    TEXT    NOT NULL
);

CREATE TABLE outbox_v6 AS SELECT * FROM outbox;
DROP TABLE outbox;
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    key             TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL CHECK (kind IN ('prompt', 'reminder', 'digest', 'notice')),
    forum_id        TEXT    NOT NULL,
    round_id        INTEGER REFERENCES rounds (id),
    recipient       TEXT    NOT NULL,
    channel         INTEGER NOT NULL DEFAULT 0,
    digest_id       INTEGER REFERENCES digests (id),
    notice_id       INTEGER REFERENCES notices (id),
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    ref             TEXT    NOT NULL DEFAULT '',
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    sent_at         TEXT,
    failing_since   TEXT
);
INSERT INTO outbox (id, key, kind, forum_id, round_id, recipient, channel, digest_id, state, attempts, next_attempt_at, ref, last_error, created_at, sent_at)
    SELECT id, key, kind, forum_id, round_id, recipient, channel, digest_id, state, attempts, next_attempt_at, ref, last_error, created_at, sent_at FROM outbox_v6;
DROP TABLE outbox_v6;

CREATE INDEX outbox_due ON outbox (id, next_attempt_at) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_ref ON outbox (ref) WHERE ref <> '';
CREATE INDEX outbox_recipient ON outbox (recipient, id, ref) WHERE ref <> '';
CREATE INDEX outbox_round ON outbox (round_id, kind, recipient, state);
-- The entries given up on, per forum, for coordinators to see and retry.
CREATE INDEX outbox_failed ON outbox (forum_id, id) WHERE state = 'failed';

CREATE TABLE commands (
    member     TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    command    TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    -- '' while the request is being handled (or if it never finished)
    outcome    TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'reply', 'refusal')),
    text       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (member, event_id)
) WITHOUT ROWID;
