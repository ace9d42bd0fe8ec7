import { describe, expect, it } from "vitest";
import { fakeFetch, json, refusedConnection, tokenSet } from "../test/helpers.ts";
import { facade, invalidGrant, seed, setup } from "../test/manager.ts";
import {
  InvalidResponseError,
  OutcomeUnknownError,
  PinterestApiError,
  PinterestNetworkError,
  ReauthorizationRequiredError,
  TokenStoreError,
} from "./errors.ts";
import { createTokenManager, sharedState } from "./token-manager.ts";
import type { TokenSet } from "./token-set.ts";
import { MemoryTokenStore, type TokenStore } from "./token-store.ts";

describe("getAccessToken", () => {
  it("returns the stored token while it is outside the refresh window, without calling Pinterest", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), 60 * 60_000, { refreshToken: "pinr_0" }));
    expect(await t.manager.getAccessToken()).toBe("pina_stored_3600000");
    expect(t.pinterest.fetch.seen).toHaveLength(0);
  });

  it("refreshes when the token expires within the window, and stores the rotated refresh token", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), 4 * 60_000, { refreshToken: "pinr_0" }));
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    expect((await t.store.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
  });

  it("1,000 concurrent callers on an expired token make exactly one refresh call and all get the new token", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => t.manager.getAccessToken()));
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
    expect(new Set(tokens)).toEqual(new Set(["pina_1"]));
    expect((await t.store.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
  });

  it("managers created per request share the refresh of one store and key", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const managers = Array.from({ length: 50 }, () =>
      createTokenManager({ oauth: t.oauth, store: t.store, key: "user-1" }),
    );
    await Promise.all(managers.map((m) => m.getAccessToken()));
    expect(t.pinterest.refreshes).toHaveLength(1);
  });

  it("writes the rotated refresh token to the store before any caller gets the new access token", async () => {
    const events: string[] = [];
    const inner = new MemoryTokenStore();
    const store: TokenStore = {
      get: (key) => inner.get(key),
      delete: (key) => inner.delete(key),
      async set(key, set, options) {
        await new Promise((r) => setTimeout(r, 20));
        const result = await inner.set(key, set, options);
        events.push(`stored ${set.refreshToken}`);
        return result;
      },
    };
    const t = setup({ store });
    await inner.set("user-1", tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        events.push(`got ${await t.manager.getAccessToken()}`);
      }),
    );
    expect(events[0]).toBe("stored pinr_1");
    expect(events.slice(1)).toEqual(Array(10).fill("got pina_1"));
  });

  it("never loses a rotated refresh token across many refresh cycles", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    for (let cycle = 1; cycle <= 25; cycle++) {
      const burst = await Promise.all(Array.from({ length: 20 }, () => t.manager.getAccessToken()));
      expect(new Set(burst)).toEqual(new Set([`pina_${cycle}`]));
      t.advance(31 * 86_400_000); // past the 30-day access token expiry
    }
    expect(t.pinterest.refreshes).toEqual(Array.from({ length: 25 }, (_, i) => `pinr_${i}`));
    expect(t.pinterest.valid).toEqual(new Set(["pinr_25"]));
  });

  it("a caller's abort stops its wait, not the refresh the others share", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const controller = new AbortController();
    const aborted = t.manager.getAccessToken({ signal: controller.signal });
    const other = t.manager.getAccessToken();
    controller.abort(new Error("gone"));
    await expect(aborted).rejects.toThrow("gone");
    expect(await other).toBe("pina_1");
    expect((await t.store.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
  });

  it("says to sign in when nothing is stored", async () => {
    const t = setup();
    const error = await t.manager.getAccessToken().catch((e) => e);
    expect(error).toBeInstanceOf(ReauthorizationRequiredError);
    expect(error.message).toMatch(/No usable Pinterest grant for "user-1": nothing is stored/);
  });

  it("does not call Pinterest with an expired refresh token", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), -1000, { refreshToken: "pinr_0", refreshTokenExpiresAt: t.now() - 1 }));
    await expect(t.manager.getAccessToken()).rejects.toThrow(/the refresh token expired at/);
    expect(t.pinterest.fetch.seen).toHaveLength(0);
  });

  it("renews an app token (client credentials) with a new client credentials grant", async () => {
    const t = setup();
    await seed(
      t.store,
      tokenSet(t.now(), -1000, {
        responseType: "client_credentials",
        scopes: ["pins:read", "future:scope"],
        refreshToken: undefined as never,
      }),
    );
    expect(await t.manager.getAccessToken()).toBe("pinc_1");
    expect(t.pinterest.fetch.seen[0]?.form).toEqual({ grant_type: "client_credentials", scope: "pins:read" });
  });
});

describe("a failed refresh leaves the stored tokens intact", () => {
  it.each([
    ["an invalid grant", () => invalidGrant(), ReauthorizationRequiredError],
    ["a 500 (after retries)", () => json(500, { code: 1, message: "oops" }), PinterestApiError],
    ["a refused connection", () => Promise.reject(refusedConnection()), PinterestNetworkError],
    [
      "a dropped connection (outcome unknown)",
      () => Promise.reject(new TypeError("fetch failed")),
      OutcomeUnknownError,
    ],
    ["a malformed body", () => json(200, { access_token: 1 }), InvalidResponseError],
  ])("after %s", async (_, answer, type) => {
    const t = setup({ fetch: fakeFetch(answer) });
    const before = tokenSet(t.now(), -1000, { refreshToken: "pinr_0" });
    const version = await seed(t.store, before);
    const error = await t.manager.getAccessToken().catch((e) => e);
    expect(error).toBeInstanceOf(type);
    expect(await t.store.get("user-1")).toEqual({ tokenSet: before, version });
  });

  it("an invalid grant is reported as ReauthorizationRequiredError with Pinterest's error as cause", async () => {
    const t = setup({ fetch: fakeFetch(invalidGrant) });
    await seed(t.store, tokenSet(t.now(), -1000));
    const error = await t.manager.getAccessToken().catch((e) => e);
    expect(error.cause).toBeInstanceOf(PinterestApiError);
    expect(error.cause.isInvalidGrant).toBe(true);
  });

  it("a passing failure while the current token is still valid returns the current token", async () => {
    const t = setup({ fetch: fakeFetch(() => json(503, { code: 1, message: "busy" })) });
    await seed(t.store, tokenSet(t.now(), 60_000));
    expect(await t.manager.getAccessToken()).toBe("pina_stored_60000");
  });
});

describe("across processes", () => {
  it("with a lock, 4 processes × 100 callers refresh once", async () => {
    const shared = new MemoryTokenStore();
    const t = setup({ store: shared });
    await seed(shared, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const managers = Array.from({ length: 4 }, () =>
      createTokenManager({ oauth: t.oauth, store: facade(shared, true), key: "user-1" }),
    );
    const tokens = await Promise.all(managers.flatMap((m) => Array.from({ length: 100 }, () => m.getAccessToken())));
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
    expect(new Set(tokens)).toEqual(new Set(["pina_1"]));
  });

  it("without a lock, a process that loses the race adopts the winner's rotated tokens instead of failing", async () => {
    const shared = new MemoryTokenStore();
    const t = setup({ store: shared });
    await seed(shared, tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    const [a, b] = [0, 1].map(() =>
      createTokenManager({ oauth: t.oauth, store: facade(shared, false), key: "user-1" }),
    );
    const tokens = await Promise.all([a?.getAccessToken(), b?.getAccessToken()]);
    expect(t.pinterest.refreshes).toEqual(["pinr_0", "pinr_0"]);
    expect(tokens).toEqual(["pina_1", "pina_1"]);
    expect((await shared.get("user-1"))?.tokenSet.refreshToken).toBe("pinr_1");
  });

  it("replaces a concurrently written stale set (still holding the used refresh token), but keeps (and uses) a newer sign-in", async () => {
    for (const [intruder, expected, used] of [
      [tokenSet(0, -1000, { refreshToken: "pinr_0", accessToken: "pina_stale" }), "pinr_1", "pina_1"],
      [
        tokenSet(0, 86_400_000, { refreshToken: "pinr_new_login", accessToken: "pina_new_login" }),
        "pinr_new_login",
        "pina_new_login",
      ],
    ] as const) {
      const inner = new MemoryTokenStore();
      let intruded = false;
      const store: TokenStore = {
        ...facade(inner, false),
        async set(key, value, options) {
          if (!intruded && options?.ifVersion !== undefined) {
            intruded = true;
            await inner.set(key, intruder);
          }
          return inner.set(key, value, options);
        },
      };
      const t = setup({ store });
      await inner.set("user-1", tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
      expect(await t.manager.getAccessToken()).toBe(used);
      expect((await inner.get("user-1"))?.tokenSet.refreshToken).toBe(expected);
    }
  });
});

describe("store failures", () => {
  it("when the rotated tokens cannot be saved, the caller still gets them and the error (tokens hidden from JSON) is reported", async () => {
    const inner = new MemoryTokenStore();
    const store: TokenStore = {
      get: (k) => inner.get(k),
      delete: (k) => inner.delete(k),
      set: async () => {
        throw new Error("redis down");
      },
    };
    const t = setup({ store });
    await inner.set("user-1", tokenSet(t.now(), -1000, { refreshToken: "pinr_0" }));
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    const [error] = t.storeErrors;
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(error?.tokenSet?.refreshToken).toBe("pinr_1");
    expect(JSON.stringify(error)).not.toContain("pinr_1");
    expect(error).toMatchObject({ code: "store_error", operation: "save the refreshed tokens", reason: "unknown" });
    expect(error?.cause).toMatchObject({ message: "redis down" });
  });
});

describe("refresh, save, peek and revoke", () => {
  it("refresh({ ifAccessToken }) skips the call when someone already replaced that token", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), 86_400_000, { refreshToken: "pinr_0" }));
    const set = await t.manager.refresh({ ifAccessToken: "pina_old_one" });
    expect(set.accessToken).toBe("pina_stored_86400000");
    expect(t.pinterest.fetch.seen).toHaveLength(0);
    const forced = await t.manager.refresh({ ifAccessToken: "pina_stored_86400000" });
    expect(forced.accessToken).toBe("pina_1");
  });

  it("refresh({ ifAccessToken }) still refreshes when the replacing token has expired too", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), -1, { refreshToken: "pinr_0", accessToken: "pina_expired_other" }));
    expect((await t.manager.refresh({ ifAccessToken: "pina_rejected" })).accessToken).toBe("pina_1");
  });

  it("save() stores a new sign-in and peek() reads without refreshing", async () => {
    const t = setup();
    await t.manager.save(tokenSet(t.now(), -5));
    expect((await t.manager.peek())?.accessToken).toBe("pina_stored_-5");
    expect(t.pinterest.fetch.seen).toHaveLength(0);
    await expect(t.manager.save({} as TokenSet)).rejects.toThrow(/save\(\) needs a TokenSet/);
  });

  it("revoke() revokes the refresh token at Pinterest, then deletes the set", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), 60_000, { refreshToken: "pinr_0" }));
    await t.manager.revoke();
    expect(t.pinterest.fetch.seen[0]?.form).toEqual({ token: "pinr_0", token_type_hint: "refresh_token" });
    expect(await t.store.get("user-1")).toBeUndefined();
    await t.manager.revoke(); // nothing stored: nothing to do
    expect(t.pinterest.fetch.seen).toHaveLength(1);
  });

  it("revoke() still signs out locally when Pinterest cannot be reached, and reports it", async () => {
    const t = setup({ fetch: fakeFetch(() => Promise.reject(new TypeError("offline"))) });
    await seed(t.store, tokenSet(t.now(), 60_000));
    await expect(t.manager.revoke()).rejects.toBeInstanceOf(PinterestNetworkError);
    expect(await t.store.get("user-1")).toBeUndefined();
  });

  it("revoke() treats an already-dead grant as revoked", async () => {
    const t = setup({ fetch: fakeFetch(invalidGrant) });
    await seed(t.store, tokenSet(t.now(), 60_000));
    await t.manager.revoke();
    expect(await t.store.get("user-1")).toBeUndefined();
  });

  it("validates its options", () => {
    const { oauth, store } = setup();
    expect(() => createTokenManager({ oauth, store: {} as TokenStore })).toThrow(/needs store/);
    expect(() => createTokenManager({ oauth: {} as never, store })).toThrow(/needs oauth/);
    expect(() => createTokenManager({ oauth, store, key: "" })).toThrow(/key must be a non-empty string/);
    expect(() => createTokenManager({ oauth, store, refreshWindowMs: -1 })).toThrow(/refreshWindowMs must be/);
    expect(() => createTokenManager({ oauth, store, refreshWindowMs: "60000" as never })).toThrow(
      /refreshWindowMs must be a number of milliseconds ≥ 0, got string "60000"/,
    );
    expect(() => createTokenManager({ oauth, store, lockTtlMs: 0 })).toThrow(
      /lockTtlMs must be a number of milliseconds > 0/,
    );
  });

  it("reading 5,000 users' tokens leaves no per-user state behind", async () => {
    const { oauth, store } = setup();
    const keys = Array.from({ length: 5_000 }, (_, i) => `user-${i}`);
    for (const key of keys) await store.set(key, tokenSet(Date.now(), 86_400_000));
    for (const key of keys) await createTokenManager({ oauth, store, key }).getAccessToken();
    const { queue, outbox } = sharedState(store);
    expect(keys.filter((key) => queue.busy(key) || outbox.has(key))).toEqual([]);
  });

  it("does not expose tokens when serialized", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), 60_000));
    expect(JSON.stringify(t.manager)).not.toContain("pina_");
    expect(JSON.stringify(t.store)).not.toContain("pina_");
  });
});
