import type { PinterestOAuth } from "./client.ts";
import { callable, need } from "./client-options.ts";
import { PinterestApiError, ReauthorizationRequiredError, TokenStoreError } from "./errors.ts";
import { apiBaseUrl, type PinterestScope, pinterestScopes } from "./generated/spec.gen.ts";
import {
  type Current,
  type Kept,
  type KeyState,
  retiredBy,
  statesOf,
  stillNewer,
  unref,
  untilAborted,
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

const isInvalidGrant = (error: unknown) => error instanceof PinterestApiError && error.isInvalidGrant;

/** An event as emitted: the manager adds its key. */
type Unkeyed<E> = E extends unknown ? Omit<E, "key"> : never;

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
  const keys = statesOf(store);

  function emit(event: Unkeyed<TokenManagerEvent>): void {
    onEvent?.({ ...event, key } as TokenManagerEvent);
    if (event.type !== "store-error") return;
    if (onStoreError) onStoreError(event.error);
    else if (!onEvent) console.error(event.error.message);
  }

  /** The key's state, created if need be. */
  function state(): KeyState {
    let s = keys.get(key);
    if (!s) {
      s = {};
      keys.set(key, s);
    }
    return s;
  }

  /** Forgets the key's state once nothing runs and nothing is kept. */
  function tidy(s: KeyState): void {
    if (!s.busy && !s.kept && keys.get(key) === s) keys.delete(key);
  }

  /** Drops kept tokens (saved at last, superseded, or signed out). */
  function drop(s: KeyState): void {
    clearTimeout(s.timer);
    s.kept = s.timer = undefined;
    tidy(s);
  }

  /**
   * Runs `task` as the key's operation once nothing else runs for it (the operations of one key never overlap in one
   * process). With `join`, `task` is a refresh: a refresh under way is joined instead, and its result returned if
   * `join` accepts it (it was not for an older token); after two that were not, the caller's own refresh runs.
   */
  async function serial<T>(task: () => Promise<T>, join?: (result: TokenSet) => boolean): Promise<T> {
    for (let joined = 0; ; ) {
      const s = state();
      if (join && s.refreshing && joined++ < 2) {
        const result = (await s.busy) as TokenSet;
        if (join(result)) return result as T;
      } else if (s.busy) await s.busy.catch(() => undefined);
      else {
        const started = task().finally(() => {
          s.busy = s.refreshing = undefined;
          tidy(s);
        });
        s.busy = started;
        s.refreshing = !!join;
        return started;
      }
    }
  }

  /** Runs a store call, retrying two quick times (50 ms, 100 ms); then throws `TokenStoreError` with `tokenSet` on it. */
  async function retried<T>(what: string, call: () => Promise<T>, tokenSet?: TokenSet): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (attempt > 1) throw new TokenStoreError(key, what, error, tokenSet);
        await sleep(50 << attempt);
      }
    }
  }

  const load = (tokenSet?: TokenSet) => retried("read the token set", () => store.get(key), tokenSet);

  /** The current set: the stored one, unless this process keeps rotated tokens that are newer. */
  async function readCurrent(): Promise<Current | undefined> {
    let stored: StoredTokenSet | undefined | null = null; // null: the store could not be read
    try {
      stored = await load();
    } catch (error) {
      if (!keys.get(key)?.kept) throw error;
    }
    const s = keys.get(key);
    const kept = s?.kept;
    if (!kept) return stored as StoredTokenSet | undefined;
    if (stored === null || stillNewer(kept, stored)) return { ...kept, version: stored?.version ?? kept.version };
    drop(s); // saved by now, replaced by a new sign-in, or signed out
    return stored;
  }

  const saveFailed = "save the refreshed tokens";

  /**
   * Saves rotated tokens with compare-and-set over the version they replace. If someone else wrote meanwhile: a set
   * holding a refresh token in `rotatedAway` is stale (Pinterest retired it), so ours replaces it; any other set is a
   * newer grant (a new sign-in) and is kept. If the store fails, the tokens are kept in memory (every manager of the
   * key uses them), the failure is reported, and the save is tried again after `retryInMs` (200 ms, doubling up to
   * 30 s) until it lands, is superseded, or the key is signed out.
   */
  async function persist(kept: Kept, retryInMs = 0): Promise<void> {
    const { tokenSet, rotatedAway } = kept;
    const s = state();
    try {
      for (let attempt = 0, version = kept.version; ; attempt++) {
        if (attempt > 4)
          throw new TokenStoreError(key, saveFailed, new Error("the stored version kept changing"), tokenSet);
        if ((await retried(saveFailed, () => store.set(key, tokenSet, { ifVersion: version }), tokenSet)).ok) {
          drop(s);
          if (retryInMs) emit({ type: "saved", tokenSet });
          return;
        }
        const now = await load(tokenSet);
        if (!now) throw new ReauthorizationRequiredError(key, "it was signed out during the refresh");
        if (!rotatedAway.includes(now.tokenSet.refreshToken)) return drop(s);
        version = now.version;
      }
    } catch (error) {
      if (retryInMs && s.kept !== kept) return; // dropped meanwhile: superseded or signed out
      if (!(error instanceof TokenStoreError)) {
        if (retryInMs) return drop(s);
        throw error;
      }
      s.kept = kept;
      retryInMs = Math.min(retryInMs * 2 || 200, 30_000);
      emit({ type: "store-error", error, retryInMs });
      clearTimeout(s.timer);
      s.timer = setTimeout(() => {
        serial(async () => {
          if (s.kept === kept) await persist(kept, retryInMs);
        }).catch(() => undefined);
      }, retryInMs);
      unref(s.timer);
    }
  }

  /** Fresh: expires later than the window, which never exceeds half the token's lifetime. */
  const isFresh = ({ expiresAt, issuedAt }: TokenSet) =>
    expiresAt - clock() > Math.min(refreshWindowMs, (expiresAt - (issuedAt ?? -Infinity)) / 2);

  const signedOut = () => new ReauthorizationRequiredError(key, "nothing is stored (signed out, or never signed in)");

  /**
   * Runs `task` with what is current, under the store's lock on the key if the store has locks. A lock with `extend`
   * is pushed back every third of its TTL while held (`extended`: it lasts as long as the task), and a `lock-lost`
   * event tells when the store says it was lost. `task` gets the time left before the lock expires (0 once lost),
   * or `undefined` without a lock.
   */
  async function locked<T>(
    task: (current: Current | undefined, leftMs: (() => number) | undefined, extended: boolean) => Promise<T>,
  ): Promise<T> {
    const lock =
      store.lock &&
      (await retried("take the refresh lock", () => (store as Required<TokenStore>).lock(key, lockTtlMs)));
    let expiresAt = Date.now() + lockTtlMs; // 0 once lost
    const heartbeat = lock?.extend
      ? setInterval(() => {
          const at = Date.now();
          lock.extend?.(lockTtlMs).then(
            (kept) => {
              if (kept) expiresAt &&= at + lockTtlMs;
              else if (expiresAt) {
                expiresAt = 0;
                clearInterval(heartbeat);
                emit({ type: "lock-lost" });
              }
            },
            () => undefined, // the store is unreachable: try again at the next beat, until the lock expires
          );
        }, lockTtlMs / 3)
      : undefined;
    unref(heartbeat);
    try {
      return await task(await readCurrent(), lock && (() => Math.max(0, expiresAt - Date.now())), !!heartbeat);
    } finally {
      clearInterval(heartbeat);
      await lock?.release().catch(() => undefined);
    }
  }

  /** One refresh: lock, re-read, refresh if still needed, save, release. */
  const refreshOnce = (ifAccessToken: string | undefined) =>
    locked(async (current, leftMs, extended) => {
      if (!current) throw signedOut();
      const set = current.tokenSet;
      const { refreshToken, refreshTokenExpiresAt = Infinity } = set;
      const replaced = set.accessToken !== ifAccessToken && set.expiresAt > clock();
      if (ifAccessToken === undefined ? isFresh(set) : replaced) return set;
      // Without lock extension, no retry may outlast the lock (a tenth of it is left for saving the result).
      const maxElapsedMs = leftMs && !extended ? leftMs() - lockTtlMs / 10 : undefined;
      let next: TokenSet;
      try {
        if (set.responseType === "client_credentials") {
          // An app token: a new client credentials grant, for the scopes this version knows.
          const scopes = set.scopes.filter((s): s is PinterestScope =>
            (pinterestScopes as readonly string[]).includes(s),
          );
          next = await oauth.clientCredentials({ scopes, maxElapsedMs });
        } else {
          if (!refreshToken) throw new ReauthorizationRequiredError(key, "the stored token set has no refresh token");
          if (refreshTokenExpiresAt <= clock()) {
            const at = new Date(refreshTokenExpiresAt).toISOString();
            throw new ReauthorizationRequiredError(key, `the refresh token expired at ${at}`);
          }
          next = await oauth.refresh({ refreshToken, previous: set, maxElapsedMs }).catch((error) => {
            throw isInvalidGrant(error)
              ? new ReauthorizationRequiredError(
                  key,
                  "Pinterest rejected the refresh token (invalid, revoked or expired)",
                  {
                    cause: error,
                  },
                )
              : error;
          });
        }
      } catch (error) {
        // Has another process rotated the refresh token meanwhile? (Without a lock, or with a lost one, two processes
        // can use one refresh token at once; Pinterest honours one.) Re-read, waiting briefly for the winner's tokens.
        const dead = retiredBy(current);
        for (let attempt = leftMs?.() ? 5 : 0; error instanceof ReauthorizationRequiredError; attempt++) {
          const now = await store.get(key).catch(() => undefined);
          if (now && !dead.includes(now.tokenSet.refreshToken)) return now.tokenSet;
          if (attempt > 4) break;
          await sleep(25 << attempt);
        }
        throw error;
      }
      await persist({ tokenSet: next, version: current.version, rotatedAway: retiredBy(current).filter(Boolean) });
      emit({ type: "refreshed", tokenSet: next });
      return next;
    });

  /** Joins the refresh under way for this store and key, or starts one (see `serial`). */
  const sharedRefresh = (ifAccessToken?: string) =>
    serial(
      () => refreshOnce(ifAccessToken),
      (result) => result.accessToken !== ifAccessToken,
    );

  async function getTokenSet({ signal }: GetTokenOptions = {}): Promise<TokenSet> {
    const current = await untilAborted(readCurrent(), signal);
    if (!current) throw signedOut();
    const set = current.tokenSet;
    if (isFresh(set)) return set;
    try {
      return await untilAborted(sharedRefresh(), signal);
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
      const target = ifAccessToken ?? (await untilAborted(readCurrent(), signal))?.tokenSet.accessToken;
      if (target === undefined) throw signedOut();
      return untilAborted(sharedRefresh(target), signal);
    },
    async save(tokenSet) {
      need(
        typeof tokenSet?.accessToken === "string" && typeof tokenSet.expiresAt === "number",
        "save() needs a TokenSet, e.g. the result of oauth.exchangeCode().",
      );
      await retried("save the token set", () => store.set(key, tokenSet), tokenSet);
    },
    revoke({ signal } = {}) {
      return serial(() =>
        locked(async (current) => {
          if (!current) return;
          drop(state());
          const { refreshToken, accessToken } = current.tokenSet;
          // An already-dead grant counts as revoked; any other failure is reported after the local sign-out.
          const failure = await oauth
            .revoke({
              token: refreshToken || accessToken,
              tokenTypeHint: refreshToken ? "refresh_token" : "access_token",
              signal,
            })
            .then(
              () => undefined,
              (error) => (isInvalidGrant(error) ? undefined : error),
            );
          await retried("delete the token set", () => store.delete(key));
          if (failure) throw failure;
        }),
      );
    },
  };
}
