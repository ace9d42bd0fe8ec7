/**
 * Forced interleavings: one instance is stopped just before it writes its refreshed tokens. Only slow, it keeps its
 * lock (the token manager extends it) and the others wait. Frozen (a paused process), its lock expires and other
 * instances refresh and write meanwhile. Whatever the order, the store never goes back to an older refresh token.
 * Each instance is its own RedisTokenStore on its own connection, as separate servers would be.
 */
import {
  createPinterestOAuth,
  createTokenManager,
  type TokenManagerEvent,
  type TokenSet,
  type TokenStore,
} from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectClient, type TestClient, useRedis } from "../test/redis-server.ts";
import { refreshCalls, signInExpired } from "../test/rotation.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

const redis = useRedis();
/** Rotates refresh tokens, as Pinterest does. */
let rotating: MockPinterestServer;
/** Keeps used refresh tokens valid: the worst case for a stale writer, whose tokens are then still good. */
let lenient: MockPinterestServer;
const clients: TestClient[] = [];
let serial = 0;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  [rotating, lenient] = await Promise.all([startMockPinterest(), startMockPinterest({ rotateRefreshTokens: false })]);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([rotating?.close(), lenient?.close()]);
});

/** A store of a separate instance: its own connection. */
async function instanceStore(): Promise<RedisTokenStore> {
  const client = await connectClient(redis.server.url);
  clients.push(client);
  return new RedisTokenStore({ client, prefix: "interleave:" });
}

/**
 * Wraps a store so that its first `set` waits until `resume()`; `arrived` resolves with what it is about to write.
 * With `frozen: true` the whole instance stops there, as a paused process would (a long GC pause, SIGSTOP, a VM
 * migrated): its lock's heartbeat (`extend`) and release wait too, so the lock expires in Redis. Without it only the
 * write is slow, and the instance keeps extending its lock meanwhile.
 */
function stopBeforeFirstWrite(inner: RedisTokenStore, { frozen }: { frozen: boolean }) {
  let arrive: (tokens: TokenSet) => void = () => {};
  let resume: () => void = () => {};
  const arrived = new Promise<TokenSet>((resolve) => {
    arrive = resolve;
  });
  const resumed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  let stopped = false;
  const paused = async () => {
    if (stopped && frozen) await resumed;
  };
  const store: TokenStore = {
    get: (key) => paused().then(() => inner.get(key)),
    async set(key, tokens, options) {
      if (!stopped) {
        stopped = true;
        arrive(tokens);
        await resumed;
      }
      return inner.set(key, tokens, options);
    },
    delete: (key) => paused().then(() => inner.delete(key)),
    async lock(key, ttlMs) {
      const lock = await inner.lock(key, ttlMs);
      return {
        tookOver: lock.tookOver,
        release: () => paused().then(() => lock.release()),
        extend: (ms: number) => paused().then(() => lock.extend(ms)),
      };
    },
  };
  return { store, arrived, resume };
}

const oauthFor = (pinterest: MockPinterestServer) =>
  createPinterestOAuth({
    clientId: mockClient.clientId,
    clientSecret: mockClient.clientSecret,
    baseUrl: pinterest.apiBaseUrl,
    retry: false,
  });

/**
 * A signed-in user whose access token expired, and instance A refreshing it with a lock TTL of 1 s: A has its new
 * tokens from Pinterest and stops before writing them (frozen, or only slow to write).
 */
async function stalledRefresh(pinterest: MockPinterestServer, { frozen }: { frozen: boolean }) {
  const key = `user-${++serial}`;
  const observer = await instanceStore();
  const original = await signInExpired(pinterest, observer, key);
  const oauth = oauthFor(pinterest);
  const a = stopBeforeFirstWrite(await instanceStore(), { frozen });
  const events: string[] = [];
  const aResult = createTokenManager({
    oauth,
    store: a.store,
    key,
    lockTtlMs: 1_000,
    onEvent: (event) => events.push(event.type),
  }).getAccessToken();
  return { key, observer, original, oauth, aResult, aEvents: events, resumeA: a.resume, aFetched: await a.arrived };
}

it("a slow write keeps its lock (extended while it works): the other instance waits and takes its tokens, 1 refresh", async () => {
  const { key, observer, oauth, aResult, resumeA, aFetched } = await stalledRefresh(rotating, { frozen: false });
  const b = createTokenManager({ oauth, store: await instanceStore(), key, lockTtlMs: 1_000 });
  const bResult = b.getAccessToken();
  await sleep(3_500); // more than three lock TTLs: A's lock would have expired long ago without extend()
  expect(await redis.client.exists(`interleave:lock:${key}`)).toBe(1);
  expect(refreshCalls(rotating)).toHaveLength(1); // B is still waiting for the lock, not refreshing

  resumeA();
  expect(await Promise.all([aResult, bResult])).toEqual([aFetched.accessToken, aFetched.accessToken]);
  expect((await observer.get(key))?.tokenSet).toEqual(aFetched);
  expect(refreshCalls(rotating)).toHaveLength(1);
  expect(rotating.mock.inspectToken(aFetched.refreshToken as string)?.status).toBe("active");
}, 30_000);

it("an instance frozen past its lock while two newer generations are written cannot put its older tokens back", async () => {
  // A refreshes R1 → R2, then freezes before writing; its lock expires in Redis.
  const {
    key,
    observer,
    original,
    oauth,
    aResult,
    aEvents,
    resumeA,
    aFetched: stale,
  } = await stalledRefresh(lenient, { frozen: true });

  // B takes the expired lock, refreshes R1 → R3 and writes it; C refreshes R3 → R4 and writes it.
  const b = createTokenManager({ oauth, store: await instanceStore(), key });
  const bToken = await b.getAccessToken();
  const c = createTokenManager({ oauth, store: await instanceStore(), key });
  const newest = await c.refresh({ ifAccessToken: bToken });
  const beforeResume = await observer.get(key);
  expect(beforeResume?.tokenSet).toEqual(newest);

  // A wakes up, learns its lock was lost, and writes R2 over the version it read: refused, R4 stays.
  resumeA();
  expect(await aResult).toBe(newest.accessToken); // its caller gets the newest stored token, not its own older one
  expect(aEvents).toContain("lock-lost");
  const after = await observer.get(key);
  expect(after).toEqual(beforeResume); // same tokens, same version: A's write never landed
  expect(after?.tokenSet.refreshToken).not.toBe(stale.refreshToken);
  expect(after?.tokenSet.refreshToken).not.toBe(original.refreshToken);
  // The generations, as Pinterest saw them: A used R1 (got R2), B used R1 (got R3), C used R3 (got R4).
  const [byA, byB, byC] = refreshCalls(lenient).map((call) => ({
    used: call.form?.refresh_token,
    got: (call.body as { refresh_token: string }).refresh_token,
  }));
  expect(byA).toEqual({ used: original.refreshToken, got: stale.refreshToken });
  expect(byB?.used).toBe(original.refreshToken);
  expect(byC).toEqual({ used: byB?.got, got: newest.refreshToken });
}, 30_000);

it("with rotation: an instance that refreshes after a frozen one's lock expired is refused by Pinterest, waits for the frozen one's late save instead of signing anyone out, and uses its tokens", async () => {
  // Pinterest has rotated R1 → R2; A is frozen before writing R2, and its lock expires.
  const a = await stalledRefresh(rotating, { frozen: true });
  const { key, observer, oauth } = a;

  // B takes the lock over, refreshes with R1, which Pinterest has retired, and watches the store for A's late save.
  const events: TokenManagerEvent[] = [];
  const b = createTokenManager({
    oauth,
    store: await instanceStore(),
    key,
    lockTtlMs: 5_000,
    onEvent: (event) => events.push(event),
  });
  const bResult = b.getAccessToken();
  while (refreshCalls(rotating).length < 2) await sleep(10);
  expect(refreshCalls(rotating)[1]?.status).toBe(401); // refused: R1 was rotated away
  expect((await observer.get(key))?.tokenSet.refreshToken).toBe(a.original.refreshToken); // B wrote nothing

  a.resumeA();
  expect(await a.aResult).toBe(a.aFetched.accessToken);
  expect(await bResult).toBe(a.aFetched.accessToken);
  expect(events.find((event) => event.type === "lock-taken")).toMatchObject({ tookOver: true });
  expect(events.map((event) => event.type)).toContain("newer-tokens-found");
  expect(events.map((event) => event.type)).not.toContain("reauthorization-required");
  const stored = await observer.get(key);
  expect(stored?.tokenSet).toEqual(a.aFetched);
  expect(rotating.mock.inspectToken(a.aFetched.refreshToken as string)?.status).toBe("active");
  // Anyone after that gets A's tokens without another refresh.
  expect(await createTokenManager({ oauth, store: await instanceStore(), key }).getAccessToken()).toBe(
    a.aFetched.accessToken,
  );
  expect(refreshCalls(rotating)).toHaveLength(2);
}, 30_000);
