-- ARGV: 1 a lost node, 2 null reason number, 3 the node key's lifetime in ms. Ends every seat of that node that was
-- not opened or restored within the last key lifetime: a node that has just come back restores its seats before
-- its key, and a reaper that found the key missing a moment earlier must not end them. Returns how many ended.
local records = redis.call('HGETALL', KEYS[2])
local now = now_millis()
local ended = 0
for i = 1, #records, 2 do
  local node = unns(records[i + 1], 1)
  local touched = tonumber(redis.call('HGET', KEYS[7], records[i]) or '0')
  if node == ARGV[1] and now - touched >= tonumber(ARGV[3]) then
    end_seat(records[i], ARGV[2])
    ended = ended + 1
  end
end
return ended
