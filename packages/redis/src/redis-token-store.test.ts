import { inspect } from "node:util";
import { ConfigurationError, TokenStoreError } from "@pintoken/core";
import { tokenStoreContract } from "@pintoken/core/testing";
import { ClientClosedError, ErrorReply, SimpleError } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClient, type TestClient, useRedis } from "../test/redis-server.ts";
import { sampleTokenSet } from "../test/sample-token-set.ts";
import { RedisStoreError } from "./errors.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

const redis = useRedis();
let serial = 0;
const freshKey = () => `user-${++serial}`;

describe("the TokenStore contract of @pintoken/core/testing", () => {
  // Each case gets a store on one of three connections, as separate server instances would have them.
  const clients: TestClient[] = [];
  let next = 0;
  beforeAll(async () => {
    clients.push(...(await Promise.all(Array.from({ length: 3 }, () => connectClient(redis.server.url)))));
  });
  afterAll(() => Promise.all(clients.map((c) => c.close())));
  const cases = tokenStoreContract({
    createStore: () =>
      new RedisTokenStore({ client: clients[next++ % clients.length] ?? redis.client, prefix: "contract:" }),
    cleanup: async (store, keys) => {
      for (const key of keys) await store.delete(key);
    },
    lockTtlMs: 1_000, // a TTL a loaded machine cannot overrun between two extensions
  });
  for (const { name, run } of cases) it(name, run, 20_000);

  it("leaves nothing behind in Redis: cleanup deleted every token set, and every lock was released or expired", async () => {
    await new Promise((resolve) => setTimeout(resolve, 400)); // the expiry cases' abandoned locks (300 ms TTL)
    expect(await redis.client.keys("contract:*")).toEqual([]);
  });
});

describe("RedisTokenStore", () => {
  it("writes <prefix>token:<key> and <prefix>lock:<key>, and stores with other prefixes do not see them", async () => {
    const key = freshKey();
    const a = new RedisTokenStore({ client: redis.client, prefix: "app-a:" });
    const b = new RedisTokenStore({ client: redis.client, prefix: "app-b:" });
    const tokens = sampleTokenSet();
    await a.set(key, tokens);
    const lock = await a.lock(key, 10_000);
    expect(await redis.client.exists(`app-a:token:${key}`)).toBe(1);
    expect(await redis.client.exists(`app-a:lock:${key}`)).toBe(1);
    expect(await b.get(key)).toBeUndefined();
    const other = await b.lock(key, 10_000); // another prefix, another lock
    await Promise.all([lock.release(), other.release()]);
    expect(await redis.client.exists(`app-a:lock:${key}`)).toBe(0);
    expect((await a.get(key))?.tokenSet).toEqual(tokens);
    expect(await new RedisTokenStore({ client: redis.client }).get(key)).toBeUndefined(); // default prefix "pintoken:"
  });

  it("a token set's key expires with its refresh token, renewed by every write (abandoned sessions leave Redis)", async () => {
    const key = freshKey();
    const store = new RedisTokenStore({ client: redis.client });
    const day = 86_400_000;
    const issuedAt = 1_700_000_000_000; // the app's clock, whatever it says: only the lifetime counts
    await store.set(key, sampleTokenSet({ issuedAt, refreshTokenExpiresAt: issuedAt + 60 * day }));
    const ttl = await redis.client.pTTL(`pintoken:token:${key}`);
    expect(ttl).toBeGreaterThan(60 * day - 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * day);
    const stored = await store.get(key);
    // A rotation that keeps the old refresh token's expiry (Pinterest sent none) shortens the key's life with it.
    await store.set(
      key,
      sampleTokenSet({ issuedAt: issuedAt + 10 * day, refreshTokenExpiresAt: issuedAt + 60 * day }),
      {
        ifVersion: stored?.version ?? null,
      },
    );
    expect(await redis.client.pTTL(`pintoken:token:${key}`)).toBeLessThanOrEqual(50 * day);
    // No refresh token (client credentials): nothing to go by, no expiry.
    const { refreshToken: _r, refreshTokenExpiresAt: _e, ...appOnly } = sampleTokenSet();
    await store.set(key, { ...appOnly, responseType: "client_credentials" });
    expect(await redis.client.pTTL(`pintoken:token:${key}`)).toBe(-1);
  });

  it("keys may hold any characters: colons, braces, spaces, unicode", async () => {
    const store = new RedisTokenStore({ client: redis.client });
    const keys = ["a:b", "{tag}x", "with space", "ünïcødé 🔑", "lock:user", "token:user"];
    for (const key of keys) await store.set(key, sampleTokenSet({ accessToken: `for ${key}` }));
    for (const key of keys) expect((await store.get(key))?.tokenSet.accessToken).toBe(`for ${key}`);
  });

  it("a lock's expiry is kept by Redis's clock, its record outlives it (for the next holder), and only its owner releases it", async () => {
    const key = freshKey();
    const store = new RedisTokenStore({ client: redis.client });
    const lockKey = `pintoken:lock:${key}`;
    const before = Date.now();
    const lock = await store.lock(key, 5_000);
    const record = await redis.client.hGetAll(lockKey);
    expect(Number(record.expiresAt)).toBeGreaterThan(before);
    expect(Number(record.expiresAt)).toBeLessThanOrEqual(Date.now() + 5_000 + 100);
    expect(record.tookOver).toBe("0");
    expect(await redis.client.pTTL(lockKey)).toBeGreaterThan(5_000); // kept for a day past its expiry
    // As if it expired and someone else took it:
    await redis.client.hSet(lockKey, { owner: "someone else", expiresAt: String(Date.now() + 5_000) });
    await lock.release();
    expect(await redis.client.hGet(lockKey, "owner")).toBe("someone else");
    expect(await lock.extend(10_000)).toBe(false);
    await redis.client.del(lockKey);
  });

  it("a lock released is gone; one that expired unreleased is taken over, and says so", async () => {
    const key = freshKey();
    const store = new RedisTokenStore({ client: redis.client });
    const first = await store.lock(key, 5_000);
    expect(first.tookOver).toBe(false);
    await first.release();
    expect(await redis.client.exists(`pintoken:lock:${key}`)).toBe(0);
    await store.lock(key, 200); // never released
    const next = await store.lock(key, 5_000);
    expect(next.tookOver).toBe(true);
    await next.release();
  });

  it("a lock key written by an earlier version (a string) is waited for until it expires", async () => {
    const key = freshKey();
    await redis.client.set(`pintoken:lock:${key}`, "an older holder", { PX: 300 });
    const started = performance.now();
    const lock = await new RedisTokenStore({ client: redis.client }).lock(key, 5_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(lock.tookOver).toBe(false);
    await lock.release();
  });

  it("lock() gives up after lockWaitMs with a RedisStoreError (lock_timeout) while another holder keeps it", async () => {
    const key = freshKey();
    const holder = await new RedisTokenStore({ client: redis.client }).lock(key, 30_000);
    const waiter = new RedisTokenStore({ client: redis.client, lockWaitMs: 300 });
    const error = await waiter.lock(key, 30_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error).toMatchObject({ code: "store_error", reason: "lock_timeout", key });
    expect((error as Error).message).toMatch(/lockWaitMs/);
    await holder.release();
  });

  it("a script Redis forgot (SCRIPT FLUSH, as after a restart) is loaded again", async () => {
    const key = freshKey();
    const store = new RedisTokenStore({ client: redis.client });
    await store.set(key, sampleTokenSet());
    await redis.client.scriptFlush();
    const current = await store.get(key);
    const next = sampleTokenSet();
    expect((await store.set(key, next, { ifVersion: current?.version ?? null })).ok).toBe(true);
    await redis.client.scriptFlush();
    const lock = await store.lock(key, 1_000);
    await redis.client.scriptFlush();
    expect(await lock.extend(2_000)).toBe(true);
    await redis.client.scriptFlush();
    await lock.release();
    expect(await redis.client.exists(`pintoken:lock:${key}`)).toBe(0);
  });

  it("Redis's error replies are told apart with class names mangled, as in a minified bundle (Next.js)", async () => {
    // What a minifier does to node-redis's classes; with a deadline of a minute, taking NOSCRIPT or WRONGTYPE for a
    // lost connection (retried until the deadline) would show as a wait of a minute.
    const renamed = [ErrorReply, SimpleError, ClientClosedError].map((type) => [type, type.name] as const);
    for (const [type] of renamed) Object.defineProperty(type, "name", { value: "s", configurable: true });
    try {
      const key = freshKey();
      const store = new RedisTokenStore({ client: redis.client, commandTimeoutMs: 60_000 });
      const started = performance.now();
      await redis.client.scriptFlush();
      const lock = await store.lock(key, 1_000);
      await redis.client.scriptFlush();
      await lock.release();
      await redis.client.set(`pintoken:token:${key}`, "a string");
      await expect(store.get(key)).rejects.toMatchObject({ reason: "rejected" });
      const closed = await connectClient(redis.server.url);
      await closed.close();
      const fromClosed = new RedisTokenStore({ client: closed, commandTimeoutMs: 60_000 });
      await expect(fromClosed.get(key)).rejects.toMatchObject({ reason: "unavailable", message: /client is closed/ });
      expect(performance.now() - started).toBeLessThan(30_000); // not a minute's deadline
    } finally {
      for (const [type, name] of renamed) Object.defineProperty(type, "name", { value: name, configurable: true });
    }
  }, 120_000);

  it("a value that is not a token set is an unreadable RedisStoreError, and is left untouched", async () => {
    const store = new RedisTokenStore({ client: redis.client });
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ["not-json", { version: "1", data: "{not json" }, /not JSON/],
      ["wrong-shape", { version: "1", data: JSON.stringify({ accessToken: 42 }) }, /fields of a token set/],
      ["no-version", { data: JSON.stringify(sampleTokenSet()) }, /not a token set written by this store/],
      ["encrypted", { version: "1", data: "v1.abc.def.ghi" }, /encrypted: pass the secret/],
    ];
    for (const [key, fields, why] of cases) {
      await redis.client.hSet(`pintoken:token:${key}`, fields);
      const error = await store.get(key).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ reason: "unreadable", key });
      expect((error as Error).message).toMatch(why);
      expect(await redis.client.hGetAll(`pintoken:token:${key}`)).toEqual(fields);
    }
  });

  it("any garbage stored under a key reads as an unreadable RedisStoreError that never echoes the value", async () => {
    const store = new RedisTokenStore({ client: redis.client, prefix: "garbage:" });
    const marker = "SECRET-LOOKING-VALUE";
    const values: string[] = [
      "",
      "null",
      "[]",
      '"a string"',
      "42",
      `{"accessToken":"${marker}"}`,
      `{"accessToken":"${marker}","tokenType":"bearer","scopes":"not-a-list","expiresAt":1,"responseType":"x"}`,
      `{"accessToken":"${marker}","tokenType":"bearer","scopes":[],"expiresAt":"soon","responseType":"x"}`,
      `v1.${marker}`,
      `v1.a.b.${marker}`,
      `${marker}\u0000\r\nSet-Cookie: x`,
      "🔑".repeat(10_000),
      marker.repeat(100_000), // 2 MB
    ];
    for (let i = 0; i < 50; i++) {
      values.push(String.fromCharCode(...Array.from({ length: 64 }, () => Math.floor(Math.random() * 0xd7ff))));
    }
    for (const [i, data] of values.entries()) {
      const key = `garbage-${i}`;
      await redis.client.hSet(`garbage:token:${key}`, { version: "1", data });
      const error = await store.get(key).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ reason: "unreadable" });
      expect(inspect(error, { depth: 10 })).not.toContain(marker);
      expect((error as Error).message.length).toBeLessThan(400);
    }
  });

  it("a key of another type under the prefix is a rejected RedisStoreError that names the fix", async () => {
    const key = freshKey();
    await redis.client.set(`pintoken:token:${key}`, "a plain string from another application");
    const error = await new RedisTokenStore({ client: redis.client }).get(key).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "RedisStoreError", reason: "rejected" });
    expect((error as Error).message).toMatch(/WRONGTYPE.*another prefix/);
  });

  it("a closed client fails at once with an unavailable RedisStoreError", async () => {
    const closed = await connectClient(redis.server.url);
    await closed.close();
    const started = performance.now();
    const error = await new RedisTokenStore({ client: closed, commandTimeoutMs: 30_000 }).get("x").catch((e) => e);
    expect(error).toMatchObject({ reason: "unavailable" });
    expect((error as Error).message).toMatch(/client is closed.*connect/);
    expect(performance.now() - started).toBeLessThan(10_000); // not the 30 s deadline
  });

  it("a client that answers unlike node-redis gets an error, never a 'nothing stored' that would sign the user out", async () => {
    const odd = new RedisTokenStore({ client: { sendCommand: async () => "OK" } });
    await expect(odd.get("k")).rejects.toMatchObject({ name: "RedisStoreError", reason: "rejected" });
  });

  it("bad arguments are ConfigurationErrors that say what to pass", async () => {
    const store = new RedisTokenStore({ client: redis.client });
    expect(() => new RedisTokenStore({} as never)).toThrow(/needs client.*createClient/);
    expect(() => new RedisTokenStore({ client: redis.client, commandTimeoutMs: 0 })).toThrow(ConfigurationError);
    expect(() => new RedisTokenStore({ client: redis.client, lockWaitMs: -1 })).toThrow(/lockWaitMs/);
    expect(() => new RedisTokenStore({ client: redis.client, prefix: 1 as never })).toThrow(/prefix/);
    expect(() => new RedisTokenStore({ client: redis.client, secret: "short" })).toThrow(/at least 32/);
    expect(() => new RedisTokenStore({ client: redis.client, secret: [] })).toThrow(/non-empty list/);
    await expect(store.get("")).rejects.toThrow(/non-empty string/);
    await expect(store.set("k", { accessToken: "x" } as never)).rejects.toThrow(/needs a TokenSet/);
    await expect(store.set("k", sampleTokenSet(), { ifVersion: 3 as never })).rejects.toThrow(/ifVersion/);
    await expect(store.lock("k", Number.NaN)).rejects.toThrow(/ttlMs/);
    expect(await store.get("k")).toBeUndefined(); // nothing was written by the refused calls
  });

  it("never shows tokens, the client or the secret in JSON.stringify or util.inspect", async () => {
    const secret = "a-secret-of-at-least-thirty-two-characters!";
    const store = new RedisTokenStore({ client: redis.client, secret, prefix: "shown:" });
    const tokens = sampleTokenSet();
    await store.set("k", tokens);
    for (const shown of [JSON.stringify(store), inspect(store, { depth: 10, showHidden: true }), `${String(store)}`]) {
      expect(shown).not.toContain(tokens.accessToken);
      expect(shown).not.toContain(secret);
      expect(shown).not.toMatch(/redis:\/\//);
    }
    expect(JSON.parse(JSON.stringify(store))).toEqual({ prefix: "shown:", encrypted: true });
    const lock = await store.lock("k", 1_000);
    expect(JSON.stringify(lock)).toBe('{"tookOver":false}'); // no owner token, no client
    await lock.release();
  });
});
