/**
 * The `TokenStore` contract as runner-agnostic cases (`{ name, run }`), until core ships the shared suite as
 * `@pintoken/core/testing`: the options and the case shape are the same, so switching is a change of import.
 * Each `run()` rejects with an assertion error saying what broke.
 */
import assert from "node:assert/strict";
import type { TokenLock, TokenSet, TokenStore } from "../src/index.ts";

export interface TokenStoreContractOptions {
  /** A store to test; called once per case (cases use keys of their own). */
  createStore(): TokenStore | Promise<TokenStore>;
  /** Called after each case with its store and the keys it used. */
  cleanup?(store: TokenStore, keys: readonly string[]): void | Promise<void>;
  /** The short lock TTL of the expiry cases, in ms. Default 300. */
  lockTtlMs?: number;
  /** Prefix of the keys the cases use. */
  keyPrefix?: string;
}

export interface ContractCase {
  readonly name: string;
  run(): Promise<void>;
}

/** `TokenLock` with the optional `extend` that core's store contract is gaining. */
type Held = TokenLock & { extend?(ttlMs: number): Promise<boolean> };
type Lock = (key: string, ttlMs: number) => Promise<Held>;
type Body = (store: TokenStore, lock: Lock, key: (name?: string) => string, ttl: number) => Promise<void>;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The lock if `attempt` is granted within `ms`, else undefined (the attempt goes on waiting). */
async function grantedWithin(attempt: Promise<Held>, ms: number): Promise<Held | undefined> {
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

/** A distinct token set per `n`, with every optional field present. */
function tokens(n: number): TokenSet {
  return {
    accessToken: `pina_case_${n}`,
    tokenType: "bearer",
    scopes: ["user_accounts:read", "pins:read"],
    expiresAt: 1_800_000_000_000 + n,
    refreshToken: `pinr_case_${n}`,
    refreshTokenExpiresAt: 1_810_000_000_000 + n,
    responseType: "refresh_token",
  };
}

async function write(store: TokenStore, key: string, set: TokenSet, ifVersion?: string | null): Promise<string> {
  const result = await store.set(key, set, ifVersion === undefined ? {} : { ifVersion });
  assert.ok(result.ok, `set(${key}) was refused`);
  assert.equal(typeof result.version, "string");
  return result.version;
}

const cases: Record<string, Body> = {
  "set() then get() returns the same set and version; unknown keys are undefined": async (store, _lock, key) => {
    assert.equal(await store.get(key("unknown")), undefined);
    const version = await write(store, key(), tokens(1));
    assert.deepEqual(await store.get(key()), { tokenSet: tokens(1), version });
  },

  "compare-and-set: ifVersion null only when empty; a wrong version changes nothing": async (store, _lock, key) => {
    assert.deepEqual(await store.set(key(), tokens(1), { ifVersion: "0".repeat(20) }), { ok: false });
    assert.equal(await store.get(key()), undefined);
    const version = await write(store, key(), tokens(1), null);
    assert.deepEqual(await store.set(key(), tokens(2), { ifVersion: null }), { ok: false });
    assert.deepEqual(await store.set(key(), tokens(2), { ifVersion: "not-a-version" }), { ok: false });
    assert.deepEqual(await store.get(key()), { tokenSet: tokens(1), version });
  },

  "every write gets a new version": async (store, _lock, key) => {
    const seen = new Set([await write(store, key(), tokens(1))]);
    for (let i = 0; i < 3; i++) seen.add(await write(store, key(), tokens(1), [...seen].at(-1)));
    seen.add(await write(store, key(), tokens(1)));
    assert.equal(seen.size, 5);
  },

  "a stale writer is refused: the version read before another write no longer works": async (store, _lock, key) => {
    const read = await write(store, key(), tokens(1));
    const newer = await write(store, key(), tokens(2), read); // e.g. another process stored a rotated token
    assert.deepEqual(await store.set(key(), tokens(3), { ifVersion: read }), { ok: false });
    assert.deepEqual(await store.get(key()), { tokenSet: tokens(2), version: newer });
  },

  "of 10 concurrent writers over one version, exactly one wins and its set is stored": async (store, _lock, key) => {
    const version = await write(store, key(), tokens(0));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.set(key(), tokens(i + 1), { ifVersion: version })),
    );
    const winners = results.flatMap((result, i) => (result.ok ? [{ n: i + 1, version: result.version }] : []));
    assert.equal(winners.length, 1);
    const [winner] = winners as [{ n: number; version: string }];
    assert.deepEqual(await store.get(key()), { tokenSet: tokens(winner.n), version: winner.version });
  },

  "delete() removes the set; deleting nothing is fine": async (store, _lock, key) => {
    await write(store, key(), tokens(1));
    await store.delete(key());
    await store.delete(key());
    assert.equal(await store.get(key()), undefined);
    await write(store, key(), tokens(2), null);
  },

  "lock() is exclusive per key and granted after release(); other keys are independent": async (
    _store,
    lock,
    key,
    ttl,
  ) => {
    const first = await lock(key(), 30_000);
    const second = lock(key(), 30_000);
    assert.equal(await grantedWithin(second, ttl), undefined, "granted twice at once");
    const other = await grantedWithin(lock(key("other"), 30_000), 5_000);
    assert.ok(other, "a lock on another key waited");
    await first.release();
    const next = await grantedWithin(second, 5_000);
    assert.ok(next, "not granted after release()");
    await Promise.all([next.release(), other.release()]);
  },

  "lock holders never overlap: 10 locked read-modify-writes lose no update": async (store, lock, key) => {
    await write(store, key(), tokens(0));
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const held = await lock(key(), 30_000);
        try {
          const now = await store.get(key());
          assert.ok(now);
          await pause(1);
          await write(store, key(), tokens(now.tokenSet.expiresAt - tokens(0).expiresAt + 1), now.version);
        } finally {
          await held.release();
        }
      }),
    );
    assert.equal((await store.get(key()))?.tokenSet.accessToken, tokens(10).accessToken);
  },

  "an unreleased lock expires after its TTL, and others proceed": async (_store, lock, key, ttl) => {
    const started = Date.now();
    await lock(key(), ttl); // its holder crashed
    const next = await grantedWithin(lock(key(), 30_000), ttl + 10_000);
    assert.ok(next, "the lock was never granted again");
    assert.ok(Date.now() - started >= ttl, `granted again after ${Date.now() - started} ms, before its TTL`);
    await next.release();
  },

  "only the owner releases: a stale holder's release() leaves the new holder's lock": async (
    _store,
    lock,
    key,
    ttl,
  ) => {
    const stale = await lock(key(), ttl);
    const owner = await grantedWithin(lock(key(), 30_000), ttl + 10_000);
    assert.ok(owner, "not granted after expiry");
    await stale.release();
    const third = lock(key(), 30_000);
    assert.equal(await grantedWithin(third, ttl), undefined, "a stale release() freed the owner's lock");
    await owner.release();
    await (await third).release();
  },

  "extend() keeps the lock for its owner, and resolves false once the lock was lost": async (
    _store,
    lock,
    key,
    ttl,
  ) => {
    const held = await lock(key(), ttl);
    assert.equal(typeof held.extend, "function", "the lock has no extend()");
    const waiting = lock(key(), 30_000);
    for (let i = 0; i < 4; i++) {
      await pause(ttl / 2);
      assert.equal(await held.extend?.(ttl), true, "the owner could not extend");
    }
    assert.equal(await grantedWithin(waiting, ttl / 2), undefined, "an extended lock was granted to another");
    await held.release();
    await (await waiting).release();

    const lost = await lock(key("lost"), ttl);
    const taker = await grantedWithin(lock(key("lost"), 30_000), ttl + 10_000);
    assert.ok(taker, "not granted after expiry");
    assert.equal(await lost.extend?.(ttl), false, "a lost lock was extended");
    const third = lock(key("lost"), 30_000);
    assert.equal(await grantedWithin(third, ttl), undefined, "a lost holder's extend() took the lock back");
    await taker.release();
    await (await third).release();
  },
};

/** The contract's cases, each on a fresh store and keys of its own. */
export function tokenStoreContract(options: TokenStoreContractOptions): ContractCase[] {
  const ttl = options.lockTtlMs ?? 300;
  return Object.entries(cases).map(([name, body], index) => ({
    name,
    async run() {
      const store = await options.createStore();
      assert.equal(typeof store.lock, "function", "the store has no lock()");
      const id = `${options.keyPrefix ?? "contract"}:${index}:${crypto.randomUUID()}`;
      const keys: string[] = [];
      const key = (name = "key") => {
        const k = `${id}:${name}`;
        if (!keys.includes(k)) keys.push(k);
        return k;
      };
      try {
        await body(store, (k, ms) => (store.lock as Lock).call(store, k, ms), key, ttl);
      } finally {
        await options.cleanup?.(store, keys);
      }
    },
  }));
}
