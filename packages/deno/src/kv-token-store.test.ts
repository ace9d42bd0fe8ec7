import assert from "node:assert/strict";
import { tokenStoreContract } from "@pintoken/core/testing";
import { type MockPinterestServer, oauthFor, refreshCalls, withMockPinterest } from "../test/mock-pinterest.ts";
import { kvStoreError } from "./errors.ts";
import {
  ConfigurationError,
  createTokenManager,
  DenoKvStoreError,
  DenoKvTokenStore,
  type TokenKv,
  type TokenManager,
  type TokenSet,
  TokenStoreError,
} from "./index.ts";

/** A KV file in a fresh temporary directory, removed (with the directory) when the test ends. */
async function tempKvPath(): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "pintoken-kv-" });
  return { path: `${dir}/tokens.sqlite3`, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

const appTokens: TokenSet = {
  accessToken: "pina_test",
  tokenType: "bearer",
  scopes: ["user_accounts:read"],
  expiresAt: 1_900_000_000_000,
  responseType: "client_credentials",
};

Deno.test("DenoKvTokenStore passes the TokenStore contract (@pintoken/core/testing)", async (t) => {
  await using file = await tempKvPath();
  const kv = await Deno.openKv(file.path);
  try {
    // A TTL of 1 s keeps the expiry cases clear of a busy machine's timer delays.
    const cases = tokenStoreContract({ createStore: () => new DenoKvTokenStore(kv), lockTtlMs: 1_000 });
    assert.ok(
      cases.some((c) => /extend/.test(c.name)),
      "the lock and extend cases are included",
    );
    for (const { name, run } of cases) {
      await t.step(name, run);
    }
  } finally {
    kv.close();
  }
});

Deno.test("a well-formed versionstamp that is not the stored one is refused by KV's own check", async () => {
  using kv = await Deno.openKv(":memory:");
  const store = new DenoKvTokenStore(kv);
  // Nothing stored: a versionstamp-shaped ifVersion reaches kv.atomic().check() and is refused there.
  assert.deepEqual(await store.set("user-1", appTokens, { ifVersion: "0".repeat(20) }), { ok: false });
  assert.equal(await store.get("user-1"), undefined);
  // The version of a deleted set no longer works either.
  const written = await store.set("user-1", appTokens);
  assert.ok(written.ok);
  await store.delete("user-1");
  assert.deepEqual(await store.set("user-1", appTokens, { ifVersion: written.version }), { ok: false });
  assert.equal(await store.get("user-1"), undefined);
});

Deno.test("a Deno.Kv is a TokenKv, and every key lives under the prefix", async () => {
  using kv: TokenKv & Deno.Kv = await Deno.openKv(":memory:");
  const mine = new DenoKvTokenStore(kv, { prefix: ["app-a"] });
  const theirs = new DenoKvTokenStore(kv, { prefix: ["app-b", 2] });
  await mine.set("user-1", appTokens);
  const lock = await mine.lock("user-1", 60_000);
  assert.equal(await theirs.get("user-1"), undefined);
  const keys = await Array.fromAsync(kv.list({ prefix: [] }), (entry) => entry.key);
  assert.deepEqual(keys, [
    ["app-a", "locks", "user-1"],
    ["app-a", "tokens", "user-1"],
  ]);
  await theirs.lock("user-1", 60_000).then((other) => other.release()); // another prefix: not blocked
  await lock.release();
  assert.equal((await kv.get(["app-a", "locks", "user-1"])).value, null);
  assert.deepEqual((await new DenoKvTokenStore(kv).set("user-1", appTokens)).ok, true);
  assert.deepEqual((await kv.get(["pintoken", "tokens", "user-1"])).value, appTokens); // the default prefix
});

Deno.test("a lock whose expiry passed is free, even while KV still holds the entry (expireIn is lazy)", async () => {
  using kv = await Deno.openKv(":memory:");
  await kv.set(["pintoken", "locks", "user-1"], { owner: "crashed-isolate", expiresAt: Date.now() - 1 });
  const store = new DenoKvTokenStore(kv);
  const lock = await store.lock("user-1", 60_000);
  assert.notEqual((await kv.get<{ owner: string }>(["pintoken", "locks", "user-1"])).value?.owner, "crashed-isolate");
  assert.equal(lock.tookOver, true, "its holder never released it");
  await lock.release();
});

/** `kv` with a hook on every atomic operation's writes and commit (to watch, or to interfere). */
function hookedKv(
  kv: Deno.Kv,
  hooks: { set?: (options: { expireIn?: number } | undefined) => void; committed?: () => void },
): TokenKv {
  return {
    get: (key) => kv.get(key),
    set: (key, value, options) => kv.set(key, value, options),
    delete: (key) => kv.delete(key),
    close: () => kv.close(),
    atomic() {
      const op = kv.atomic();
      const [set, commit] = [op.set.bind(op), op.commit.bind(op)];
      return Object.assign(op, {
        set(key: Deno.KvKey, value: unknown, options?: { expireIn?: number }) {
          hooks.set?.(options);
          set(key, value, options);
          return op;
        },
        async commit() {
          const result = await commit();
          hooks.committed?.();
          return result;
        },
      });
    },
  };
}

Deno.test("tookOver: an expired lock entry stays in KV until released, so the next holder knows it took over", async () => {
  using kv = await Deno.openKv(":memory:");
  const expireIns: (number | undefined)[] = [];
  const store = new DenoKvTokenStore(hookedKv(kv, { set: (options) => expireIns.push(options?.expireIn) }));
  const lockKey = ["pintoken", "locks", "user-1"];
  const first = await store.lock("user-1", 60_000);
  assert.equal(first.tookOver, false, "a free key");
  assert.ok(await first.extend(30_000));
  // KV keeps the entry a day past the lock's expiry (unless released), so an expired one is still there to be seen.
  assert.deepEqual(expireIns, [60_000 + 86_400_000, 30_000 + 86_400_000]);
  await first.release();
  assert.equal((await kv.get(lockKey)).versionstamp, null, "release() deletes the entry");
  const released = await store.lock("user-1", 60_000);
  assert.equal(released.tookOver, false, "after a release");
  await released.release();

  // A holder that vanished: its entry, expired, in the shape this version and the one before it write.
  await kv.set(lockKey, { owner: "vanished", expiresAt: Date.now() - 1 }, { expireIn: 60_000 });
  const takenOver = await store.lock("user-1", 60_000);
  assert.equal(takenOver.tookOver, true);
  await takenOver.release();
  const next = await store.lock("user-1", 60_000);
  assert.equal(next.tookOver, false, "after the taken-over lock was released");
  await next.release();

  // Something else under the lock key (another program's value) is no lock: it wedges nothing.
  await kv.set(lockKey, "not a lock");
  const overForeign = await store.lock("user-1", 60_000);
  assert.equal(overForeign.tookOver, false);
  await overForeign.release();
});

Deno.test("lock(): an abort during the wait rejects with its reason; one during the write hands the lock back", async () => {
  using kv = await Deno.openKv(":memory:");
  const store = new DenoKvTokenStore(kv);
  const held = await store.lock("user-1", 60_000);
  const waiting = new AbortController();
  const attempt = store.lock("user-1", 60_000, { signal: waiting.signal });
  const reason = new Error("fresh tokens were found");
  waiting.abort(reason);
  await assert.rejects(attempt, (e) => e === reason);
  await held.release();

  // The abort comes while the lock's write is under way: the write lands, then the lock is released at once.
  const writing = new AbortController();
  const abortingOnCommit = hookedKv(kv, { committed: () => writing.abort(reason) });
  await assert.rejects(
    new DenoKvTokenStore(abortingOnCommit).lock("user-1", 60_000, { signal: writing.signal }),
    (e) => e === reason,
  );
  assert.equal((await kv.get(["pintoken", "locks", "user-1"])).versionstamp, null, "nothing is held");
  await assert.rejects(store.lock("user-1", 60_000, { signal: AbortSignal.abort(reason) }), (e) => e === reason);
});

Deno.test("calls that find a local KV file locked by another process are retried; other errors are not", async () => {
  using kv = await Deno.openKv(":memory:");
  let busy = 0; // how many calls fail next
  let thrown = 0;
  const flaky = (error: Error): TokenKv => {
    const call = async <T>(run: () => Promise<T>): Promise<T> => {
      if (busy > 0) {
        busy--;
        thrown++;
        throw error;
      }
      return await run();
    };
    return {
      get: (key) => call(() => kv.get(key)),
      set: (key, value) => call(() => kv.set(key, value)),
      delete: (key) => call(() => kv.delete(key)),
      close: () => kv.close(),
      atomic() {
        const op = kv.atomic();
        const commit = op.commit.bind(op);
        return Object.assign(op, { commit: () => call(commit) });
      },
    };
  };
  const store = new DenoKvTokenStore(flaky(new TypeError("database is locked")));
  busy = 3;
  assert.equal((await store.set("user-1", appTokens, { ifVersion: null })).ok, true);
  busy = 3;
  const lock = await store.lock("user-1", 60_000);
  busy = 2;
  await lock.release();
  assert.equal(thrown, 8, "every call failed as planned, and was retried");
  assert.deepEqual((await store.get("user-1"))?.tokenSet, appTokens);

  const broken = new DenoKvTokenStore(flaky(new TypeError("Database is closed.")));
  busy = 1;
  await assert.rejects(
    broken.get("user-1"),
    (e) => e instanceof DenoKvStoreError && e.reason === "unavailable" && /Database is closed/.test(e.message),
  );
});

Deno.test("errors say what happened: a DenoKvStoreError (a TokenStoreError) with the reason and the operation", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = new DenoKvTokenStore(kv);
  await store.set("user-1", appTokens);
  const lock = await store.lock("user-1", 60_000);
  const is =
    (reason: string, operation: string, key = "user-1") =>
    (e: unknown) =>
      e instanceof DenoKvStoreError &&
      e instanceof TokenStoreError &&
      e.code === "store_error" &&
      e.key === key &&
      e.reason === reason &&
      e.operation === operation &&
      e.message.includes(`failed to ${operation} for "${key}"`);

  await assert.rejects(
    store.set("user-1", { ...appTokens, accessToken: "x".repeat(70_000) }),
    is("rejected", "write the token set"),
  );
  await kv.set(["pintoken", "tokens", "foreign"], { some: "other data" });
  await assert.rejects(store.get("foreign"), is("unreadable", "read the token set", "foreign"));
  assert.deepEqual((await kv.get(["pintoken", "tokens", "foreign"])).value, { some: "other data" }, "left as it is");

  kv.close(); // the store's KV is gone: every operation says so
  await assert.rejects(store.get("user-1"), is("unavailable", "read the token set"));
  await assert.rejects(store.set("user-1", appTokens), is("unavailable", "write the token set"));
  await assert.rejects(store.set("user-1", appTokens, { ifVersion: null }), is("unavailable", "write the token set"));
  await assert.rejects(store.delete("user-1"), is("unavailable", "delete the token set"));
  await assert.rejects(store.lock("user-1", 60_000), is("unavailable", "take the lock"));
  await assert.rejects(lock.extend(60_000), is("unavailable", "extend the lock"));
  await assert.rejects(lock.release(), is("unavailable", "release the lock"));
  // The toolkit's own errors are not rewrapped.
  await assert.rejects(store.get(""), (e) => e instanceof ConfigurationError);
});

Deno.test("what KV throws is classified by what it means", () => {
  const reason = (error: unknown) => (kvStoreError("user-1", "read the token set", error) as DenoKvStoreError).reason;
  assert.equal(reason(new TypeError("database is locked")), "timeout"); // still locked after 10 s of retries
  assert.equal(reason(new TypeError("Database is closed.")), "unavailable");
  assert.equal(reason(Object.assign(new Error("Bad resource ID"), { name: "BadResource" })), "unavailable");
  assert.equal(reason(new TypeError("Key too large for write (max 2048 bytes)")), "rejected");
  assert.equal(reason(new TypeError("()=>1 could not be cloned.")), "rejected");
  assert.equal(reason(new Error("something new")), "unknown");
  const configuration = new ConfigurationError("bad key");
  assert.equal(kvStoreError("user-1", "read the token set", configuration), configuration);
});

Deno.test("close() closes a KV that open() opened, and leaves yours open", async () => {
  await using file = await tempKvPath();
  const opened = await DenoKvTokenStore.open(file.path);
  await opened.set("user-1", appTokens);
  opened.close();
  await assert.rejects(opened.get("user-1"));

  using kv = await Deno.openKv(file.path);
  const store = new DenoKvTokenStore(kv);
  store.close();
  assert.deepEqual((await store.get("user-1"))?.tokenSet, appTokens);
});

Deno.test("bad input gets an error that says what to do", async () => {
  using kv = await Deno.openKv(":memory:");
  const store = new DenoKvTokenStore(kv);
  await assert.rejects(store.get(""), (e) => e instanceof ConfigurationError && /non-empty string/.test(e.message));
  await assert.rejects(store.lock("k", 0), (e) => e instanceof ConfigurationError && /TTL/.test(e.message));
  assert.throws(() => new DenoKvTokenStore({} as TokenKv), /Deno\.openKv/);
  assert.throws(() => new DenoKvTokenStore(kv, { prefix: "app" as unknown as string[] }), /prefix must be an array/);
  await assert.rejects(DenoKvTokenStore.open(undefined, { prefix: "app" as unknown as string[] }), ConfigurationError);
  await kv.set(["pintoken", "tokens", "foreign"], { some: "other data" });
  await assert.rejects(store.get("foreign"), /does not hold a token set.*own prefix/);
  assert.equal(JSON.stringify(store), '{"prefix":["pintoken"]}');
  await store.set("user-1", appTokens);
  assert.ok(!JSON.stringify(store).includes(appTokens.accessToken));
});

/** Two token managers, each on its own KV handle of one file, which holds a user's set that expired a second ago. */
async function withTwoHandles(
  body: (setup: {
    server: MockPinterestServer;
    a: TokenManager;
    b: TokenManager;
    kvB: Deno.Kv;
    first: TokenSet;
  }) => Promise<void>,
): Promise<void> {
  await withMockPinterest({}, async (server) => {
    await using file = await tempKvPath();
    using kvA = await Deno.openKv(file.path);
    using kvB = await Deno.openKv(file.path);
    const oauth = oauthFor(server);
    const [a, b] = [kvA, kvB].map((kv) =>
      createTokenManager({ oauth, store: new DenoKvTokenStore(kv), key: "user-1" }),
    ) as [TokenManager, TokenManager];
    const first = await oauth.exchangeCode({ code: server.mock.authorize({ scopes: ["user_accounts:read"] }).code });
    server.mock.expireAccessTokens();
    await a.save({ ...first, expiresAt: Date.now() - 1_000 }); // expired a second ago, as Pinterest says
    await body({ server, a, b, kvB, first });
  });
}

Deno.test("two token managers on two KV handles of one file refresh once and keep the newest refresh token", async () => {
  await withTwoHandles(async ({ server, a, b, first }) => {
    const tokens = await Promise.all([a.getAccessToken(), b.getAccessToken(), a.getAccessToken(), b.getAccessToken()]);
    assert.equal(new Set(tokens).size, 1);
    assert.equal(refreshCalls(server).length, 1);
    const stored = await b.peek();
    assert.equal(stored?.accessToken, tokens[0]);
    assert.equal(server.mock.inspectToken(stored?.refreshToken ?? "")?.status, "active");
    assert.equal(server.mock.inspectToken(first.refreshToken ?? "")?.status, "rotated");
  });
});

Deno.test("a sign-out on one KV handle while another refreshes waits for the lock and revokes the rotated token", async () => {
  await withTwoHandles(async ({ server, a: refreshing, b: signingOut, kvB, first }) => {
    server.mock.scenario("oauth/token").slow(500);
    const refreshed = refreshing.getAccessToken();
    // Once the refresh holds the lock (seen through the other handle), sign out there.
    while ((await kvB.get(["pintoken", "locks", "user-1"])).value === null) await new Promise((r) => setTimeout(r, 5));
    await signingOut.revoke();
    const accessToken = await refreshed;
    assert.deepEqual(
      refreshCalls(server).map((call) => call.status),
      [200],
    );
    assert.equal(await signingOut.peek(), undefined, "signed out");
    assert.notEqual(accessToken, first.accessToken);
    const revoked = server.mock.calls.for("token/revoke").map((call) => call.form?.token);
    assert.equal(revoked.length, 1);
    assert.notEqual(revoked[0], first.refreshToken, "the rotated refresh token is revoked, not the old one");
    assert.equal(server.mock.inspectToken(revoked[0] ?? "")?.status, "revoked");
    assert.equal(server.mock.inspectToken(first.refreshToken ?? "")?.status, "rotated");
  });
});
