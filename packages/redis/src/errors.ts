import { TokenStoreError } from "@pintoken/core";

/**
 * Why a {@link RedisStoreError} happened:
 * - `timeout`: Redis did not answer within `commandTimeoutMs` (down, frozen, or the network is partitioned).
 * - `unavailable`: Redis could not be reached until the deadline (connection refused or lost), or the client is
 *   closed.
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
export type RedisStoreErrorReason = "timeout" | "unavailable" | "rejected" | "unreadable" | "lock_timeout";

/**
 * A `RedisTokenStore` operation failed. It is a core `TokenStoreError` (`code: "store_error"`), so code that handles
 * store failures of any store handles it; `reason` tells what happened. The message says what to do; it never
 * contains a token, a stored value or the encryption secret.
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
  readonly reason: RedisStoreErrorReason;

  constructor(key: string, what: string, reason: RedisStoreErrorReason, detail: string, cause?: unknown) {
    super(key, what, cause);
    this.reason = reason;
    this.message = `The Redis token store failed to ${what} for "${key}": ${detail}`;
  }
}
