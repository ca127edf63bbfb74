-- ARGV: 1 seat, 2 node, 3 user id, 4 User bytes, 5 max sessions per room, 6 max sessions per user,
-- 7 epoch for a new room, 8 '1' to restore a seat the room may have lost (no limits), 9 state.
-- Returns {seq, epoch}; {-1} when the room is full, {-2} when the user has too many sessions, {-3} when the seat
-- has ended: a restore that reached Redis after the seat's end must not bring it back.
start_room(ARGV[7], 60000)
local epoch = redis.call('GET', KEYS[6])
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
  touch(ARGV[1])
  if (redis.call('HGET', KEYS[3], ARGV[1]) or '') == ARGV[9] then
    return {tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0'), epoch}
  end
  local seq = redis.call('INCR', KEYS[1])
  set_state(ARGV[1], ARGV[9], seq)
  publish(seq, 'S', ARGV[1], ARGV[2], '', ARGV[9])
  return {seq, epoch}
end
if redis.call('HEXISTS', KEYS[8], ARGV[1]) == 1 then
  return {-3}
end
if ARGV[8] ~= '1' then
  if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[5]) then
    return {-1}
  end
  if tonumber(redis.call('HGET', KEYS[5], ARGV[3]) or '0') >= tonumber(ARGV[6]) then
    return {-2}
  end
end
redis.call('PERSIST', KEYS[6])
redis.call('PERSIST', KEYS[1])
local seq = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[1], ns(ARGV[2]) .. ns(ARGV[3]) .. ns(ARGV[4]))
redis.call('HINCRBY', KEYS[5], ARGV[3], 1)
touch(ARGV[1])
set_state(ARGV[1], ARGV[9], seq)
publish(seq, 'O', ARGV[1], ARGV[2], ARGV[4], ARGV[9])
return {seq, epoch}
