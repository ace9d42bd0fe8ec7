import { describe, expect, it, vi } from "vitest";
import { json, tokenSet } from "../test/helpers.ts";
import { facade, rotatingPinterest, seed, setup } from "../test/manager.ts";
import { PinterestApiError, ReauthorizationRequiredError, TokenStoreError } from "./errors.ts";
import { createTokenManager, type TokenManagerEvent } from "./token-manager.ts";
import { MemoryTokenStore, type TokenStore } from "./token-store.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (up to 5 s) for the kept tokens to reach the store once it is back. */
const storeReaches = (inner: MemoryTokenStore, refreshToken: string) =>
  vi.waitFor(async () => expect((await inner.get("user-1"))?.tokenSet.refreshToken).toBe(refreshToken), {
    timeout: 5_000,
  });

/** A store whose writes fail while `down` is true (a Redis restart, say). */
function flakyStore(inner = new MemoryTokenStore()) {
  const state = { down: false, failedWrites: 0 };
  const store: TokenStore = {
    get: (k) => inner.get(k),
    delete: (k) => inner.delete(k),
    lock: (k, ttl) => inner.lock(k, ttl),
    async set(k, v, o) {
      if (state.down) {
        state.failedWrites++;
        throw new Error("ECONNREFUSED");
      }
      return inner.set(k, v, o);
    },
  };
  return { store, inner, state };
}

describe("1. rotated tokens the store could not take are kept, used, saved later and reported", () => {
  it("the next call uses the rotated token (never the dead one), and it reaches the store when the store is back", async () => {
    const { store, inner, state } = flakyStore();
    const events: TokenManagerEvent[] = [];
    const t = setup({ store, manager: { onEvent: (event) => events.push(event) } });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    state.down = true;
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    expect(t.storeErrors).toHaveLength(1);
    expect(t.storeErrors[0]?.tokenSet?.refreshToken).toBe("pinr_1");
    expect(events.map((e) => e.type)).toEqual(["store-error", "refreshed"]);
    // Still down: the manager keeps using what it holds.
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    expect((await t.manager.peek())?.refreshToken).toBe("pinr_1");
    // A manager created per request (same store, same key) sees them too.
    const other = createTokenManager({ oauth: t.oauth, store, key: "user-1", onStoreError: () => {} });
    expect(await other.getAccessToken()).toBe("pina_1");
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
    state.down = false;
    await storeReaches(inner, "pinr_1");
    expect(events.map((e) => e.type)).toContain("saved");
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
  });

  it("refreshing again before the store is back rotates from the kept token, and the newest one is saved", async () => {
    const { store, inner, state } = flakyStore();
    const t = setup({ store });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    state.down = true;
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    t.advance(31 * 86_400_000);
    expect(await t.manager.getAccessToken()).toBe("pina_2");
    expect(t.pinterest.refreshes).toEqual(["pinr_0", "pinr_1"]);
    state.down = false;
    await storeReaches(inner, "pinr_2");
  });

  it("nothing is lost when the only caller aborted before the refresh ended", async () => {
    const { store, inner, state } = flakyStore();
    const pinterest = rotatingPinterest("pinr_0", { before: () => sleep(30).then(() => undefined) });
    const t = setup({ store, pinterest });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    state.down = true;
    const controller = new AbortController();
    const pending = t.manager.getAccessToken({ signal: controller.signal });
    await sleep(10); // the refresh is under way
    controller.abort(new Error("request closed"));
    await expect(pending).rejects.toThrow("request closed");
    await vi.waitFor(() => expect(t.storeErrors).toHaveLength(1), { timeout: 5_000 });
    state.down = false;
    await storeReaches(inner, "pinr_1");
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
  });

  it("a new sign-in saved meanwhile wins over the kept tokens", async () => {
    const { store, inner, state } = flakyStore();
    const t = setup({ store });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    state.down = true;
    await t.manager.getAccessToken();
    await inner.set("user-1", tokenSet(t.now(), 86_400_000, { accessToken: "pina_new_login", refreshToken: "pinr_x" }));
    state.down = false;
    expect(await t.manager.getAccessToken()).toBe("pina_new_login");
    await sleep(50);
    expect((await inner.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_x");
  });
});

describe("2. the lock outlives the refresh, and losing it never means signing in again", () => {
  /** 429 with Retry-After: 1 to the first `count` token calls, then normal rotation. */
  function rateLimitedFirst(count: number) {
    let answered = 0;
    return rotatingPinterest("pinr_0", {
      before: async () =>
        answered++ < count ? json(429, { code: 8, message: "Too many requests" }, { "retry-after": "1" }) : undefined,
    });
  }

  it("without lock extension, retries stop before the lock expires (no refresh races the next holder)", async () => {
    const shared = new MemoryTokenStore();
    const pinterest = rateLimitedFirst(2);
    const t = setup({
      store: facade(shared, "without-extend"),
      pinterest,
      oauth: { timeoutMs: 200, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 } },
      manager: { lockTtlMs: 1500 },
    });
    await seed(shared, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const a = t.manager.getAccessToken().catch((e) => e);
    await sleep(1600); // past A's lock TTL: process B goes ahead
    const b = createTokenManager({
      oauth: t.oauth,
      store: facade(shared, "without-extend"),
      key: "user-1",
      lockTtlMs: 1500,
    });
    expect(await b.getAccessToken()).toBe("pina_1");
    const error = await a;
    expect(error).toBeInstanceOf(PinterestApiError);
    expect(error.status).toBe(429);
    expect(pinterest.fetch.seen).toHaveLength(3); // two attempts of A (429, 429), then B's refresh
    expect(pinterest.refreshes).toEqual(["pinr_0"]);
    expect((await shared.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
  }, 10_000);

  it("with lock extension, a refresh slower than the lock TTL keeps the lock: the other process waits and refreshes nothing", async () => {
    const shared = new MemoryTokenStore();
    const pinterest = rotatingPinterest("pinr_0", { before: () => sleep(500).then(() => undefined) });
    const t = setup({ store: shared, pinterest, manager: { lockTtlMs: 150 } });
    await seed(shared, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const a = t.manager.getAccessToken();
    await sleep(250);
    const b = createTokenManager({ oauth: t.oauth, store: facade(shared, true), key: "user-1", lockTtlMs: 150 });
    expect(await Promise.all([a, b.getAccessToken()])).toEqual(["pina_1", "pina_1"]);
    expect(pinterest.refreshes).toEqual(["pinr_0"]);
  });

  it("a holder that lost its lock and then finds its refresh token rotated away adopts the stored tokens", async () => {
    const shared = new MemoryTokenStore();
    // Pinterest rotates at answer time, and process A's request is slow: B's refresh lands first.
    let first = true;
    const pinterest = rotatingPinterest("pinr_0", {
      before: async () => {
        if (first) {
          first = false;
          await sleep(600);
        }
        return undefined;
      },
    });
    const t = setup({
      store: facade(shared, "without-extend"),
      pinterest,
      oauth: { retry: false },
      manager: { lockTtlMs: 300 },
    });
    await seed(shared, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const a = t.manager.getAccessToken();
    await sleep(350);
    const b = createTokenManager({
      oauth: t.oauth,
      store: facade(shared, "without-extend"),
      key: "user-1",
      lockTtlMs: 300,
    });
    expect(await b.getAccessToken()).toBe("pina_1");
    expect(await a).toBe("pina_1");
    expect((await shared.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
  });
});

describe("2. (lock loss is reported)", () => {
  it("a store that says the lock was lost while held makes a lock-lost event, and the refresh still lands", async () => {
    const inner = new MemoryTokenStore();
    const store: TokenStore = {
      get: (k) => inner.get(k),
      set: (k, v, o) => inner.set(k, v, o),
      delete: (k) => inner.delete(k),
      async lock(k, ttl) {
        const held = await inner.lock(k, ttl);
        return { release: () => held.release(), extend: async () => false };
      },
    };
    const events: TokenManagerEvent[] = [];
    const pinterest = rotatingPinterest("pinr_0", { before: () => sleep(120).then(() => undefined) });
    const t = setup({ store, pinterest, manager: { lockTtlMs: 60, onEvent: (event) => events.push(event) } });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    expect(events.map((e) => e.type)).toEqual(["lock-lost", "refreshed"]);
    expect((await inner.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
  });
});

describe("3. refresh() refreshes now", () => {
  it("asks Pinterest for new tokens even while the stored ones are fresh", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), 86_400_000, { refreshToken: "pinr_0" }));
    expect((await t.manager.refresh()).accessToken).toBe("pina_1");
    expect((await t.store.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
  });

  it("concurrent refresh() calls share one refresh", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), 86_400_000, { refreshToken: "pinr_0" }));
    const sets = await Promise.all(Array.from({ length: 10 }, () => t.manager.refresh()));
    expect(new Set(sets.map((s) => s.accessToken))).toEqual(new Set(["pina_1"]));
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
  });
});

describe("4. refresh({ ifAccessToken }) never hands back the token it was told is rejected", () => {
  it("joining a refresh that ends with that very token starts a new one", async () => {
    const store = new MemoryTokenStore();
    const t = setup({ store });
    await seed(store, tokenSet(t.now(), -1000, { refreshToken: "pinr_older" }));
    const held = await store.lock("user-1", 10_000); // another process is refreshing
    const first = t.manager.getAccessToken(); // waits for the lock
    await sleep(10);
    // The other process stores its result; an API call of ours then gets 401 with that token.
    await store.set("user-1", tokenSet(t.now(), 86_400_000, { accessToken: "pina_other", refreshToken: "pinr_0" }));
    const forced = t.manager.refresh({ ifAccessToken: "pina_other" });
    await held.release();
    expect(await first).toBe("pina_other");
    expect((await forced).accessToken).toBe("pina_1");
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
  });
});

describe("5. short and non-positive token lifetimes", () => {
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
    await expect(t.manager.getAccessToken()).rejects.toThrow(/expires_in: expected a positive number of seconds/);
    expect((await t.store.get("user-1"))?.version).toBe(version);
  });
});

describe("6. sign-out during a refresh", () => {
  it("waits for the refresh and revokes the refresh token it produced", async () => {
    const pinterest = rotatingPinterest("pinr_0", { before: () => sleep(50).then(() => undefined) });
    const t = setup({ pinterest });
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const refreshing = t.manager.getAccessToken().catch((e) => e);
    await sleep(5);
    await t.manager.revoke();
    await refreshing;
    expect(pinterest.revoked).toEqual(["pinr_1"]);
    expect(pinterest.valid).toEqual(new Set());
    expect(await t.store.get("user-1")).toBeUndefined();
  });

  it("takes the store's lock, so another process cannot refresh while it signs out", async () => {
    const shared = new MemoryTokenStore();
    const pinterest = rotatingPinterest("pinr_0", { before: () => sleep(50).then(() => undefined) });
    const t = setup({ store: facade(shared, true), pinterest });
    await seed(shared, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const other = createTokenManager({ oauth: t.oauth, store: facade(shared, true), key: "user-1" });
    const refreshing = other.getAccessToken().catch((e) => e);
    await sleep(5);
    await t.manager.revoke();
    await refreshing;
    expect(pinterest.valid).toEqual(new Set());
    expect(await shared.get("user-1")).toBeUndefined();
  });
});

describe("6. (one operation at a time per key, on a store without locks)", () => {
  it("a refresh asked for while a queued sign-out runs waits for it, and finds the user signed out", async () => {
    const inner = new MemoryTokenStore();
    const pinterest = rotatingPinterest("pinr_0", { before: () => sleep(40).then(() => undefined) });
    const t = setup({ store: facade(inner, false), pinterest });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const refreshing = t.manager.getAccessToken();
    await sleep(5);
    const signingOut = t.manager.revoke(); // queued behind the refresh
    expect(await refreshing).toBe("pina_1");
    await sleep(10); // the sign-out is now at Pinterest
    const error = await t.manager.refresh({ ifAccessToken: "pina_1" }).catch((e) => e);
    await signingOut;
    expect(error).toBeInstanceOf(ReauthorizationRequiredError);
    expect(pinterest.refreshes).toEqual(["pinr_0"]);
    expect(pinterest.revoked).toEqual(["pinr_1"]);
    expect(await inner.get("user-1")).toBeUndefined();
  });
});

describe("6. (sign-out while rotated tokens wait for the store)", () => {
  it("revokes the kept refresh token, not the retired one, and forgets it", async () => {
    const { store, inner, state } = flakyStore();
    const t = setup({ store });
    await seed(inner, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    state.down = true;
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    await t.manager.revoke();
    expect(t.pinterest.revoked).toEqual(["pinr_1"]);
    expect(await inner.get("user-1")).toBeUndefined();
    expect(await t.manager.peek()).toBeUndefined();
    state.down = false;
    await sleep(300); // past the first retry of the (dropped) save
    expect(await inner.get("user-1")).toBeUndefined();
  });
});

describe("store errors still surface where nothing can be kept", () => {
  it("save() of a new sign-in rejects with TokenStoreError carrying the tokens", async () => {
    const { store, state } = flakyStore();
    const t = setup({ store });
    state.down = true;
    const error = await t.manager.save(tokenSet(t.now(), 60_000)).catch((e) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error.tokenSet.accessToken).toBe("pina_stored_60000");
  });
});
