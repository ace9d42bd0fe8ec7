import type { PinterestOAuth } from "./client.ts";
import { callable, ms, need } from "./client-options.ts";
import type { TokenStoreError } from "./errors.ts";
import { tokenManager } from "./manager-state.ts";
import type { TokenSet } from "./token-set.ts";
import type { TokenStore } from "./token-store.ts";

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
  for (const name of ["refreshWindowMs", "lockTtlMs"] as const)
    if (options[name] !== undefined) ms(name, options[name], name === "lockTtlMs");
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
  return tokenManager(options);
}
