-- Compare-and-extend: only the holder may extend its lease.
-- KEYS[1] = oracle:leader:election; ARGV[1] = instance id, ARGV[2] = lease TTL in milliseconds
-- Returns 1 when extended, 0 when the lease is not ours (lost or expired).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
