-- Fencing tokens are issued here, not by Redis: an election takes the next token with one UPDATE of the
-- 'writer' row (row-locked, so concurrent elections serialise and each gets its own token), which also
-- fences off every writer of an earlier term at once. A Redis restart or failover cannot re-issue a token.
ALTER TABLE oracle_fencing ADD COLUMN holder text;
INSERT INTO oracle_fencing (name, token) VALUES ('writer', 0) ON CONFLICT (name) DO NOTHING;
