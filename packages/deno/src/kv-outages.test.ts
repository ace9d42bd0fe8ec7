/**
 * Issue 17's failures where the store matters, on Deno KV: Workers (isolates, each with its own KV handle, store and
 * token manager, as on Deno Deploy) share one KV file, and refresh at the mock Pinterest over HTTP.
 *
 * The outage: a worker's KV handle is closed in the middle of a refresh (and opened again later), so its
 * `DenoKvTokenStore` fails as Deno KV fails on a closed database; the other workers keep using the file. A gate in
 * front of the mock holds the holder's refresh request until the test lets it through, so every step happens in a
 * known order; the test waits for what the workers report (events, store calls), never for a while.
 */
import assert from "node:assert/strict";
import {
  eventually,
  type FaultJob,
  type FaultWorker,
  gatePinterest,
  type PinterestGate,
  startFaultWorker,
} from "../test/fault-workers.ts";
import {
  type MockPinterestServer,
  mockClient,
  oauthFor,
  refreshCalls,
  withMockPinterest,
} from "../test/mock-pinterest.ts";
import { DenoKvTokenStore, type TokenSet } from "./index.ts";

const key = "user-1";

interface Fleet {
  server: MockPinterestServer;
  pinterest: PinterestGate;
  /** The token set stored at the start: its access token expired a second ago. */
  first: TokenSet;
  /** A store on the KV file, for the test's own reads. */
  store: DenoKvTokenStore;
  kv: Deno.Kv;
  start(name: string): Promise<FaultWorker>;
}

/** A mock Pinterest behind a gate, a KV file holding a user's expired token set, and workers on that file. */
async function withFleet(options: Partial<FaultJob>, body: (fleet: Fleet) => Promise<void>): Promise<void> {
  await withMockPinterest({}, async (server) => {
    const dir = await Deno.makeTempDir({ prefix: "pintoken-kv-outage-" });
    const kv = await Deno.openKv(`${dir}/tokens.sqlite3`);
    const pinterest = gatePinterest(server.apiBaseUrl);
    const workers: FaultWorker[] = [];
    try {
      const store = new DenoKvTokenStore(kv);
      const oauth = oauthFor(server);
      const first = await oauth.exchangeCode({ code: server.mock.authorize({ scopes: ["user_accounts:read"] }).code });
      server.mock.expireAccessTokens();
      await store.set(key, { ...first, expiresAt: Date.now() - 1_000 });
      server.mock.calls.reset();
      const job: FaultJob = {
        kvPath: `${dir}/tokens.sqlite3`,
        key,
        apiBaseUrl: pinterest.apiBaseUrl,
        clientId: mockClient.clientId,
        clientSecret: mockClient.clientSecret,
        ...options,
      };
      const start = async (name: string) => {
        const worker = await startFaultWorker(name, job);
        workers.push(worker);
        return worker;
      };
      await body({ server, pinterest, first, store, kv, start });
    } finally {
      for (const worker of workers) worker.terminate();
      await pinterest[Symbol.asyncDispose]();
      kv.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

const types = (worker: FaultWorker) => worker.events().map((event) => event.type);
const eventOf = (worker: FaultWorker, type: string) => worker.events().find((event) => event.type === type);

Deno.test("a holder that loses KV mid-refresh: the next worker takes its lock over, is refused the retired token, and waits for the holder's late save instead of signing the user out", async () => {
  await withFleet({ lockTtlMs: 5_000 }, async ({ server, pinterest, first, store, kv, start }) => {
    const [a, b] = [await start("A"), await start("B")];
    const held = pinterest.holdNextRefresh();
    const aCall = a.send({ type: "get-access-token" });
    await held.arrived; // A holds the lock and its refresh request is at Pinterest
    await a.send({ type: "kv-down" }); // A loses KV: its lock cannot be extended, its save will fail
    held.release(); // Pinterest rotates the refresh token and answers A
    const aToken = (await aCall).value;
    assert.equal(typeof aToken, "string", "A's callers get the rotated token, kept in memory");
    const lockKey = ["pintoken", "locks", key];
    await eventually("A's lock to expire in KV (it cannot be extended)", async () => {
      const lock = (await kv.get<{ expiresAt: number }>(lockKey)).value;
      return lock !== null && lock.expiresAt <= Date.now();
    });

    const bCall = b.send({ type: "get-access-token" });
    const refused = await b.event("refresh-answered");
    assert.equal(refused.report.event.status, 401, "B refreshed with the retired token: invalid_grant");
    // B has read KV after the refusal (and found the retired token): only now does A get KV back, and save.
    await b.until(
      "a KV read after the refusal",
      (r, i) => i > refused.index && r.type === "store-call" && r.operation === "get",
    );
    // A saves at its next retry, at most 2 s from now (its backoff); B watches KV for the lock's TTL (5 s).
    await a.send({ type: "kv-up" });

    const bResult = await bCall;
    assert.equal(bResult.error, undefined, `B was told: ${bResult.error?.message}`);
    assert.equal(bResult.value, aToken, "B uses the tokens A saved late");
    await a.event("saved");
    await a.event("lock-lost");
    const stored = (await store.get(key))?.tokenSet;
    assert.equal(stored?.accessToken, aToken);
    assert.equal(
      server.mock.inspectToken(stored?.refreshToken ?? "")?.status,
      "active",
      "KV keeps the newest refresh token",
    );
    assert.deepEqual(
      refreshCalls(server).map((call) => [call.form?.refresh_token, call.status]),
      [
        [first.refreshToken, 200],
        [first.refreshToken, 401],
      ],
    );

    // What each worker reported.
    assert.deepEqual(eventOf(a, "lock-taken")?.tookOver, false);
    assert.deepEqual(eventOf(a, "lock-lost")?.reason, "expired");
    const storeError = eventOf(a, "store-error")?.error as {
      name: string;
      reason: string;
      operation: string;
      carriesTokens: boolean;
    };
    // The store's own error, passed on with the rotated tokens on it.
    assert.deepEqual(
      [storeError.name, storeError.reason, storeError.operation, storeError.carriesTokens],
      ["DenoKvStoreError", "unavailable", "write the token set", true],
    );
    assert.ok(types(a).includes("refreshed") && types(a).includes("saved"));
    assert.deepEqual(eventOf(b, "lock-taken")?.tookOver, true, "B knows it took the lock over");
    assert.ok(types(b).includes("newer-tokens-found"));
    for (const worker of [a, b])
      assert.ok(!types(worker).includes("reauthorization-required"), `${worker.name} signed the user out`);
    assert.ok(!JSON.stringify([a.events(), b.events()]).includes(String(aToken)), "no token in any event");
  });
});

Deno.test("a holder whose lock release fails: a worker waiting for the lock stops waiting as soon as the fresh tokens are in KV, and the release lands later", async () => {
  // The default lock TTL (60 s): waiting for the lock to expire would fail the test (callers wait 10 s at most).
  await withFleet({}, async ({ server, pinterest, kv, start }) => {
    const [a, b] = [await start("A"), await start("B")];
    const held = pinterest.holdNextRefresh();
    const aCall = a.send({ type: "get-access-token" });
    await held.arrived; // A holds the lock and its refresh request is at Pinterest
    await a.send({ type: "kv-down-after-token-write" }); // A's KV goes away right after its save: its release fails
    const bCall = b.send({ type: "get-access-token" });
    await b.until("B waiting for the lock", (r) => r.type === "store-call" && r.operation === "lock");
    held.release();

    const [aResult, bResult] = await Promise.all([aCall, bCall]);
    assert.equal(bResult.error, undefined, `B was told: ${bResult.error?.message}`);
    assert.equal(bResult.value, aResult.value, "B uses the tokens A saved");
    const lockKey = ["pintoken", "locks", key];
    const left = (await kv.get<{ expiresAt: number }>(lockKey)).value;
    assert.ok(left && left.expiresAt > Date.now(), "A's lock is still in KV, unexpired: B did not wait for it");
    assert.ok(types(b).includes("lock-wait-ended"));
    assert.ok(!types(b).includes("lock-taken"));
    assert.equal(refreshCalls(server).length, 1);

    // KV is back for A: its release is tried again and lands; the next holder finds the lock released, not abandoned.
    await a.send({ type: "kv-up" });
    await eventually("A's release to land", async () => (await kv.get(lockKey)).versionstamp === null);
    const next = await new DenoKvTokenStore(kv).lock(key, 1_000);
    assert.equal(next.tookOver, false);
    await next.release();
  });
});

Deno.test("what callers and events say: KV down is unavailable; after a holder crashed mid-refresh, the user is signed out only once KV held nothing newer for the lock's TTL", async () => {
  await withFleet({ lockTtlMs: 2_000 }, async ({ server, pinterest, first, start }) => {
    const [a, b] = [await start("A"), await start("B")];

    // B's KV is down: its callers get the store's error, saying why, and no refresh is sent.
    await b.send({ type: "kv-down" });
    const down = (await b.send({ type: "get-access-token" })).error;
    assert.deepEqual(
      [down?.name, down?.code, down?.reason, down?.operation],
      ["DenoKvStoreError", "store_error", "unavailable", "read the token set"],
    );
    await b.send({ type: "kv-up" });

    // A crashes while Pinterest is answering its refresh: the rotated tokens are lost with it.
    const held = pinterest.holdNextRefresh();
    a.send({ type: "get-access-token" }).catch(() => undefined); // it never ends: A is gone
    await held.arrived;
    a.terminate();
    held.release();
    await eventually("Pinterest to answer A's refresh", () => refreshCalls(server).length === 1);

    // B takes the lock over, is refused, watches KV for the lock's TTL, and only then asks the user to sign in.
    const taken = b.send({ type: "get-access-token" });
    const refused = await b.event("refresh-answered");
    const { error } = await taken;
    assert.deepEqual(
      [error?.name, error?.code, error?.reason],
      ["ReauthorizationRequiredError", "reauthorization_required", "invalid-grant"],
    );
    const afterRefusal = b.reports.slice(refused.index);
    const reads = afterRefusal.filter((r) => r.type === "store-call" && r.operation === "get").length;
    assert.ok(reads >= 3, `B read KV ${reads} times while it watched for newer tokens`);
    assert.deepEqual(
      b
        .events()
        .filter((e) => ["lock-taken", "refresh-sent", "refresh-answered", "reauthorization-required"].includes(e.type))
        .map(({ key: _, waitedMs: __, durationMs: ___, ...e }) => e),
      [
        { type: "lock-taken", tookOver: true },
        { type: "refresh-sent", grant: "refresh_token" },
        { type: "refresh-answered", status: 401 },
        { type: "reauthorization-required", reason: "invalid-grant" },
      ],
    );

    // B released the lock: the next refusal is final at once, without watching (tookOver false).
    const again = b.send({ type: "get-access-token" });
    const second = await b.event("refresh-answered", refused.index);
    assert.equal((await again).error?.reason, "invalid-grant");
    const lastTaken = b
      .events()
      .filter((e) => e.type === "lock-taken")
      .at(-1);
    assert.equal(lastTaken?.tookOver, false);
    const readsAfter = b.reports
      .slice(second.index)
      .filter((r) => r.type === "store-call" && r.operation === "get").length;
    assert.equal(readsAfter, 1, "one read of KV settles it");
    assert.deepEqual(
      refreshCalls(server).map((call) => [call.form?.refresh_token, call.status]),
      [
        [first.refreshToken, 200],
        [first.refreshToken, 401],
        [first.refreshToken, 401],
      ],
    );
  });
});
