/**
 * Redis itself failing: frozen (SIGSTOP), killed, restarted. The server keeps an append-only file with an fsync per
 * write in a temp dir, so its data (token sets and locks) survives a kill and restart, as in production with AOF.
 */
import { inspect } from "node:util";
import { createPinterestOAuth, createTokenManager, type TokenSet, TokenStoreError } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { startRedisServer } from "@pintoken/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fleet, startFleet } from "../test/fleet.ts";
import { connectClient, useRedis } from "../test/redis-server.ts";
import { expectOneRotation, signInExpired } from "../test/rotation.ts";
import { sampleTokenSet } from "../test/sample-token-set.ts";
import { RedisStoreError } from "./errors.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

const redis = useRedis({ persistent: true });
let pinterest: MockPinterestServer;
let serial = 0;
const freshKey = () => `outage-${++serial}`;

beforeAll(async () => {
  pinterest = await startMockPinterest();
});
afterAll(() => pinterest?.close());

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; !(await check()); waited += 10) {
    if (waited > 20_000) throw new Error(`gave up waiting for ${what}`);
    await sleep(10);
  }
}

/** Settles every promise; returns what each rejected with (undefined for those that resolved). */
const failures = (promises: Promise<unknown>[]) =>
  Promise.all(
    promises.map((p) =>
      p.then(
        () => undefined,
        (error: unknown) => error,
      ),
    ),
  );

describe("a frozen Redis (SIGSTOP: connections open, nothing answered)", () => {
  it("every operation fails with a timeout RedisStoreError, and the store works again once Redis wakes", async () => {
    const store = new RedisTokenStore({ client: redis.client, commandTimeoutMs: 300 });
    // Set-up and checks go through a store with a deadline no loaded machine misses; only the frozen calls use 300 ms.
    const patient = new RedisTokenStore({ client: redis.client, commandTimeoutMs: 15_000 });
    const [a, b] = [freshKey(), freshKey()];
    const [setA, setB] = [sampleTokenSet(), sampleTokenSet()];
    await patient.set(a, setA);
    await patient.set(b, setB);
    const late = sampleTokenSet();
    redis.server.freeze();
    let errors: unknown[];
    try {
      const started = performance.now();
      errors = await failures([store.get(a), store.set(a, late), store.delete(b), store.lock(a, 1_000)]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      redis.server.thaw();
    }
    for (const error of errors) {
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ code: "store_error", reason: "timeout" });
      expect((error as Error).message).toMatch(/did not answer within 300 ms.*commandTimeoutMs/);
      expect(JSON.stringify(error)).not.toContain(late.accessToken);
      expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(late.accessToken);
    }
    // Redis then runs what was already sent (a timed-out write may still land: compare-and-set keeps that safe),
    // and the answers of the timed-out commands never reach the wrong caller.
    expect(await patient.get(b)).toBeUndefined();
    expect((await patient.get(a))?.tokenSet).toEqual(late);
    await patient.set(b, setB);
    expect((await patient.get(b))?.tokenSet).toEqual(setB);
    await redis.client.del(`pintoken:lock:${a}`);
  }, 60_000);
});

describe("Redis killed", () => {
  it("while down, operations fail with an unavailable RedisStoreError; after a restart the data is back", async () => {
    const store = new RedisTokenStore({ client: redis.client, commandTimeoutMs: 300 });
    const patient = new RedisTokenStore({ client: redis.client, commandTimeoutMs: 20_000 });
    const key = freshKey();
    const tokens = sampleTokenSet();
    await patient.set(key, tokens);
    await redis.server.kill();
    try {
      for (const error of await failures([store.get(key), store.set(key, sampleTokenSet()), store.lock(key, 500)])) {
        expect(error).toBeInstanceOf(RedisStoreError);
        expect((error as RedisStoreError).reason).toMatch(/^(unavailable|timeout)$/);
        expect((error as Error).message).toMatch(/Check that Redis is up/);
      }
    } finally {
      await redis.server.restart();
    }
    expect((await patient.get(key))?.tokenSet).toEqual(tokens);
  }, 60_000);

  it("a restart shorter than commandTimeoutMs is invisible: calls made while Redis is down complete after", async () => {
    const store = new RedisTokenStore({ client: redis.client, commandTimeoutMs: 20_000 });
    const key = freshKey();
    await store.set(key, sampleTokenSet());
    const seen = await store.get(key);
    await redis.server.kill();
    const next = sampleTokenSet();
    const pending = [store.set(key, next, { ifVersion: seen?.version ?? null }), store.lock(key, 5_000)] as const;
    await sleep(300);
    await redis.server.restart();
    const [written, lock] = await Promise.all(pending);
    expect(written.ok).toBe(true);
    expect((await store.get(key))?.tokenSet).toEqual(next);
    await lock.release();
  }, 60_000);

  it("down longer than the deadline while a refresh is at Pinterest: the rotated tokens are kept, used and saved once Redis is back", async () => {
    const store = new RedisTokenStore({ client: redis.client, commandTimeoutMs: 300, prefix: "saved:" });
    const patient = new RedisTokenStore({ client: redis.client, commandTimeoutMs: 20_000, prefix: "saved:" });
    const key = freshKey();
    const before = await signInExpired(pinterest, patient, key);
    let refreshSent: () => void = () => {};
    const atPinterest = new Promise<void>((resolve) => {
      refreshSent = resolve;
    });
    const oauth = createPinterestOAuth({
      clientId: mockClient.clientId,
      clientSecret: mockClient.clientSecret,
      baseUrl: pinterest.apiBaseUrl,
      fetch: (input, init) => {
        refreshSent();
        return fetch(input, init);
      },
    });
    const storeErrors: TokenStoreError[] = [];
    let saved: () => void = () => {};
    const savedLater = new Promise<void>((resolve) => {
      saved = resolve;
    });
    const manager = createTokenManager({
      oauth,
      store,
      key,
      lockTtlMs: 5_000,
      onStoreError: (error) => storeErrors.push(error),
      onEvent: (event) => event.type === "saved" && saved(),
    });
    pinterest.mock.scenario({ grantType: "refresh_token" }).slow(1_000);
    const first = manager.getAccessToken();
    await atPinterest; // the lock is held, the store re-read, and the refresh is on its way
    await redis.server.kill();
    let rotated: TokenSet | undefined;
    try {
      const accessToken = await first; // the caller gets the new token although Redis is gone
      // The store failed to take the rotated tokens: reported, with the tokens on the error (hidden from logs).
      expect(storeErrors.length).toBeGreaterThanOrEqual(1);
      const [error] = storeErrors;
      expect(error).toBeInstanceOf(RedisStoreError); // the store's own error, passed on with the tokens on it
      expect(error).toBeInstanceOf(TokenStoreError);
      rotated = error?.tokenSet;
      expect(rotated?.accessToken).toBe(accessToken);
      expect(JSON.stringify(error)).not.toContain(rotated?.refreshToken);
      expect(inspect(error, { depth: 10 })).not.toContain(rotated?.refreshToken);
      // Still down: the next call uses the kept tokens, never the retired refresh token, and refreshes nothing.
      expect(await manager.getAccessToken()).toBe(accessToken);
    } finally {
      await redis.server.restart();
    }
    // Back up: the manager saves the kept tokens by itself.
    await savedLater;
    const stored = await patient.get(key);
    expect(stored?.tokenSet).toEqual(rotated);
    expect(pinterest.mock.calls.for("oauth/token")).toHaveLength(1);
    expect(pinterest.mock.inspectToken(rotated?.refreshToken as string)?.status).toBe("active");
    expect(pinterest.mock.inspectToken(before.refreshToken as string)?.status).toBe("rotated");
    // Another instance reads them from Redis without refreshing.
    const other = createTokenManager({
      oauth,
      store: new RedisTokenStore({ client: redis.client, prefix: "saved:" }),
      key,
    });
    expect(await other.getAccessToken()).toBe(rotated?.accessToken);
    expect(pinterest.mock.calls.for("oauth/token")).toHaveLength(1);
  }, 60_000);
});

describe("Redis killed and restarted in the middle of a fleet refresh", () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet(4, redis.server.url);
  });
  afterAll(() => fleet?.close());

  it("4 processes × 250 callers: the lock survives the restart, 1 refresh, everyone gets the new token", async () => {
    const key = freshKey();
    const store = new RedisTokenStore({ client: redis.client, prefix: "restart:", commandTimeoutMs: 20_000 });
    const before = await signInExpired(pinterest, store, key);
    pinterest.mock.scenario({ grantType: "refresh_token" }).slow(1_500);
    const reports = await fleet.run(
      {
        key,
        calls: 250,
        stores: 5,
        prefix: "restart:",
        apiBaseUrl: pinterest.apiBaseUrl,
        lockTtlMs: 15_000,
        commandTimeoutMs: 15_000,
        timeoutMs: 10_000,
        retries: 2,
      },
      {
        // Once a process holds the lock and its refresh is at Pinterest: Redis dies, and is back 300 ms later.
        async onStarted() {
          await waitFor(async () => (await redis.client.exists(`restart:lock:${key}`)) === 1, "the refresh lock");
          await redis.server.kill();
          await sleep(300);
          await redis.server.restart();
        },
      },
    );
    await expectOneRotation({ pinterest, store, key, before, reports, callsPerProcess: 250 });
  }, 90_000);
});

describe("Redis without persistence, restarted", () => {
  it("loses every token set: managers then throw ReauthorizationRequiredError (run Redis with AOF to avoid it)", async () => {
    const volatile = await startRedisServer();
    const volatileClient = await connectClient(volatile.url);
    try {
      const store = new RedisTokenStore({ client: volatileClient, commandTimeoutMs: 20_000 });
      const key = freshKey();
      await signInExpired(pinterest, store, key);
      await volatile.kill();
      await volatile.restart();
      const oauth = createPinterestOAuth({
        clientId: mockClient.clientId,
        clientSecret: mockClient.clientSecret,
        baseUrl: pinterest.apiBaseUrl,
      });
      await expect(createTokenManager({ oauth, store, key }).getAccessToken()).rejects.toMatchObject({
        name: "ReauthorizationRequiredError",
      });
    } finally {
      await volatileClient.close();
      await volatile.stop();
    }
  }, 60_000);
});
