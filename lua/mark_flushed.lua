-- Marks one candle hash as persisted, only if it has not changed since the flush read it.
-- KEYS[1] = oracle:candle:{symbol}:{minute}
-- ARGV[1] = updated_at as read by the flush ('' when the hash had none)
-- ARGV[2] = flushed_at (Unix ms)   ARGV[3] = TTL seconds
-- Returns 1 when marked, 0 when the candle changed meanwhile (the next flush writes it again)
-- or no longer exists.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local current = redis.call('HGET', KEYS[1], 'updated_at')
if current == false then current = '' end
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'flushed_at', ARGV[2])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
