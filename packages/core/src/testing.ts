/**
 * The `TokenStore` contract as runnable cases, for any test runner: every store (the memory store, Redis, Deno KV,
 * one you write for your own database) must pass them. Each case is `{ name, run }`; `run()` rejects with an
 * `Error` saying what broke. Nothing here imports a test framework.
 *
 * @example
 * ```ts
 * // vitest (or jest, node:test: anything with a `test(name, fn)`)
 * import { tokenStoreContract } from "@pintoken/core/testing";
 * for (const { name, run } of tokenStoreContract({ createStore: () => new MyTokenStore() })) test(name, run);
 *
 * // deno test
 * for (const { name, run } of tokenStoreContract({ createStore: () => new DenoKvTokenStore(kv) })) Deno.test(name, run);
 * ```
 *
 * @module
 */
import { ConfigurationError } from "./errors.ts";
import { createTokenManager } from "./token-manager.ts";
import type { TokenSet } from "./token-set.ts";
import type { StoredTokenSet, TokenLock, TokenStore } from "./token-store.ts";

/**
 * Options of {@link tokenStoreContract}.
 *
 * @example
 * ```ts
 * tokenStoreContract({ createStore: () => new MyStore(), features: { extend: false }, lockTtlMs: 1_000 });
 * ```
 */
export interface TokenStoreContractOptions {
  /** A store to test; called once per case. Cases use keys of their own, so one shared backend is fine. */
  createStore(): TokenStore | Promise<TokenStore>;
  /** Called after each case with its store and the keys it used (e.g. to delete them or close a connection). */
  cleanup?(store: TokenStore, keys: readonly string[]): void | Promise<void>;
  /**
   * What the store implements. Default: all of `lock`, `TokenLock.extend`, `TokenLock.tookOver` and lock's `signal`
   * (`abort`), so a missing one fails loudly.
   */
  features?:
    | {
        lock?: boolean | undefined;
        extend?: boolean | undefined;
        tookOver?: boolean | undefined;
        abort?: boolean | undefined;
      }
    | undefined;
  /**
   * The short TTL the expiry cases use, in ms. Default 300. Raise it for a store whose expiry is coarse (it bounds
   * how long those cases take: a few TTLs each).
   */
  lockTtlMs?: number | undefined;
  /** Prefix of the keys the cases use. Default `"pintoken-contract"`. */
  keyPrefix?: string | undefined;
}

/**
 * One case of the contract: `run()` resolves when the store behaves, and rejects with what broke otherwise.
 *
 * @example
 * ```ts
 * for (const { name, run } of tokenStoreContract({ createStore })) test(name, run);
 * ```
 */
export interface ContractCase {
  readonly name: string;
  run(): Promise<void>;
}

class ContractViolation extends Error {
  override name = "TokenStoreContractViolation";
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractViolation(message);
}

/** JSON with object keys sorted, so two sets compare equal whatever order a store returns their fields in. */
const show = (value: unknown): string =>
  JSON.stringify(value, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  ) ?? String(value);

function same(actual: unknown, expected: unknown, what: string): void {
  check(show(actual) === show(expected), `${what}: expected ${show(expected)}, got ${show(actual)}`);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves with the lock if `lock()` settles within `ms`, else undefined (the attempt keeps waiting). */
async function within(attempt: Promise<TokenLock>, ms: number): Promise<TokenLock | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A complete token set; `n` makes each distinct. */
function sample(n: number, overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: `pina_contract_${n}`,
    tokenType: "bearer",
    scopes: ["user_accounts:read", "pins:read"],
    expiresAt: 1_750_000_000_000 + n,
    refreshToken: `pinr_contract_${n}`,
    refreshTokenExpiresAt: 1_760_000_000_000 + n,
    responseType: "refresh_token",
    issuedAt: 1_749_000_000_000 + n,
    ...overrides,
  };
}

async function written(store: TokenStore, key: string, set: TokenSet, ifVersion?: string | null): Promise<string> {
  const result = await store.set(key, set, ifVersion === undefined ? {} : { ifVersion });
  check(
    result.ok,
    `set(${show(key)}${ifVersion === undefined ? "" : `, { ifVersion: ${show(ifVersion)} }`}) was refused`,
  );
  check(typeof result.version === "string" && result.version !== "", "set() must return the new version as a string");
  return result.version;
}

async function stored(store: TokenStore, key: string): Promise<StoredTokenSet> {
  const found = await store.get(key);
  check(found, `get(${show(key)}) found nothing after a successful set()`);
  return found;
}

type Body = (store: TokenStore, key: (name?: string) => string, ttl: number) => Promise<void>;

const storeCases: Record<string, Body> = {
  "get() of a key never written is undefined": async (store, key) => {
    same(await store.get(key()), undefined, "get() of an unknown key");
  },

  "set() then get() returns the same token set and version, every field intact": async (store, key) => {
    const { refreshToken: _, refreshTokenExpiresAt: __, ...appToken } = sample(2);
    for (const set of [sample(1), { ...appToken, responseType: "client_credentials" } as TokenSet]) {
      const k = key(set.responseType);
      const version = await written(store, k, set);
      const found = await stored(store, k);
      same(found.tokenSet, set, "the token set read back");
      same(found.version, version, "the version read back");
    }
  },

  "keys are independent": async (store, key) => {
    await written(store, key("a"), sample(1));
    await written(store, key("b"), sample(2));
    same((await stored(store, key("a"))).tokenSet.accessToken, "pina_contract_1", "key a");
    same((await stored(store, key("b"))).tokenSet.accessToken, "pina_contract_2", "key b");
    await store.delete(key("a"));
    same((await stored(store, key("b"))).tokenSet.accessToken, "pina_contract_2", "key b after deleting key a");
  },

  "compare-and-set with ifVersion: null writes only when nothing is stored": async (store, key) => {
    const k = key();
    await written(store, k, sample(1), null);
    same(await store.set(k, sample(2), { ifVersion: null }), { ok: false }, "set(…, { ifVersion: null }) over a set");
    same((await stored(store, k)).tokenSet.accessToken, "pina_contract_1", "the stored set after a refused write");
  },

  "compare-and-set refuses a version that is not the stored one, and changes nothing": async (store, key) => {
    const k = key();
    same(await store.set(k, sample(1), { ifVersion: "no-such-version" }), { ok: false }, "set over an empty key");
    same(await store.get(k), undefined, "an empty key after a refused write");
    const version = await written(store, k, sample(1));
    same(await store.set(k, sample(2), { ifVersion: `${version}x` }), { ok: false }, "set with a wrong version");
    const after = await stored(store, k);
    same([after.tokenSet.accessToken, after.version], ["pina_contract_1", version], "the stored set and version");
  },

  "every write gets a new version, even of an identical set": async (store, key) => {
    const k = key();
    const seen = new Set<string>();
    let version = await written(store, k, sample(1));
    seen.add(version);
    for (let i = 0; i < 3; i++) {
      version = await written(store, k, sample(1), version);
      check(!seen.has(version), `a write returned version ${show(version)} again`);
      seen.add(version);
    }
    version = await written(store, k, sample(1));
    check(!seen.has(version), `an unconditional write returned version ${show(version)} again`);
  },

  "a stale writer is refused: after another write, the version read before no longer works": async (store, key) => {
    const k = key();
    const read = await written(store, k, sample(1));
    const newer = await written(store, k, sample(2), read);
    same(await store.set(k, sample(3), { ifVersion: read }), { ok: false }, "a write over the version read before");
    const now = await stored(store, k);
    same([now.tokenSet.accessToken, now.version], ["pina_contract_2", newer], "the stored set");
  },

  "of 10 concurrent writers over one version, exactly one wins and its set is stored": async (store, key) => {
    const k = key();
    const version = await written(store, k, sample(0));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.set(k, sample(i + 1), { ifVersion: version })),
    );
    const winners = results.flatMap((result, i) => (result.ok ? [i + 1] : []));
    same(winners.length, 1, "writers that succeeded");
    const now = await stored(store, k);
    same(now.tokenSet.accessToken, `pina_contract_${winners[0]}`, "the stored set");
    same(now.version, (results[(winners[0] as number) - 1] as { version: string }).version, "the stored version");
  },

  "set() without ifVersion replaces whatever is stored (a new sign-in)": async (store, key) => {
    const k = key();
    await written(store, k, sample(1));
    const version = await written(store, k, sample(2));
    const now = await stored(store, k);
    same([now.tokenSet, now.version], [sample(2), version], "the stored set and version after an unconditional write");
  },

  "a version from before a delete never matches a set written after it": async (store, key) => {
    const k = key();
    const old = await written(store, k, sample(1));
    await store.delete(k);
    const version = await written(store, k, sample(2), null);
    same(
      await store.set(k, sample(3), { ifVersion: old }),
      { ok: false },
      "a write over a version from before delete()",
    );
    const now = await stored(store, k);
    same([now.tokenSet.accessToken, now.version], ["pina_contract_2", version], "the stored set and version");
  },

  "delete() removes the set (and deleting nothing is fine); then ifVersion: null writes again": async (store, key) => {
    const k = key();
    await written(store, k, sample(1));
    await store.delete(k);
    same(await store.get(k), undefined, "get() after delete()");
    await store.delete(k);
    await written(store, k, sample(2), null);
  },

  "values are copied, not shared: changing a set after set() or get() changes nothing stored": async (store, key) => {
    const k = key();
    const mine = sample(1);
    await written(store, k, mine);
    mine.accessToken = "changed";
    mine.scopes.push("changed");
    const first = await stored(store, k);
    first.tokenSet.scopes.push("changed");
    (first.tokenSet as { accessToken: string }).accessToken = "changed";
    same((await stored(store, k)).tokenSet, sample(1), "the stored set");
  },
};

const lockCases: Record<string, Body> = {
  "lock() is exclusive per key: a second holder waits for release(); other keys do not": async (store, key, ttl) => {
    const lock = store.lock?.bind(store) as NonNullable<TokenStore["lock"]>;
    const first = await lock(key(), 30_000);
    const second = lock(key(), 30_000);
    check((await within(second, ttl)) === undefined, "a second lock() on a held key was granted before release()");
    const other = await within(lock(key("other"), 30_000), 5_000);
    check(other, "lock() on another key waited for an unrelated lock");
    await first.release();
    const next = await within(second, 5_000);
    check(next, "the waiting lock() was not granted within 5 s of release()");
    await next.release();
    await other.release();
  },

  "lock holders never overlap: 10 read-modify-writes under the lock lose no update": async (store, key) => {
    const lock = store.lock?.bind(store) as NonNullable<TokenStore["lock"]>;
    const k = key();
    await written(store, k, sample(0));
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const held = await lock(k, 30_000);
        try {
          // Re-read after taking the lock: the previous holder's write must be visible.
          const now = await stored(store, k);
          await pause(1);
          const n = now.tokenSet.expiresAt - sample(0).expiresAt + 1;
          await written(store, k, sample(n), now.version);
        } finally {
          await held.release();
        }
      }),
    );
    same((await stored(store, k)).tokenSet.accessToken, "pina_contract_10", "the set after 10 locked increments");
  },

  "a lock that is never released expires after its TTL, and others proceed": async (store, key, ttl) => {
    const lock = store.lock?.bind(store) as NonNullable<TokenStore["lock"]>;
    const started = Date.now();
    await lock(key(), ttl); // its holder crashed
    const next = await within(lock(key(), 30_000), ttl + 10_000);
    check(next, `a lock with a TTL of ${ttl} ms was still held ${ttl + 10_000} ms later`);
    check(
      Date.now() - started >= ttl * 0.9,
      `a lock with a TTL of ${ttl} ms was granted again after ${Date.now() - started} ms`,
    );
    await next.release();
  },

  "only the owner releases: a stale holder's release() after expiry leaves the new holder's lock": async (
    store,
    key,
    ttl,
  ) => {
    const lock = store.lock?.bind(store) as NonNullable<TokenStore["lock"]>;
    const stale = await lock(key(), ttl);
    const owner = await within(lock(key(), 30_000), ttl + 10_000);
    check(owner, "the lock was not granted after the first one expired");
    await stale.release();
    const third = lock(key(), 30_000);
    check((await within(third, ttl)) === undefined, "a stale holder's release() freed the new holder's lock");
    await owner.release();
    const granted = await within(third, 5_000);
    check(granted, "the lock was not granted after its owner released it");
    await granted.release();
  },
};

const extendCases: Record<string, Body> = {
  "extend() keeps the lock past its TTL for its owner, and resolves false once the lock was lost": async (
    store,
    key,
    ttl,
  ) => {
    const lock = store.lock?.bind(store) as NonNullable<TokenStore["lock"]>;
    const held = await lock(key(), ttl);
    check(
      typeof held.extend === "function",
      "the lock has no extend(); implement it, or pass features: { extend: false }",
    );
    const extend = held.extend.bind(held);
    const waiting = lock(key(), 30_000);
    for (let i = 0; i < 4; i++) {
      await pause(ttl / 2);
      check((await extend(ttl)) === true, "extend() by the owner of a held lock resolved false");
    }
    check((await within(waiting, ttl / 2)) === undefined, "an extended lock was granted to another holder");
    await held.release();
    const next = await within(waiting, 5_000);
    check(next, "the lock was not granted after its owner released it");
    await next.release();
    const lost = await lock(key("lost"), ttl);
    const taker = await within(lock(key("lost"), 30_000), ttl + 10_000);
    check(taker, "the lock was not granted after it expired");
    check((await lost.extend?.(ttl)) === false, "extend() by a holder whose lock expired did not resolve false");
    const third = lock(key("lost"), 30_000);
    check((await within(third, ttl)) === undefined, "a lost holder's extend() took the lock back");
    await taker.release();
    await (await third).release();
  },
};

const tookOverCases: Record<string, Body> = {
  "tookOver: false for a lock that was free or released, true for one whose holder let it expire": async (
    store,
    key,
    ttl,
  ) => {
    const lock = store.lock?.bind(store) as NonNullable<TokenStore["lock"]>;
    const first = await lock(key(), 30_000);
    check(
      first.tookOver === false,
      `tookOver of a lock on a free key: expected false, got ${show(first.tookOver)}; implement it, or pass features: { tookOver: false }`,
    );
    await first.release();
    const second = await lock(key(), 30_000);
    check(second.tookOver === false, `tookOver after release(): expected false, got ${show(second.tookOver)}`);
    await second.release();
    await lock(key("crashed"), ttl); // its holder crashed
    const next = await within(lock(key("crashed"), 30_000), ttl + 10_000);
    check(next, "the lock was not granted after it expired");
    check(
      next.tookOver === true,
      `tookOver of a lock whose holder let it expire: expected true, got ${show(next.tookOver)}`,
    );
    await next.release();
    const after = await lock(key("crashed"), 30_000);
    check(
      after.tookOver === false,
      `tookOver after the taken-over lock was released: expected false, got ${show(after.tookOver)}`,
    );
    await after.release();
  },
};

const abortCases: Record<string, Body> = {
  "lock() stops waiting when its signal aborts, and takes nothing": async (store, key) => {
    const lock = store.lock?.bind(store) as NonNullable<TokenStore["lock"]>;
    const held = await lock(key(), 30_000);
    const controller = new AbortController();
    const waiting = lock(key(), 30_000, { signal: controller.signal });
    await pause(20);
    controller.abort(new Error("no longer needed"));
    const ended = await Promise.race([
      waiting.then(
        async (late) => {
          await late.release();
          return "granted";
        },
        () => "rejected",
      ),
      pause(1_000).then(() => "still waiting"),
    ]);
    check(
      ended === "rejected",
      `lock() whose signal aborted while it waited: expected it to reject, but it was ${ended}; implement LockOptions.signal, or pass features: { abort: false }`,
    );
    const refused = await lock(key("other"), 30_000, { signal: AbortSignal.abort() }).then(
      async (late) => {
        await late.release();
        return false;
      },
      () => true,
    );
    check(refused, "lock() with an already aborted signal took the lock instead of rejecting");
    await held.release();
    const next = await within(lock(key(), 30_000), 5_000);
    check(next, "the lock was not free after release(): did the aborted lock() take it?");
    await next.release();
  },
};

const managerCases: Record<string, Body> = {
  "a token manager waiting for the lock uses the fresh token set another holder stores meanwhile": async (
    store,
    key,
  ) => {
    const lock = store.lock?.bind(store) as NonNullable<TokenStore["lock"]>;
    const k = key();
    await written(store, k, sample(1, { expiresAt: Date.now() - 1_000 }));
    const held = await lock(k, 30_000); // another process is refreshing
    const refuse = () => Promise.reject(new Error("the manager called Pinterest although fresh tokens were stored"));
    const oauth = { refresh: refuse, clientCredentials: refuse, revoke: refuse, clock: () => Date.now() };
    const pending = createTokenManager({ oauth, store, key: k, lockTtlMs: 30_000 }).getAccessToken();
    await pause(50);
    await written(store, k, sample(2, { expiresAt: Date.now() + 3_600_000 })); // the holder saves its refresh
    const token = await Promise.race([pending, pause(5_000).then(() => "still waiting")]);
    await held.release();
    same(token, "pina_contract_2", "what the waiting manager returned within 5 s of the save");
  },
};

/**
 * The `TokenStore` contract as a list of cases: compare-and-set (`ifVersion: null` only when empty, a wrong or stale
 * version refused, a version from before a delete never matching again, a new version on every write), get, an
 * unconditional set replacing what is stored, and delete, values copied not shared, concurrent writers
 * (exactly one wins), and for locks: mutual exclusion, re-read after lock, expiry, release only by the owner,
 * `extend` keeping ownership and failing once lost, `tookOver` telling a lock whose holder vanished, a `signal` that
 * stops a wait, and a token manager that stops waiting for the lock when fresh tokens appear.
 *
 * @example
 * ```ts
 * import { tokenStoreContract } from "@pintoken/core/testing";
 * import { describe, test } from "vitest";
 *
 * describe("RedisTokenStore", () => {
 *   for (const { name, run } of tokenStoreContract({ createStore: () => new RedisTokenStore({ redis }) })) {
 *     test(name, run, 30_000);
 *   }
 * });
 * ```
 */
export function tokenStoreContract(options: TokenStoreContractOptions): ContractCase[] {
  const { lock = true, extend = true, tookOver = true, abort = true } = options.features ?? {};
  const ttl = options.lockTtlMs ?? 300;
  const prefix = options.keyPrefix ?? "pintoken-contract";
  const cases = {
    ...storeCases,
    ...(lock ? { ...lockCases, ...managerCases } : {}),
    ...(lock && extend ? extendCases : {}),
    ...(lock && tookOver ? tookOverCases : {}),
    ...(lock && abort ? abortCases : {}),
  };
  return Object.entries(cases).map(([name, body], index) => ({
    name,
    async run() {
      const store = await options.createStore();
      const id = `${prefix}:${index}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
      const keys: string[] = [];
      const key = (name = "key") => {
        const k = `${id}:${name}`;
        if (!keys.includes(k)) keys.push(k);
        return k;
      };
      if (lock)
        check(
          typeof store.lock === "function",
          "the store has no lock(); implement it, or pass features: { lock: false }",
        );
      try {
        await body(store, key, ttl);
      } finally {
        await options.cleanup?.(store, keys);
      }
    },
  }));
}

/**
 * Makes the access token stored under `key` due, so that the next `getAccessToken()` refreshes it: its expiry moves
 * to `at` (default: now), written with compare-and-set. For an app's own tests (against `@pintoken/mock`, say) of what
 * happens at a refresh, without waiting 30 days.
 *
 * @example
 * ```ts
 * import { makeTokenDue } from "@pintoken/core/testing";
 *
 * await makeTokenDue(store, "user-42");
 * await manager.getAccessToken(); // refreshes now; the mock rotates the refresh token
 * ```
 */
export async function makeTokenDue(store: TokenStore, key: string, { at = Date.now() }: { at?: number } = {}) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = await store.get(key);
    if (!stored)
      throw new ConfigurationError(`makeTokenDue: nothing is stored under "${key}": save a token set first.`);
    const { ok } = await store.set(key, { ...stored.tokenSet, expiresAt: at }, { ifVersion: stored.version });
    if (ok) return;
  }
  throw new ConfigurationError(
    `makeTokenDue: the token set under "${key}" kept changing; try again when nothing refreshes it.`,
  );
}
