import { describe, expect, it } from "vitest";
import { fakePinterest } from "../test/fake-pinterest.ts";
import { createPinterestOAuth } from "./client.ts";
import { ConfigurationError } from "./errors.ts";
import { createKeepAlive, type KeepAliveEvent, type KeepAliveOptions } from "./keep-alive.ts";
import type { TokenSet } from "./token-set.ts";
import { MemoryTokenStore, type TokenStore } from "./token-store.ts";

const day = 86_400_000;
const start = Date.parse("2026-03-01T12:00:00Z");

/** A fleet: a store, a fake Pinterest, and accounts whose refresh tokens expire `days` from now. */
function fleet(options: { retry?: false } = {}) {
  let now = start;
  const clock = () => now;
  const pinterest = fakePinterest(clock);
  const store = new MemoryTokenStore();
  const oauth = createPinterestOAuth({
    clientId: "1500001",
    clientSecret: "secret",
    baseUrl: "https://api.pinterest.test/v5",
    fetch: pinterest.fetch,
    clock,
    ...(options.retry === false ? { retry: false } : { retry: { minDelayMs: 1, maxDelayMs: 5 } }),
  });
  const account = async (key: string, days: number, overrides: Partial<TokenSet> = {}) => {
    const refreshToken = pinterest.issue();
    await store.set(key, {
      accessToken: `pina_${key}`,
      tokenType: "bearer",
      scopes: ["user_accounts:read"],
      expiresAt: now + 20 * day,
      refreshToken,
      refreshTokenExpiresAt: now + days * day,
      responseType: "refresh_token",
      issuedAt: now - 10 * day,
      ...overrides,
    });
    return refreshToken;
  };
  const events: KeepAliveEvent[] = [];
  const keepAlive = (more: Partial<KeepAliveOptions> = {}) =>
    createKeepAlive({ oauth, store, clock, ratePerSecond: 1_000, onEvent: (e) => events.push(e), ...more });
  const outcomes = () =>
    Object.fromEntries(events.flatMap((e) => (e.type === "account" ? [[e.key, e.outcome]] : [])).sort());
  return {
    pinterest,
    store,
    oauth,
    account,
    events,
    outcomes,
    keepAlive,
    clock,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("createKeepAlive", () => {
  it("refreshes each account whose refresh token expires within 7 days, once, and leaves every other alone", async () => {
    const t = fleet();
    for (let i = 0; i < 10; i++) await t.account(`due-${i}`, 1 + (i % 6));
    for (let i = 0; i < 5; i++) await t.account(`later-${i}`, 8 + i * 10);
    await t.account("expired-before", -1); // past saving: not listed
    const {
      refreshToken: _,
      refreshTokenExpiresAt: __,
      ...app
    } = ((await t.store.get("later-0")) as { tokenSet: TokenSet }).tokenSet;
    await t.store.set("app", { ...app, responseType: "client_credentials" });

    const summary = await t.keepAlive({ pageSize: 3 }).run();
    expect(summary).toMatchObject({
      listed: 10,
      refreshed: 10,
      alreadyFresh: 0,
      reauthorizationRequired: 0,
      transient: 0,
      complete: true,
    });
    expect(t.pinterest.refreshes).toHaveLength(10);
    expect(Object.keys(t.outcomes())).toEqual(Array.from({ length: 10 }, (_, i) => `due-${i}`));
    for (let i = 0; i < 10; i++) {
      const stored = (await t.store.get(`due-${i}`))?.tokenSet;
      expect(stored?.refreshTokenExpiresAt).toBeGreaterThanOrEqual(start + 59 * day);
      const event = t.events.find((e) => e.type === "account" && e.key === `due-${i}`);
      expect(event).toMatchObject({ outcome: "refreshed", refreshTokenExpiresAt: stored?.refreshTokenExpiresAt });
    }
    // A second run finds nothing due.
    expect(await t.keepAlive().run()).toMatchObject({ listed: 0, refreshed: 0, complete: true });
    expect(t.pinterest.refreshes).toHaveLength(10);
  });

  it("a dead grant is reported once: its refresh token is marked expired, and no later run asks Pinterest again", async () => {
    const t = fleet();
    const dead = await t.account("dead", 3);
    await t.account("alive", 3);
    t.pinterest.revoke(dead);
    expect(await t.keepAlive().run()).toMatchObject({ refreshed: 1, reauthorizationRequired: 1 });
    expect(t.outcomes()).toEqual({ alive: "refreshed", dead: "reauthorization-required" });
    const stored = (await t.store.get("dead"))?.tokenSet;
    expect(stored).toMatchObject({ accessToken: "pina_dead", refreshToken: dead, refreshTokenExpiresAt: start });
    const calls = t.pinterest.refreshes.length;

    t.advance(60_000);
    t.events.length = 0;
    expect(await t.keepAlive().run()).toMatchObject({ listed: 0, reauthorizationRequired: 0 });
    expect(t.pinterest.refreshes).toHaveLength(calls);
    // The owner connects it again: a new grant, kept alive as any other.
    await t.account("dead", 2);
    expect(await t.keepAlive().run()).toMatchObject({ listed: 1, refreshed: 1 });
  });

  it("two runs at once over one store, or two stores sharing one backend and lock, refresh each account once", async () => {
    const t = fleet();
    for (let i = 0; i < 12; i++) await t.account(`k${i}`, 2);
    const other: TokenStore = {
      get: (k) => t.store.get(k),
      set: (k, v, o) => t.store.set(k, v, o),
      delete: (k) => t.store.delete(k),
      lock: (k, ttl) => t.store.lock(k, ttl),
      due: (b, o) => t.store.due(b, o),
    };
    const [a, b, c] = await Promise.all([
      t.keepAlive().run(),
      t.keepAlive().run(),
      t.keepAlive({ store: other }).run(),
    ]);
    expect(a.refreshed + b.refreshed + c.refreshed).toBe(12);
    expect(a.refreshed + a.alreadyFresh + a.reauthorizationRequired + a.transient).toBe(a.listed);
    expect(t.pinterest.refreshes).toHaveLength(12);
    expect(new Set(t.pinterest.refreshes).size).toBe(12);
  });

  it("shards split the keys between workers: together they cover every account, apart none twice", async () => {
    const t = fleet();
    for (let i = 0; i < 20; i++) await t.account(`k${i}`, 2);
    const runs = await Promise.all([0, 1, 2].map((index) => t.keepAlive({ shard: { index, count: 3 } }).run()));
    expect(runs.map((r) => r.listed).reduce((x, y) => x + y)).toBe(20);
    expect(runs.every((r) => r.listed > 0 && r.refreshed === r.listed)).toBe(true);
    expect(t.pinterest.refreshes).toHaveLength(20);
  });

  it("at most `concurrency` refreshes at once", async () => {
    const t = fleet();
    for (let i = 0; i < 15; i++) await t.account(`k${i}`, 2);
    await t.keepAlive({ concurrency: 3, ratePerSecond: 1_000 }).run();
    expect(t.pinterest.refreshes).toHaveLength(15);
    expect(t.pinterest.maxInFlight).toBe(3);
  });

  it("a 429 that reaches the run pauses every start for Retry-After, lowers the rate, and the account is done later in the run", async () => {
    const t = fleet({ retry: false });
    for (let i = 0; i < 4; i++) await t.account(`k${i}`, 2);
    t.pinterest.fail({ status: 429, retryAfter: 1 });
    const started = performance.now();
    const summary = await t.keepAlive({ concurrency: 1, ratePerSecond: 100 }).run();
    expect(summary).toMatchObject({ listed: 4, refreshed: 4, rateLimited: 1, transient: 0 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(t.events.find((e) => e.type === "rate-limited")).toMatchObject({ retryAfterMs: 1_000, ratePerSecond: 50 });
  });

  it("a passing failure is transient: reported, the account stays due, and the next run refreshes it", async () => {
    const t = fleet({ retry: false });
    await t.account("flaky", 2);
    t.pinterest.fail({ status: 503 });
    expect(await t.keepAlive().run()).toMatchObject({ listed: 1, transient: 1, refreshed: 0 });
    expect(t.events[0]).toMatchObject({ outcome: "transient", error: { name: "PinterestApiError", status: 503 } });
    expect(await t.keepAlive().run()).toMatchObject({ listed: 1, refreshed: 1 });
  });

  it("rotated tokens the store cannot take at once are waited for; if they never land, the account is unsaved with its tokens", async () => {
    const t = fleet();
    const first = await t.account("a", 2);
    let failures = 1;
    const flaky: TokenStore = {
      get: (k) => t.store.get(k),
      async set(k, v, o) {
        if (o?.ifVersion !== undefined && failures-- > 0) throw new Error("store down");
        return t.store.set(k, v, o);
      },
      delete: (k) => t.store.delete(k),
      due: (b, o) => t.store.due(b, o),
    };
    failures = 3; // the manager's two quick retries fail too; its later save lands
    expect(await t.keepAlive({ store: flaky }).run()).toMatchObject({ refreshed: 1, unsaved: 0 });
    const saved = (await t.store.get("a"))?.tokenSet.refreshToken;
    expect(saved).not.toBe(first);
    expect(t.pinterest.isLive(saved)).toBe(true);

    const dead = await t.account("b", 2);
    failures = 1e9;
    const summary = await t.keepAlive({ store: flaky, saveWaitMs: 300 }).run();
    expect(summary).toMatchObject({ unsaved: 1, refreshed: 0 });
    const event = t.events.find((e) => e.type === "account" && e.key === "b");
    expect(event).toMatchObject({ outcome: "unsaved", error: { name: "TokenStoreError" } });
    const kept = (event as { error: { tokenSet?: TokenSet } }).error.tokenSet;
    expect(t.pinterest.isLive(kept?.refreshToken)).toBe(true); // the only live token: the app must save it
    expect((await t.store.get("b"))?.tokenSet.refreshToken).toBe(dead);
    expect(t.pinterest.isLive(dead)).toBe(false);
    failures = 0;
  });

  it("stops starting accounts when its signal aborts or its time budget ends (complete: false)", async () => {
    const t = fleet();
    for (let i = 0; i < 5; i++) await t.account(`k${i}`, 2);
    const aborted = await t.keepAlive().run({ signal: AbortSignal.abort() });
    expect(aborted).toMatchObject({ refreshed: 0, complete: false });
    const budget = await t.keepAlive({ concurrency: 1, ratePerSecond: 1_000 }).run({ timeBudgetMs: 1 });
    expect(budget.complete).toBe(false);
    expect(budget.refreshed).toBeLessThan(5);
    expect(await t.keepAlive().run()).toMatchObject({ complete: true, refreshed: 5 - budget.refreshed });
  });

  it("refuses a store without due() and bad options with ConfigurationErrors that say what to pass", () => {
    const t = fleet();
    const plain: TokenStore = {
      get: t.store.get.bind(t.store),
      set: t.store.set.bind(t.store),
      delete: async () => {},
    };
    expect(() => createKeepAlive({ oauth: t.oauth, store: plain })).toThrow(ConfigurationError);
    expect(() => createKeepAlive({ oauth: t.oauth, store: plain })).toThrow(/needs a store with due\(\)/);
    expect(() => t.keepAlive({ concurrency: 0 })).toThrow(/concurrency must be a whole number ≥ 1/);
    expect(() => t.keepAlive({ windowMs: -1 })).toThrow(/windowMs must be a number of milliseconds > 0/);
    expect(() => t.keepAlive({ shard: { index: 3, count: 3 } })).toThrow(/0 ≤ index < count/);
  });
});
