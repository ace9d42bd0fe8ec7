import type { DueEntry } from "@pintoken/core";
import { expect, it } from "vitest";
import { useRedis } from "../test/redis-server.ts";
import { sampleTokenSet } from "../test/sample-token-set.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

const redis = useRedis();
/** Expiry times a day ahead: a set whose refresh token already expired is gone from Redis (its key expires with it). */
const base = Date.now() + 86_400_000;

it("keeps <prefix>due, a sorted set of keys scored by refresh-token expiry, with every write and delete", async () => {
  const store = new RedisTokenStore({ client: redis.client, prefix: "idx:", commandTimeoutMs: 30_000 });
  await store.set("a", { ...sampleTokenSet(), refreshTokenExpiresAt: base + 5_000 });
  await store.set("b", { ...sampleTokenSet(), refreshTokenExpiresAt: base + 7_000 });
  expect(await redis.client.zRangeWithScores("idx:due", 0, -1)).toEqual([
    { value: "a", score: base + 5_000 },
    { value: "b", score: base + 7_000 },
  ]);
  const { refreshToken: _, refreshTokenExpiresAt: __, ...appToken } = sampleTokenSet();
  await store.set("a", { ...appToken, responseType: "client_credentials" });
  await store.delete("b");
  expect(await redis.client.zCard("idx:due")).toBe(0);
});

it("pages through 300 keys sharing one expiry, in byte order, each once, whatever their characters", async () => {
  // A deadline no loaded machine misses: this test is about order, not time.
  const store = new RedisTokenStore({ client: redis.client, prefix: "ties:", commandTimeoutMs: 30_000 });
  const keys = Array.from({ length: 300 }, (_, i) => `user:${["é", "a", "Z", "😀", ""][i % 5]}${i}`);
  for (let i = 0; i < keys.length; i += 50)
    await Promise.all(
      keys.slice(i, i + 50).map((key) => store.set(key, { ...sampleTokenSet(), refreshTokenExpiresAt: base + 9_000 })),
    );
  await store.set("later", { ...sampleTokenSet(), refreshTokenExpiresAt: base + 9_001 });
  const seen: string[] = [];
  let after: DueEntry | undefined;
  for (;;) {
    const page = await store.due(base + 9_001, { limit: 7, after });
    seen.push(...page.map((e) => e.key));
    if (page.length < 7) break;
    after = page.at(-1);
  }
  const bytes = (key: string) => Buffer.from(key);
  expect(seen).toEqual([...keys].sort((x, y) => Buffer.compare(bytes(x), bytes(y))));
});

it("refuses a due() without a whole limit, and takes Infinity as the time", async () => {
  const store = new RedisTokenStore({ client: redis.client, prefix: "args:", commandTimeoutMs: 30_000 });
  await store.set("k", { ...sampleTokenSet(), refreshTokenExpiresAt: base + 1 });
  await expect(store.due(10, { limit: 0 })).rejects.toThrow(/limit: a whole number ≥ 1/);
  expect(await store.due(Number.POSITIVE_INFINITY, { limit: 5 })).toEqual([
    { key: "k", refreshTokenExpiresAt: base + 1 },
  ]);
});
