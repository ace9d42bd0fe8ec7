import { describe, expect, it } from "vitest";
import { tokenSet } from "../test/helpers.ts";
import { seed, setup } from "../test/manager.ts";
import { type ContractCase, makeTokenDue, tokenStoreContract } from "./testing.ts";
import type { TokenSet } from "./token-set.ts";
import { MemoryTokenStore, type TokenStore } from "./token-store.ts";

describe("MemoryTokenStore passes the TokenStore contract", () => {
  for (const { name, run } of tokenStoreContract({ createStore: () => new MemoryTokenStore(), lockTtlMs: 100 })) {
    it(name, run, 15_000);
  }
});

/** Runs the contract against a store and returns the names of the cases that failed, with their messages. */
async function failures(
  createStore: () => TokenStore,
  features: { extend?: boolean; tookOver?: boolean; abort?: boolean } = { tookOver: false, abort: false },
) {
  const cases: ContractCase[] = tokenStoreContract({ createStore, lockTtlMs: 100, features });
  const failed: Record<string, string> = {};
  await Promise.all(
    cases.map((c) =>
      c.run().catch((error: Error) => {
        failed[c.name] = `${error.name}: ${error.message}`;
      }),
    ),
  );
  return failed;
}

describe("the contract catches broken stores", () => {
  it("a store that ignores ifVersion fails the compare-and-set cases", async () => {
    const failed = await failures(() => {
      const inner = new MemoryTokenStore();
      return Object.assign(Object.create(inner) as MemoryTokenStore, {
        set: (k: string, v: Parameters<TokenStore["set"]>[1]) => inner.set(k, v),
        get: (k: string) => inner.get(k),
        lock: (k: string, ttl: number) => inner.lock(k, ttl),
      });
    });
    expect(Object.keys(failed)).toEqual(
      expect.arrayContaining([
        "compare-and-set with ifVersion: null writes only when nothing is stored",
        "compare-and-set refuses a version that is not the stored one, and changes nothing",
        "a stale writer is refused: after another write, the version read before no longer works",
        "of 10 concurrent writers over one version, exactly one wins and its set is stored",
      ]),
    );
    expect(failed["compare-and-set with ifVersion: null writes only when nothing is stored"]).toMatch(
      /^TokenStoreContractViolation: set\(…, \{ ifVersion: null \}\) over a set/,
    );
  });

  it("a store that hands out its own objects fails the copy case", async () => {
    const failed = await failures(() => {
      const data = new Map<string, { tokenSet: never; version: string }>();
      const inner = new MemoryTokenStore();
      let n = 0;
      return {
        get: async (k) => data.get(k),
        set: async (k, v, o) => {
          if (o?.ifVersion !== undefined && (data.get(k)?.version ?? null) !== o.ifVersion) return { ok: false };
          data.set(k, { tokenSet: v as never, version: String(++n) });
          return { ok: true, version: String(n) };
        },
        delete: async (k) => void data.delete(k),
        lock: (k, ttl) => inner.lock(k, ttl),
      };
    });
    expect(Object.keys(failed)).toEqual([
      "values are copied, not shared: changing a set after set() or get() changes nothing stored",
    ]);
  });

  it("a store whose versions start again after delete() fails the case of a version from before a delete", async () => {
    const failed = await failures(() => {
      const inner = new MemoryTokenStore();
      const data = new Map<string, { tokenSet: TokenSet; version: string; n: number }>();
      return {
        get: async (k) => {
          const entry = data.get(k);
          return entry && { tokenSet: structuredClone(entry.tokenSet), version: entry.version };
        },
        set: async (k, v, o) => {
          const entry = data.get(k);
          if (o?.ifVersion !== undefined && (entry?.version ?? null) !== o.ifVersion) return { ok: false };
          const n = (entry?.n ?? 0) + 1; // counts writes of this key since it was (re)created
          data.set(k, { tokenSet: structuredClone(v), version: String(n), n });
          return { ok: true, version: String(n) };
        },
        delete: async (k) => void data.delete(k),
        lock: (k, ttl) => inner.lock(k, ttl),
      };
    });
    expect(Object.keys(failed)).toEqual(["a version from before a delete never matches a set written after it"]);
  });

  it("a lock whose release() frees whoever holds the key fails the ownership case; one without extend fails that case", async () => {
    const failed = await failures(() => {
      const inner = new MemoryTokenStore();
      const current = new Map<string, () => Promise<void>>();
      return Object.assign(Object.create(inner) as MemoryTokenStore, {
        get: (k: string) => inner.get(k),
        set: (k: string, v: never, o: never) => inner.set(k, v, o),
        delete: (k: string) => inner.delete(k),
        async lock(k: string, ttl: number) {
          const held = await inner.lock(k, ttl);
          current.set(k, () => held.release());
          return { release: () => current.get(k)?.() ?? Promise.resolve() };
        },
      });
    });
    expect(Object.keys(failed).sort()).toEqual([
      "extend() keeps the lock past its TTL for its owner, and resolves false once the lock was lost",
      "only the owner releases: a stale holder's release() after expiry leaves the new holder's lock",
    ]);
    expect(
      failed["extend() keeps the lock past its TTL for its owner, and resolves false once the lock was lost"],
    ).toMatch(/the lock has no extend\(\); implement it, or pass features: \{ extend: false \}/);
  });

  it("a lock that cannot tell a taken-over lock, or ignores its signal, fails those cases and says what to do", async () => {
    const failed = await failures(() => {
      const inner = new MemoryTokenStore();
      return {
        get: (k) => inner.get(k),
        set: (k, v, o) => inner.set(k, v, o),
        delete: (k) => inner.delete(k),
        async lock(k, ttl) {
          const held = await inner.lock(k, ttl);
          return { release: () => held.release(), extend: (ms) => held.extend?.(ms) ?? Promise.resolve(false) };
        },
      };
    }, {});
    expect(Object.keys(failed).sort()).toEqual([
      "lock() stops waiting when its signal aborts, and takes nothing",
      "tookOver: false for a lock that was free or released, true for one whose holder let it expire",
    ]);
    expect(failed["lock() stops waiting when its signal aborts, and takes nothing"]).toMatch(
      /implement LockOptions\.signal, or pass features: \{ abort: false \}/,
    );
    expect(
      failed["tookOver: false for a lock that was free or released, true for one whose holder let it expire"],
    ).toMatch(/implement it, or pass features: \{ tookOver: false \}/);
  }, 10_000);

  it("a store without lock() fails unless features say so", async () => {
    const plain = (): TokenStore => {
      const inner = new MemoryTokenStore();
      return { get: (k) => inner.get(k), set: (k, v, o) => inner.set(k, v, o), delete: (k) => inner.delete(k) };
    };
    const failed = await failures(plain);
    expect(failed["lock() is exclusive per key: a second holder waits for release(); other keys do not"]).toMatch(
      /the store has no lock\(\)/,
    );
    expect(tokenStoreContract({ createStore: plain, features: { lock: false } }).map((c) => c.name)).not.toContain(
      "lock() is exclusive per key: a second holder waits for release(); other keys do not",
    );
  });
});

describe("makeTokenDue", () => {
  it("makes the next getAccessToken() refresh, rotating the refresh token", async () => {
    const t = setup();
    await seed(t.store, tokenSet(t.now(), 60 * 60_000, { refreshToken: "pinr_0" }));
    expect(await t.manager.getAccessToken()).toBe("pina_stored_3600000");
    await makeTokenDue(t.store, "user-1", { at: t.now() });
    expect(await t.manager.getAccessToken()).toBe("pina_1");
    expect(t.pinterest.refreshes).toEqual(["pinr_0"]);
  });

  it("says what to do when nothing is stored", async () => {
    await expect(makeTokenDue(new MemoryTokenStore(), "nobody")).rejects.toMatchObject({ code: "configuration_error" });
  });
});
