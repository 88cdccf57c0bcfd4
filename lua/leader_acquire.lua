-- Take the lease (or take our own again: we stepped down while it was still alive).
-- KEYS[1] = oracle:leader:election, KEYS[2] = oracle:leader:fencing
-- ARGV[1] = instance id, ARGV[2] = lease TTL in milliseconds
-- Returns Redis's fencing counter (0 when missing): a floor the term's token must exceed. The token
-- itself is issued by PostgreSQL (durable, so a Redis restart cannot issue one twice) and installed
-- with leader_install.lua. Returns false when another instance holds the lease.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) or redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(redis.call('GET', KEYS[2]) or '0')
end
return false
