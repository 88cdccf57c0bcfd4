-- Installs a new term's token (issued by PostgreSQL) as Redis's fencing counter, which the candle script
-- compares against: from here on a writer with a lower token is refused.
-- KEYS[1] = oracle:leader:election, KEYS[2] = oracle:leader:fencing
-- ARGV[1] = instance id, ARGV[2] = the new token
-- Returns 1 when installed; 0 when the lease is no longer ours or a higher token is already installed
-- (then this term never starts).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
local token = tonumber(ARGV[2])
if current > token then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1
