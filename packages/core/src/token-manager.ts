import type { PinterestOAuth } from "./client.ts";
import { ConfigurationError, PinterestApiError, ReauthorizationRequiredError, TokenStoreError } from "./errors.ts";
import type { PinterestScope } from "./generated/spec.gen.ts";
import { pinterestScopes } from "./generated/spec.gen.ts";
import { isTransient, sleep } from "./retry.ts";
import type { TokenSet } from "./token-set.ts";
import type { StoredTokenSet, TokenStore } from "./token-store.ts";

/** Options of {@link createTokenManager}. */
export interface TokenManagerOptions {
  /** The client that refreshes (and revokes) tokens. */
  oauth: Pick<PinterestOAuth, "refresh" | "clientCredentials" | "revoke" | "clock">;
  /** Where the token set lives. A store with `lock` makes refreshes happen once across processes. */
  store: TokenStore;
  /** The store key of this token set, e.g. a user id. Default `"default"`. */
  key?: string | undefined;
  /** Refresh when the access token expires within this many ms. Default 5 minutes. */
  refreshWindowMs?: number | undefined;
  /**
   * Longest time a cross-process refresh lock is held (it is released as soon as the refresh ends). Keep it above
   * the longest refresh: `timeoutMs × (retries + 1)` plus backoff (about 32 s with the client's defaults).
   * Default 60 s.
   */
  lockTtlMs?: number | undefined;
  /** Current time in epoch ms. Default: the oauth client's clock. */
  clock?: (() => number) | undefined;
}

/** Options of the manager's calls that may refresh. */
export interface GetTokenOptions {
  /** Stops waiting (the shared refresh itself goes on for the other callers). */
  signal?: AbortSignal | undefined;
}

/** Options of {@link TokenManager.refresh}. */
export interface ForceRefreshOptions extends GetTokenOptions {
  /**
   * Refresh only if this is still the stored access token (it was just rejected with a 401). If another caller has
   * refreshed since, their new token set is returned without another refresh.
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
  /** A valid access token, refreshed first if it expires within the refresh window. */
  getAccessToken(options?: GetTokenOptions): Promise<string>;
  /** The whole valid token set, refreshed first if needed. */
  getTokenSet(options?: GetTokenOptions): Promise<TokenSet>;
  /** What is stored now, without refreshing (undefined when signed out). */
  peek(): Promise<TokenSet | undefined>;
  /** Refreshes now (joining a refresh already under way). */
  refresh(options?: ForceRefreshOptions): Promise<TokenSet>;
  /** Stores a new token set, e.g. the result of `exchangeCode()`. */
  save(tokenSet: TokenSet): Promise<void>;
  /** Revokes the stored grant at Pinterest and deletes it from the store (sign out). */
  revoke(options?: GetTokenOptions): Promise<void>;
}

/** In-flight refreshes per store object and key, shared by every manager in this process. */
const inFlight = new WeakMap<TokenStore, Map<string, Promise<TokenSet>>>();

/** Resolves like `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

async function withStoreRetries<T>(key: string, what: string, run: () => Promise<T>, tokenSet?: TokenSet): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= 2) throw new TokenStoreError(key, what, error, tokenSet);
      await sleep(50 * 2 ** attempt);
    }
  }
}

/**
 * Keeps a user's (or the app's) token set valid. `getAccessToken()` refreshes when the access token expires within
 * the window; concurrent callers share one refresh (single flight); the rotated refresh token is written to the
 * store before anyone gets the new access token; a failed refresh leaves the stored tokens as they were. With a
 * store that can lock, this holds across processes too.
 *
 * @example
 * ```ts
 * const manager = createTokenManager({ oauth, store: new MemoryTokenStore(), key: userId });
 * await manager.save(await oauth.exchangeCode({ code }));
 * const accessToken = await manager.getAccessToken();
 * ```
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { oauth, store } = options ?? ({} as TokenManagerOptions);
  if (!oauth || typeof oauth.refresh !== "function")
    throw new ConfigurationError("createTokenManager needs oauth: the client from createPinterestOAuth().");
  if (!store || typeof store.get !== "function" || typeof store.set !== "function") {
    throw new ConfigurationError("createTokenManager needs store: a TokenStore such as new MemoryTokenStore().");
  }
  const key = options.key ?? "default";
  if (typeof key !== "string" || key === "")
    throw new ConfigurationError("key must be a non-empty string, e.g. the user's id.");
  const refreshWindowMs = options.refreshWindowMs ?? 5 * 60_000;
  const lockTtlMs = options.lockTtlMs ?? 60_000;
  for (const [name, value] of [
    ["refreshWindowMs", refreshWindowMs],
    ["lockTtlMs", lockTtlMs],
  ] as const) {
    if (typeof value !== "number" || !(value >= 0))
      throw new ConfigurationError(`${name} must be a number of milliseconds ≥ 0, got ${String(value)}.`);
  }
  const clock = options.clock ?? oauth.clock ?? (() => Date.now());
  const isFresh = (tokenSet: TokenSet) => tokenSet.expiresAt - clock() > refreshWindowMs;

  /** Reads the stored set (retrying the store); `unsaved` is kept on the error if the store stays down. */
  const load = (unsaved?: TokenSet) => withStoreRetries(key, "read the token set", () => store.get(key), unsaved);

  async function read(): Promise<StoredTokenSet> {
    const stored = await load();
    if (!stored)
      throw new ReauthorizationRequiredError(key, "nothing is stored under this key (signed out, or never signed in)");
    return stored;
  }

  /** Asks Pinterest for a new token set: a refresh, or for app tokens a new client credentials grant. */
  async function renew(current: TokenSet): Promise<TokenSet> {
    if (current.responseType === "client_credentials") {
      const scopes = current.scopes.filter((s): s is PinterestScope =>
        (pinterestScopes as readonly string[]).includes(s),
      );
      return oauth.clientCredentials({ scopes });
    }
    if (!current.refreshToken) throw new ReauthorizationRequiredError(key, "the stored token set has no refresh token");
    if (current.refreshTokenExpiresAt !== undefined && current.refreshTokenExpiresAt <= clock()) {
      throw new ReauthorizationRequiredError(
        key,
        `the refresh token expired at ${new Date(current.refreshTokenExpiresAt).toISOString()}`,
      );
    }
    try {
      return await oauth.refresh({ refreshToken: current.refreshToken, previous: current });
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
   * Saves `next` over `current` with compare-and-set. If someone else wrote meanwhile: a set that still holds the
   * refresh token we just used is stale (Pinterest rotated it away), so ours replaces it; any other set is a newer
   * grant (a new sign-in) and is kept.
   */
  async function persist(current: StoredTokenSet, next: TokenSet): Promise<void> {
    let expected = current.version;
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await withStoreRetries(
        key,
        "save the refreshed tokens",
        () => store.set(key, next, { ifVersion: expected }),
        next,
      );
      if (result.ok) return;
      const now = await load(next);
      if (!now) throw new ReauthorizationRequiredError(key, "the session was signed out while it was being refreshed");
      if (
        now.tokenSet.refreshToken !== current.tokenSet.refreshToken ||
        now.tokenSet.responseType !== current.tokenSet.responseType
      )
        return;
      expected = now.version;
    }
    throw new TokenStoreError(
      key,
      "save the refreshed tokens (the stored version kept changing)",
      new Error("compare-and-set conflict"),
      next,
    );
  }

  /**
   * Without a lock, another process may use the same refresh token at the same moment: Pinterest rotates it for
   * one of them and rejects the other. The loser waits briefly for the winner's tokens to reach the store.
   */
  async function rotatedElsewhere(used: StoredTokenSet): Promise<TokenSet | undefined> {
    for (let attempt = 0; attempt < 6; attempt++) {
      const now = await store.get(key).catch(() => undefined);
      if (now && now.version !== used.version && now.tokenSet.refreshToken !== used.tokenSet.refreshToken)
        return now.tokenSet;
      await sleep(25 * 2 ** attempt);
    }
    return undefined;
  }

  async function refreshOnce(ifAccessToken: string | undefined): Promise<TokenSet> {
    const lock = store.lock
      ? await withStoreRetries(key, "take the refresh lock", () =>
          (store.lock as NonNullable<TokenStore["lock"]>)(key, lockTtlMs),
        )
      : undefined;
    try {
      const current = await read();
      const replaced = current.tokenSet.accessToken !== ifAccessToken && current.tokenSet.expiresAt > clock();
      const alreadyDone = ifAccessToken === undefined ? isFresh(current.tokenSet) : replaced;
      if (alreadyDone) return current.tokenSet;
      let next: TokenSet;
      try {
        next = await renew(current.tokenSet);
      } catch (error) {
        const winner =
          error instanceof ReauthorizationRequiredError && !lock ? await rotatedElsewhere(current) : undefined;
        if (winner) return winner;
        throw error;
      }
      await persist(current, next);
      return next;
    } finally {
      await lock?.release().catch(() => undefined);
    }
  }

  /** Joins the refresh under way for this store and key, or starts one. */
  function sharedRefresh(ifAccessToken: string | undefined): Promise<TokenSet> {
    let byKey = inFlight.get(store);
    if (!byKey) {
      byKey = new Map();
      inFlight.set(store, byKey);
    }
    const running = byKey.get(key);
    if (running) return running;
    const started = refreshOnce(ifAccessToken).finally(() => {
      if (byKey.get(key) === started) byKey.delete(key);
    });
    byKey.set(key, started);
    return started;
  }

  async function getTokenSet(opts: GetTokenOptions = {}): Promise<TokenSet> {
    const stored = await untilAborted(read(), opts.signal);
    if (isFresh(stored.tokenSet)) return stored.tokenSet;
    try {
      return await untilAborted(sharedRefresh(undefined), opts.signal);
    } catch (error) {
      // A passing failure while the current token is still valid: use it, and refresh on a later call.
      if (isTransient(error) && stored.tokenSet.expiresAt > clock()) return stored.tokenSet;
      throw error;
    }
  }

  return {
    key,
    getTokenSet,
    async getAccessToken(opts) {
      return (await getTokenSet(opts)).accessToken;
    },
    async peek() {
      return (await load())?.tokenSet;
    },
    refresh(opts = {}) {
      return untilAborted(sharedRefresh(opts.ifAccessToken), opts.signal);
    },
    async save(tokenSet) {
      if (!tokenSet || typeof tokenSet.accessToken !== "string" || typeof tokenSet.expiresAt !== "number") {
        throw new ConfigurationError("save() needs a TokenSet, e.g. the result of oauth.exchangeCode().");
      }
      await withStoreRetries(key, "save the token set", () => store.set(key, tokenSet), tokenSet);
    },
    async revoke(opts = {}) {
      const stored = await load();
      if (!stored) return;
      const { refreshToken, accessToken } = stored.tokenSet;
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
    },
  };
}
