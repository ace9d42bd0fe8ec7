import type { LuaScript } from "./commands.ts";

/**
 * Compare-and-set of a token set. The key is a hash `{ version, data }`.
 * ARGV: mode (`any` | `absent` | `match`), the expected version, the new version, the data, and the key's TTL in ms
 * (`""`: none).
 * Returns 1 when written, 0 when the stored version did not match. A write whose new version is already stored
 * was done by an earlier try of this same call (its answer was lost), so it counts as written.
 */
export const compareAndSet: LuaScript = {
  source: `local current = redis.call('HGET', KEYS[1], 'version')
if current == ARGV[3] then return 1 end
if ARGV[1] == 'absent' and current then return 0 end
if ARGV[1] == 'match' and current ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'version', ARGV[3], 'data', ARGV[4])
if ARGV[5] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
return 1`,
};

/**
 * Takes the lock for an owner. ARGV: the owner token, the TTL in ms. Returns 1 when the owner holds the lock
 * (taken now, or already by an earlier try of this same call: then its TTL is renewed), 0 when someone else does.
 */
export const acquireLock: LuaScript = {
  source: `local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`,
};

/** Deletes the lock only if this owner still holds it. ARGV: the owner token. Returns 1 if it was deleted. */
export const releaseLock: LuaScript = {
  source: `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
};

/** Pushes the expiry of the lock to now + TTL only if this owner still holds it. ARGV: owner, TTL in ms. */
export const extendLock: LuaScript = {
  source: `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`,
};
