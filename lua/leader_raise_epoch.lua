-- Raise the lease epoch counter to at least the epoch the database last served (Redis lost the counter:
-- a restart without persistence, a failover to a replica that lacked it), so the next grant's claim is
-- newer again. Never lowers it.
-- KEYS[1] = oracle:leader:epoch; ARGV[1] = the database's epoch
-- Returns the counter after the call.
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[1])
if current < floor then
  redis.call('SET', KEYS[1], ARGV[1])
  return floor
end
return current
