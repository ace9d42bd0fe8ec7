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
 * How long a lock's record outlives its TTL, so that the next holder can tell a lock whose holder let it expire (a
 * crash, or Redis lost in the middle of a refresh: its rotated tokens may still land) from one that was released.
 */
export const lockRecordGraceMs = 86_400_000;

/**
 * The lock is a hash `{ owner, expiresAt, tookOver }` (times in ms of Redis's own clock, `TIME`), kept until
 * `lockRecordGraceMs` after it expires; a released lock is deleted. A lock key of another type (a string, written by
 * an earlier version) is held by that version's holder until its own expiry.
 */
const now = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('TYPE', KEYS[1]).ok == 'string' then return 0 end
local owner = redis.call('HGET', KEYS[1], 'owner')
local expiresAt = tonumber(redis.call('HGET', KEYS[1], 'expiresAt') or '0')`;

/**
 * Takes the lock for an owner. ARGV: the owner token, the TTL in ms, the grace in ms. Returns 0 when someone else
 * holds it; 1 when this owner took it and it was free or released; 2 when it was taken over from a holder that let it
 * expire. An earlier try of this same call (its answer lost) finds itself the owner: the TTL is renewed and the same
 * answer given.
 */
export const acquireLock: LuaScript = {
  source: `${now}
if owner == ARGV[1] then
  redis.call('HSET', KEYS[1], 'expiresAt', now + tonumber(ARGV[2]))
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]))
  return 1 + tonumber(redis.call('HGET', KEYS[1], 'tookOver'))
end
if owner and expiresAt > now then return 0 end
local tookOver = owner and 1 or 0
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'expiresAt', now + tonumber(ARGV[2]), 'tookOver', tookOver)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]))
return 1 + tookOver`,
};

/** Deletes the lock only if this owner still holds it. ARGV: the owner token. Returns 1 if it was deleted. */
export const releaseLock: LuaScript = {
  source: `${now}
if owner == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
};

/**
 * Pushes the expiry of the lock to now + TTL only if this owner still holds it and it has not expired. ARGV: owner,
 * TTL in ms, grace in ms. Returns 1 when extended, 0 when the lock was lost.
 */
export const extendLock: LuaScript = {
  source: `${now}
if owner ~= ARGV[1] or expiresAt <= now then return 0 end
redis.call('HSET', KEYS[1], 'expiresAt', now + tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]))
return 1`,
};
