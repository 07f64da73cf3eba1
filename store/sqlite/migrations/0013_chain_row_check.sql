-- forumbot schema v13. The record chain loses its index by row (tbl,
-- row_id). It was kept only to refuse a second entry for a row, which the
-- store never writes, and every stored answer paid for it: one more page
-- written per commit (docs/BENCHMARKS.md, "Storing updates"). Whether a
-- row is chained once is now checked where it matters, by `forumbot
-- verify`, which walks the chain and names an entry that chains a row a
-- second time, whoever wrote it.

DROP INDEX record_chain_row;
