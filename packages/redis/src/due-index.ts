/**
 * The due index of `RedisTokenStore.due()`: one sorted set per prefix (`<prefix>due`), the store keys as members and
 * their refresh tokens' expiry (epoch ms) as scores. It is kept with every write: after a write, `indexDue` sets the
 * key's score, but only if the token hash still holds that write's version (so two writers' updates cannot land out of
 * order); `delete()` removes the member after the token set (a member whose set is gone is harmless: keep-alive finds
 * it signed out). A write whose index step fails (Redis lost in between) leaves the previous score until the key's next
 * write. Pages are read by `dueRange`.
 */
import type { DueEntry } from "@pintoken/core";
import { type CommandContext, type LuaScript, type RedisCommandClient, runScript } from "./commands.ts";

/**
 * KEYS: the token hash, the index. ARGV: the version just written, its refresh token's expiry (`""`: none), the key.
 * Returns 1 when the index follows that write, 0 when a newer write has replaced it (and indexes itself).
 */
export const indexDue: LuaScript = {
  source: `if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('ZREM', KEYS[2], ARGV[3]) else redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3]) end
return 1`,
};

/**
 * KEYS: the index. ARGV: before (exclusive), limit, and the entry to start after (score and member; `""` for the
 * first page). Returns member, score, member, score… for the members ordered by score, then member (Redis orders equal
 * scores by their bytes): the first `limit` after the cursor whose score is below `before`. The cursor's rank is found
 * by counting the lower scores and searching the block of equal ones by bytes, so a page costs O(log n + limit), and
 * members that moved or went since the previous page (refreshed, deleted) make it skip nothing.
 */
export const dueRange: LuaScript = {
  source: `local index, before, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local start = 0
if ARGV[3] ~= '' then
  local score, key = ARGV[3], ARGV[4]
  local function notAfter(a, b)
    for i = 1, math.min(#a, #b) do
      local x, y = string.byte(a, i), string.byte(b, i)
      if x ~= y then return x < y end
    end
    return #a <= #b
  end
  local lo = redis.call('ZCOUNT', index, '-inf', '(' .. score)
  local hi = lo + redis.call('ZCOUNT', index, score, score)
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if notAfter(redis.call('ZRANGE', index, mid, mid)[1], key) then lo = mid + 1 else hi = mid end
  end
  start = lo
end
local page = redis.call('ZRANGE', index, start, start + limit - 1, 'WITHSCORES')
local out = {}
for i = 1, #page, 2 do
  if tonumber(page[i + 1]) >= before then break end
  out[#out + 1] = page[i]
  out[#out + 1] = page[i + 1]
end
return out`,
};

/** One page of the index as `DueEntry`s (see {@link dueRange}). */
export async function dueEntries(
  client: RedisCommandClient,
  index: string,
  before: number,
  options: { limit: number; after?: DueEntry | undefined },
  ctx: CommandContext,
): Promise<DueEntry[]> {
  const { limit, after } = options;
  const args = [String(before), String(limit), after ? String(after.refreshTokenExpiresAt) : "", after?.key ?? ""];
  const reply = (await runScript(client, dueRange, index, args, ctx)) as unknown[];
  const entries: DueEntry[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2)
    entries.push({ key: String(reply[i]), refreshTokenExpiresAt: Number(reply[i + 1]) });
  return entries;
}
