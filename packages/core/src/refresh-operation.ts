/**
 * One refresh of one key, as the token manager runs it (in the key's queue): take the store's lock (or find that
 * someone else's fresh tokens made it unnecessary), re-read, refresh at Pinterest if still needed, confirm an invalid
 * grant with the store before believing it, and hand the new tokens to the outbox, which saves them.
 */
import type { PinterestOAuth } from "./client.ts";
import {
  OutcomeUnknownError,
  PinterestApiError,
  type ReauthorizationRequiredError,
  TokenStoreError,
} from "./errors.ts";
import { type PinterestScope, pinterestScopes } from "./generated/spec.gen.ts";
import type { Emit } from "./manager-events.ts";
import { type HeldLock, takeLock } from "./store-lock.ts";
import { type Current, holdsRetired, maxSaveRetryMs, type OutboxReporter, type TokenOutbox } from "./token-outbox.ts";
import type { TokenSet } from "./token-set.ts";
import type { TokenStore } from "./token-store.ts";
import { sleep } from "./wait.ts";

/** What of the OAuth client a token manager uses. */
export type ManagerOAuth = Pick<PinterestOAuth, "refresh" | "clientCredentials" | "revoke" | "clock"> &
  Partial<Pick<PinterestOAuth, "baseUrl" | "timeoutMs">>;

/** What a refresh works with: the manager's settings and mechanisms for one key. */
export interface RefreshContext {
  readonly store: TokenStore;
  readonly key: string;
  readonly oauth: ManagerOAuth;
  readonly lockTtlMs: number;
  readonly clock: () => number;
  readonly outbox: TokenOutbox;
  readonly emit: Emit;
  readonly reporter: OutboxReporter;
  /** What is current (the stored set, or kept rotated tokens). */
  readCurrent(): Promise<Current | undefined>;
  /** The error that tells callers to authorize again (and its event). */
  reauthorize(
    reason: ReauthorizationRequiredError["reason"],
    detail: string,
    cause?: unknown,
  ): ReauthorizationRequiredError;
}

/**
 * Refreshes `ctx.key` if `needed` says its current set needs it (checked again once the lock is held), and returns the
 * set to use: the new one, or one that someone else stored meanwhile.
 */
export async function refreshUnderLock(ctx: RefreshContext, needed: (set: TokenSet) => boolean): Promise<TokenSet> {
  const { store, key, lockTtlMs, emit, outbox } = ctx;
  // Kept tokens of this key may still hold the lock (waiting for the store): the refresh that replaces them takes it.
  const inherited = outbox.takeLock(key);
  const taken = inherited
    ? { lock: inherited }
    : await takeLock({
        store,
        key,
        ttlMs: lockTtlMs,
        emit,
        read: () => ctx.readCurrent(),
        done: (current) => current !== undefined && !needed(current.tokenSet),
        // A live holder may keep the lock longer than the store waits: wait on as long as a caller might.
        maxWaitMs: lockTtlMs + (ctx.oauth.timeoutMs ?? 10_000),
      });
  if ("found" in taken) return (taken.found as Current).tokenSet; // someone else refreshed while we waited
  const { lock } = taken;
  let saving = false;
  try {
    const current = await ctx.readCurrent();
    if (!current) throw ctx.reauthorize("signed-out", "nothing is stored (signed out, or never signed in)");
    const set = current.tokenSet;
    if (!needed(set)) return set;
    const next = await renew(ctx, set, current.retired, lock);
    if ("found" in next) return next.found;
    saving = true;
    const retired = [...(set.refreshToken ? [set.refreshToken] : []), ...current.retired];
    const outcome = await outbox.save(
      key,
      { tokenSet: next.tokenSet, replaces: current.version, retired },
      lock,
      ctx.reporter,
    );
    const { expiresAt, refreshTokenExpiresAt, scopes } = outcome.tokenSet;
    if (outcome.kind !== "superseded") emit({ type: "refreshed", expiresAt, refreshTokenExpiresAt, scopes });
    return outcome.tokenSet;
  } finally {
    if (!saving) await lock.release(); // the outbox releases it once the tokens are saved
  }
}

/**
 * Asks Pinterest for new tokens for `set`: a client credentials grant for an app token, else a refresh. Within a
 * lock without `extend`, retries and the wait for the answer stay within the lock's time left. An invalid grant is
 * confirmed with the store first (`found`: another process had rotated the token, and its tokens are used).
 */
async function renew(
  ctx: RefreshContext,
  set: TokenSet,
  retired: readonly string[],
  lock: HeldLock,
): Promise<{ tokenSet: TokenSet } | { found: TokenSet }> {
  const { oauth, emit, clock } = ctx;
  // Without lock extension, nothing may outlast the lock (a tenth of it is left for saving the result).
  const bound = lock.exists && !lock.extendable ? lock.timeLeft() - ctx.lockTtlMs / 10 : undefined;
  if (bound !== undefined && bound <= 0)
    throw new TokenStoreError(ctx.key, "hold the refresh lock", new Error("it ran out before the refresh was sent"), {
      reason: "lock_timeout",
    });
  const sentAt = Date.now();
  const answered = (status: number) => emit({ type: "refresh-answered", status, durationMs: Date.now() - sentAt });
  if (set.responseType === "client_credentials") {
    // An app token: a new client credentials grant, for the scopes this version knows.
    const scopes = set.scopes.filter((s): s is PinterestScope => (pinterestScopes as readonly string[]).includes(s));
    emit({ type: "refresh-sent", grant: "client_credentials" });
    const tokenSet = await oauth.clientCredentials({ scopes, maxElapsedMs: bound });
    answered(200);
    return { tokenSet };
  }
  const { refreshToken, refreshTokenExpiresAt = Infinity } = set;
  if (!refreshToken) throw ctx.reauthorize("no-refresh-token", "the stored token set has no refresh token");
  if (refreshTokenExpiresAt <= clock())
    throw ctx.reauthorize(
      "refresh-token-expired",
      `the refresh token expired at ${new Date(refreshTokenExpiresAt).toISOString()}`,
    );
  emit({ type: "refresh-sent", grant: "refresh_token" });
  try {
    const tokenSet = await oauth.refresh({ refreshToken, previous: set, maxElapsedMs: bound, answerTimeoutMs: bound });
    answered(200);
    return { tokenSet };
  } catch (error) {
    if (error instanceof PinterestApiError) answered(error.status);
    if (error instanceof OutcomeUnknownError) emit({ type: "refresh-outcome-unknown", error });
    if (!(error instanceof PinterestApiError && error.isInvalidGrant)) throw error;
    const found = await newerInStore(ctx, [refreshToken, ...retired], lock);
    if (found) {
      emit({ type: "newer-tokens-found" });
      return { found };
    }
    throw ctx.reauthorize(
      "invalid-grant",
      "Pinterest rejected the refresh token (invalid, revoked or expired), and the store holds nothing newer",
      error,
    );
  }
}

/**
 * After Pinterest rejected the refresh token: a set in the store that holds none of the `retired` refresh tokens, if
 * one appears. Another process may have rotated the token and be about to save (or still be saving, if it lost the
 * store and its lock meanwhile). With a lock taken from a holder that released it (`tookOver` false), one answer of
 * the store settles it; with a lock taken over, or a store that cannot tell, the store is watched for up to the lock's
 * TTL; without locks, for a second. The store must answer: one that cannot be read throws its `TokenStoreError`, never
 * a verdict that signs the user out.
 */
async function newerInStore(
  ctx: RefreshContext,
  retired: readonly string[],
  lock: HeldLock,
): Promise<TokenSet | undefined> {
  const windowMs = !lock.exists ? 1_000 : lock.tookOver === false ? 0 : ctx.lockTtlMs + maxSaveRetryMs;
  const until = Date.now() + windowMs;
  for (let pollMs = 100; ; pollMs = Math.min(pollMs * 2, 1_000)) {
    const read = await ctx.readCurrent().then(
      (current) => ({ current }),
      (error: unknown) => ({ error }),
    );
    if ("current" in read && read.current && !holdsRetired(read.current.tokenSet, retired))
      return read.current.tokenSet;
    if (Date.now() >= until) {
      if ("error" in read) throw read.error;
      return undefined;
    }
    await sleep(pollMs);
  }
}
