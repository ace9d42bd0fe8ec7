import {
  ConfigurationError,
  type LockOptions,
  parseTokenSet,
  type SetOptions,
  type SetResult,
  type StoredTokenSet,
  type TokenLock,
  type TokenSet,
  type TokenStore,
} from "@pintoken/core";
import { DenoKvStoreError, kvStoreError } from "./errors.ts";
import { type KvEntryMaybe, type KvKey, type KvKeyPart, retryingWhenBusy, type TokenKv } from "./kv.ts";

/**
 * Options of {@link DenoKvTokenStore}.
 *
 * @example
 * ```ts
 * const options: DenoKvTokenStoreOptions = { prefix: ["my-app", "pinterest"] };
 * const store = new DenoKvTokenStore(await Deno.openKv(), options);
 * ```
 */
export interface DenoKvTokenStoreOptions {
  /**
   * The first parts of every key the store writes, so one KV can hold several apps (or other data). Token sets live
   * under `[...prefix, "tokens", key]`, locks under `[...prefix, "locks", key]`. Default `["pintoken"]`.
   */
  prefix?: readonly KvKeyPart[] | undefined;
}

/**
 * A lock held in Deno KV. `release()` and `extend()` act only while this holder still owns it: once it has expired and
 * someone else took it, `release()` does nothing and `extend()` resolves false. `tookOver` says whether the previous
 * holder let the lock expire without releasing it.
 *
 * @example
 * ```ts
 * const lock = await store.lock("user-42", 30_000);
 * try {
 *   if (lock.tookOver) console.warn("the last holder vanished mid-refresh: its tokens may still land");
 *   if (!(await lock.extend(30_000))) throw new Error("lost the lock: stop writing");
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export interface DenoKvTokenLock extends TokenLock {
  release(): Promise<void>;
  /** Pushes the lock's expiry to now + ttlMs if this holder still owns it; resolves false when the lock was lost. */
  extend(ttlMs: number): Promise<boolean>;
  /**
   * `true` when the previous holder let the lock expire without releasing it (it crashed, or lost KV mid-refresh);
   * `false` when the lock was free or released (or its expired entry was older than a day).
   */
  readonly tookOver: boolean;
}

/** A lock entry: written by this version and the one before it alike. */
interface LockValue {
  readonly owner: string;
  /** Epoch ms. KV's own `expireIn` deletes lazily, so expiry is always checked against this. */
  readonly expiresAt: number;
}

/**
 * How long KV keeps a lock entry past its expiry: a lock that expired without being released stays readable that
 * long, so the next holder knows it took the lock over (`tookOver`). A release deletes the entry at once.
 */
const keptAfterExpiryMs = 86_400_000;

/** Deno KV versionstamps are 20 hex digits; anything else cannot be the stored version. */
const versionstampPattern = /^[0-9a-f]{20}$/;

function isLockValue(value: unknown): value is LockValue {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as LockValue).owner === "string" &&
    typeof (value as LockValue).expiresAt === "number"
  );
}

function requireKey(key: unknown): string {
  if (typeof key !== "string" || key === "")
    throw new ConfigurationError(
      `The token store key must be a non-empty string (e.g. a user id), got ${String(key)}.`,
    );
  return key;
}

function requireTtl(ttlMs: unknown): number {
  if (typeof ttlMs !== "number" || !Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new ConfigurationError(`A lock needs a TTL in milliseconds greater than 0, got ${String(ttlMs)}.`);
  return Math.ceil(ttlMs);
}

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal?.addEventListener("abort", stop, { once: true });
  });
}

/** The options of a lock entry's write: KV deletes it a day after its expiry, unless it is released (deleted) first. */
const lockEntryOptions = (ttl: number) => ({ expireIn: ttl + keptAfterExpiryMs });

/**
 * The core `TokenStore` on Deno KV: compare-and-set on KV versionstamps (`kv.atomic().check(…)`), and a lock with an
 * owner and an expiry, so that every isolate or process sharing one KV (Deno Deploy, several `deno run`s on one KV
 * file) refreshes a token once and never writes a rotated refresh token back over a newer one. Its locks tell a lock
 * taken over from a vanished holder (`tookOver`), and what KV throws becomes a {@link DenoKvStoreError} whose
 * `reason` says what happened.
 *
 * @example
 * ```ts
 * import { createPinterestOAuth, createTokenManager, DenoKvTokenStore } from "@pintoken/deno";
 *
 * const store = await DenoKvTokenStore.open(); // Deno.openKv(), run with --unstable-kv
 * const manager = createTokenManager({ oauth, store, key: userId });
 * const accessToken = await manager.getAccessToken();
 * ```
 */
export class DenoKvTokenStore implements TokenStore {
  readonly #kv: TokenKv;
  readonly #prefix: readonly KvKeyPart[];
  #owned = false;

  /**
   * A store on a KV you opened (it stays yours: {@link DenoKvTokenStore.close} leaves it open).
   *
   * @example
   * ```ts
   * const kv = await Deno.openKv();
   * const store = new DenoKvTokenStore(kv, { prefix: ["my-app", "pinterest"] });
   * ```
   */
  constructor(kv: TokenKv, options: DenoKvTokenStoreOptions = {}) {
    if (!kv || typeof kv.get !== "function" || typeof kv.atomic !== "function")
      throw new ConfigurationError("DenoKvTokenStore needs a Deno.Kv: new DenoKvTokenStore(await Deno.openKv()).");
    const prefix = options.prefix ?? ["pintoken"];
    if (!Array.isArray(prefix))
      throw new ConfigurationError(`prefix must be an array of KV key parts, e.g. ["my-app"], got ${String(prefix)}.`);
    this.#kv = retryingWhenBusy(kv);
    this.#prefix = [...prefix];
  }

  /**
   * Opens Deno KV (`Deno.openKv(path)`: the default database without a path, a file with one, `":memory:"` for a
   * private one) and returns a store on it that {@link DenoKvTokenStore.close} closes. Needs `--unstable-kv` (or
   * `"unstable": ["kv"]` in deno.json).
   *
   * @example
   * ```ts
   * const store = await DenoKvTokenStore.open("./tokens.sqlite3");
   * // …
   * store.close();
   * ```
   */
  static async open(path?: string, options: DenoKvTokenStoreOptions = {}): Promise<DenoKvTokenStore> {
    const deno = (globalThis as { Deno?: { openKv?: (path?: string) => Promise<TokenKv> } }).Deno;
    if (typeof deno?.openKv !== "function") {
      throw new ConfigurationError(
        deno
          ? 'Deno.openKv is not available: run with --unstable-kv, or add `"unstable": ["kv"]` to deno.json.'
          : "DenoKvTokenStore.open() needs Deno (Deno.openKv). Elsewhere, pass an object with the Deno.Kv methods to new DenoKvTokenStore(kv).",
      );
    }
    const kv = await deno.openKv(path);
    try {
      const store = new DenoKvTokenStore(kv, options);
      store.#owned = true;
      return store;
    } catch (error) {
      kv.close();
      throw error;
    }
  }

  #tokenKey(key: string): KvKey {
    return [...this.#prefix, "tokens", requireKey(key)];
  }

  #lockKey(key: string): KvKey {
    return [...this.#prefix, "locks", requireKey(key)];
  }

  /** Runs one KV call; what KV throws becomes a {@link DenoKvStoreError} that says why. */
  async #call<T>(key: string, operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw kvStoreError(key, operation, error);
    }
  }

  async get(key: string): Promise<StoredTokenSet | undefined> {
    const k = this.#tokenKey(key);
    const entry = await this.#call(key, "read the token set", () => this.#kv.get<unknown>(k));
    if (entry.versionstamp === null || entry.value === null) return undefined;
    const tokenSet = parseTokenSet(entry.value);
    if (!tokenSet) {
      throw new DenoKvStoreError({
        key,
        operation: "read the token set",
        reason: "unreadable",
        detail: `the KV entry ${JSON.stringify(entry.key.map(String))} does not hold a token set. Another program wrote to this key: give the store its own prefix. The entry was left as it is; a new sign-in replaces it.`,
      });
    }
    return { tokenSet, version: entry.versionstamp };
  }

  async set(key: string, tokenSet: TokenSet, options: SetOptions = {}): Promise<SetResult> {
    const k = this.#tokenKey(key);
    const { ifVersion } = options;
    return await this.#call(key, "write the token set", async () => {
      if (ifVersion === undefined) {
        const { versionstamp } = await this.#kv.set(k, tokenSet);
        return { ok: true, version: versionstamp };
      }
      if (ifVersion !== null && !versionstampPattern.test(ifVersion)) return { ok: false };
      const result = await this.#kv.atomic().check({ key: k, versionstamp: ifVersion }).set(k, tokenSet).commit();
      return result.ok ? { ok: true, version: result.versionstamp } : { ok: false };
    });
  }

  async delete(key: string): Promise<void> {
    const k = this.#tokenKey(key);
    await this.#call(key, "delete the token set", () => this.#kv.delete(k));
  }

  /**
   * Waits for, then holds, the lock on `key` for at most `ttlMs` (unless extended). Free means absent or expired;
   * it is taken with an atomic check on the entry just read, so of several contenders exactly one wins. Waiters poll
   * with a short jittered backoff, never past the holder's expiry. An expired entry that is still there was never
   * released: taking it over gives a lock whose `tookOver` is `true`. `options.signal` stops the wait: `lock()` then
   * rejects with the signal's reason and holds nothing.
   */
  async lock(key: string, ttlMs: number, options: LockOptions = {}): Promise<DenoKvTokenLock> {
    const k = this.#lockKey(key);
    const ttl = requireTtl(ttlMs);
    const { signal } = options;
    const owner = crypto.randomUUID();
    const operation = "take the lock";
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const entry = await this.#call(key, operation, () => this.#kv.get<unknown>(k));
      // A value of another shape (another program's) is no lock: it is taken over like a free key.
      const held = isLockValue(entry.value) ? entry.value : undefined;
      const now = Date.now();
      if (!held || held.expiresAt <= now) {
        signal?.throwIfAborted();
        const value: LockValue = { owner, expiresAt: now + ttl };
        const taken = await this.#call(key, operation, () =>
          this.#kv.atomic().check(entry).set(k, value, lockEntryOptions(ttl)).commit(),
        );
        if (!taken.ok) continue; // someone else wrote the entry since we read it: look again
        const lock = this.#held(key, k, owner, held !== undefined);
        if (signal?.aborted) {
          // Aborted while the write was under way: hand the lock back rather than hold it for nobody.
          await lock.release().catch(() => undefined);
          throw signal.reason;
        }
        return lock;
      }
      const backoff = Math.min(100, 5 * 1.5 ** attempt) * (0.5 + Math.random() / 2);
      await pause(Math.max(1, Math.min(backoff, held.expiresAt - now + 1)), signal);
    }
  }

  #held(key: string, k: KvKey, owner: string, tookOver: boolean): DenoKvTokenLock {
    const kv = this.#kv;
    /** The lock entry while `owner` still holds it (expired or not), else undefined. */
    const ours = async (): Promise<KvEntryMaybe<LockValue> | undefined> => {
      const entry = await kv.get<LockValue>(k);
      return isLockValue(entry.value) && entry.value.owner === owner ? entry : undefined;
    };
    const call = <T>(operation: string, run: () => Promise<T>) => this.#call(key, operation, run);
    return {
      tookOver,
      release: () =>
        call("release the lock", async () => {
          for (let entry = await ours(); entry; entry = await ours()) {
            if ((await kv.atomic().check(entry).delete(k).commit()).ok) return;
          }
        }),
      async extend(ttlMs) {
        const ttl = requireTtl(ttlMs);
        return await call("extend the lock", async () => {
          for (let entry = await ours(); entry; entry = await ours()) {
            const now = Date.now();
            if ((entry.value as LockValue).expiresAt <= now) return false; // expired: others may have proceeded
            const value: LockValue = { owner, expiresAt: now + ttl };
            if ((await kv.atomic().check(entry).set(k, value, lockEntryOptions(ttl)).commit()).ok) return true;
          }
          return false;
        });
      },
    };
  }

  /**
   * Closes the KV if {@link DenoKvTokenStore.open} opened it; a KV passed to the constructor stays open (it may serve
   * the rest of your app).
   */
  close(): void {
    if (this.#owned) this.#kv.close();
  }

  /** Never show tokens when the store is logged or serialized. */
  toJSON(): { prefix: string[] } {
    return { prefix: this.#prefix.map(String) };
  }
}
