import { type StoreFailure, TokenStoreError, type TokenStoreErrorReason } from "@pintoken/core";

/**
 * Why a {@link PostgresStoreError} happened:
 * - `timeout`: PostgreSQL did not answer within `queryTimeoutMs` (down, frozen, overloaded, or a lock held by
 *   something else on the table).
 * - `unavailable`: PostgreSQL could not be reached until the deadline (refused, reset, restarting), or its host is
 *   unknown.
 * - `rejected`: PostgreSQL refused the connection or the statement (wrong password, no such database or role,
 *   permissions), or the driver refused the connection string.
 * - `schema`: the tables are missing or do not match the migration (run `migratePostgresTokenStore()`).
 * - `unreadable`: a stored value is not a token set this store can read (corrupt, or encrypted with a secret that is
 *   not among `secret`). It is left untouched.
 * - `lock_timeout`: another holder kept the lease for longer than `lockWaitMs`.
 *
 * @example
 * ```ts
 * const reason: PostgresStoreErrorReason = "schema";
 * ```
 */
export type PostgresStoreErrorReason = Exclude<TokenStoreErrorReason, "unknown">;

/**
 * A `PostgresTokenStore` operation failed. It is a core `TokenStoreError` (`code: "store_error"`), so code that handles
 * store failures of any store handles it; `reason` tells what happened, and the message what to do. It never
 * contains a token, a stored value, a password or the encryption secret; `sqlState` is PostgreSQL's error code when
 * the server answered with one.
 *
 * @example
 * ```ts
 * try {
 *   await store.get("user-42");
 * } catch (error) {
 *   if (error instanceof PostgresStoreError && error.reason === "schema") await migratePostgresTokenStore(pool);
 * }
 * ```
 */
export class PostgresStoreError extends TokenStoreError {
  override name = "PostgresStoreError";
  declare readonly reason: PostgresStoreErrorReason;
  /** PostgreSQL's error code, when the server answered with one. */
  readonly sqlState: string | undefined;

  /** `detail` says what happened and what to do; `cause` is what `pg` threw, if anything. */
  constructor({
    key,
    operation,
    reason,
    detail,
    cause,
    sqlState,
  }: StoreFailure<PostgresStoreErrorReason> & { sqlState?: string | undefined }) {
    super(key, operation, cause, { reason });
    this.sqlState = sqlState;
    this.message = `The PostgreSQL token store failed to ${operation} for "${key}": ${detail}`;
  }
}
