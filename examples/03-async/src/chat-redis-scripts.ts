/**
 * The Lua scripts behind chat-redis.ts. Redis runs a script whole, with nothing else in between, so a nickname is
 * checked and claimed, and its join written to the stream, as one step no other node can split. The room's keys:
 *   chat:nicks          hash: nickname in lower case → "<node> <nickname>"
 *   chat:log            stream: the room's events, each { kind, nick, text | how }, the last 10,000 kept
 *   chat:nodes          sorted set: node → when its lease ends (Redis's own clock, so the nodes' clocks do not matter)
 *   chat:members:<node> set: the nicknames a node holds, so an expired node's members can be let go
 * These scripts name the per-node sets themselves, which a single Redis allows and Redis Cluster would not.
 */
export const log = 'chat:log';
export const nodesKey = 'chat:nodes';
export const keys = ['chat:nicks', log, nodesKey];

// Writes a leave for `lower` if it is still held by `node`; the others' view of the room changes only here.
const release = `
local function release(node, lower, how, history)
  local held = redis.call('HGET', KEYS[1], lower)
  if not held or string.sub(held, 1, #node + 1) ~= node .. ' ' then return false end
  redis.call('HDEL', KEYS[1], lower)
  redis.call('SREM', 'chat:members:' .. node, lower)
  return redis.call('XADD', KEYS[2], 'MAXLEN', '~', history, '*',
    'kind', 'leave', 'nick', string.sub(held, #node + 2), 'how', how)
end
`;

/** ARGV: node, nickname, history. Returns [join entry id, the others' nicknames], or nil if taken. */
export const joinScript = `
local lower = string.lower(ARGV[2])
if redis.call('HEXISTS', KEYS[1], lower) == 1 then return false end
local others = {}
for _, held in ipairs(redis.call('HVALS', KEYS[1])) do
  others[#others + 1] = string.match(held, ' (.*)$')
end
redis.call('HSET', KEYS[1], lower, ARGV[1] .. ' ' .. ARGV[2])
redis.call('SADD', 'chat:members:' .. ARGV[1], lower)
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'kind', 'join', 'nick', ARGV[2])
return { id, others }
`;

/** ARGV: node, nickname, how, history. Returns the leave entry's id, or nil if the node no longer held it. */
export const leaveScript = `${release}
return release(ARGV[1], string.lower(ARGV[2]), ARGV[3], ARGV[4])
`;

/**
 * ARGV: node, lease in ms, history, how, whether it may expire others ("1"), then every nickname (lower case) the
 * node has. Renews the node's lease, lets go of the members of nodes whose lease has ended (if it may) and of this
 * node's members it no longer has (a leave that did not
 * get through, or all of them, with `how`, when it stops). Returns the nicknames the node has that the room no longer counts as its own.
 */
export const heartbeatScript = `${release}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if ARGV[5] == '1' then
  for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
    for _, lower in ipairs(redis.call('SMEMBERS', 'chat:members:' .. node)) do
      release(node, lower, 'left (their server stopped answering)', ARGV[3])
    end
    redis.call('DEL', 'chat:members:' .. node)
    redis.call('ZREM', KEYS[3], node)
  end
end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
local here = {}
for i = 6, #ARGV do here[ARGV[i]] = true end
for _, lower in ipairs(redis.call('SMEMBERS', 'chat:members:' .. ARGV[1])) do
  if here[lower] then here[lower] = nil else release(ARGV[1], lower, ARGV[4], ARGV[3]) end
end
local lost = {}
for lower in pairs(here) do lost[#lost + 1] = lower end
return lost
`;
