/**
 * The three ways a fleet on Redis used to sign users out while valid tokens existed, each played for real: Pinterest
 * (the mock, over HTTP) slower than the client's timeout; Redis killed in the middle of a refresh and down past the
 * holder's lock; a holder whose release failed. Each instance has its own connection and store, as separate servers
 * do. Redis keeps an append-only file, so it comes back with its data.
 */
import {
  createPinterestOAuth,
  createTokenManager,
  PinterestTimeoutError,
  type TokenManagerEvent,
  type TokenStore,
} from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectClient, type TestClient, useRedis } from "../test/redis-server.ts";
import { refreshCalls, signInExpired } from "../test/rotation.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

const redis = useRedis({ persistent: true });
let pinterest: MockPinterestServer;
const clients: TestClient[] = [];
let serial = 0;
const prefix = "faults:";

beforeAll(async () => {
  pinterest = await startMockPinterest();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await pinterest?.close();
});

/** An instance's own store: its own connection. */
async function instanceStore(commandTimeoutMs = 2_000): Promise<RedisTokenStore> {
  const client = await connectClient(redis.server.url);
  clients.push(client);
  return new RedisTokenStore({ client, prefix, commandTimeoutMs });
}

const oauth = (timeoutMs = 10_000) =>
  createPinterestOAuth({
    clientId: mockClient.clientId,
    clientSecret: mockClient.clientSecret,
    baseUrl: pinterest.apiBaseUrl,
    timeoutMs,
  });

/** Resolves once `condition()` holds (checked every 10 ms, for up to 20 s). */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (const started = performance.now(); !(await condition()); ) {
    if (performance.now() - started > 20_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const lockHeld = (key: string) => async () => (await redis.client.exists(`${prefix}lock:${key}`)) === 1;

it("1. Pinterest slower than the client's timeout (twice): callers stop waiting, the late answer is saved, and no second refresh is sent with the same token", async () => {
  const store = await instanceStore();
  const key = `slow-${++serial}`;
  const before = await signInExpired(pinterest, store, key);
  const slow = pinterest.mock.scenario({ grantType: "refresh_token" }).slow(1_500).times(2);
  const manager = createTokenManager({ oauth: oauth(500), store, key });
  const error = await manager.getAccessToken().catch((e) => e);
  expect(error).toBeInstanceOf(PinterestTimeoutError); // the token had expired: nothing to fall back on meanwhile
  await until(async () => (await store.get(key))?.tokenSet.refreshToken !== before.refreshToken, "the late save");
  slow.cancel();
  const [call, ...others] = refreshCalls(pinterest);
  expect(others).toEqual([]);
  expect(call?.status).toBe(200);
  const answer = call?.body as { access_token: string; refresh_token: string };
  expect((await store.get(key))?.tokenSet.refreshToken).toBe(answer.refresh_token);
  expect(await manager.getAccessToken()).toBe(answer.access_token);
  expect(refreshCalls(pinterest)).toHaveLength(1);
  expect(pinterest.mock.inspectToken(answer.refresh_token)?.status).toBe("active");
  expect(pinterest.mock.inspectToken(before.refreshToken as string)?.status).toBe("rotated");
}, 30_000);

it("2. Redis killed mid-refresh and down past the holder's lock: the next instance takes the lock over, is refused by Pinterest, waits for the holder's late save, and nobody is signed out", async () => {
  const key = `outage-${++serial}`;
  const before = await signInExpired(pinterest, await instanceStore(), key);
  // Instance A: Redis dies while its refresh is at Pinterest. Its first save fails; its later saves are held back
  // (a slow process) until B has been refused, so that B surely refreshes with the retired token first.
  const aInner = await instanceStore(300);
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let saves = 0;
  const aStore: TokenStore = {
    get: (k) => aInner.get(k),
    delete: (k) => aInner.delete(k),
    lock: (k, ttl, options) => aInner.lock(k, ttl, options),
    async set(k, tokens, options) {
      if (saves++ > 0) await held;
      return aInner.set(k, tokens, options);
    },
  };
  const aEvents: TokenManagerEvent[] = [];
  const a = createTokenManager({
    oauth: oauth(),
    store: aStore,
    key,
    lockTtlMs: 2_000,
    onEvent: (e) => aEvents.push(e),
  });
  pinterest.mock.scenario({ grantType: "refresh_token" }).slow(1_000);
  const aCall = a.getAccessToken();
  await until(lockHeld(key), "A's lock");
  await redis.server.kill();
  const aToken = await aCall; // A's callers get the rotated token, kept in memory
  await new Promise((resolve) => setTimeout(resolve, 2_500)); // A's lock (2 s) has run out
  await redis.server.restart();

  const bEvents: TokenManagerEvent[] = [];
  const b = createTokenManager({
    oauth: oauth(),
    store: await instanceStore(),
    key,
    lockTtlMs: 10_000,
    onEvent: (e) => bEvents.push(e),
  });
  const bCall = b.getAccessToken();
  await until(() => refreshCalls(pinterest).length === 2, "B's refresh");
  expect(refreshCalls(pinterest)[1]?.status).toBe(401); // the refresh token A used is retired
  release();
  expect(await bCall).toBe(aToken);
  expect(bEvents.find((e) => e.type === "lock-taken")).toMatchObject({ tookOver: true });
  expect(bEvents.map((e) => e.type)).toContain("newer-tokens-found");
  expect(aEvents.map((e) => e.type)).toEqual(expect.arrayContaining(["lock-lost", "store-error", "saved"]));
  expect([...aEvents, ...bEvents].map((e) => e.type)).not.toContain("reauthorization-required");
  const stored = (await aInner.get(key))?.tokenSet;
  expect(stored?.accessToken).toBe(aToken);
  expect(pinterest.mock.inspectToken(stored?.refreshToken as string)?.status).toBe("active");
  expect(pinterest.mock.inspectToken(before.refreshToken as string)?.status).toBe("rotated");
}, 60_000);

it("3. a holder whose release fails (Redis killed right after its save): the waiting instance sees the saved tokens within a poll, not after the lock's TTL, and the release lands once Redis is back", async () => {
  const key = `left-${++serial}`;
  await signInExpired(pinterest, await instanceStore(), key);
  const aInner = await instanceStore(300);
  let killed = false;
  const aStore: TokenStore = {
    get: (k) => aInner.get(k),
    delete: (k) => aInner.delete(k),
    lock: (k, ttl, options) => aInner.lock(k, ttl, options),
    async set(k, tokens, options) {
      const written = await aInner.set(k, tokens, options);
      if (!killed) {
        killed = true;
        await redis.server.kill(); // before A can release its lock
        setTimeout(() => void redis.server.restart(), 300);
      }
      return written;
    },
  };
  const a = createTokenManager({ oauth: oauth(), store: aStore, key, lockTtlMs: 20_000 });
  const b = createTokenManager({ oauth: oauth(), store: await instanceStore(), key, lockTtlMs: 20_000 });
  pinterest.mock.scenario({ grantType: "refresh_token" }).slow(1_000);
  const aCall = a.getAccessToken();
  await until(lockHeld(key), "A's lock");
  const bCall = b.getAccessToken(); // waits for A's lock, watching the store
  const aToken = await aCall;
  const saved = performance.now();
  expect(await bCall).toBe(aToken);
  expect(performance.now() - saved).toBeLessThan(10_000); // not the lock's 20 s
  await until(async () => !(await lockHeld(key)()), "A's release, tried again");
  expect(refreshCalls(pinterest)).toHaveLength(1);
}, 60_000);

it("4. a dead Redis fails a caller within about one commandTimeoutMs (no retries on top of the store's own)", async () => {
  const key = `dead-${++serial}`;
  const store = await instanceStore(500);
  await signInExpired(pinterest, store, key);
  await redis.server.kill();
  try {
    const started = performance.now();
    const error = await createTokenManager({ oauth: oauth(), store, key })
      .getAccessToken()
      .catch((e) => e);
    const took = performance.now() - started;
    expect(error).toMatchObject({ code: "store_error", reason: "unavailable" });
    expect(took).toBeLessThan(2 * 500); // one deadline, not three
  } finally {
    await redis.server.restart();
  }
}, 30_000);
