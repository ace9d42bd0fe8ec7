/**
 * The part of Deno KV that `DenoKvTokenStore` uses, typed structurally so the published types need no `Deno`
 * namespace: a `Deno.Kv` from `Deno.openKv()` fits it (checked by `deno check` in this package's tests), and so does
 * any object with the same methods.
 */

/**
 * One part of a KV key, as Deno KV allows them (strings, numbers, bigints, booleans, symbols, bytes).
 *
 * @example
 * ```ts
 * const prefix: KvKeyPart[] = ["my-app", "pinterest"];
 * ```
 */
export type KvKeyPart = string | number | bigint | boolean | symbol | Uint8Array;

/**
 * A KV key: a list of parts.
 *
 * @example
 * ```ts
 * const key: KvKey = ["pintoken", "tokens", "user-42"];
 * ```
 */
export type KvKey = readonly KvKeyPart[];

/**
 * What `get` answers: the value and its versionstamp (`null` when nothing is stored).
 *
 * @example
 * ```ts
 * const entry: KvEntryMaybe<unknown> = await kv.get(["pintoken", "tokens", "user-42"]);
 * ```
 */
export interface KvEntryMaybe<T> {
  readonly key: KvKey;
  readonly value: T | null;
  readonly versionstamp: string | null;
}

/**
 * An atomic operation: every check must hold at commit, or nothing is written.
 *
 * @example
 * ```ts
 * const result = await kv.atomic().check({ key, versionstamp }).set(key, value).commit();
 * ```
 */
export interface KvAtomic {
  check(...checks: { readonly key: KvKey; readonly versionstamp: string | null }[]): this;
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): this;
  delete(key: KvKey): this;
  commit(): Promise<{ readonly ok: true; readonly versionstamp: string } | { readonly ok: false }>;
}

/**
 * The methods of `Deno.Kv` the store calls.
 *
 * @example
 * ```ts
 * const kv: TokenKv = await Deno.openKv();
 * const store = new DenoKvTokenStore(kv);
 * ```
 */
export interface TokenKv {
  get<T = unknown>(key: KvKey): Promise<KvEntryMaybe<T>>;
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): Promise<{ readonly versionstamp: string }>;
  delete(key: KvKey): Promise<void>;
  atomic(): KvAtomic;
  close(): void;
}

/**
 * SQLite's "database is locked" (SQLITE_BUSY): another process holds a local KV file's write lock. SQLite reports it
 * before anything is written (the transaction is rolled back), so the call can run again.
 */
export function isBusy(error: unknown): boolean {
  return error instanceof Error && /database is (locked|busy)/i.test(error.message);
}

/** How long to keep retrying a busy database before giving up with its error. */
const busyBudgetMs = 10_000;

async function whileBusy<T>(run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isBusy(error) || Date.now() - started > busyBudgetMs) throw error;
      const backoff = Math.min(250, 5 * 2 ** attempt) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}

/**
 * The same KV, retrying for up to 10 s the calls that fail because several processes write one local KV file at once
 * ("database is locked"). An atomic operation is rebuilt from its checks and mutations for each attempt. Any other
 * error is thrown at once.
 */
export function retryingWhenBusy(kv: TokenKv): TokenKv {
  return {
    get: (key) => whileBusy(() => kv.get(key)),
    set: (key, value, options) => whileBusy(() => kv.set(key, value, options)),
    delete: (key) => whileBusy(() => kv.delete(key)),
    close: () => kv.close(),
    atomic() {
      const steps: ((op: KvAtomic) => KvAtomic)[] = [];
      const recorder: KvAtomic = {
        check(...checks) {
          steps.push((op) => op.check(...checks));
          return this;
        },
        set(key, value, options) {
          steps.push((op) => op.set(key, value, options));
          return this;
        },
        delete(key) {
          steps.push((op) => op.delete(key));
          return this;
        },
        commit: () => whileBusy(() => steps.reduce((op, step) => step(op), kv.atomic()).commit()),
      };
      return recorder;
    },
  };
}
