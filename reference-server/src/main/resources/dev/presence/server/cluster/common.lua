-- Shared by every room script. KEYS: 1 seq, 2 seats, 3 states, 4 stateseq, 5 users, 6 epoch, 7 touched (when each
-- seat was last opened or restored, Redis clock in ms), 8 ended (seat to null reason, for seats their own node
-- ended lately), 9 endedat (when each of those is forgotten, Redis clock in ms), 10 events channel.
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
  redis.call('SPUBLISH', KEYS[10],
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

-- Forgets ended seats whose time is up, a bounded number per call so that no script runs long.
local function forget_ended(now)
  local old = redis.call('ZRANGEBYSCORE', KEYS[9], '-inf', now, 'LIMIT', 0, 256)
  if #old > 0 then
    redis.call('HDEL', KEYS[8], unpack(old))
    redis.call('ZREM', KEYS[9], unpack(old))
  end
end

-- Remembers how a seat ended, for lifetime_millis: a restore that Redis runs after the end (the node's commands
-- can reach Redis out of order when it must resend a script) cannot bring the seat back, and a node whose snapshot
-- comes after the end learns the real reason instead of finding the seat merely missing. Survives the room's keys.
local function remember_ended(seat, reason, lifetime_millis)
  local now = now_millis()
  forget_ended(now)
  redis.call('HSET', KEYS[8], seat, reason)
  redis.call('ZADD', KEYS[9], now + lifetime_millis, seat)
  redis.call('PEXPIRE', KEYS[8], lifetime_millis)
  redis.call('PEXPIRE', KEYS[9], lifetime_millis)
end
