/**
 * Many server instances, one Pinterest grant: four Node processes (each with its own Redis connection and token
 * managers) call `getAccessToken()` at once on one expired token, against the mock Pinterest over real HTTP.
 */
import type { TokenSet } from "@pintoken/core";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Fleet, type ProcessReport, startFleet, startWorker, summarize } from "../test/fleet.ts";
import { useRedis } from "../test/redis-server.ts";
import { refreshCalls as calls, expectOneRotation as rotatedOnce, signInExpired } from "../test/rotation.ts";
import type { RunJob } from "../test/worker.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

const redis = useRedis();
let pinterest: MockPinterestServer;
let fleet: Fleet;
let store: RedisTokenStore;
let serial = 0;

const prefix = "fleet:";

beforeAll(async () => {
  [pinterest, fleet] = await Promise.all([startMockPinterest(), startFleet(4, redis.server.url)]);
  store = new RedisTokenStore({ client: redis.client, prefix });
});
afterAll(async () => {
  await Promise.all([fleet?.close(), pinterest?.close()]);
});

async function signedInWithExpiredToken(): Promise<{ key: string; before: TokenSet }> {
  const key = `user-${++serial}`;
  return { key, before: await signInExpired(pinterest, store, key) };
}

const job = (key: string, overrides: Partial<RunJob> = {}): RunJob => ({
  key,
  calls: 250,
  stores: 5,
  prefix,
  apiBaseUrl: pinterest.apiBaseUrl,
  lockTtlMs: 10_000,
  commandTimeoutMs: 5_000,
  timeoutMs: 5_000,
  retries: 2,
  ...overrides,
});

const refreshCalls = () => calls(pinterest);

const expectOneRotation = (key: string, before: TokenSet, reports: ProcessReport[], refreshes = 1) =>
  rotatedOnce({ pinterest, store, key, before, reports, refreshes, callsPerProcess: 250 });

it("4 processes × 250 concurrent getAccessToken() on one expired token: 1 refresh, 1,000 callers get the new token", async () => {
  const { key, before } = await signedInWithExpiredToken();
  // Hold the refresh a second at Pinterest, so every process is surely waiting while it runs.
  pinterest.mock.scenario({ grantType: "refresh_token" }).slow(1_000);
  const reports = await fleet.run(job(key));
  await expectOneRotation(key, before, reports);
  const lastStart = Math.max(...reports.map((r) => r.startedAt));
  const firstEnd = Math.min(...reports.map((r) => r.finishedAt));
  expect(lastStart).toBeLessThan(firstEnd); // the four processes ran at the same time
}, 60_000);

it("Pinterest answers 503 to the first refresh: it is retried once, and every caller gets the new token", async () => {
  const { key, before } = await signedInWithExpiredToken();
  pinterest.mock.scenario({ grantType: "refresh_token" }).serverError({ status: 503 });
  await expectOneRotation(key, before, await fleet.run(job(key)), 2);
  expect(refreshCalls()[0]?.status).toBe(503);
}, 60_000);

it("Pinterest answers 429 with Retry-After: 1: the retry waits a second, and every caller gets the new token", async () => {
  const { key, before } = await signedInWithExpiredToken();
  pinterest.mock.scenario({ grantType: "refresh_token" }).rateLimit({ retryAfter: 1 });
  await expectOneRotation(key, before, await fleet.run(job(key)), 2);
  const [limited, retried] = refreshCalls();
  expect(limited?.status).toBe(429);
  expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(990);
}, 60_000);

it("Pinterest drops the connection of the first refresh: its outcome is unknown, it is not retried, and nobody is signed out", async () => {
  const { key } = await signedInWithExpiredToken();
  pinterest.mock.scenario({ grantType: "refresh_token" }).dropConnection();
  const { outcomes, tokens } = summarize(await fleet.run(job(key, { calls: 50, stores: 2 })));
  const [dropped, ...later] = refreshCalls();
  expect(dropped?.status).toBe(0);
  // The refresh that was cut off is never retried; a later caller's own refresh (in whichever process comes next,
  // once that one can no longer be answered) tells the outcome: here the mock had not used the token, so it works.
  expect(later.map((call) => call.status)).toEqual([200]);
  const answer = later[0]?.body as { access_token: string; refresh_token: string };
  expect([...tokens.keys()]).toEqual([answer.access_token]);
  expect(outcomes.every((o) => o.ok || o.name === "OutcomeUnknownError")).toBe(true);
  expect((await store.get(key))?.tokenSet.refreshToken).toBe(answer.refresh_token);
}, 60_000);

it("a slow refresh (1.5 s) holds the lock while every other instance waits: still 1 refresh", async () => {
  const { key, before } = await signedInWithExpiredToken();
  pinterest.mock.scenario({ grantType: "refresh_token" }).slow(1_500);
  await expectOneRotation(key, before, await fleet.run(job(key)));
}, 60_000);

it("Pinterest down for good: every caller gets PinterestApiError, the stored grant is untouched and works after", async () => {
  const { key, before } = await signedInWithExpiredToken();
  const stored = await store.get(key);
  const outage = pinterest.mock.scenario({ grantType: "refresh_token" }).serverError({ status: 502 }).always();
  // Each of the 8 managers takes the lock in turn and fails (3 attempts): on a loaded machine that is many seconds, so
  // the lock wait (twice the TTL) is made long enough that no caller gives up waiting before its own turn.
  const failed = summarize(await fleet.run(job(key, { calls: 50, stores: 2, lockTtlMs: 30_000 })));
  outage.cancel();
  expect(failed.tokens.size).toBe(0);
  expect(failed.outcomes).toHaveLength(200);
  expect([...failed.errors.keys()].filter((what) => !what.startsWith("PinterestApiError"))).toEqual([]);
  expect(refreshCalls().every((call) => call.status === 502)).toBe(true);
  expect(await store.get(key)).toEqual(stored); // same set, same version
  expect(pinterest.mock.inspectToken(before.refreshToken as string)?.status).toBe("active");

  pinterest.mock.calls.reset();
  await expectOneRotation(key, before, await fleet.run(job(key)));
}, 180_000);

it("a process killed (SIGKILL) while holding the lock: the lock expires, the session survives, the next caller refreshes", async () => {
  const { key, before } = await signedInWithExpiredToken();
  const doomed = await startWorker(redis.server.url);
  const locked = doomed.next("locked");
  doomed.send({ type: "hold-lock", key, prefix, ttlMs: 1_500 });
  await locked;
  await doomed.kill();
  expect(await redis.client.pTTL(`${prefix}lock:${key}`)).toBeGreaterThan(0); // its lock outlives it…
  const reports = await fleet.run(job(key));
  await expectOneRotation(key, before, reports); // …until it expires: then exactly one refresh
  expect(await redis.client.exists(`${prefix}lock:${key}`)).toBe(0);
}, 60_000);
