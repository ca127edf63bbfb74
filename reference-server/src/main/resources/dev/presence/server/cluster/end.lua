-- ARGV: 1 seat, 2 null reason number, 3 the ending node's id, 4 how long the room remembers the end, in ms.
-- Returns the seq of the seat's end, or 0 when the room did not hold it and is gone. A seat the room no longer holds
-- (Redis restarted empty, or lost it while the node was away) is still announced while the room exists: other
-- nodes may hold it from before and must learn how it ended, not time it out.
local seq = end_seat(ARGV[1], ARGV[2])
remember_ended(ARGV[1], ARGV[2], tonumber(ARGV[4]))
if seq ~= 0 or redis.call('EXISTS', KEYS[6]) == 0 then
  return seq
end
seq = redis.call('INCR', KEYS[1])
publish(seq, 'E', ARGV[1], ARGV[3], ARGV[2], '')
return seq
