-- forumbot schema v8. The record is chained, so that an edit made outside
-- the bot shows: every stored update version and every digest gets an
-- entry in its forum's chain, numbered from 1, whose hash is SHA-256 over
-- the previous entry's hash and a canonical encoding of the row (chain.go
-- has the encoding; docs/RELIABILITY.md spells it out). The store adds the
-- entry in the transaction that inserts the row; `forumbot verify`
-- recomputes the chain. fields holds a short fingerprint of each column,
-- so that verify can say which column of a row differs. The rows already
-- stored are chained by the store when it applies this migration, in the
-- order they were stored.

CREATE TABLE record_chain (
    forum_id TEXT    NOT NULL,
    seq      INTEGER NOT NULL,
    tbl      TEXT    NOT NULL CHECK (tbl IN ('updates', 'digests')),
    row_id   INTEGER NOT NULL,
    hash     TEXT    NOT NULL,
    fields   TEXT    NOT NULL,
    PRIMARY KEY (forum_id, seq)
) WITHOUT ROWID;

CREATE UNIQUE INDEX record_chain_row ON record_chain (tbl, row_id);

CREATE TRIGGER record_chain_no_update BEFORE UPDATE ON record_chain
BEGIN SELECT RAISE(ABORT, 'the record chain is append-only'); END;
CREATE TRIGGER record_chain_no_delete BEFORE DELETE ON record_chain
BEGIN SELECT RAISE(ABORT, 'the record chain is append-only'); END;
