import type { TokenSet } from "./token-set.ts";
import { waitFor } from "./wait.ts";

/**
 * A token set as stored, with the version that `set(…, { ifVersion })` compares against.
 *
 * @example
 * ```ts
 * const stored: StoredTokenSet | undefined = await store.get("user:42");
 * if (stored) await store.set("user:42", { ...stored.tokenSet, scopes: [] }, { ifVersion: stored.version });
 * ```
 */
export interface StoredTokenSet {
  readonly tokenSet: TokenSet;
  /** Opaque; changes on every write. */
  readonly version: string;
}

/**
 * Options of {@link TokenStore.set}.
 *
 * @example
 * ```ts
 * const created = await store.set("user:42", tokens, { ifVersion: null }); // only if nothing is stored yet
 * ```
 */
export interface SetOptions {
  /**
   * Compare-and-set: write only if the stored version is this one (`null`: only if nothing is stored).
   * Leave it out to write unconditionally (a new sign-in).
   */
  ifVersion?: string | null | undefined;
}

/**
 * What {@link TokenStore.set} did: written (with the new version), or not because the version had changed.
 *
 * @example
 * ```ts
 * const result = await store.set("user:42", rotated, { ifVersion: stored.version });
 * if (!result.ok) {
 *   // someone else wrote first: read again instead of overwriting a newer refresh token
 * }
 * ```
 */
export type SetResult = { readonly ok: true; readonly version: string } | { readonly ok: false };

/**
 * A held lock; release it when done (it also expires by itself after its TTL). Only its holder can release or extend
 * it: once it has expired and someone else holds the key, `release()` does nothing and `extend()` resolves false.
 *
 * @example
 * ```ts
 * const lock = await store.lock!("user:42", 60_000);
 * try {
 *   if (!(await lock.extend?.(60_000) ?? true)) throw new Error("lost the lock");
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export interface TokenLock {
  release(): Promise<void>;
  /** Pushes the lock's expiry to now + ttlMs if this holder still owns it; resolves false when the lock was lost. */
  extend?(ttlMs: number): Promise<boolean>;
  /**
   * Whether this lock was taken over from a holder that let it expire without releasing it (it crashed, or lost the
   * store in the middle of a refresh, so its rotated tokens may still land). `false` when the lock was free or
   * released; leave it out if the store cannot tell. The token manager believes Pinterest's "invalid grant" at once
   * only when this is `false`; otherwise it first watches the store for such late tokens, for up to the lock's TTL.
   */
  readonly tookOver?: boolean;
}

/**
 * Options of {@link TokenStore.lock}.
 *
 * @example
 * ```ts
 * const lock = await store.lock!("user:42", 60_000, { signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface LockOptions {
  /**
   * Stops waiting for the lock: `lock()` rejects with the signal's reason and takes nothing. The token manager aborts
   * a wait when another holder's fresh tokens appear in the store. (A store that ignores it still works: a lock
   * granted after the abort is released at once.)
   */
  signal?: AbortSignal | undefined;
}

/**
 * Where token sets live, by key (one key per user, or per app). Implementations: `MemoryTokenStore` (one process),
 * `@pintoken/redis` (many servers), `DenoKvTokenStore` from `@pintoken/deno` (Deno Deploy isolates).
 * A store with `lock` makes a refresh happen once across processes: the manager takes the lock, re-reads, and
 * refreshes only if still needed.
 *
 * @example
 * ```ts
 * const store: TokenStore = new MemoryTokenStore();
 * const { version } = (await store.get("user:42")) ?? {};
 * await store.set("user:42", tokens, { ifVersion: version ?? null });
 * ```
 */
export interface TokenStore {
  get(key: string): Promise<StoredTokenSet | undefined>;
  set(key: string, tokenSet: TokenSet, options?: SetOptions): Promise<SetResult>;
  delete(key: string): Promise<void>;
  /**
   * Waits for, then holds, an exclusive lock on `key` for at most `ttlMs` (unless extended). Implement `extend` on
   * the lock so a slow refresh keeps it, and `tookOver` so the manager knows when a previous holder vanished;
   * `@pintoken/core/testing` checks a store against this contract.
   */
  lock?(key: string, ttlMs: number, options?: LockOptions): Promise<TokenLock>;
}

/**
 * A `TokenStore` in memory, for one process (and for tests). Values are copied in and out, so callers cannot
 * change what is stored by mutating an object.
 *
 * @example
 * ```ts
 * const manager = createTokenManager({ oauth, store: new MemoryTokenStore() });
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  readonly #entries = new Map<string, StoredTokenSet>();
  /** Per key, the held lock: it resolves when released or expired. */
  readonly #locks = new Map<string, Promise<void>>();
  /** Keys whose last lock expired without being released: the next holder takes it over. */
  readonly #abandoned = new Set<string>();
  #counter = 0;

  async get(key: string): Promise<StoredTokenSet | undefined> {
    const entry = this.#entries.get(key);
    return entry && { tokenSet: structuredClone(entry.tokenSet), version: entry.version }; // (cloning the whole entry is slower)
  }

  async set(key: string, tokenSet: TokenSet, { ifVersion }: SetOptions = {}): Promise<SetResult> {
    if (ifVersion !== undefined && (this.#entries.get(key)?.version ?? null) !== ifVersion) return { ok: false };
    const version = String(++this.#counter);
    this.#entries.set(key, { tokenSet: structuredClone(tokenSet), version });
    return { ok: true, version };
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async lock(key: string, ttlMs: number, { signal }: LockOptions = {}): Promise<TokenLock> {
    for (let held = this.#locks.get(key); held; held = this.#locks.get(key)) {
      signal?.throwIfAborted();
      await (signal ? waitFor({ work: () => held as Promise<void>, signal }) : held);
    }
    signal?.throwIfAborted();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let free = (_expired: boolean) => {};
    const held = new Promise<void>((resolve) => {
      free = (expired) => {
        clearTimeout(timer);
        this.#locks.delete(key); // still ours: only the holder frees it, once
        if (expired) this.#abandoned.add(key);
        resolve();
      };
    });
    const mine = () => this.#locks.get(key) === held;
    const expireIn = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => free(true), ms);
    };
    expireIn(ttlMs);
    this.#locks.set(key, held);
    const tookOver = this.#abandoned.delete(key);
    return {
      tookOver,
      release: async () => {
        if (mine()) free(false);
      },
      extend: async (ms) => {
        if (!mine()) return false;
        expireIn(ms);
        return true;
      },
    };
  }

  /** Never show tokens when the store is logged or serialized. */
  toJSON(): { keys: number } {
    return { keys: this.#entries.size };
  }
}
