-- Take the lease (or take our own again: we stepped down while it was still alive).
-- KEYS[1] = oracle:leader:election, KEYS[2] = oracle:leader:fencing, KEYS[3] = oracle:leader:epoch
-- ARGV[1] = instance id, ARGV[2] = lease TTL in milliseconds
-- Returns {fencing counter (0 when missing), lease epoch}: the counter is a floor the term's token must
-- exceed; the epoch numbers this grant of the lease (every grant gets a higher one), and the database
-- issues a token only to a claim newer than the last one it served, so a delayed request of an instance
-- that has since lost the lease gets none. The token itself is issued by PostgreSQL (durable, so a Redis
-- restart cannot issue one twice) and installed with leader_install.lua. Returns false when another
-- instance holds the lease.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) or redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('INCR', KEYS[3])}
end
return false
