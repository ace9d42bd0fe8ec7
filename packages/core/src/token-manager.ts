import type { PinterestOAuth } from "./client.ts";
import { callable, need } from "./client-options.ts";
import { PinterestApiError, ReauthorizationRequiredError, TokenStoreError } from "./errors.ts";
import { apiBaseUrl, type PinterestScope, pinterestScopes } from "./generated/spec.gen.ts";
import { type Current, createPersistence, stillNewer } from "./manager-persist.ts";
import {
  dropUnsaved,
  exclusive,
  existingState,
  type HeldLock,
  run,
  stateOf,
  takeLock,
  untilAborted,
  withStoreRetries,
} from "./manager-state.ts";
import { isTransient, sleep } from "./retry.ts";
import type { TokenSet } from "./token-set.ts";
import type { StoredTokenSet, TokenStore } from "./token-store.ts";

/**
 * What a token manager reports, e.g. to metrics or logs (see `onEvent`). Tokens appear only in `tokenSet`.
 *
 * - `refreshed`: new tokens from Pinterest, saved (or kept in memory, see `store-error`).
 * - `store-error`: the store could not take rotated tokens; the manager keeps and uses them, and tries again after
 *   `retryInMs`.
 * - `saved`: tokens kept in memory reached the store after all.
 * - `lock-lost`: the store said the refresh lock was lost while held (the store re-read decides what is current).
 *
 * @example
 * ```ts
 * createTokenManager({ oauth, store, onEvent: (event) => console.info("pintoken", event.type, event.key) });
 * ```
 */
export type TokenManagerEvent =
  | { readonly type: "refreshed"; readonly key: string; readonly tokenSet: TokenSet }
  | { readonly type: "store-error"; readonly key: string; readonly error: TokenStoreError; readonly retryInMs: number }
  | { readonly type: "saved"; readonly key: string; readonly tokenSet: TokenSet }
  | { readonly type: "lock-lost"; readonly key: string };

/**
 * Options of {@link createTokenManager}.
 *
 * @example
 * ```ts
 * const manager = createTokenManager({
 *   oauth,
 *   store: new MemoryTokenStore(),
 *   key: `user:${userId}`,
 *   refreshWindowMs: 10 * 60_000,
 *   onEvent: (event) => console.info("pintoken", event.type, event.key),
 * });
 * ```
 */
export interface TokenManagerOptions {
  /** The client that refreshes (and revokes) tokens. Its `baseUrl` is the API origin that gets the bearer token. */
  oauth: Pick<PinterestOAuth, "refresh" | "clientCredentials" | "revoke" | "clock"> &
    Partial<Pick<PinterestOAuth, "baseUrl">>;
  /** Where the token set lives. A store with `lock` makes refreshes happen once across processes. */
  store: TokenStore;
  /** The store key of this token set, e.g. a user id. Default `"default"`. */
  key?: string | undefined;
  /**
   * Refresh when the access token expires within this many ms. Default 5 minutes. For a token that lives shorter
   * than twice the window, half its lifetime is used instead, so it is refreshed once, not on every call.
   */
  refreshWindowMs?: number | undefined;
  /**
   * TTL of the cross-process refresh lock. A store whose lock has `extend` keeps it for as long as the refresh runs
   * (pushed back every third of the TTL); otherwise retries stop in time for the refresh to end within it.
   * Default 60 s.
   */
  lockTtlMs?: number | undefined;
  /** Current time in epoch ms. Default: the oauth client's clock. */
  clock?: (() => number) | undefined;
  /**
   * Called when the store fails to take freshly rotated tokens (`error.tokenSet` holds them). The manager keeps them
   * in memory, uses them, and saves them when the store is back; callers still get their access token. Without this
   * and without `onEvent`, the error's message is written to `console.error`.
   */
  onStoreError?: ((error: TokenStoreError) => void) | undefined;
  /** Called with every {@link TokenManagerEvent}. */
  onEvent?: ((event: TokenManagerEvent) => void) | undefined;
}

/**
 * Options of the manager's calls that may refresh.
 *
 * @example
 * ```ts
 * const accessToken = await manager.getAccessToken({ signal: request.signal });
 * ```
 */
export interface GetTokenOptions {
  /** Stops waiting (the shared refresh itself goes on for the other callers). */
  signal?: AbortSignal | undefined;
}

/**
 * Options of {@link TokenManager.refresh}.
 *
 * @example
 * ```ts
 * // The API rejected `accessToken` with a 401: refresh, unless another caller already did.
 * const fresh = await manager.refresh({ ifAccessToken: accessToken });
 * ```
 */
export interface ForceRefreshOptions extends GetTokenOptions {
  /**
   * Refresh only if this is still the current access token (it was just rejected with a 401). If another refresh
   * has replaced it with a token that has not expired, that token set is returned without another refresh.
   */
  ifAccessToken?: string | undefined;
}

/**
 * Keeps one token set valid; see {@link createTokenManager}.
 *
 * @example
 * ```ts
 * const manager: TokenManager = createTokenManager({ oauth, store, key: userId });
 * const accessToken = await manager.getAccessToken();
 * ```
 */
export interface TokenManager {
  /** The store key this manager works on. */
  readonly key: string;
  /**
   * The API base URL of the manager's client (set by `createTokenManager`): requests to its origin get the bearer
   * token. A manager without one stands for `https://api.pinterest.com/v5`.
   */
  readonly apiBaseUrl?: string;
  /** A valid access token, refreshed first if it expires within the refresh window. */
  getAccessToken(options?: GetTokenOptions): Promise<string>;
  /** The whole valid token set, refreshed first if needed. */
  getTokenSet(options?: GetTokenOptions): Promise<TokenSet>;
  /** What is current now (stored, or rotated and not yet saved), without refreshing; undefined when signed out. */
  peek(): Promise<TokenSet | undefined>;
  /**
   * Refreshes now, however fresh the current token, and returns the new set. Calls made while a refresh runs share
   * it. With `ifAccessToken`, refreshes only if that token is still current (see {@link ForceRefreshOptions}).
   */
  refresh(options?: ForceRefreshOptions): Promise<TokenSet>;
  /** Stores a new token set, e.g. the result of `exchangeCode()`. */
  save(tokenSet: TokenSet): Promise<void>;
  /**
   * Signs out: waits for a refresh under way (and takes the store's lock), revokes the newest refresh token at
   * Pinterest, and deletes the set from the store.
   */
  revoke(options?: GetTokenOptions): Promise<void>;
}

function checkOptions(options: TokenManagerOptions): void {
  const { oauth, store, key } = options ?? ({} as TokenManagerOptions);
  need(typeof oauth?.refresh === "function", "createTokenManager needs oauth: the client from createPinterestOAuth().");
  need(
    typeof store?.get === "function" && typeof store.set === "function",
    "createTokenManager needs store: a TokenStore such as new MemoryTokenStore().",
  );
  need(key === undefined || (typeof key === "string" && key), "key must be a non-empty string, e.g. the user's id.");
  for (const name of ["refreshWindowMs", "lockTtlMs"] as const) {
    const value = options[name];
    const lock = name === "lockTtlMs";
    need(
      value === undefined || (typeof value === "number" && (lock ? value > 0 : value >= 0)),
      `${name} must be a number of milliseconds ${lock ? ">" : "≥"} 0, got ${String(value)}.`,
    );
  }
  for (const name of ["onStoreError", "onEvent", "clock"] as const) callable(name, options[name]);
}

/**
 * Keeps a user's (or the app's) token set valid. `getAccessToken()` refreshes when the access token expires within
 * the window; concurrent callers share one refresh (single flight); the rotated refresh token is written to the
 * store before anyone gets the new access token; a failed refresh leaves the stored tokens as they were. With a
 * store that can lock, this holds across processes too. If the store cannot take rotated tokens, the manager keeps
 * them in memory, uses them, saves them when the store is back, and reports it (`onStoreError`, `onEvent`).
 *
 * @example
 * ```ts
 * const manager = createTokenManager({ oauth, store: new MemoryTokenStore(), key: userId });
 * await manager.save(await oauth.exchangeCode({ code }));
 * const accessToken = await manager.getAccessToken();
 * ```
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  checkOptions(options);
  const { oauth, store, onStoreError, onEvent } = options;
  const key = options.key ?? "default";
  const refreshWindowMs = options.refreshWindowMs ?? 5 * 60_000;
  const lockTtlMs = options.lockTtlMs ?? 60_000;
  const clock = options.clock ?? oauth.clock ?? (() => Date.now());

  function emit(event: TokenManagerEvent): void {
    onEvent?.(event);
    if (event.type !== "store-error") return;
    if (onStoreError) onStoreError(event.error);
    else if (!onEvent) console.error(event.error.message);
  }

  /** Fresh: expires later than the window, which never exceeds half the token's lifetime. */
  function isFresh(tokenSet: TokenSet): boolean {
    const lifetime =
      tokenSet.issuedAt === undefined ? Number.POSITIVE_INFINITY : tokenSet.expiresAt - tokenSet.issuedAt;
    return tokenSet.expiresAt - clock() > Math.min(refreshWindowMs, lifetime / 2);
  }

  const load = (unsaved?: TokenSet) => withStoreRetries(key, "read the token set", () => store.get(key), unsaved);

  /** The current set: the stored one, unless this process holds rotated tokens the store has not taken yet. */
  async function readCurrent(): Promise<Current | undefined> {
    let stored: StoredTokenSet | undefined;
    try {
      stored = await load();
    } catch (error) {
      const unsaved = existingState(store, key)?.unsaved;
      if (unsaved) return unsaved;
      throw error;
    }
    const state = existingState(store, key);
    const unsaved = state?.unsaved;
    if (unsaved && stillNewer(unsaved, stored)) return { ...unsaved, version: (stored as StoredTokenSet).version };
    if (state && unsaved) dropUnsaved(store, key, state); // saved by now, replaced by a new sign-in, or signed out
    return stored && { ...stored, rotatedAway: [] };
  }

  const { persist } = createPersistence({ store, key, load, emit });

  const signedOut = () =>
    new ReauthorizationRequiredError(key, "nothing is stored under this key (signed out, or never signed in)");

  /** Asks Pinterest for a new token set: a refresh, or for app tokens a new client credentials grant. */
  async function renew(current: TokenSet, lock: HeldLock | undefined): Promise<TokenSet> {
    // Without lock extension, no retry may outlast the lock (a tenth of it is left for saving the result).
    const maxElapsedMs = lock && !lock.extended ? lock.remainingMs() - lockTtlMs / 10 : undefined;
    if (current.responseType === "client_credentials") {
      const scopes = current.scopes.filter((s): s is PinterestScope =>
        (pinterestScopes as readonly string[]).includes(s),
      );
      return oauth.clientCredentials({ scopes, maxElapsedMs });
    }
    if (!current.refreshToken) throw new ReauthorizationRequiredError(key, "the stored token set has no refresh token");
    if (current.refreshTokenExpiresAt !== undefined && current.refreshTokenExpiresAt <= clock()) {
      throw new ReauthorizationRequiredError(
        key,
        `the refresh token expired at ${new Date(current.refreshTokenExpiresAt).toISOString()}`,
      );
    }
    try {
      return await oauth.refresh({ refreshToken: current.refreshToken, previous: current, maxElapsedMs });
    } catch (error) {
      if (error instanceof PinterestApiError && error.isInvalidGrant) {
        throw new ReauthorizationRequiredError(
          key,
          "Pinterest rejected the refresh token (invalid, revoked or expired)",
          { cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * After Pinterest rejected the refresh token: has another process rotated it meanwhile? (Without a lock, or with a
   * lost one, two processes can use one refresh token at once; Pinterest honours one.) Re-reads the store, waiting
   * briefly for the winner's tokens to land, and returns them.
   */
  async function rotatedElsewhere(used: Current, lock: HeldLock | undefined): Promise<TokenSet | undefined> {
    const dead = [used.tokenSet.refreshToken, ...used.rotatedAway];
    const attempts = lock && lock.remainingMs() > 0 ? 1 : 6;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const now = await store.get(key).catch(() => undefined);
      if (now && !dead.includes(now.tokenSet.refreshToken)) return now.tokenSet;
      if (attempt < attempts - 1) await sleep(25 * 2 ** attempt);
    }
    return undefined;
  }

  /** One refresh: lock, re-read, refresh if still needed, save, release. */
  async function refreshOnce(ifAccessToken: string | undefined): Promise<TokenSet> {
    const lock = await takeLock(store, key, lockTtlMs, () => emit({ type: "lock-lost", key }));
    try {
      const current = await readCurrent();
      if (!current) throw signedOut();
      const set = current.tokenSet;
      const replaced = set.accessToken !== ifAccessToken && set.expiresAt > clock();
      if (ifAccessToken === undefined ? isFresh(set) : replaced) return set;
      let next: TokenSet;
      try {
        next = await renew(set, lock);
      } catch (error) {
        const winner =
          error instanceof ReauthorizationRequiredError ? await rotatedElsewhere(current, lock) : undefined;
        if (winner) return winner;
        throw error;
      }
      await persist(current, next);
      emit({ type: "refreshed", key, tokenSet: next });
      return next;
    } finally {
      await lock?.release();
    }
  }

  /**
   * Joins the refresh under way for this store and key, or starts one. A refresh that ends with `ifAccessToken` (it
   * was for an older token) does not count: another one is started for this caller.
   */
  async function sharedRefresh(ifAccessToken: string | undefined): Promise<TokenSet> {
    const state = stateOf(store, key);
    for (let joined = 0; ; ) {
      if (state.refreshing && joined < 2) {
        joined++;
        const result = await state.refreshing;
        if (ifAccessToken === undefined || result.accessToken !== ifAccessToken) return result;
      } else if (state.busy) {
        await state.busy.catch(() => undefined);
      } else {
        return run(store, key, state, () => refreshOnce(ifAccessToken), true);
      }
    }
  }

  async function getTokenSet(opts: GetTokenOptions = {}): Promise<TokenSet> {
    const current = await untilAborted(readCurrent(), opts.signal);
    if (!current) throw signedOut();
    if (isFresh(current.tokenSet)) return current.tokenSet;
    try {
      return await untilAborted(sharedRefresh(undefined), opts.signal);
    } catch (error) {
      // A passing failure while the current token is still valid: use it, and refresh on a later call.
      if ((isTransient(error) || error instanceof TokenStoreError) && current.tokenSet.expiresAt > clock())
        return current.tokenSet;
      throw error;
    }
  }

  return {
    key,
    apiBaseUrl: oauth.baseUrl ?? apiBaseUrl,
    getTokenSet,
    async getAccessToken(opts) {
      return (await getTokenSet(opts)).accessToken;
    },
    async peek() {
      return (await readCurrent())?.tokenSet;
    },
    async refresh(opts = {}) {
      const target = opts.ifAccessToken ?? (await untilAborted(readCurrent(), opts.signal))?.tokenSet.accessToken;
      if (target === undefined) throw signedOut();
      return untilAborted(sharedRefresh(target), opts.signal);
    },
    async save(tokenSet) {
      need(
        typeof tokenSet?.accessToken === "string" && typeof tokenSet.expiresAt === "number",
        "save() needs a TokenSet, e.g. the result of oauth.exchangeCode().",
      );
      await withStoreRetries(key, "save the token set", () => store.set(key, tokenSet), tokenSet);
    },
    revoke(opts = {}) {
      return exclusive(store, key, async () => {
        const lock = await takeLock(store, key, lockTtlMs, () => emit({ type: "lock-lost", key }));
        try {
          const current = await readCurrent();
          if (!current) return;
          dropUnsaved(store, key, stateOf(store, key));
          const { refreshToken, accessToken } = current.tokenSet;
          let failure: unknown;
          try {
            await oauth.revoke(
              refreshToken
                ? { token: refreshToken, tokenTypeHint: "refresh_token", signal: opts.signal }
                : { token: accessToken, tokenTypeHint: "access_token", signal: opts.signal },
            );
          } catch (error) {
            if (!(error instanceof PinterestApiError && error.isInvalidGrant)) failure = error;
          }
          await withStoreRetries(key, "delete the token set", () => store.delete(key));
          if (failure) throw failure;
        } finally {
          await lock?.release();
        }
      });
    },
  };
}
