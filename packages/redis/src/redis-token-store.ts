import {
  ConfigurationError,
  type DueEntry,
  type DueOptions,
  type LockOptions,
  openTokenSet,
  parseTokenSet,
  type SetOptions,
  type SetResult,
  type StoredTokenSet,
  type TokenLock,
  type TokenSet,
  type TokenStore,
} from "@pintoken/core";
import { createSealer, type Sealer } from "@pintoken/core/crypto";
import { type CommandContext, type RedisCommandClient, runScript, send } from "./commands.ts";
import { dueEntries, indexDue } from "./due-index.ts";
import { RedisStoreError } from "./errors.ts";
import { acquireLock, compareAndSet, extendLock, lockRecordGraceMs, releaseLock } from "./scripts.ts";

/**
 * Options of {@link RedisTokenStore}.
 *
 * @example
 * ```ts
 * const options: RedisTokenStoreOptions = { client, prefix: "myapp:pintoken:", secret: process.env.TOKEN_SECRET };
 * ```
 */
export interface RedisTokenStoreOptions {
  /** A connected node-redis client (`createClient()` of `redis` v6), with an `error` listener. */
  client: RedisCommandClient;
  /** Put before every key this store writes: `<prefix>token:<key>` and `<prefix>lock:<key>`. Default `"pintoken:"`. */
  prefix?: string | undefined;
  /**
   * Longest time one operation may take, retries after a lost connection included. A Redis restart shorter than
   * this is invisible; a longer one (or a frozen Redis) fails with `RedisStoreError`. Default 2 000 ms.
   */
  commandTimeoutMs?: number | undefined;
  /** Longest time `lock()` waits for another holder. Default: twice the requested TTL (an abandoned lock expires first). */
  lockWaitMs?: number | undefined;
  /**
   * Encrypts token sets at rest (AES-256-GCM, key derived with HKDF-SHA256). A secret of at least 32 random
   * characters, or a list: the first encrypts, all decrypt (rotation). Without it, token sets are stored as JSON.
   */
  secret?: string | readonly string[] | undefined;
}

/**
 * A lock held in Redis by a random owner token: only its owner releases or extends it, and it expires by itself.
 *
 * @example
 * ```ts
 * const lock: RedisTokenLock = await store.lock("user-42", 30_000);
 * if (!(await lock.extend(30_000))) throw new Error("lost the lock: someone else may be refreshing");
 * await lock.release();
 * ```
 */
export interface RedisTokenLock extends TokenLock {
  /** Releases the lock if this holder still owns it (after it expired, someone else's lock is left alone). */
  release(): Promise<void>;
  /** Pushes the lock's expiry to now + ttlMs if this holder still owns it; resolves false when the lock was lost. */
  extend(ttlMs: number): Promise<boolean>;
  /** Whether the previous holder let the lock expire without releasing it (its refresh may still land). */
  readonly tookOver: boolean;
}

const defaultPrefix = "pintoken:";

/** The longest delay timers take (about 24.8 days). */
const maxDelayMs = 2 ** 31 - 1;

function milliseconds(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value <= maxDelayMs))
    throw new ConfigurationError(`${name} must be a number of milliseconds > 0 (and ≤ 2³¹−1), got ${String(value)}.`);
  return value;
}

function checkKey(key: unknown): string {
  if (typeof key !== "string" || key === "")
    throw new ConfigurationError(`The store key must be a non-empty string (e.g. the user's id), got ${typeof key}.`);
  return key;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return undefined;
}

function randomToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * How long Redis keeps a token set: as long as its refresh token lives (from when the set was issued), so that
 * abandoned sessions and accounts do not stay in Redis forever. `""` (no expiry) for a set without a refresh token or
 * without its lifetime.
 */
function grantLifetimeMs({ refreshToken, refreshTokenExpiresAt, issuedAt }: TokenSet): string {
  if (!refreshToken || refreshTokenExpiresAt === undefined || issuedAt === undefined) return "";
  return String(Math.max(1, Math.ceil(refreshTokenExpiresAt - issuedAt)));
}

/**
 * A `TokenStore` on Redis, shared by every server instance: compare-and-set by version and a lock with expiry and
 * an owner token, both as atomic Lua scripts, so `createTokenManager()` refreshes once across the fleet and a
 * rotated refresh token is never overwritten by an older one. Values are copied in and out (JSON), optionally
 * encrypted. Failures are `RedisStoreError`s (a core `TokenStoreError`) within `commandTimeoutMs`, never a hang.
 *
 * @example
 * ```ts
 * import { createTokenManager } from "@pintoken/core";
 * import { RedisTokenStore } from "@pintoken/redis";
 * import { createClient } from "redis";
 *
 * const client = await createClient({ url: process.env.REDIS_URL! }).on("error", console.error).connect();
 * const store = new RedisTokenStore({ client, secret: process.env.TOKEN_SECRET });
 * const manager = createTokenManager({ oauth, store, key: userId });
 * ```
 */
export class RedisTokenStore implements TokenStore {
  readonly #client: RedisCommandClient;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #lockWaitMs: number | undefined;
  readonly #sealer: Sealer | undefined;

  constructor(options: RedisTokenStoreOptions) {
    if (typeof options?.client?.sendCommand !== "function") {
      throw new ConfigurationError(
        "RedisTokenStore needs client: a connected node-redis client, e.g. await createClient({ url }).connect() from the redis package.",
      );
    }
    if (options.prefix !== undefined && typeof options.prefix !== "string")
      throw new ConfigurationError(`prefix must be a string, e.g. "myapp:pintoken:", got ${typeof options.prefix}.`);
    this.#client = options.client;
    this.#prefix = options.prefix ?? defaultPrefix;
    const { commandTimeoutMs, lockWaitMs } = options;
    this.#timeoutMs = commandTimeoutMs === undefined ? 2_000 : milliseconds("commandTimeoutMs", commandTimeoutMs);
    this.#lockWaitMs = lockWaitMs === undefined ? undefined : milliseconds("lockWaitMs", lockWaitMs);
    this.#sealer =
      options.secret === undefined ? undefined : createSealer(options.secret, "token-store", { name: "secret" });
  }

  #ctx(key: string, what: string): CommandContext {
    return { key, what, timeoutMs: this.#timeoutMs };
  }

  async get(key: string): Promise<StoredTokenSet | undefined> {
    const tokenKey = `${this.#prefix}token:${checkKey(key)}`;
    const reply = await send(
      this.#client,
      ["HMGET", tokenKey, "version", "data"],
      this.#ctx(key, "read the token set"),
    );
    if (!Array.isArray(reply)) {
      const detail = "Redis answered HMGET with something else than a list. Pass a node-redis client (createClient()).";
      throw new RedisStoreError({ key, operation: "read the token set", reason: "rejected", detail });
    }
    const [version, data] = reply.map(text);
    if (version === undefined && data === undefined) return undefined;
    return { tokenSet: await this.#decode(key, version, data), version: version as string };
  }

  async #decode(key: string, version: string | undefined, data: string | undefined): Promise<TokenSet> {
    const unreadable = (why: string) =>
      new RedisStoreError({
        key,
        operation: "read the token set",
        reason: "unreadable",
        detail: `the stored value ${why}. It was left as it is; a new sign-in replaces it.`,
      });
    if (version === undefined || data === undefined) throw unreadable("is not a token set written by this store");
    try {
      return await openTokenSet(data, this.#sealer, key);
    } catch (error) {
      throw unreadable((error as Error).message);
    }
  }

  async set(key: string, tokenSet: TokenSet, options: SetOptions = {}): Promise<SetResult> {
    const tokenKey = `${this.#prefix}token:${checkKey(key)}`;
    const clean = parseTokenSet(tokenSet);
    if (!clean) {
      throw new ConfigurationError(
        "set() needs a TokenSet (accessToken, tokenType, scopes, expiresAt, responseType, and optionally refreshToken, refreshTokenExpiresAt and issuedAt), e.g. the result of oauth.exchangeCode().",
      );
    }
    const { ifVersion } = options;
    if (ifVersion !== undefined && ifVersion !== null && typeof ifVersion !== "string")
      throw new ConfigurationError(
        "ifVersion must be a version from get(), null (only if nothing is stored) or left out.",
      );
    const mode = ifVersion === undefined ? "any" : ifVersion === null ? "absent" : "match";
    const version = randomToken();
    const json = JSON.stringify(clean); // the token set's fields only
    const data = this.#sealer ? await this.#sealer.seal(json, key) : json;
    const written = await runScript(
      this.#client,
      compareAndSet,
      tokenKey,
      [mode, ifVersion ?? "", version, data, grantLifetimeMs(clean)],
      this.#ctx(key, "save the token set"),
    );
    if (written !== 1) return { ok: false };
    const dueAt = clean.refreshToken === undefined ? "" : String(clean.refreshTokenExpiresAt ?? "");
    const index = [tokenKey, `${this.#prefix}due`];
    await runScript(this.#client, indexDue, index, [version, dueAt, key], this.#ctx(key, "index the token set"));
    return { ok: true, version };
  }

  async delete(key: string): Promise<void> {
    const tokenKey = `${this.#prefix}token:${checkKey(key)}`;
    await send(this.#client, ["DEL", tokenKey], this.#ctx(key, "delete the token set"));
    await send(this.#client, ["ZREM", `${this.#prefix}due`, key], this.#ctx(key, "unindex the token set"));
  }

  /**
   * The keys whose refresh token expires before `before`, from the sorted set `<prefix>due` kept with every write (see
   * `TokenStore.due` in core): one script per page, O(log n + limit).
   */
  async due(before: number, options: DueOptions): Promise<DueEntry[]> {
    const { limit, after } = options ?? {};
    if (typeof before !== "number" || Number.isNaN(before))
      throw new ConfigurationError(`due() needs a time in epoch ms, got ${String(before)}.`);
    if (!Number.isInteger(limit) || limit < 1)
      throw new ConfigurationError(`due() needs a limit: a whole number ≥ 1, got ${String(limit)}.`);
    const bound = Math.min(Math.max(before, -8.64e15), 8.64e15); // the range of Date; Lua reads no "Infinity"
    const ctx = this.#ctx("(due)", "list the due keys");
    return dueEntries(this.#client, `${this.#prefix}due`, bound, { limit, after }, ctx);
  }

  /**
   * Waits for, then holds, an exclusive lock on `key` for at most `ttlMs` (it expires by itself if the holder dies).
   * Waits at most `lockWaitMs` (default twice `ttlMs`), then fails with `RedisStoreError` (`lock_timeout`); `signal`
   * stops the wait (rejecting with its reason, taking nothing). `tookOver` says whether the previous holder let the
   * lock expire without releasing it.
   */
  async lock(key: string, ttlMs: number, { signal }: LockOptions = {}): Promise<RedisTokenLock> {
    const lockKey = `${this.#prefix}lock:${checkKey(key)}`;
    const ttl = String(Math.ceil(milliseconds("ttlMs", ttlMs)));
    const grace = String(lockRecordGraceMs);
    const owner = randomToken();
    const waitMs = this.#lockWaitMs ?? 2 * Number(ttl);
    const deadline = performance.now() + waitMs;
    const take = () =>
      runScript(this.#client, acquireLock, lockKey, [owner, ttl, grace], this.#ctx(key, "take the lock"));
    let taken: unknown;
    for (let poll = 5; ; poll = Math.min(poll * 2, 100)) {
      signal?.throwIfAborted();
      taken = await take();
      if (taken === 1 || taken === 2) break;
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new RedisStoreError({
          key,
          operation: "take the lock",
          reason: "lock_timeout",
          detail: `another process held the lock for longer than ${waitMs} ms. Raise lockWaitMs if refreshes take that long; a holder that died lets its lock expire after its TTL.`,
        });
      }
      await sleep(Math.min(left, poll * (0.5 + Math.random() / 2)), signal);
    }
    const release = async () => {
      await runScript(this.#client, releaseLock, lockKey, [owner], this.#ctx(key, "release the lock"));
    };
    if (signal?.aborted) {
      await release(); // granted just as the wait was called off: give it back
      signal.throwIfAborted();
    }
    return {
      tookOver: taken === 2,
      release,
      extend: async (extendMs: number) => {
        const ms = String(Math.ceil(milliseconds("ttlMs", extendMs)));
        const extended = await runScript(
          this.#client,
          extendLock,
          lockKey,
          [owner, ms, grace],
          this.#ctx(key, "extend the lock"),
        );
        return extended === 1;
      },
    };
  }

  /** What the store shows when serialized: its settings, never the client, a token or a secret. */
  toJSON(): { prefix: string; encrypted: boolean } {
    return { prefix: this.#prefix, encrypted: this.#sealer !== undefined };
  }

  /** What `util.inspect` (and so `console.log`) shows in Node. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `RedisTokenStore ${JSON.stringify(this.toJSON())}`;
  }
}
