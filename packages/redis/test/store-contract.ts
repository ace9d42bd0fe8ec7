/**
 * What every `TokenStore` must do, as a list of `{ name, run }` cases that any test runner can run. It stands in
 * for the shared conformance suite that `@pintoken/core/testing` is to export: once that lands, the Redis store
 * runs that suite instead, and these cases go (or move there).
 */
import type { TokenSet, TokenStore } from "@pintoken/core";
import { expect } from "vitest";

/** What a case gets: stores on one backend, as separate processes would have them, and a key of its own. */
export interface StoreHarness {
  /** A new store instance on the same backend (another process, for the lock and compare-and-set). */
  open(): TokenStore;
  /** A key no other case uses. */
  readonly key: string;
}

export interface StoreContractCase {
  readonly name: string;
  /** Set when the case needs the optional `TokenLock.extend`. */
  readonly needsExtend?: true;
  run(harness: StoreHarness): Promise<void>;
}

let serial = 0;

/** A token set with unique tokens. */
export function sampleTokenSet(overrides: Partial<TokenSet> = {}): TokenSet {
  serial++;
  return {
    accessToken: `pina_contract_access_${serial}`,
    tokenType: "bearer",
    scopes: ["user_accounts:read", "pins:read"],
    expiresAt: Date.now() + 3_600_000,
    refreshToken: `pinr_contract_refresh_${serial}`,
    refreshTokenExpiresAt: Date.now() + 60 * 86_400_000,
    responseType: "authorization_code",
    ...overrides,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves with whether `promise` settled within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await sleep(ms);
  return settled;
}

async function extendOf(lock: unknown): Promise<(ttlMs: number) => Promise<boolean>> {
  const extend = (lock as { extend?: (ttlMs: number) => Promise<boolean> }).extend;
  expect(extend, "the lock has extend()").toBeTypeOf("function");
  return (extend as (ttlMs: number) => Promise<boolean>).bind(lock);
}

export const storeContract: readonly StoreContractCase[] = [
  {
    name: "get answers undefined for a key that was never written",
    async run({ open, key }) {
      expect(await open().get(key)).toBeUndefined();
    },
  },
  {
    name: "set then get returns an equal copy; mutating either object changes nothing stored",
    async run({ open, key }) {
      const store = open();
      const tokens = sampleTokenSet();
      const original = structuredClone(tokens);
      const written = await store.set(key, tokens);
      expect(written.ok).toBe(true);
      tokens.scopes.push("boards:write");
      tokens.accessToken = "changed";
      const read = await open().get(key);
      expect(read?.tokenSet).toEqual(original);
      expect(read?.version).toBe(written.ok ? written.version : undefined);
      read?.tokenSet.scopes.push("mutated");
      expect((await store.get(key))?.tokenSet).toEqual(original);
    },
  },
  {
    name: "every write gets a new version",
    async run({ open, key }) {
      const store = open();
      const same = sampleTokenSet();
      const versions = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const result = await store.set(key, same);
        if (result.ok) versions.add(result.version);
      }
      expect(versions.size).toBe(5);
    },
  },
  {
    name: "ifVersion null writes only when nothing is stored (again after a delete)",
    async run({ open, key }) {
      const [a, b] = [open(), open()];
      const first = sampleTokenSet();
      expect((await a.set(key, first, { ifVersion: null })).ok).toBe(true);
      expect(await b.set(key, sampleTokenSet(), { ifVersion: null })).toEqual({ ok: false });
      expect((await b.get(key))?.tokenSet).toEqual(first);
      await b.delete(key);
      expect((await a.set(key, sampleTokenSet(), { ifVersion: null })).ok).toBe(true);
    },
  },
  {
    name: "a write with a stale version is refused and leaves the newer set in place",
    async run({ open, key }) {
      const [a, b] = [open(), open()];
      await a.set(key, sampleTokenSet());
      const seen = await a.get(key);
      const newer = sampleTokenSet();
      const byB = await b.set(key, newer, { ifVersion: seen?.version ?? null });
      expect(byB.ok).toBe(true);
      expect(await a.set(key, sampleTokenSet(), { ifVersion: seen?.version ?? null })).toEqual({ ok: false });
      const now = await b.get(key);
      expect(now?.tokenSet).toEqual(newer);
      expect(now?.version).toBe(byB.ok ? byB.version : undefined);
    },
  },
  {
    name: "a version from before a delete does not match a set written after it",
    async run({ open, key }) {
      const store = open();
      const before = await store.set(key, sampleTokenSet());
      await store.delete(key);
      await store.set(key, sampleTokenSet());
      const stale = before.ok ? before.version : "none";
      expect(await store.set(key, sampleTokenSet(), { ifVersion: stale })).toEqual({ ok: false });
    },
  },
  {
    name: "ifVersion of a key that holds nothing refuses the write",
    async run({ open, key }) {
      expect(await open().set(key, sampleTokenSet(), { ifVersion: "1" })).toEqual({ ok: false });
      expect(await open().get(key)).toBeUndefined();
    },
  },
  {
    name: "a write without ifVersion replaces whatever is stored; delete removes it (twice is fine)",
    async run({ open, key }) {
      const store = open();
      await store.set(key, sampleTokenSet());
      const replacement = sampleTokenSet();
      await open().set(key, replacement);
      expect((await store.get(key))?.tokenSet).toEqual(replacement);
      await store.delete(key);
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
    },
  },
  {
    name: "of 25 concurrent writers on one version exactly one wins, and its set is what is stored",
    async run({ open, key }) {
      await open().set(key, sampleTokenSet());
      const base = await open().get(key);
      const candidates = Array.from({ length: 25 }, () => sampleTokenSet());
      const results = await Promise.all(
        candidates.map((tokens) => open().set(key, tokens, { ifVersion: base?.version ?? null })),
      );
      const winners = results.flatMap((result, i) => (result.ok ? [{ i, version: result.version }] : []));
      expect(winners).toHaveLength(1);
      const stored = await open().get(key);
      expect(stored?.tokenSet).toEqual(candidates[winners[0]?.i ?? -1]);
      expect(stored?.version).toBe(winners[0]?.version);
    },
  },
  {
    name: "the lock excludes: a second holder gets it only after the first releases",
    async run({ open, key }) {
      const [a, b] = [open(), open()];
      const events: string[] = [];
      const first = await (a.lock as NonNullable<TokenStore["lock"]>).call(a, key, 10_000);
      const second = (b.lock as NonNullable<TokenStore["lock"]>).call(b, key, 10_000).then((lock) => {
        events.push("b locked");
        return lock;
      });
      expect(await settlesWithin(second, 300)).toBe(false);
      events.push("a releases");
      await first.release();
      await (await second).release();
      expect(events).toEqual(["a releases", "b locked"]);
    },
  },
  {
    name: "after acquiring the lock, get returns what the previous holder wrote (re-read after lock)",
    async run({ open, key }) {
      const [a, b] = [open(), open()];
      await a.set(key, sampleTokenSet());
      const held = await a.lock?.(key, 10_000);
      const waiting = b.lock?.(key, 10_000);
      const rotated = sampleTokenSet({ responseType: "refresh_token" });
      const current = await a.get(key);
      await a.set(key, rotated, { ifVersion: current?.version ?? null });
      await held?.release();
      const mine = await waiting;
      expect((await b.get(key))?.tokenSet).toEqual(rotated);
      await mine?.release();
    },
  },
  {
    name: "a lock whose holder never releases expires after its TTL; the late release frees nobody else's lock",
    async run({ open, key }) {
      const [a, b, c] = [open(), open(), open()];
      const abandoned = await a.lock?.(key, 300);
      const next = await b.lock?.(key, 10_000); // waits for the expiry
      await abandoned?.release(); // no longer its lock: must not free b's
      const third = c.lock?.(key, 10_000);
      expect(await settlesWithin(Promise.resolve(third), 400)).toBe(false);
      await next?.release();
      await (await third)?.release();
    },
  },
  {
    name: "extend keeps the lock past its first TTL; a holder that lost it gets false and changes nothing",
    needsExtend: true,
    async run({ open, key }) {
      const [a, b] = [open(), open()];
      const held = await a.lock?.(key, 2_000);
      const extend = await extendOf(held);
      expect(await extend(10_000)).toBe(true);
      await sleep(2_300); // past the first TTL
      const waiting = b.lock?.(key, 10_000);
      expect(await settlesWithin(Promise.resolve(waiting), 300)).toBe(false);
      await held?.release();
      const taken = await waiting;

      const lost = await a.lock?.(`${key}:short`, 100);
      await sleep(300);
      const other = await b.lock?.(`${key}:short`, 10_000);
      expect(await (await extendOf(lost))(10_000)).toBe(false);
      await other?.release();
      await taken?.release();
    },
  },
];
