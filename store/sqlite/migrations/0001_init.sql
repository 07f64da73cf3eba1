-- forumbot schema v1. Times are UTC text with fixed-width nanoseconds, so
-- that text order is time order. Updates and digests are the accountability
-- record: triggers make them append-only.

CREATE TABLE rounds (
    id               INTEGER PRIMARY KEY,
    forum_id         TEXT    NOT NULL,
    period           TEXT    NOT NULL,
    scheduled_at     TEXT    NOT NULL,
    opened_at        TEXT    NOT NULL,
    closes_at        TEXT    NOT NULL,
    closed_at        TEXT,
    state            TEXT    NOT NULL CHECK (state IN ('open', 'closed')),
    reminders_sent   INTEGER NOT NULL DEFAULT 0,
    manual_reminders INTEGER NOT NULL DEFAULT 0,
    UNIQUE (forum_id, period)
);

CREATE INDEX rounds_open ON rounds (state) WHERE state = 'open';

CREATE TABLE digests (
    id            INTEGER PRIMARY KEY,
    forum_id      TEXT NOT NULL,
    commitment_id TEXT NOT NULL DEFAULT '',
    period        TEXT NOT NULL,
    round_id      INTEGER REFERENCES rounds (id),
    created_at    TEXT NOT NULL,
    channel       TEXT NOT NULL,
    message       TEXT NOT NULL
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    key             TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL CHECK (kind IN ('prompt', 'reminder', 'digest')),
    forum_id        TEXT    NOT NULL,
    round_id        INTEGER REFERENCES rounds (id),
    recipient       TEXT    NOT NULL,
    channel         INTEGER NOT NULL DEFAULT 0,
    digest_id       INTEGER REFERENCES digests (id),
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    ref             TEXT    NOT NULL DEFAULT '',
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    sent_at         TEXT
);

-- The entries still to send, in id order: the sender pages through them.
CREATE INDEX outbox_due ON outbox (id, next_attempt_at) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_round ON outbox (round_id, kind);
CREATE INDEX outbox_ref ON outbox (ref) WHERE ref <> '';

CREATE TABLE updates (
    id              INTEGER PRIMARY KEY,
    forum_id        TEXT    NOT NULL,
    period          TEXT    NOT NULL,
    round_id        INTEGER NOT NULL REFERENCES rounds (id),
    commitment_id   TEXT    NOT NULL,
    member          TEXT    NOT NULL,
    grp             TEXT    NOT NULL,
    organisation    TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    completion      TEXT    NOT NULL,
    progress        TEXT    NOT NULL,
    blockers        TEXT    NOT NULL,
    next_steps      TEXT    NOT NULL,
    note            TEXT    NOT NULL,
    evidence        TEXT    NOT NULL,
    needs           TEXT    NOT NULL,
    milestones_done TEXT    NOT NULL,
    source          TEXT    NOT NULL CHECK (source IN ('form', 'thread', 'command')),
    submitted_at    TEXT    NOT NULL,
    correction      INTEGER NOT NULL,
    event_id        TEXT,
    -- Member first: it also serves "a member's updates" queries.
    UNIQUE (member, round_id, commitment_id, version)
);

CREATE UNIQUE INDEX updates_event ON updates (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX updates_period ON updates (forum_id, period);

CREATE TRIGGER updates_no_update BEFORE UPDATE ON updates
BEGIN SELECT RAISE(ABORT, 'updates are append-only: store a new version'); END;
CREATE TRIGGER updates_no_delete BEFORE DELETE ON updates
BEGIN SELECT RAISE(ABORT, 'updates are append-only'); END;
CREATE TRIGGER digests_no_update BEFORE UPDATE ON digests
BEGIN SELECT RAISE(ABORT, 'digests are append-only'); END;
CREATE TRIGGER digests_no_delete BEFORE DELETE ON digests
BEGIN SELECT RAISE(ABORT, 'digests are append-only'); END;

CREATE TABLE absences (
    member TEXT PRIMARY KEY,
    until  TEXT NOT NULL,
    set_at TEXT NOT NULL
);
