-- ARGV: 1 a lost node, 2 null reason number. Ends every seat of that node; returns how many.
local records = redis.call('HGETALL', KEYS[2])
local ended = 0
for i = 1, #records, 2 do
  local node = unns(records[i + 1], 1)
  if node == ARGV[1] then
    end_seat(records[i], ARGV[2])
    ended = ended + 1
  end
end
return ended
