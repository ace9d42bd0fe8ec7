import { type StoreFailure, TokenStoreError, type TokenStoreErrorReason } from "@pintoken/core";

/**
 * Why a {@link RedisStoreError} happened (core's `TokenStoreErrorReason`, as Redis gives them):
 * - `unavailable`: Redis could not be reached until the deadline (down, connection refused or lost and not back in
 *   time), or the client is closed.
 * - `timeout`: Redis was connected but did not answer within `commandTimeoutMs` (frozen, overloaded, or the network
 *   is partitioned).
 * - `rejected`: Redis answered with an error (e.g. `WRONGTYPE`: something else uses a key under the prefix).
 * - `unreadable`: the stored value is not a token set this store can read (corrupt, or encrypted with a secret that
 *   is not among `secret`). It is left untouched.
 * - `lock_timeout`: another holder kept the lock for longer than `lockWaitMs`.
 *
 * @example
 * ```ts
 * const reason: RedisStoreErrorReason = "timeout";
 * ```
 */
export type RedisStoreErrorReason = Exclude<TokenStoreErrorReason, "unknown">;

/**
 * A `RedisTokenStore` operation failed. It is a core `TokenStoreError` (`code: "store_error"`, the same `reason`), so
 * code that handles store failures of any store handles it. The message says what to do; it never contains a token, a
 * stored value or the encryption secret.
 *
 * @example
 * ```ts
 * try {
 *   await store.get("user-42");
 * } catch (error) {
 *   if (error instanceof RedisStoreError && error.reason === "timeout") console.warn(error.message);
 * }
 * ```
 */
export class RedisStoreError extends TokenStoreError {
  override name = "RedisStoreError";
  declare readonly reason: RedisStoreErrorReason;

  /** `detail` says what happened and what to do; `cause` is what node-redis threw, if anything. */
  constructor({ key, operation, reason, detail, cause }: StoreFailure<RedisStoreErrorReason>) {
    super(key, operation, cause, { reason });
    this.message = `The Redis token store failed to ${operation} for "${key}": ${detail}`;
  }
}
