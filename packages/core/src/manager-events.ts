import type { OutcomeUnknownError, ReauthorizationReason, TokenStoreError } from "./errors.ts";

/**
 * What a token manager reports, e.g. to metrics or logs (see `onEvent`). Every event has the manager's `key`; none
 * carries a token (a `TokenStoreError` keeps rotated tokens on `tokenSet`, which is not enumerable: `JSON.stringify`
 * and `console.log` leave it out).
 *
 * - `lock-taken`: the store's refresh lock was taken after `waitedMs`; `tookOver` when its previous holder let it
 *   expire without releasing it (crashed, or lost the store while refreshing), as the store tells it.
 * - `lock-wait-ended`: while waiting for the lock, a fresh token set appeared in the store (another process
 *   refreshed): it is used, and no lock is taken.
 * - `lock-lost`: the lock ended while held: `refused` (the store says another holder has it) or `expired` (it could
 *   not be extended while the store was unreachable). The refresh goes on; compare-and-set keeps the newest tokens.
 * - `refresh-sent`: a refresh (or, for an app token, a client credentials grant) went to Pinterest.
 * - `refresh-answered`: Pinterest answered it (`status`), after `durationMs`.
 * - `refresh-outcome-unknown`: no answer can come any more (see `OutcomeUnknownError`); the session is kept.
 * - `refreshed`: new tokens, saved (or kept, see `store-error`); their expiry times and scopes.
 * - `store-error`: the store did not take rotated tokens; the manager keeps and uses them, and tries again after
 *   `retryInMs` (`attempt` counts the failed saves).
 * - `saved`: tokens kept in memory reached the store after all.
 * - `newer-tokens-found`: Pinterest rejected the refresh token because another process had already rotated it; its
 *   tokens, found in the store, are used (nobody is signed out).
 * - `reauthorization-required`: the user must authorize again; `reason` says why.
 *
 * @example
 * ```ts
 * createTokenManager({ oauth, store, onEvent: (event) => console.info("pintoken", event.type, event.key) });
 * ```
 */
export type TokenManagerEvent =
  | { readonly type: "lock-taken"; readonly key: string; readonly waitedMs: number; readonly tookOver?: boolean }
  | { readonly type: "lock-wait-ended"; readonly key: string; readonly waitedMs: number }
  | { readonly type: "lock-lost"; readonly key: string; readonly reason: "refused" | "expired" }
  | { readonly type: "refresh-sent"; readonly key: string; readonly grant: "refresh_token" | "client_credentials" }
  | { readonly type: "refresh-answered"; readonly key: string; readonly status: number; readonly durationMs: number }
  | { readonly type: "refresh-outcome-unknown"; readonly key: string; readonly error: OutcomeUnknownError }
  | {
      readonly type: "refreshed";
      readonly key: string;
      readonly expiresAt: number;
      readonly refreshTokenExpiresAt: number | undefined;
      readonly scopes: readonly string[];
    }
  | {
      readonly type: "store-error";
      readonly key: string;
      readonly error: TokenStoreError;
      readonly retryInMs: number;
      readonly attempt: number;
    }
  | { readonly type: "saved"; readonly key: string }
  | { readonly type: "newer-tokens-found"; readonly key: string }
  | { readonly type: "reauthorization-required"; readonly key: string; readonly reason: ReauthorizationReason };

/** An event as the manager's mechanisms emit it: the manager adds its key. */
export type UnkeyedEvent = TokenManagerEvent extends infer E ? (E extends unknown ? Omit<E, "key"> : never) : never;

/** Emits an event for the manager's key. */
export type Emit = (event: UnkeyedEvent) => void;
