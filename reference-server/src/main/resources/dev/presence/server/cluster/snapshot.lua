-- ARGV: 1 epoch for a room Redis does not hold yet, which then starts and lives a minute unless a seat arrives.
-- Returns {seq, epoch, number of seats, then per seat: seat, record, state, state seq, then per seat its own node
-- ended lately: seat, null reason}.
start_room(ARGV[1], 60000)
local records = redis.call('HGETALL', KEYS[2])
local out = {tostring(redis.call('GET', KEYS[1]) or '0'), redis.call('GET', KEYS[6]) or '', tostring(#records / 2)}
for i = 1, #records, 2 do
  local seat = records[i]
  out[#out + 1] = seat
  out[#out + 1] = records[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[3], seat) or ''
  out[#out + 1] = tostring(redis.call('HGET', KEYS[4], seat) or '0')
end
forget_ended(now_millis())
local ended = redis.call('HGETALL', KEYS[8])
for i = 1, #ended do
  out[#out + 1] = ended[i]
end
return out
