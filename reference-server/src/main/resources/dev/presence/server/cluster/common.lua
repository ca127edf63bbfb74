-- Shared by every room script. KEYS: 1 seq, 2 seats, 3 states, 4 stateseq, 5 users, 6 epoch, 7 touched (when each
-- seat was last opened or restored, Redis clock in ms), 8 events channel.
-- A seat's record is ns(node) .. ns(user id) .. ns(User bytes); a state is '' (none) or '=' .. Struct bytes.
local function ns(s)
  return #s .. ':' .. s .. ','
end

local function unns(s, i)
  local colon = string.find(s, ':', i, true)
  local n = tonumber(string.sub(s, i, colon - 1))
  return string.sub(s, colon + 1, colon + n), colon + n + 2
end

-- A room starts its numbers at Redis's clock in microseconds, so that a room Redis began afresh (after a restart,
-- or after it emptied) numbers every change above what the room numbered before: states stay comparable across
-- epochs. The room's keys expire unless a seat arrives to keep them.
local function start_room(epoch, lifetime_millis)
  if redis.call('EXISTS', KEYS[6]) == 1 then
    return
  end
  local t = redis.call('TIME')
  redis.call('SET', KEYS[6], epoch, 'PX', lifetime_millis)
  redis.call('SET', KEYS[1], t[1] .. string.format('%06d', tonumber(t[2])), 'PX', lifetime_millis)
end

local function publish(seq, kind, seat, node, a, b)
  local epoch = redis.call('GET', KEYS[6]) or ''
  redis.call('SPUBLISH', KEYS[8],
    ns(epoch) .. ns(string.format('%.0f', seq)) .. ns(kind) .. ns(seat) .. ns(node) .. ns(a) .. ns(b))
end

local function now_millis()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function touch(seat)
  redis.call('HSET', KEYS[7], seat, now_millis())
end

local function set_state(seat, state, seq)
  if state == '' then
    redis.call('HDEL', KEYS[3], seat)
  else
    redis.call('HSET', KEYS[3], seat, state)
  end
  redis.call('HSET', KEYS[4], seat, seq)
end

-- Removes a seat and tells the room; the last seat out removes the room, whose next seat starts a new epoch.
local function end_seat(seat, reason)
  local record = redis.call('HGET', KEYS[2], seat)
  if not record then
    return 0
  end
  local node, i = unns(record, 1)
  local user = unns(record, i)
  redis.call('HDEL', KEYS[2], seat)
  redis.call('HDEL', KEYS[3], seat)
  redis.call('HDEL', KEYS[4], seat)
  redis.call('HDEL', KEYS[7], seat)
  if redis.call('HINCRBY', KEYS[5], user, -1) <= 0 then
    redis.call('HDEL', KEYS[5], user)
  end
  local seq = redis.call('INCR', KEYS[1])
  publish(seq, 'E', seat, node, reason, '')
  if redis.call('HLEN', KEYS[2]) == 0 then
    redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
  end
  return seq
end
