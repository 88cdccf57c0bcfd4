-- Re-issues the leader's fencing token above a floor the database has already seen. Needed when Redis
-- lost its data (restart without persistence, failover to a lagging replica, FLUSHALL): the counter
-- starts over, every new token is below the one the database kept, and every write would be refused.
-- KEYS[1] = oracle:leader:election, KEYS[2] = oracle:leader:fencing
-- ARGV[1] = instance id, ARGV[2] = the highest token the database has seen
-- Returns the new token (above the floor), or false when the lease is not ours or the counter is not
-- behind (then a newer term really exists).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
local floor = tonumber(ARGV[2])
if current >= floor then return false end
redis.call('SET', KEYS[2], floor)
return redis.call('INCR', KEYS[2])
