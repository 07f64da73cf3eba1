-- forumbot schema v12 (PostgreSQL): the record chain loses its index by row, as in
-- store/sqlite's 0013, which says why; `forumbot verify` names an entry
-- that chains a row a second time.

DROP INDEX record_chain_row;
