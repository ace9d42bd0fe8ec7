/**
 * Keep-alive's step for one account: read what is current, and if it is still due, refresh it once through a token
 * manager (under the store's lock, saved by compare-and-set before anything else), telling a refresh done here from
 * one done by someone else meanwhile; a dead grant is retired in the store so that it is reported once.
 */
import { PinterestApiError, ReauthorizationRequiredError } from "./errors.ts";
import type { RateGate } from "./rate-gate.ts";
import { createTokenManager, type TokenManagerEvent, type TokenManagerOptions } from "./token-manager.ts";
import type { TokenStore } from "./token-store.ts";

/**
 * What became of one account in a run:
 * - `refreshed`: this run refreshed it; its new refresh token lives another 60 days.
 * - `already-fresh`: nothing to do (someone refreshed it since it was listed, in this process or another).
 * - `reauthorization-required`: its grant is dead (revoked, or expired). Reported once: the run marks the stored set's
 *   refresh token as expired, so no later run, and no token manager, asks Pinterest again. Its owner must connect the
 *   account again; the access token keeps working until it expires.
 * - `transient`: Pinterest or the store failed for now (network, 5xx, 429 after the run's own retries); the next run
 *   tries again.
 * - `unsaved`: refreshed, but the store did not take the rotated tokens before the run ended. The `account` event
 *   carries them (`error.tokenSet`): save them, or the account is lost.
 * - `signed-out`: it was deleted since it was listed.
 *
 * @example
 * ```ts
 * const outcome: KeepAliveOutcome = "refreshed";
 * ```
 */
export type KeepAliveOutcome =
  | "refreshed"
  | "already-fresh"
  | "reauthorization-required"
  | "transient"
  | "unsaved"
  | "signed-out";

/** What one account's step needs from its run. */
export interface AccountContext {
  readonly oauth: TokenManagerOptions["oauth"];
  readonly store: TokenStore;
  readonly clock: () => number;
  /** Refresh only if the refresh token expires before this (epoch ms). */
  readonly before: number;
  readonly gate: RateGate;
  readonly saveWaitMs: number;
  readonly signal: AbortSignal | undefined;
  readonly lockTtlMs: number | undefined;
}

/** The outcome of one account's step; `rateLimited` when Pinterest answered 429 (try it again later in the run). */
export interface AccountResult {
  readonly outcome: KeepAliveOutcome;
  readonly expiresAt?: number | undefined;
  readonly error?: unknown;
  readonly rateLimited?: { readonly retryAfterMs: number; readonly ratePerSecond: number };
}

/** One account, once: peek, then refresh under the lock unless someone already did. */
export async function keepAccount(key: string, ctx: AccountContext): Promise<AccountResult> {
  const { oauth, store, clock, before, gate, saveWaitMs, signal, lockTtlMs } = ctx;
  let refreshedHere = false;
  let unsaved: TokenManagerEvent | undefined;
  let saved: (() => void) | undefined;
  const savedAgain = new Promise<void>((resolve) => {
    saved = resolve;
  });
  const manager = createTokenManager({
    oauth,
    store,
    key,
    clock,
    ...(lockTtlMs === undefined ? {} : { lockTtlMs }),
    onEvent(event) {
      if (event.type === "refreshed") refreshedHere = true;
      else if (event.type === "store-error") unsaved = event;
      else if (event.type === "saved") saved?.();
    },
  });
  let current: Awaited<ReturnType<typeof manager.peek>>;
  try {
    current = await manager.peek();
  } catch (error) {
    return { outcome: "transient", error };
  }
  if (!current) return { outcome: "signed-out" };
  if (current.refreshTokenExpiresAt === undefined || current.refreshTokenExpiresAt >= before)
    return { outcome: "already-fresh" };
  await gate.wait(signal);
  try {
    const next = await manager.refresh({ ifAccessToken: current.accessToken });
    gate.succeeded();
    if (!refreshedHere) return { outcome: "already-fresh" };
    if (unsaved && !(await within(savedAgain, saveWaitMs))) {
      // The store failed after Pinterest rotated the token, and it did not land in time: hand the tokens over.
      return { outcome: "unsaved", error: (unsaved as { error: unknown }).error };
    }
    return { outcome: "refreshed", expiresAt: next.refreshTokenExpiresAt };
  } catch (error) {
    if (error instanceof ReauthorizationRequiredError) {
      const stored = await store.get(key).catch(() => undefined);
      if (!stored) return { outcome: "signed-out" };
      await retire(ctx, key, current.refreshToken);
      return { outcome: "reauthorization-required", error };
    }
    if (error instanceof PinterestApiError && error.status === 429) {
      gate.backOff(error.retryAfterMs);
      const rateLimited = { retryAfterMs: error.retryAfterMs ?? 1_000, ratePerSecond: gate.ratePerSecond };
      return { outcome: "transient", error, rateLimited };
    }
    return { outcome: "transient", error };
  }
}

/** Whether `promise` settles within `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const landed = await Promise.race([
    promise.then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return landed;
}

/**
 * A dead grant is remembered in the store itself: its refresh token is marked expired now (compare-and-set, only while
 * the set still holds that dead token), so later runs do not list it and no manager sends it to Pinterest.
 */
async function retire({ store, clock }: AccountContext, key: string, deadRefreshToken: string | undefined) {
  const stored = await store.get(key).catch(() => undefined);
  if (!stored || stored.tokenSet.refreshToken !== deadRefreshToken) return; // replaced meanwhile: keep it
  const now = clock();
  const { refreshTokenExpiresAt = now } = stored.tokenSet;
  if (refreshTokenExpiresAt <= now) return;
  await store
    .set(key, { ...stored.tokenSet, refreshTokenExpiresAt: now }, { ifVersion: stored.version })
    .catch(() => undefined); // not marked: the next run asks Pinterest once more, and reports it again
}
