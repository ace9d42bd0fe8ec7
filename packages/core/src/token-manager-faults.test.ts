/**
 * The token manager under faults injected in the middle of a refresh: Pinterest slower than the timeout, a store that
 * goes down (reads, writes, locks, extensions, releases, deletes), a lock lost or left behind, a sign-out from another
 * process. Time is the fake clock's: every wait is a deadline passed on purpose, never a sleep.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json, tokenSet } from "../test/helpers.ts";
import { answerAfter, facade, faultyStore, invalidGrant, rotatingPinterest, seed, setup } from "../test/manager.ts";
import { OutcomeUnknownError, PinterestTimeoutError, ReauthorizationRequiredError, TokenStoreError } from "./errors.ts";
import { createTokenManager, type TokenManagerEvent } from "./token-manager.ts";
import { MemoryTokenStore, type TokenStore } from "./token-store.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Advances the fake clock by `ms`, running everything that comes due. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** What `promise` settles with (a value, or the error it rejects with), readable once settled. */
function outcome<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

const types = (events: TokenManagerEvent[]) => events.map((event) => event.type);

describe("1. a refresh once sent is never abandoned", () => {
  it("slower than timeoutMs: callers stop waiting at timeoutMs, the late answer is saved, nobody refreshes again", async () => {
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter(12_000) });
    const t = setup({ pinterest, oauth: { timeoutMs: 10_000 } });
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const first = outcome(t.manager.getAccessToken());
    await advance(5_000);
    const joined = outcome(t.manager.getAccessToken()); // joins the refresh under way
    await advance(5_000);
    expect(first.error).toBeInstanceOf(PinterestTimeoutError); // the token had expired: nothing to fall back on
    await advance(2_000); // Pinterest answers attempt 1
    expect((await t.store.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
    expect(joined.value).toBe("pina_1");
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
    expect(t.pinterest.valid).toEqual(new Set(["pinr_1"]));
  });

  it("slower than timeoutMs with a still-valid token: callers get the current token at timeoutMs", async () => {
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter(12_000) });
    const t = setup({ pinterest, oauth: { timeoutMs: 10_000 } });
    await seed(t.store, tokenSet(t.now(), 60_000, { refreshToken: "pinr_0" })); // due (within 5 min), not expired
    const caller = outcome(t.manager.getAccessToken());
    await advance(10_000);
    expect(caller.value).toBe("pina_stored_60000");
    await advance(2_000);
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
  });

  it("an unknown outcome (connection dropped after sending) keeps the session, is reported, and is not retried", async () => {
    let dropped = true;
    const pinterest = rotatingPinterest("pinr_0", {
      before: async () => {
        if (!dropped) return undefined;
        dropped = false;
        throw new TypeError("fetch failed", { cause: Object.assign(new Error("closed"), { code: "UND_ERR_SOCKET" }) });
      },
    });
    const events: TokenManagerEvent[] = [];
    const t = setup({ pinterest, manager: { onEvent: (event) => events.push(event) } });
    const version = await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const error = await t.manager.getAccessToken().catch((e) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(types(events)).toEqual(["lock-taken", "refresh-sent", "refresh-outcome-unknown"]);
    expect((await t.store.get("user-1"))?.version).toBe(version); // nothing changed
    expect(t.pinterest.fetch.seen).toHaveLength(1);
    // A later call tries again; here Pinterest had not used the token, so it works.
    expect(await t.manager.getAccessToken()).toBe("pina_1");
  });

  it("with a lock that cannot be extended, the wait for the answer ends within the lock, and the lock is released", async () => {
    const shared = new MemoryTokenStore();
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter((call) => (call === 0 ? 60_000 : 0)) });
    const events: TokenManagerEvent[] = [];
    const t = setup({
      store: facade(shared, "without-extend"),
      pinterest,
      manager: { lockTtlMs: 20_000, onEvent: (e) => events.push(e) },
    });
    await seed(shared, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const caller = outcome(t.manager.getAccessToken());
    await advance(10_000);
    expect(caller.error).toBeInstanceOf(PinterestTimeoutError); // the caller stops waiting at timeoutMs
    await advance(7_999);
    expect(types(events)).not.toContain("refresh-outcome-unknown");
    await advance(1); // 18 s: the lock's 20 s, less the tenth kept for saving
    expect(types(events)).toContain("refresh-outcome-unknown");
    const other = createTokenManager({ oauth: t.oauth, store: facade(shared, "without-extend"), key: "user-1" });
    const next = outcome(other.getAccessToken());
    await advance(10);
    expect(next.value).toBe("pina_1"); // the lock was released at once, not left to expire at 20 s
  });
});

describe("2. invalid_grant is final only when the store agrees", () => {
  it("a store outage mid-refresh: the next process's lock is taken over, it waits for the holder's late save, nobody is signed out", async () => {
    const inner = new MemoryTokenStore();
    const a = faultyStore(inner);
    const b = faultyStore(inner);
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter((call) => (call === 0 ? 2_000 : 0)) });
    const aEvents: TokenManagerEvent[] = [];
    const bEvents: TokenManagerEvent[] = [];
    const t = setup({ store: a.store, pinterest, manager: { lockTtlMs: 6_000, onEvent: (e) => aEvents.push(e) } });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const aCall = outcome(t.manager.getAccessToken());
    await advance(500);
    a.down(); // the store goes down for everyone: A's lock extensions fail, and so does its save at 2 s
    b.down();
    await advance(6_600); // 7.1 s: A's lock expired at 6 s
    expect(aCall.value).toBe("pina_1"); // A's callers got the rotated token, kept in memory
    a.down(false);
    b.down(false);
    const other = createTokenManager({
      oauth: t.oauth,
      store: b.store,
      key: "user-1",
      lockTtlMs: 6_000,
      onEvent: (e) => bEvents.push(e),
    });
    const bCall = outcome(other.getAccessToken());
    await advance(8_000);
    expect(bCall.value).toBe("pina_1");
    expect(pinterest.refreshes).toEqual(["pinr_0", "pinr_0"]); // B's try with the retired token was refused
    expect((await inner.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
    expect(types(aEvents)).toEqual(expect.arrayContaining(["lock-lost", "store-error", "saved", "refreshed"]));
    expect(aEvents.find((e) => e.type === "lock-lost")).toMatchObject({ reason: "expired" });
    expect(bEvents.find((e) => e.type === "lock-taken")).toMatchObject({ tookOver: true });
    expect(types(bEvents)).toContain("newer-tokens-found");
    expect(types([...aEvents, ...bEvents])).not.toContain("reauthorization-required");
  });

  it("after a lock its holder released, a rejected refresh token is final at once", async () => {
    const events: TokenManagerEvent[] = [];
    const t = setup({ fetch: rotatingPinterest("pinr_other").fetch, manager: { onEvent: (e) => events.push(e) } });
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const started = Date.now();
    const error = await t.manager.getAccessToken().catch((e) => e);
    expect(error).toBeInstanceOf(ReauthorizationRequiredError);
    expect(error).toMatchObject({ reason: "invalid-grant" });
    expect(Date.now() - started).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: "reauthorization-required", reason: "invalid-grant" });
  });

  it("after a lock taken over, the store is watched for up to the lock TTL (and a save gap) before the user is signed out", async () => {
    const inner = new MemoryTokenStore();
    await inner.lock("user-1", 1_000); // a holder that crashed
    const t = setup({
      store: facade(inner, true),
      fetch: rotatingPinterest("pinr_other").fetch,
      manager: { lockTtlMs: 5_000 },
    });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const caller = outcome(t.manager.refresh({ ifAccessToken: "pina_stored_-1000" }));
    // The crashed holder's lock expires at 1 s; the watch lasts the TTL (5 s) and a holder's longest gap between two
    // saves of kept tokens (2 s).
    await advance(1_000 + 5_000 + 1_999);
    expect(caller.settled).toBe(false);
    await advance(1_500);
    expect(caller.error).toBeInstanceOf(ReauthorizationRequiredError);
  });

  it("a store that cannot be read when the verdict is due fails with its error, never a sign-out", async () => {
    const inner = new MemoryTokenStore();
    const store = faultyStore(inner);
    const pinterest = rotatingPinterest("pinr_other", {
      before: async () => {
        store.failing.add("get"); // Pinterest says no, and the store cannot be read to check
        return undefined;
      },
    });
    const t = setup({ store: store.store, pinterest });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const caller = outcome(t.manager.getAccessToken());
    await advance(1_000);
    expect(caller.error).toBeInstanceOf(TokenStoreError);
    expect(caller.error).toMatchObject({ reason: "unavailable" });
  });
});

describe("3. waiting for a lock is also waiting for the token", () => {
  it("a holder whose release fails: the waiters see its saved tokens and stop waiting; the release is retried", async () => {
    const inner = new MemoryTokenStore();
    const a = faultyStore(inner);
    const b = faultyStore(inner);
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter(2_000) });
    const events: TokenManagerEvent[] = [];
    const t = setup({ store: a.store, pinterest });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    a.failing.add("release"); // the holder's release will fail: the lock is left behind (60 s TTL)
    const aCall = outcome(t.manager.getAccessToken());
    await advance(100);
    const other = createTokenManager({ oauth: t.oauth, store: b.store, key: "user-1", onEvent: (e) => events.push(e) });
    const bCall = outcome(other.getAccessToken());
    await advance(1_900); // A's answer comes and is saved; its release fails
    expect(aCall.value).toBe("pina_1");
    await advance(1_000);
    expect(bCall.value).toBe("pina_1"); // within one watch interval, not the lock's 60 s
    expect(types(events)).toContain("lock-wait-ended");
    expect(pinterest.refreshes).toEqual(["pinr_0"]);
    const releasesBefore = a.calls.release;
    a.failing.delete("release"); // the store is back: the release is tried again and lands
    await advance(3_000);
    expect(a.calls.release).toBeGreaterThan(releasesBefore);
    const next = await inner.lock("user-1", 1_000, { signal: AbortSignal.timeout(10) });
    expect(next.tookOver).toBe(false);
  });
});

describe("4. every store fault", () => {
  it("get fails: the store's own error, within one of its calls (no retries on top)", async () => {
    const inner = new MemoryTokenStore();
    const { store, failing, calls } = faultyStore(inner);
    const t = setup({ store });
    await seed(inner, tokenSet(t.now(), 60 * 60_000));
    failing.add("get");
    const error = await t.manager.getAccessToken().catch((e) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error).toMatchObject({ reason: "unavailable", code: "store_error" });
    expect(calls.get).toBe(1);
  });

  it("lock fails: a still-valid token is used; an expired one gives the store's error; nothing is sent", async () => {
    const inner = new MemoryTokenStore();
    const { store, failing } = faultyStore(inner);
    const t = setup({ store });
    failing.add("lock");
    await seed(inner, tokenSet(t.now(), 60_000));
    expect(await t.manager.getAccessToken()).toBe("pina_stored_60000");
    await seed(inner, tokenSet(t.now(), -1000));
    expect(await t.manager.getAccessToken().catch((e) => e)).toMatchObject({ reason: "unavailable" });
    expect(t.pinterest.fetch.seen).toHaveLength(0);
  });

  it("extend fails while the refresh runs: the lock is reported lost, and the refresh still lands", async () => {
    const inner = new MemoryTokenStore();
    const { store, failing } = faultyStore(inner);
    const events: TokenManagerEvent[] = [];
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter(5_000) });
    const t = setup({ store, pinterest, manager: { lockTtlMs: 3_000, onEvent: (e) => events.push(e) } });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    failing.add("extend");
    const caller = outcome(t.manager.getAccessToken());
    await advance(5_000);
    expect(caller.value).toBe("pina_1");
    expect(events.find((e) => e.type === "lock-lost")).toMatchObject({ reason: "expired" });
    expect((await inner.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
  });

  it("the store says the lock was lost while held: reported as refused, and the refresh still lands", async () => {
    const inner = new MemoryTokenStore();
    const store: TokenStore = {
      ...facade(inner, false),
      async lock(k, ttl) {
        const held = await inner.lock(k, ttl);
        return { release: () => held.release(), extend: async () => false };
      },
    };
    const events: TokenManagerEvent[] = [];
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter(120) });
    const t = setup({ store, pinterest, manager: { lockTtlMs: 60, onEvent: (e) => events.push(e) } });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const caller = outcome(t.manager.getAccessToken());
    await advance(200);
    expect(caller.value).toBe("pina_1");
    expect(events.find((e) => e.type === "lock-lost")).toMatchObject({ reason: "refused" });
    expect((await inner.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
  });

  it("delete fails on sign-out: revoked at Pinterest first, so the stored set left behind is dead; the error says so", async () => {
    const inner = new MemoryTokenStore();
    const { store, failing } = faultyStore(inner);
    const t = setup({ store });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    failing.add("delete");
    expect(await t.manager.revoke().catch((e) => e)).toMatchObject({ reason: "unavailable", operation: "delete" });
    expect(t.pinterest.revoked).toEqual(["pinr_0"]);
    expect(t.pinterest.valid).toEqual(new Set());
    expect(await t.manager.getAccessToken().catch((e) => e)).toBeInstanceOf(ReauthorizationRequiredError);
  });

  it("a key deleted (signed out elsewhere) while its refresh runs: the tokens Pinterest issued are revoked, not dropped", async () => {
    const inner = new MemoryTokenStore();
    const events: TokenManagerEvent[] = [];
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter(2_000) });
    const t = setup({ store: facade(inner, false), pinterest, manager: { onEvent: (e) => events.push(e) } });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const caller = outcome(t.manager.getAccessToken());
    await advance(1_000);
    await inner.delete("user-1");
    await advance(1_000 + 2_000); // the answer at 2 s, then the revoke of what it brought (Pinterest is slow: 2 s)
    expect(caller.error).toMatchObject({ reason: "signed-out-during-refresh" });
    expect(pinterest.revoked).toEqual(["pinr_1"]);
    expect(pinterest.valid).toEqual(new Set());
    expect(events.at(-1)).toMatchObject({ type: "reauthorization-required", reason: "signed-out-during-refresh" });
  });
});

describe("5. rotated tokens the store could not take are kept, used, saved later and reported", () => {
  it("the next call uses the rotated token, saves are retried on a schedule, and it reaches the store when it is back", async () => {
    const inner = new MemoryTokenStore();
    const { store, failing } = faultyStore(inner);
    const events: TokenManagerEvent[] = [];
    const t = setup({ store, manager: { onEvent: (event) => events.push(event) } });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    failing.add("set");
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    expect(t.storeErrors).toHaveLength(1);
    expect(t.storeErrors[0]?.tokenSet?.refreshToken).toBe("pinr_1");
    await advance(200 + 400 + 800);
    const failures = events.filter((e) => e.type === "store-error");
    expect(failures.map((e) => [e.attempt, e.retryInMs])).toEqual([
      [1, 200],
      [2, 400],
      [3, 800],
      [4, 1_600],
    ]);
    // Still down: every manager of the store object keeps using what it holds.
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    const other = createTokenManager({ oauth: t.oauth, store, key: "user-1", onStoreError: () => {} });
    expect(await other.getAccessToken()).toBe("pina_1");
    failing.delete("set");
    await advance(1_600);
    expect((await inner.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
    expect(types(events)).toContain("saved");
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
    expect(JSON.stringify(events)).not.toMatch(/pin[ar]_1/);
  });

  it("the kept tokens hold the lock: another process waits instead of refreshing with the retired token", async () => {
    const inner = new MemoryTokenStore();
    const a = faultyStore(inner);
    const b = faultyStore(inner);
    const t = setup({ store: a.store });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    a.failing.add("set");
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    const other = createTokenManager({ oauth: t.oauth, store: b.store, key: "user-1" });
    const bCall = outcome(other.getAccessToken());
    await advance(3_000);
    expect(bCall.settled).toBe(false); // waiting for the lock, watching the store
    a.failing.delete("set");
    await advance(3_000);
    expect(bCall.value).toBe("pina_1");
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
  });

  it("refreshing again before the store is back rotates from the kept token, and the newest one is saved", async () => {
    const inner = new MemoryTokenStore();
    const { store, failing } = faultyStore(inner);
    const t = setup({ store });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    failing.add("set");
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    t.advance(31 * 86_400_000);
    expect(await t.manager.getAccessToken()).toBe("pina_2");
    expect(t.pinterest.refreshes).toEqual(["pinr_0", "pinr_1"]);
    failing.delete("set");
    await advance(2_000);
    expect((await inner.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_2");
  });

  it("nothing is lost when the only caller aborted before the refresh ended", async () => {
    const inner = new MemoryTokenStore();
    const { store, failing } = faultyStore(inner);
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter(30) });
    const t = setup({ store, pinterest });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    failing.add("set");
    const controller = new AbortController();
    const pending = outcome(t.manager.getAccessToken({ signal: controller.signal }));
    await advance(10);
    controller.abort(new Error("request closed"));
    await advance(0);
    expect(pending.error).toMatchObject({ message: "request closed" });
    await advance(100);
    expect(t.storeErrors).toHaveLength(1);
    failing.delete("set");
    await advance(2_000);
    expect((await inner.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
  });

  it("a new sign-in saved meanwhile wins over the kept tokens", async () => {
    const inner = new MemoryTokenStore();
    const { store, failing } = faultyStore(inner);
    const t = setup({ store });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    failing.add("set");
    await t.manager.getAccessToken();
    await inner.set("user-1", tokenSet(t.now(), 86_400_000, { accessToken: "pina_new_login", refreshToken: "pinr_x" }));
    failing.delete("set");
    expect(await t.manager.getAccessToken()).toBe("pina_new_login");
    await advance(5_000);
    expect((await inner.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_x");
  });

  it("sign-out revokes the kept refresh token, not the retired one, and forgets it", async () => {
    const inner = new MemoryTokenStore();
    const { store, failing } = faultyStore(inner);
    const t = setup({ store });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    failing.add("set");
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    await t.manager.revoke();
    expect(t.pinterest.revoked).toEqual(["pinr_1"]);
    expect(await inner.get("user-1")).toBeUndefined();
    expect(await t.manager.peek()).toBeUndefined();
    failing.delete("set");
    await advance(5_000);
    expect(await inner.get("user-1")).toBeUndefined();
  });

  it("a sign-out by another process while tokens are kept: they are revoked at Pinterest, not left live", async () => {
    const inner = new MemoryTokenStore();
    const { store, failing } = faultyStore(inner);
    const t = setup({ store });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    failing.add("set");
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    await inner.delete("user-1"); // signed out elsewhere (it revoked what it saw: pinr_0)
    expect(await t.manager.getAccessToken().catch((e) => e)).toBeInstanceOf(ReauthorizationRequiredError);
    await advance(0);
    expect(t.pinterest.revoked).toEqual(["pinr_1"]);
  });

  it("save() of a new sign-in rejects with TokenStoreError carrying the tokens", async () => {
    const inner = new MemoryTokenStore();
    const { store, failing } = faultyStore(inner);
    const t = setup({ store });
    failing.add("set");
    const error = await t.manager.save(tokenSet(t.now(), 60_000)).catch((e) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error.tokenSet.accessToken).toBe("pina_stored_60000");
  });
});

describe("6. events", () => {
  it("a refresh reports its steps, with expiry times and no token", async () => {
    const events: TokenManagerEvent[] = [];
    const t = setup({ manager: { onEvent: (event) => events.push(event) } });
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    await t.manager.getAccessToken();
    expect(events).toEqual([
      { type: "lock-taken", key: "user-1", waitedMs: 0, tookOver: false },
      { type: "refresh-sent", key: "user-1", grant: "refresh_token" },
      { type: "refresh-answered", key: "user-1", status: 200, durationMs: expect.any(Number) },
      {
        type: "refreshed",
        key: "user-1",
        expiresAt: t.now() + 2_592_000_000,
        refreshTokenExpiresAt: t.now() + 5_184_000_000,
        scopes: ["user_accounts:read", "pins:read"],
      },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/pin[ar]_/);
  });

  it("a rejected refresh token says why; a listener that throws changes nothing", async () => {
    const t = setup({
      fetch: rotatingPinterest("pinr_other").fetch,
      manager: {
        onEvent: () => {
          throw new Error("broken listener");
        },
      },
    });
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    expect(await t.manager.getAccessToken().catch((e) => e)).toMatchObject({ reason: "invalid-grant" });
  });

  it("each reason for signing in again", async () => {
    const events: TokenManagerEvent[] = [];
    const t = setup({ manager: { onEvent: (event) => events.push(event) } });
    const reasons = async () => (await t.manager.getAccessToken().catch((e) => e)).reason;
    expect(await reasons()).toBe("signed-out");
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: undefined as never }));
    expect(await reasons()).toBe("no-refresh-token");
    await seed(t.store, tokenSet(t.now(), -1000, { refreshTokenExpiresAt: t.now() - 1 }));
    expect(await reasons()).toBe("refresh-token-expired");
    expect(events.filter((e) => e.type === "reauthorization-required").map((e) => e.reason)).toEqual([
      "signed-out",
      "no-refresh-token",
      "refresh-token-expired",
    ]);
  });
});

describe("7. sign-out during a refresh", () => {
  it("waits for the refresh and revokes the refresh token it produced", async () => {
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter(50) });
    const t = setup({ pinterest });
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const refreshing = outcome(t.manager.getAccessToken());
    await advance(5);
    const signingOut = outcome(t.manager.revoke());
    await advance(100);
    expect(refreshing.value).toBe("pina_1");
    expect(signingOut.settled).toBe(true);
    expect(pinterest.revoked).toEqual(["pinr_1"]);
    expect(pinterest.valid).toEqual(new Set());
    expect(await t.store.get("user-1")).toBeUndefined();
  });

  it("takes the store's lock, so another process cannot refresh while it signs out", async () => {
    const shared = new MemoryTokenStore();
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter(50) });
    const t = setup({ store: facade(shared, true), pinterest });
    await seed(shared, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const other = createTokenManager({ oauth: t.oauth, store: facade(shared, true), key: "user-1" });
    const refreshing = outcome(other.getAccessToken());
    await advance(5);
    const signingOut = outcome(t.manager.revoke());
    await advance(2_000);
    expect([refreshing.settled, signingOut.settled]).toEqual([true, true]);
    expect(pinterest.valid).toEqual(new Set());
    expect(await shared.get("user-1")).toBeUndefined();
  });

  it("on a store without locks, a refresh asked for while a queued sign-out runs waits for it, and finds the user signed out", async () => {
    const inner = new MemoryTokenStore();
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter(40) });
    const t = setup({ store: facade(inner, false), pinterest });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const refreshing = outcome(t.manager.getAccessToken());
    await advance(5);
    const signingOut = outcome(t.manager.revoke()); // queued behind the refresh
    await advance(40);
    expect(refreshing.value).toBe("pina_1");
    const forced = outcome(t.manager.refresh({ ifAccessToken: "pina_1" }));
    await advance(100);
    expect(signingOut.settled).toBe(true);
    expect(forced.error).toBeInstanceOf(ReauthorizationRequiredError);
    expect(pinterest.refreshes).toEqual(["pinr_0"]);
    expect(pinterest.revoked).toEqual(["pinr_1"]);
    expect(await inner.get("user-1")).toBeUndefined();
  });

  it("a caller's abort stops its wait for the sign-out, not the sign-out", async () => {
    const pinterest = rotatingPinterest("pinr_0", { before: answerAfter(1_000) });
    const t = setup({ pinterest });
    await seed(t.store, tokenSet(t.now(), 60 * 60_000, { refreshToken: "pinr_0" }));
    const controller = new AbortController();
    const signingOut = outcome(t.manager.revoke({ signal: controller.signal }));
    await advance(10);
    controller.abort(new Error("gone"));
    await advance(0);
    expect(signingOut.error).toMatchObject({ message: "gone" });
    await advance(1_000);
    expect(pinterest.revoked).toEqual(["pinr_0"]);
    expect(await t.store.get("user-1")).toBeUndefined();
  });
});

describe("8. refresh() and ifAccessToken", () => {
  it("refresh() asks Pinterest for new tokens even while the stored ones are fresh; concurrent calls share it", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), 86_400_000, { refreshToken: "pinr_0" }));
    const sets = await Promise.all(Array.from({ length: 10 }, () => t.manager.refresh()));
    expect(new Set(sets.map((s) => s.accessToken))).toEqual(new Set(["pina_1"]));
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
    expect((await t.store.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
  });

  it("joining a refresh that ends with the rejected token starts a new one", async () => {
    const store = new MemoryTokenStore();
    const t = setup({ store });
    await seed(store, tokenSet(t.now(), -1000, { refreshToken: "pinr_older" }));
    const held = await store.lock("user-1", 10_000); // another process is refreshing
    const first = outcome(t.manager.getAccessToken()); // waits for the lock
    await advance(10);
    // The other process stores its result; an API call of ours then gets 401 with that token.
    await store.set("user-1", tokenSet(t.now(), 86_400_000, { accessToken: "pina_other", refreshToken: "pinr_0" }));
    const forced = outcome(t.manager.refresh({ ifAccessToken: "pina_other" }));
    await held.release();
    await advance(2_000);
    expect(first.value).toBe("pina_other");
    expect(forced.value).toMatchObject({ accessToken: "pina_1" });
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
  });
});

describe("9. short and non-positive token lifetimes", () => {
  it("a token living shorter than the refresh window is refreshed once per half lifetime, not on every call", async () => {
    const pinterest = rotatingPinterest("pinr_0", { body: { expires_in: 60 } });
    const t = setup({ pinterest });
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    for (let i = 0; i < 5; i++) expect(await t.manager.getAccessToken()).toBe("pina_1");
    t.advance(29_000);
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    t.advance(2_000);
    expect(await t.manager.getAccessToken()).toBe("pina_2");
    expect(t.pinterest.refreshes).toEqual(["pinr_0", "pinr_1"]);
  });

  it("an expires_in of 0 is refused, and the stored tokens stay", async () => {
    const pinterest = rotatingPinterest("pinr_0", { body: { expires_in: 0 } });
    const t = setup({ pinterest });
    const version = await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    await expect(t.manager.getAccessToken()).rejects.toMatchObject({ code: "invalid_response" });
    expect((await t.store.get("user-1"))?.version).toBe(version);
  });

  it("a 429 on the refresh while the token is still valid returns the current token", async () => {
    const t = setup({
      fetch: rotatingPinterest("pinr_0", { before: async () => json(429, { code: 8, message: "slow" }) }).fetch,
    });
    await seed(t.store, tokenSet(t.now(), 60_000, { refreshToken: "pinr_0" }));
    const caller = outcome(t.manager.getAccessToken());
    await advance(10);
    expect(caller.value).toBe("pina_stored_60000");
  });

  it("an invalid grant answer is ReauthorizationRequiredError with Pinterest's error as cause", async () => {
    const t = setup({ fetch: rotatingPinterest("x", { before: async () => invalidGrant() }).fetch });
    await seed(t.store, tokenSet(t.now(), -1000));
    const error = await t.manager.getAccessToken().catch((e) => e);
    expect(error.cause).toMatchObject({ status: 401, isInvalidGrant: true });
  });
});
