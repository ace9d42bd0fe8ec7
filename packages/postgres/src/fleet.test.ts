/**
 * Many server instances, one Pinterest grant, one PostgreSQL: four Node processes (each with its own pool and token
 * managers) call `getAccessToken()` at once on one expired token, against the mock Pinterest over real HTTP, while a
 * lease holder dies or PostgreSQL restarts.
 */
import { createPinterestOAuth, type TokenSet } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Fleet, type ProcessReport, startFleet, startWorker } from "../test/fleet.ts";
import { usePostgres } from "../test/postgres.ts";
import type { RunJob } from "../test/worker.ts";
import { PostgresTokenStore } from "./postgres-token-store.ts";

const postgres = usePostgres();
let pinterest: MockPinterestServer;
let fleet: Fleet;
let store: PostgresTokenStore;
let serial = 0;

beforeAll(async () => {
  [pinterest, fleet] = await Promise.all([startMockPinterest(), startFleet(4, postgres.server.url)]);
  store = new PostgresTokenStore({ db: postgres.pool });
});
afterAll(async () => {
  await Promise.all([fleet?.close(), pinterest?.close()]);
});

/** A real sign-in at the mock (code exchange over HTTP), stored with its access token already expired. */
async function signedInExpired(): Promise<{ key: string; before: TokenSet }> {
  const key = `user-${++serial}`;
  const oauth = createPinterestOAuth({ ...mockClient, baseUrl: pinterest.apiBaseUrl });
  const { code } = pinterest.mock.authorize({ scopes: ["user_accounts:read"] });
  const tokens = await oauth.exchangeCode({ code, redirectUri: mockClient.redirectUris[0] as string });
  const before = { ...tokens, expiresAt: Date.now() - 1_000 };
  await store.set(key, before);
  pinterest.mock.calls.reset();
  return { key, before };
}

const job = (key: string, overrides: Partial<RunJob> = {}): RunJob => ({
  key,
  calls: 250,
  stores: 5,
  apiBaseUrl: pinterest.apiBaseUrl,
  lockTtlMs: 10_000,
  queryTimeoutMs: 5_000,
  ...overrides,
});

const refreshCalls = () =>
  pinterest.mock.calls.for("oauth/token").filter((call) => call.form?.grant_type === "refresh_token");

/**
 * Every caller got the one new access token; Pinterest rotated the refresh token exactly once; the store holds that
 * rotation's tokens, live at Pinterest, and the old refresh token is rotated away.
 */
async function expectOneRotation(key: string, before: TokenSet, reports: readonly ProcessReport[]) {
  const outcomes = reports.flatMap((r) => r.outcomes);
  expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  expect(outcomes).toHaveLength(1_000);
  const calls = refreshCalls();
  expect(calls).toHaveLength(1);
  const answer = calls[0]?.body as { access_token: string; refresh_token: string };
  expect(new Set(outcomes.map((o) => o.ok && o.accessToken))).toEqual(new Set([answer.access_token]));
  const stored = await store.get(key);
  expect(stored?.tokenSet).toMatchObject({ accessToken: answer.access_token, refreshToken: answer.refresh_token });
  expect(pinterest.mock.inspectToken(answer.refresh_token)?.status).toBe("active");
  expect(pinterest.mock.inspectToken(before.refreshToken as string)?.status).toBe("rotated");
}

it("4 processes × 250 concurrent getAccessToken() on one expired token: 1 refresh, 1,000 callers get the new token", async () => {
  const { key, before } = await signedInExpired();
  pinterest.mock.scenario({ grantType: "refresh_token" }).slow(1_000); // every process is surely waiting meanwhile
  const reports = await fleet.run(job(key));
  await expectOneRotation(key, before, reports);
  expect(Math.max(...reports.map((r) => r.startedAt))).toBeLessThan(Math.min(...reports.map((r) => r.finishedAt)));
  expect(
    (await postgres.pool.query("SELECT count(*)::int AS n FROM pintoken_leases WHERE key = $1", [key])).rows,
  ).toEqual([{ n: 0 }]);
}, 60_000);

it("a lease holder killed (SIGKILL) while holding the lease: the others go on once it expires, and refresh once", async () => {
  const { key, before } = await signedInExpired();
  const doomed = await startWorker(postgres.server.url);
  const locked = doomed.next("locked");
  doomed.send({ type: "hold-lock", key, ttlMs: 1_500 });
  await locked;
  await doomed.kill();
  const { rows } = await postgres.pool.query(
    "SELECT expires_at > clock_timestamp() AS held FROM pintoken_leases WHERE key = $1",
    [key],
  );
  expect(rows).toEqual([{ held: true }]); // its lease outlives it…
  const reports = await fleet.run(job(key));
  await expectOneRotation(key, before, reports); // …until it expires: then exactly one refresh
  const waited = Math.min(...reports.map((r) => r.finishedAt - r.startedAt));
  expect(waited).toBeGreaterThan(0);
}, 60_000);

it("PostgreSQL down while the refresh is at Pinterest, and still down when it answers: the save waits for the restart; nothing is lost, 1 refresh", async () => {
  const { key, before } = await signedInExpired();
  pinterest.mock.scenario({ grantType: "refresh_token" }).slow(3_000);
  let killedAt = 0;
  // Callers ride out the whole outage here: a restart shorter than queryTimeoutMs (and a refresh shorter than the
  // client's timeoutMs) is invisible to them. With shorter deadlines they would get the store's or the timeout's
  // error while the refresh goes on.
  const reports = await fleet.run(job(key, { timeoutMs: 30_000, queryTimeoutMs: 20_000 }), {
    async onStarted() {
      // The slow scenario is taken when the refresh reaches Pinterest (which then answers 3 s later).
      while (pinterest.mock.pendingScenarios.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await postgres.server.kill();
      killedAt = Date.now();
      // Pinterest answers during the outage: the rotated tokens must wait for PostgreSQL.
      while (refreshCalls().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await postgres.server.restart();
    },
  });
  const arrivedAt = refreshCalls()[0]?.at ?? 0; // the recorder's time is the request's arrival
  expect(arrivedAt + 3_000).toBeGreaterThan(killedAt); // Pinterest answered while PostgreSQL was down
  await expectOneRotation(key, before, reports);
}, 60_000);
