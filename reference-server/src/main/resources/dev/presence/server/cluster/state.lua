-- ARGV: 1 seat, 2 node, 3 state. Returns the change's seq, or 0 when the room does not hold the seat.
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  return 0
end
local seq = redis.call('INCR', KEYS[1])
set_state(ARGV[1], ARGV[3], seq)
publish(seq, 'S', ARGV[1], ARGV[2], '', ARGV[3])
return seq
