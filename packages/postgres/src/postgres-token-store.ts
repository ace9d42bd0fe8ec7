import {
  ConfigurationError,
  type DueEntry,
  type DueOptions,
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
import { PostgresStoreError } from "./errors.ts";
import { type PostgresQueryable, type QueryContext, runQuery } from "./query.ts";
import { type Names, type PostgresTableOptions, resolveNames, verifySchema } from "./schema.ts";

/**
 * Options of {@link PostgresTokenStore}.
 *
 * @example
 * ```ts
 * const options: PostgresTokenStoreOptions = { db: pool, tenant: "workspace-7", secret: process.env.TOKEN_SECRET };
 * ```
 */
export interface PostgresTokenStoreOptions extends PostgresTableOptions {
  /** Your pool (or client): a `pg` `Pool` is the usual choice; anything with `query(text, values)` → `{ rows }` fits. */
  db: PostgresQueryable;
  /** Rows of this store carry this tenant: several apps or workspaces share the tables apart. Default `""`. */
  tenant?: string | undefined;
  /**
   * Longest time one operation may take, retries after a lost connection included. A PostgreSQL restart shorter than
   * this is invisible; a longer one fails with `PostgresStoreError`. Default 5 000 ms.
   */
  queryTimeoutMs?: number | undefined;
  /** Longest time `lock()` waits for another holder's lease. Default: twice the requested TTL. */
  lockWaitMs?: number | undefined;
  /**
   * Encrypts token sets at rest (AES-256-GCM, keys from `@pintoken/core/crypto`, as `@pintoken/redis` does). A secret
   * of at least 32 random characters, or a list: the first encrypts, all decrypt (rotation). Without it, JSON.
   */
  secret?: string | readonly string[] | undefined;
}

/**
 * A lease on a key, held in the lease table by a random owner: only its owner releases or extends it, and it expires
 * by itself (by the database's clock) when its holder dies.
 *
 * @example
 * ```ts
 * const lease: PostgresTokenLock = await store.lock("user-42", 30_000);
 * if (!(await lease.extend(30_000))) throw new Error("lost the lease: someone else may be refreshing");
 * await lease.release();
 * ```
 */
export interface PostgresTokenLock extends TokenLock {
  /** Whether the lease was taken over from a holder that let it expire without releasing it (it crashed, say). */
  readonly tookOver: boolean;
  /** Deletes the lease if this holder still owns it (after it expired and was taken, the other's is left alone). */
  release(): Promise<void>;
  /** Pushes the lease's expiry to now + ttlMs if this holder still owns it and it has not expired; else false. */
  extend(ttlMs: number): Promise<boolean>;
}

const maxDelayMs = 2 ** 31 - 1;

function milliseconds(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value <= maxDelayMs))
    throw new ConfigurationError(`${name} must be a number of milliseconds > 0 (and ≤ 2³¹−1), got ${String(value)}.`);
  return value;
}

function checkKey(key: unknown): string {
  if (typeof key !== "string" || key === "" || key.includes("\0"))
    throw new ConfigurationError(
      `The store key must be a non-empty string without NUL characters (e.g. the user's id), got ${typeof key === "string" ? JSON.stringify(key) : typeof key}.`,
    );
  return key;
}

function randomToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", aborted, { once: true });
  });

/** The statements of one store, built once from its (checked and quoted) names. */
function statements({ table, leaseTable, c }: Names) {
  const expiry = `clock_timestamp() + $4 * interval '1 millisecond'`;
  return {
    get: `SELECT ${c.version} AS version, ${c.data} AS data FROM ${table} WHERE ${c.tenant} = $1 AND ${c.key} = $2`,
    // $3 new version, $4 data, $5 refresh-token expiry, $6 the version expected.
    setAny: `INSERT INTO ${table} AS t (${c.tenant}, ${c.key}, ${c.version}, ${c.data}, ${c.refreshTokenExpiresAt})
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (${c.tenant}, ${c.key}) DO UPDATE SET ${c.version} = EXCLUDED.${c.version},
        ${c.data} = EXCLUDED.${c.data}, ${c.refreshTokenExpiresAt} = EXCLUDED.${c.refreshTokenExpiresAt},
        ${c.updatedAt} = now()
      RETURNING 1 AS ok`,
    // Only if nothing is stored; a row holding our own new version is an earlier try of this same call.
    setAbsent: `INSERT INTO ${table} AS t (${c.tenant}, ${c.key}, ${c.version}, ${c.data}, ${c.refreshTokenExpiresAt})
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (${c.tenant}, ${c.key}) DO UPDATE SET ${c.version} = t.${c.version} WHERE t.${c.version} = $3
      RETURNING 1 AS ok`,
    setMatch: `UPDATE ${table} SET ${c.version} = $3, ${c.data} = $4, ${c.refreshTokenExpiresAt} = $5, ${c.updatedAt} = now()
      WHERE ${c.tenant} = $1 AND ${c.key} = $2 AND ${c.version} IN ($6, $3)
      RETURNING 1 AS ok`,
    delete: `DELETE FROM ${table} WHERE ${c.tenant} = $1 AND ${c.key} = $2`,
    // $3 owner, $4 TTL in ms. Taken when free, expired, or already ours (an earlier try of this same call).
    // A row left by another owner was an expired lease nobody released: the new holder takes it over.
    acquire: `WITH previous AS (SELECT ${c.owner} AS owner FROM ${leaseTable} WHERE ${c.tenant} = $1 AND ${c.key} = $2)
      INSERT INTO ${leaseTable} AS l (${c.tenant}, ${c.key}, ${c.owner}, ${c.expiresAt})
      VALUES ($1, $2, $3, ${expiry})
      ON CONFLICT (${c.tenant}, ${c.key}) DO UPDATE SET ${c.owner} = EXCLUDED.${c.owner}, ${c.expiresAt} = EXCLUDED.${c.expiresAt}
      WHERE l.${c.expiresAt} <= clock_timestamp() OR l.${c.owner} = EXCLUDED.${c.owner}
      RETURNING COALESCE((SELECT owner FROM previous) <> $3, false) AS took_over`,
    release: `DELETE FROM ${leaseTable} WHERE ${c.tenant} = $1 AND ${c.key} = $2 AND ${c.owner} = $3`,
    extend: `UPDATE ${leaseTable} SET ${c.expiresAt} = ${expiry}
      WHERE ${c.tenant} = $1 AND ${c.key} = $2 AND ${c.owner} = $3 AND ${c.expiresAt} > clock_timestamp()
      RETURNING 1 AS ok`,
    // $2 before, $3 limit; then $4/$5 the (expiry, key) to start after. Keyset paging over the due index.
    dueFirst: `SELECT ${c.key} AS key, ${c.refreshTokenExpiresAt} AS at FROM ${table}
      WHERE ${c.tenant} = $1 AND ${c.refreshTokenExpiresAt} < $2
      ORDER BY ${c.refreshTokenExpiresAt}, ${c.key} LIMIT $3`,
    dueAfter: `SELECT ${c.key} AS key, ${c.refreshTokenExpiresAt} AS at FROM ${table}
      WHERE ${c.tenant} = $1 AND ${c.refreshTokenExpiresAt} < $2 AND (${c.refreshTokenExpiresAt}, ${c.key}) > ($4, $5)
      ORDER BY ${c.refreshTokenExpiresAt}, ${c.key} LIMIT $3`,
  };
}

/**
 * A `TokenStore` on PostgreSQL, for apps that keep their users' Pinterest grants in the database they already run:
 * compare-and-set on a version column, a refresh lock that is an expiring lease row (never a transaction held across
 * the call to Pinterest), optional AES-256-GCM encryption at rest, a tenant column, configurable table and column
 * names, and `due()` for keep-alive over an index. Every operation is one statement on your pool; failures are
 * `PostgresStoreError`s (a core `TokenStoreError`) within `queryTimeoutMs`, never a hang.
 *
 * @example
 * ```ts
 * import { createTokenManager } from "@pintoken/core";
 * import { migratePostgresTokenStore, PostgresTokenStore } from "@pintoken/postgres";
 * import pg from "pg";
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migratePostgresTokenStore(pool);
 * const store = new PostgresTokenStore({ db: pool, secret: process.env.TOKEN_SECRET });
 * const manager = createTokenManager({ oauth, store, key: userId });
 * ```
 */
export class PostgresTokenStore implements TokenStore {
  readonly #db: PostgresQueryable;
  readonly #names: Names;
  readonly #sql: ReturnType<typeof statements>;
  readonly #tenant: string;
  readonly #timeoutMs: number;
  readonly #lockWaitMs: number | undefined;
  readonly #sealer: Sealer | undefined;
  #verified: Promise<void> | undefined;

  constructor(options: PostgresTokenStoreOptions) {
    if (typeof options?.db?.query !== "function") {
      throw new ConfigurationError(
        "PostgresTokenStore needs db: a pool or client with query(text, values), e.g. new pg.Pool({ connectionString }) from the pg package.",
      );
    }
    const { tenant = "", queryTimeoutMs, lockWaitMs } = options;
    if (typeof tenant !== "string" || tenant.includes("\0"))
      throw new ConfigurationError(`tenant must be a string without NUL characters, got ${typeof tenant}.`);
    this.#db = options.db;
    this.#names = resolveNames(options);
    this.#sql = statements(this.#names);
    this.#tenant = tenant;
    this.#timeoutMs = queryTimeoutMs === undefined ? 5_000 : milliseconds("queryTimeoutMs", queryTimeoutMs);
    this.#lockWaitMs = lockWaitMs === undefined ? undefined : milliseconds("lockWaitMs", lockWaitMs);
    this.#sealer =
      options.secret === undefined ? undefined : createSealer(options.secret, "token-store", { name: "secret" });
  }

  /**
   * Runs a statement, after checking once that the tables match the migration (a failed check is tried again on the
   * next call, so migrating while the app runs fixes it).
   */
  async #run(text: string, values: unknown[], ctx: QueryContext) {
    this.#verified ??= verifySchema(this.#db, this.#names, this.#timeoutMs).catch((error: unknown) => {
      this.#verified = undefined;
      throw error;
    });
    await this.#verified;
    return runQuery(this.#db, text, values, ctx);
  }

  #ctx(key: string, what: string): QueryContext {
    return { key, what, timeoutMs: this.#timeoutMs };
  }

  async get(key: string): Promise<StoredTokenSet | undefined> {
    const rows = await this.#run(this.#sql.get, [this.#tenant, checkKey(key)], this.#ctx(key, "read the token set"));
    const row = rows[0];
    if (!row) return undefined;
    return { tokenSet: await this.#decode(key, row.data), version: String(row.version) };
  }

  async #decode(key: string, data: unknown): Promise<TokenSet> {
    const unreadable = (why: string) =>
      new PostgresStoreError({
        key,
        operation: "read the token set",
        reason: "unreadable",
        detail: `the stored value ${why}. It was left as it is; a new sign-in replaces it.`,
      });
    try {
      return await openTokenSet(String(data), this.#sealer, this.#context(key));
    } catch (error) {
      throw unreadable((error as Error).message);
    }
  }

  /** The sealed value's authenticated context: tenant and key, so a value copied to another row does not open. */
  #context(key: string): string {
    return this.#tenant === "" ? key : `${this.#tenant}\0${key}`;
  }

  async set(key: string, tokenSet: TokenSet, options: SetOptions = {}): Promise<SetResult> {
    checkKey(key);
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
    const version = randomToken();
    const json = JSON.stringify(clean); // the token set's fields only
    const data = this.#sealer ? await this.#sealer.seal(json, this.#context(key)) : json;
    const dueAt = clean.refreshToken !== undefined ? (clean.refreshTokenExpiresAt ?? null) : null;
    const values = [this.#tenant, key, version, data, dueAt];
    const sql =
      ifVersion === undefined ? this.#sql.setAny : ifVersion === null ? this.#sql.setAbsent : this.#sql.setMatch;
    if (typeof ifVersion === "string") values.push(ifVersion);
    const rows = await this.#run(sql, values, this.#ctx(key, "save the token set"));
    return rows.length > 0 ? { ok: true, version } : { ok: false };
  }

  async delete(key: string): Promise<void> {
    await this.#run(this.#sql.delete, [this.#tenant, checkKey(key)], this.#ctx(key, "delete the token set"));
  }

  /**
   * Waits for, then holds, the lease on `key` for at most `ttlMs` (by the database's clock; it expires by itself if
   * the holder dies). Each attempt is one statement: no transaction or connection is held while the lease is. Waits at
   * most `lockWaitMs` (default twice `ttlMs`), then fails with `PostgresStoreError` (`lock_timeout`).
   */
  async lock(
    key: string,
    ttlMs: number,
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<PostgresTokenLock> {
    checkKey(key);
    const ttl = Math.ceil(milliseconds("ttlMs", ttlMs));
    const { signal } = options;
    const owner = randomToken();
    const waitMs = this.#lockWaitMs ?? 2 * ttl;
    const deadline = performance.now() + waitMs;
    const release = () => this.#run(this.#sql.release, [this.#tenant, key, owner], this.#ctx(key, "release the lease"));
    let tookOver = false;
    for (let poll = 5; ; poll = Math.min(poll * 2, 100)) {
      signal?.throwIfAborted();
      const taken = await this.#run(
        this.#sql.acquire,
        [this.#tenant, key, owner, ttl],
        this.#ctx(key, "take the lease"),
      );
      if (taken.length > 0) {
        tookOver = taken[0]?.took_over === true;
        if (signal?.aborted) {
          await release(); // granted after the caller stopped waiting: give it back at once
          signal.throwIfAborted();
        }
        break;
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new PostgresStoreError({
          key,
          operation: "take the lease",
          reason: "lock_timeout",
          detail: `another process held the lease for longer than ${waitMs} ms. Raise lockWaitMs if refreshes take that long; a holder that died lets its lease expire after its TTL.`,
        });
      }
      await sleep(Math.min(left, poll * (0.5 + Math.random() / 2)), signal);
    }
    return {
      tookOver,
      release: async () => {
        await release();
      },
      extend: async (extendMs: number) => {
        const ms = Math.ceil(milliseconds("ttlMs", extendMs));
        const rows = await this.#run(
          this.#sql.extend,
          [this.#tenant, key, owner, ms],
          this.#ctx(key, "extend the lease"),
        );
        return rows.length > 0;
      },
    };
  }

  /**
   * The keys of this tenant whose refresh token expires before `before` (epoch ms), by expiry then key (byte order),
   * `limit` at a time after `options.after`: one index range scan per page (see `TokenStore.due` in core).
   */
  async due(before: number, { limit, after }: DueOptions): Promise<DueEntry[]> {
    if (typeof before !== "number" || Number.isNaN(before))
      throw new ConfigurationError(`due() needs a time in epoch ms, got ${String(before)}.`);
    if (!Number.isInteger(limit) || limit < 1)
      throw new ConfigurationError(`due() needs a limit: a whole number ≥ 1, got ${String(limit)}.`);
    const bound = Math.min(Math.max(before, -8.64e15), 8.64e15); // the range of Date, inside bigint's
    const values: unknown[] = [this.#tenant, Math.ceil(bound), limit];
    if (after) values.push(after.refreshTokenExpiresAt, after.key);
    const rows = await this.#run(
      after ? this.#sql.dueAfter : this.#sql.dueFirst,
      values,
      this.#ctx("(due)", "list the due keys"),
    );
    return rows.map((row) => ({ key: String(row.key), refreshTokenExpiresAt: Number(row.at) }));
  }

  /** What the store shows when serialized: its tables and settings, never the pool, a token or a secret. */
  toJSON(): { table: string; leaseTable: string; tenant: string; encrypted: boolean } {
    return {
      table: this.#names.tableText,
      leaseTable: this.#names.leaseTableText,
      tenant: this.#tenant,
      encrypted: this.#sealer !== undefined,
    };
  }

  /** What `util.inspect` (and so `console.log`) shows in Node. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `PostgresTokenStore ${JSON.stringify(this.toJSON())}`;
  }
}
