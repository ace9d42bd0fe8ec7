/**
 * How the token manager works (its contract and options are in `token-manager.ts`). Every manager of one process
 * shares, per store object and key, the operation running for the key (a refresh that callers may join, or a
 * sign-out or save that they wait for) and rotated tokens the store has not taken yet; a refresh runs under the
 * store's lock, re-reads, and saves with compare-and-set.
 */
import { need } from "./client-options.ts";
import { PinterestApiError, ReauthorizationRequiredError, TokenStoreError } from "./errors.ts";
import { apiBaseUrl, type PinterestScope, pinterestScopes } from "./generated/spec.gen.ts";
import { isTransient, race, sleep } from "./retry.ts";
import type { GetTokenOptions, TokenManager, TokenManagerEvent, TokenManagerOptions } from "./token-manager.ts";
import type { TokenSet } from "./token-set.ts";
import type { StoredTokenSet, TokenStore } from "./token-store.ts";

/** What the manager works from: the stored set, or rotated tokens the store has not taken yet ({@link Kept}). */
interface Current extends StoredTokenSet {
  /** Refresh tokens this set replaced (retired at Pinterest): a stored set holding one is stale. None when stored. */
  readonly rotatedAway?: readonly (string | undefined)[];
}

/**
 * Rotated tokens that the store could not take: kept in memory, used by every manager, saved when the store is back.
 * `version` is that of the stored set they replace.
 */
type Kept = Required<Current>;

/** Rotated tokens kept in memory, with the next attempt to save them. */
interface KeptEntry extends Kept {
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * What the managers of one process share per store object (gone with it), by key: the refresh, sign-out or save
 * running, and rotated tokens the store has not taken yet. A key has entries only while one runs or tokens are kept:
 * reading 5,000 users' tokens leaves no 5,000 entries behind.
 */
const shared = new WeakMap<TokenStore, [running: Map<string, Promise<unknown>>, kept: Map<string, KeptEntry>]>();

/** The running operations that are refreshes, which callers join. */
const refreshes = new WeakSet<Promise<unknown>>();

/** What runs or is kept for the key, if anything. */
export const existingState = (store: TokenStore, key: string) =>
  shared.get(store)?.[0].get(key) ?? shared.get(store)?.[1].get(key);

/** Lets the process exit while a timer is pending (Node, Deno, Bun); browsers have no such notion. */
function unref(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}

/** Resolves like `promise`, or rejects with the signal's reason as soon as it aborts. */
const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> =>
  signal ? race(signal, Infinity, undefined, () => promise) : promise;

const isInvalidGrant = (error: unknown) => error instanceof PinterestApiError && error.isInvalidGrant;

/** An event as emitted: the manager adds its key. */
type Unkeyed<E> = E extends unknown ? Omit<E, "key"> : never;

/** The token manager of `options` (checked by `createTokenManager`). */
export function tokenManager(options: TokenManagerOptions): TokenManager {
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
  let byKey = shared.get(store);
  if (!byKey) {
    byKey = [new Map(), new Map()];
    shared.set(store, byKey);
  }
  const [running, keptByKey] = byKey;

  const emit = (event: Unkeyed<TokenManagerEvent>) => onEvent?.({ ...event, key } as TokenManagerEvent);

  /** Drops the key's kept tokens (saved at last, superseded, or signed out). */
  function drop(): void {
    clearTimeout(keptByKey.get(key)?.timer);
    keptByKey.delete(key);
  }

  /**
   * Runs `task` as the key's operation once nothing else runs for it (the operations of one key never overlap in one
   * process). With `join`, `task` is a refresh: a refresh under way is joined instead, and its result returned if
   * `join` accepts it (it was not for an older token); after two that were not, the caller's own refresh runs.
   */
  async function serial<T>(task: () => Promise<T>, join?: (result: TokenSet) => boolean): Promise<T> {
    for (let joined = 0; ; ) {
      const busy = running.get(key);
      if (join && busy && refreshes.has(busy) && joined++ < 2) {
        const result = (await busy) as TokenSet;
        if (join(result)) return result as T;
      } else if (busy) await busy.catch(() => undefined);
      else {
        const started = task().finally(() => running.delete(key));
        running.set(key, started);
        if (join) refreshes.add(started);
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
      if (!keptByKey.has(key)) throw error;
    }
    const kept = keptByKey.get(key);
    if (!kept) return stored as StoredTokenSet | undefined;
    // Kept tokens are newer while the store holds the set they replaced, or one they retired (or cannot be read).
    if (stored === null || stored?.version === kept.version || kept.rotatedAway.includes(stored?.tokenSet.refreshToken))
      return { ...kept, version: stored?.version ?? kept.version };
    drop(); // saved by now, replaced by a new sign-in, or signed out
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
  async function persist(kept: KeptEntry, retryInMs = 0): Promise<void> {
    const { tokenSet, rotatedAway } = kept;
    try {
      for (let attempt = 0, version = kept.version; ; attempt++) {
        if (attempt > 4)
          throw new TokenStoreError(key, saveFailed, new Error("the stored version kept changing"), tokenSet);
        if ((await retried(saveFailed, () => store.set(key, tokenSet, { ifVersion: version }), tokenSet)).ok) {
          drop();
          if (retryInMs) emit({ type: "saved", tokenSet });
          return;
        }
        const now = await load(tokenSet);
        if (!now) throw new ReauthorizationRequiredError(key, "it was signed out during the refresh");
        if (!rotatedAway.includes(now.tokenSet.refreshToken)) return drop();
        version = now.version;
      }
    } catch (error) {
      if (retryInMs && keptByKey.get(key) !== kept) return; // dropped meanwhile: superseded or signed out
      if (!(error instanceof TokenStoreError)) {
        if (retryInMs) return drop();
        throw error;
      }
      drop(); // older kept tokens, which these replace
      keptByKey.set(key, kept);
      retryInMs = Math.min(retryInMs * 2 || 200, 30_000);
      emit({ type: "store-error", error, retryInMs });
      if (onStoreError) onStoreError(error);
      else if (!onEvent) console.error(error.message);
      kept.timer = setTimeout(() => {
        serial(async () => {
          if (keptByKey.get(key) === kept) await persist(kept, retryInMs);
        }).catch(() => undefined);
      }, retryInMs);
      unref(kept.timer);
    }
  }

  /** Fresh: expires later than the window, which never exceeds half the token's lifetime. */
  const isFresh = ({ expiresAt, issuedAt }: TokenSet) =>
    expiresAt - clock() > Math.min(refreshWindowMs, (expiresAt - (issuedAt ?? -Infinity)) / 2);

  const signedOut = () => new ReauthorizationRequiredError(key, "nothing is stored (signed out, or never signed in)");

  /**
   * Runs `task` as the key's operation (see `serial`, which `join` is passed to) with what is current, under the
   * store's lock on the key if the store has locks. A lock with `extend` is pushed back every third of its TTL while
   * held (`extended`: it lasts as long as the task), and a `lock-lost` event tells when the store says it was lost.
   * `task` gets the time left before the lock expires (0 once lost), or `undefined` without a lock.
   */
  const locked = <T>(
    task: (current: Current | undefined, leftMs: (() => number) | undefined, extended: boolean) => Promise<T>,
    join?: (result: TokenSet) => boolean,
  ): Promise<T> =>
    serial(async () => {
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
    }, join);

  /**
   * Joins the refresh under way for this store and key if its result is not `ifAccessToken`, or refreshes: lock,
   * re-read, refresh if still needed, save, release.
   */
  const sharedRefresh = (ifAccessToken?: string) =>
    locked(
      async (current, leftMs, extended) => {
        if (!current) throw signedOut();
        const set = current.tokenSet;
        const { refreshToken, refreshTokenExpiresAt = Infinity } = set;
        // The refresh tokens a new set replaces: a stored set holding one of them is stale.
        const dead = [refreshToken, ...(current.rotatedAway ?? [])];
        // Still fresh, or (with `ifAccessToken`) already replaced by a token that has not expired: nothing to do.
        if (ifAccessToken === undefined ? isFresh(set) : set.accessToken !== ifAccessToken && set.expiresAt > clock())
          return set;
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
              const at = new Date(refreshTokenExpiresAt);
              throw new ReauthorizationRequiredError(key, `the refresh token expired at ${at.toISOString()}`);
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
          for (let attempt = leftMs?.() ? 5 : 0; error instanceof ReauthorizationRequiredError; attempt++) {
            const now = await store.get(key).catch(() => undefined);
            if (now && !dead.includes(now.tokenSet.refreshToken)) return now.tokenSet;
            if (attempt > 4) break;
            await sleep(25 << attempt);
          }
          throw error;
        }
        await persist({ tokenSet: next, version: current.version, rotatedAway: dead.filter(Boolean) });
        emit({ type: "refreshed", tokenSet: next });
        return next;
      },
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
      return locked(async (current) => {
        if (!current) return;
        drop();
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
      });
    },
  };
}
