-- Acquire leadership and issue a fencing token in one atomic step.
-- KEYS[1] = oracle:leader:election, KEYS[2] = oracle:leader:fencing
-- ARGV[1] = instance id, ARGV[2] = lease TTL in milliseconds
-- Returns the new fencing token, or false when another instance holds the lease.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  -- Our own lease from an earlier term (we stepped down while it was still alive):
  -- take it again under a new token so writes of the earlier term are fenced off.
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return redis.call('INCR', KEYS[2])
end
return false
