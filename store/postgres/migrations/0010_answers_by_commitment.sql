-- forumbot schema v10. A commitment's latest answers of a period (what
-- "/forum status C4" reads) are found by commitment and period. The period
-- index alone holds the whole forum's period, which a status reply then
-- read and filtered: ten times as long for a forum ten times as big.

CREATE INDEX answers_commitment_period ON answers (forum_id, commitment_id, period, update_id);
