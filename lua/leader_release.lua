-- Compare-and-delete: release the lease only if we still hold it.
-- KEYS[1] = oracle:leader:election; ARGV[1] = instance id
-- Returns 1 when released, 0 when the lease was not ours.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
