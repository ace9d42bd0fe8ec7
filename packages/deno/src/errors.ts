import { PintokenError, type StoreFailure, TokenStoreError } from "@pintoken/core";
import { isBusy } from "./kv.ts";

/**
 * Why a {@link DenoKvStoreError} happened:
 * - `unavailable`: Deno KV could not be reached: the `Deno.Kv` was closed (`Database is closed`, `Bad resource ID`),
 *   or a remote KV's connection failed.
 * - `timeout`: another process kept the local KV file locked (`database is locked`) for longer than the store
 *   retries (10 s).
 * - `rejected`: Deno KV refused the call (a value or key too large, a value it cannot store).
 * - `unreadable`: what is stored under the key is not a token set (another program writes under this store's
 *   prefix). It is left as it is.
 * - `unknown`: Deno KV threw something else (see `cause`).
 *
 * @example
 * ```ts
 * const reason: DenoKvStoreErrorReason = "unavailable";
 * ```
 */
export type DenoKvStoreErrorReason = "unavailable" | "timeout" | "rejected" | "unreadable" | "unknown";

/**
 * A `DenoKvTokenStore` operation failed. It is a core `TokenStoreError` (`code: "store_error"`), so code that handles
 * the failures of any store handles it; `reason` says what happened, `operation` what the store was doing. The
 * message says what to do; it never contains a token or a stored value.
 *
 * @example
 * ```ts
 * try {
 *   await store.get("user-42");
 * } catch (error) {
 *   if (error instanceof DenoKvStoreError && error.reason === "unavailable") console.warn(error.message);
 * }
 * ```
 */
export class DenoKvStoreError extends TokenStoreError {
  override name = "DenoKvStoreError";
  declare readonly reason: DenoKvStoreErrorReason;

  /** `detail` says what happened and what to do; `cause` is what Deno KV threw, if anything. */
  constructor({ key, operation, reason, detail, cause }: StoreFailure<DenoKvStoreErrorReason>) {
    super(key, operation, cause, { reason });
    this.message = `The Deno KV token store failed to ${operation} for "${key}": ${detail}`;
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A closed `Deno.Kv` (a call in flight when it closed, or one made after), or a remote KV that cannot be reached. */
const unreachable =
  /database is closed|bad resource id|error sending request|failed to connect|connection (refused|reset)/i;
/** What Deno KV refuses to store (see its limits: 64 KiB per value, 2 KiB per key). */
const refused = /too large|could not be cloned|invalid (key|value)|unsupported/i;

/**
 * What Deno KV threw, as a {@link DenoKvStoreError} with its reason. The toolkit's own errors (a `ConfigurationError`
 * for a bad key, a store error already classified) and an abort's reason pass through as they are.
 */
export function kvStoreError(key: string, operation: string, error: unknown): unknown {
  if (error instanceof PintokenError) return error;
  const said = messageOf(error);
  if (isBusy(error))
    return new DenoKvStoreError({
      key,
      operation,
      reason: "timeout",
      detail: `another process kept the KV file locked for over 10 s (${said}). Look for a process stuck writing to it.`,
      cause: error,
    });
  if ((error as { name?: unknown })?.name === "BadResource" || unreachable.test(said))
    return new DenoKvStoreError({
      key,
      operation,
      reason: "unavailable",
      detail: `Deno KV could not be reached (${said}). Keep the Deno.Kv open while the store uses it (close() closes one that DenoKvTokenStore.open() opened); for a remote KV, check the connection.`,
      cause: error,
    });
  if (refused.test(said))
    return new DenoKvStoreError({
      key,
      operation,
      reason: "rejected",
      detail: `Deno KV refused it (${said}).`,
      cause: error,
    });
  return new DenoKvStoreError({ key, operation, reason: "unknown", detail: `Deno KV failed (${said}).`, cause: error });
}
