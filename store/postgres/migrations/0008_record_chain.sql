-- forumbot schema v8: the record chain (store/sqlite's 0008; the format is
-- store.ChainHash's, the same on both stores). The store adds each entry
-- in the transaction that inserts the row, holding its forum's lock.

CREATE TABLE record_chain (
    forum_id TEXT   NOT NULL,
    seq      BIGINT NOT NULL,
    tbl      TEXT   NOT NULL CHECK (tbl IN ('updates', 'digests')),
    row_id   BIGINT NOT NULL,
    hash     TEXT   NOT NULL,
    fields   TEXT   NOT NULL,
    PRIMARY KEY (forum_id, seq)
);

CREATE UNIQUE INDEX record_chain_row ON record_chain (tbl, row_id);

CREATE TRIGGER record_chain_no_update BEFORE UPDATE ON record_chain
    FOR EACH ROW EXECUTE FUNCTION forumbot_refuse('the record chain is append-only');
CREATE TRIGGER record_chain_no_delete BEFORE DELETE ON record_chain
    FOR EACH ROW EXECUTE FUNCTION forumbot_refuse('the record chain is append-only');
CREATE TRIGGER record_chain_no_truncate BEFORE TRUNCATE ON record_chain
    FOR EACH STATEMENT EXECUTE FUNCTION forumbot_refuse('the record chain is append-only');
