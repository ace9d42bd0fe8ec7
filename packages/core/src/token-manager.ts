import { callable, ms, need } from "./client-options.ts";
import { PinterestApiError, PinterestTimeoutError, ReauthorizationRequiredError, TokenStoreError } from "./errors.ts";
import { apiBaseUrl } from "./generated/spec.gen.ts";
import { KeyQueue } from "./key-queue.ts";
import type { Emit, TokenManagerEvent } from "./manager-events.ts";
import { type ManagerOAuth, type RefreshContext, refreshUnderLock } from "./refresh-operation.ts";
import { isTransient } from "./retry.ts";
import { storeCall } from "./store-call.ts";
import { holdLock } from "./store-lock.ts";
import { type Current, TokenOutbox } from "./token-outbox.ts";
import type { TokenSet } from "./token-set.ts";
import type { StoredTokenSet, TokenStore } from "./token-store.ts";
import { waitFor } from "./wait.ts";

export type { TokenManagerEvent } from "./manager-events.ts";

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
  /**
   * The client that refreshes (and revokes) tokens. Its `baseUrl` is the API origin that gets the bearer token; its
   * `timeoutMs` is how long callers wait for a refresh (which goes on without them).
   */
  oauth: ManagerOAuth;
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
   * (pushed back every third of the TTL); otherwise retries and the wait for Pinterest's answer stop in time for the
   * refresh to end within it. It also bounds how long an invalid grant is checked against the store when the lock was
   * taken over from a holder that vanished (see the README). Default 60 s.
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
  /** Called with every {@link TokenManagerEvent} (what it throws is ignored). */
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
  /** Stops this caller's wait (the refresh itself goes on, and its tokens are saved). */
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
  /**
   * A valid access token, refreshed first if it expires within the refresh window. A caller waits for a refresh at
   * most the client's `timeoutMs`; then (as after any passing failure) it gets the current token while it is still
   * valid, or the error. The refresh goes on, and its tokens are saved when they come.
   */
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
   * Pinterest, and deletes the set from the store. The caller's signal stops its wait, not the sign-out.
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
  for (const name of ["refreshWindowMs", "lockTtlMs"] as const)
    if (options[name] !== undefined) ms(name, options[name], name === "lockTtlMs");
  for (const name of ["onStoreError", "onEvent", "clock"] as const) callable(name, options[name]);
}

/**
 * What the managers of one store object share, on purpose: its per-key queue (so a manager made per request, as the
 * Next.js adapter does, joins a refresh under way instead of starting its own) and its outbox of rotated tokens the
 * store has not taken yet (so every manager uses them). Managers on different store objects share nothing, even over
 * one database: they coordinate through the store's lock and compare-and-set, as processes do. Gone with the store.
 */
const sharedByStore = new WeakMap<TokenStore, { readonly queue: KeyQueue; readonly outbox: TokenOutbox }>();

/** The queue and outbox shared by the managers of `store` (see `sharedByStore`). */
export function sharedState(store: TokenStore): { readonly queue: KeyQueue; readonly outbox: TokenOutbox } {
  let state = sharedByStore.get(store);
  if (!state) {
    const queue = new KeyQueue();
    state = { queue, outbox: new TokenOutbox(store, queue) };
    sharedByStore.set(store, state);
  }
  return state;
}

/**
 * Keeps a user's (or the app's) token set valid. `getAccessToken()` refreshes when the access token expires within
 * the window; concurrent callers share one refresh (single flight); the rotated refresh token is written to the
 * store before anyone gets the new access token; a failed refresh leaves the stored tokens as they were. With a
 * store that can lock, this holds across processes too. A refresh request once sent is never abandoned: its answer,
 * however late, is saved. If the store cannot take rotated tokens, the manager keeps them in memory, uses them, saves
 * them when the store is back, and reports it (`onStoreError`, `onEvent`). Managers on the same store object share
 * their refreshes and kept tokens; see the README for every guarantee and every error a caller can see.
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
  const {
    oauth,
    store,
    onStoreError,
    onEvent,
    key = "default",
    refreshWindowMs = 300_000,
    lockTtlMs = 60_000,
  } = options;
  const clock = options.clock ?? oauth.clock ?? (() => Date.now());
  const waitMs = oauth.timeoutMs ?? 10_000;
  const { queue, outbox } = sharedState(store);

  const emit: Emit = (event) => {
    try {
      onEvent?.({ ...event, key } as TokenManagerEvent);
    } catch {} // a failing listener must not fail a refresh
  };
  const report = (error: TokenStoreError) => {
    if (onStoreError) onStoreError(error);
    else if (!onEvent) console.error(error.message);
  };
  const reauthorize: RefreshContext["reauthorize"] = (reason, detail, cause) => {
    emit({ type: "reauthorization-required", reason });
    return new ReauthorizationRequiredError(key, detail, { reason, cause });
  };
  /** Revokes a token set at Pinterest: its refresh token (which ends the grant), else its access token. */
  const revokeAtPinterest = ({ refreshToken, accessToken }: TokenSet) =>
    oauth.revoke({
      token: refreshToken || accessToken,
      tokenTypeHint: refreshToken ? "refresh_token" : "access_token",
    });

  /** What is current: the stored set, unless this process keeps rotated tokens that are newer. */
  async function readCurrent(): Promise<Current | undefined> {
    let stored: StoredTokenSet | undefined | null = null; // null: the store could not be read
    try {
      stored = await storeCall({ key, operation: "read the token set" }, () => store.get(key));
    } catch (error) {
      if (!outbox.has(key)) throw error;
    }
    return outbox.current(key, stored) ?? undefined;
  }

  /** Fresh: expires later than the window, which never exceeds half the token's lifetime. */
  const isFresh = ({ expiresAt, issuedAt }: TokenSet) =>
    expiresAt - clock() > Math.min(refreshWindowMs, (expiresAt - (issuedAt ?? -Infinity)) / 2);

  const ctx: RefreshContext = {
    store,
    key,
    oauth,
    lockTtlMs,
    clock,
    outbox,
    emit,
    reporter: { emit, report, revoke: revokeAtPinterest },
    readCurrent,
    reauthorize,
  };

  /**
   * Joins the refresh under way for this store and key (unless it ends with `ifAccessToken`, the token a caller was
   * told is rejected), or refreshes. Without `ifAccessToken`, a set is refreshed when it is not fresh; with it, when it
   * still holds that token, or has expired.
   */
  const sharedRefresh = (ifAccessToken?: string) =>
    queue.run(
      key,
      () =>
        refreshUnderLock(ctx, (set) =>
          ifAccessToken === undefined ? !isFresh(set) : set.accessToken === ifAccessToken || set.expiresAt <= clock(),
        ),
      (result) => result.accessToken !== ifAccessToken,
    );

  /** A caller's wait for a refresh: stopped by its signal, or after `timeoutMs`. The refresh goes on. */
  const waitForRefresh = (ifAccessToken: string | undefined, signal: AbortSignal | undefined) =>
    waitFor({
      work: () => sharedRefresh(ifAccessToken),
      signal,
      ms: waitMs,
      onTimeout: () =>
        new PinterestTimeoutError("the token refresh (it goes on; its tokens are saved when they come)", waitMs),
    });

  async function getTokenSet({ signal }: GetTokenOptions = {}): Promise<TokenSet> {
    const current = await waitFor({ work: readCurrent, signal });
    if (!current) throw reauthorize("signed-out", "nothing is stored (signed out, or never signed in)");
    const set = current.tokenSet;
    if (isFresh(set)) return set;
    try {
      return await waitForRefresh(undefined, signal);
    } catch (error) {
      // A passing failure while the current token is still valid: use it, and refresh on a later call.
      if ((isTransient(error) || error instanceof TokenStoreError) && set.expiresAt > clock()) return set;
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
    async refresh({ ifAccessToken, signal } = {}) {
      const target = ifAccessToken ?? (await waitFor({ work: readCurrent, signal }))?.tokenSet.accessToken;
      if (target === undefined) throw reauthorize("signed-out", "nothing is stored (signed out, or never signed in)");
      return waitForRefresh(target, signal);
    },
    async save(tokenSet) {
      need(
        typeof tokenSet?.accessToken === "string" && typeof tokenSet.expiresAt === "number",
        "save() needs a TokenSet, e.g. the result of oauth.exchangeCode().",
      );
      await storeCall({ key, operation: "save the token set", tokenSet }, () => store.set(key, tokenSet));
    },
    revoke({ signal } = {}) {
      return waitFor({ work: () => queue.run(key, signOutNow), signal });
    },
  };

  /**
   * The sign-out, as the key's operation: under the store's lock, the newest token set (kept rotated tokens included)
   * is revoked at Pinterest (an already-dead grant counts as revoked) and deleted from the store. A revoke that failed
   * is reported after the local sign-out.
   */
  async function signOutNow(): Promise<void> {
    const lock = outbox.takeLock(key) ?? (await holdLock({ store, key, ttlMs: lockTtlMs, emit }));
    try {
      const current = await readCurrent();
      outbox.forget(key);
      if (!current) return;
      const failure = await revokeAtPinterest(current.tokenSet).then(
        () => undefined,
        (error) => (error instanceof PinterestApiError && error.isInvalidGrant ? undefined : error),
      );
      await storeCall({ key, operation: "delete the token set" }, () => store.delete(key));
      if (failure) throw failure;
    } finally {
      await lock.release();
    }
  }
}
