import {
  MemoryTokenStore,
  type SetOptions,
  type SetResult,
  type StoredTokenSet,
  type TokenLock,
  type TokenSet,
  type TokenStore,
} from "@pintoken/core";
import { grantEnd } from "./token-sets.ts";

interface Entry {
  /** Last time a request used the session (epoch ms). */
  touched: number;
  /** A refreshed set that no response has carried to the browser yet (it was refreshed where cookies are read-only). */
  undelivered: boolean;
  /** Until when the undelivered set is worth keeping: its refresh token's expiry. */
  keepUntil: number;
  /** The access token of the set held, to recognise it in a cookie. */
  accessToken: string;
}

/** Options of {@link CookieSessionCache}. */
export interface CookieSessionCacheOptions {
  clock: () => number;
  /** Forget a delivered session this long after its last use. Default 10 minutes. */
  idleMs?: number;
  /** Most sessions held; the least recently used delivered ones go first. Default 10 000. */
  maxEntries?: number;
}

const sweepEveryMs = 60_000;
/** A signed-out session is remembered at most this long (Pinterest's refresh tokens live 60 days). */
const maxEndedMs = 61 * 86_400_000;

/**
 * The `TokenStore` of cookie mode, in which the browser's encrypted cookie is the durable copy of the tokens. Each
 * request offers its cookie's token set ({@link CookieSessionCache.adopt}); the token manager then works on this
 * store, so:
 *
 * - concurrent `getAccessToken()` calls of one session, in one request or many, share one refresh (single flight
 *   and a lock, by session id);
 * - a request that arrives with the cookie from before a rotation gets the rotated set instead of refreshing with a
 *   dead refresh token, and its response carries the rotated set to the browser;
 * - a set refreshed where cookies are read-only (a Server Component) is kept until a response carries it to the
 *   browser.
 *
 * It is per process (one per app, shared by every copy of the module: see `sessions.ts`): with many server
 * instances, use store mode with a shared `TokenStore`.
 */
export class CookieSessionCache implements TokenStore {
  readonly #store = new MemoryTokenStore();
  readonly #entries = new Map<string, Entry>();
  /**
   * Sessions signed out here, until their grant would have ended: a request still carrying a copy of the old cookie
   * cannot bring them back in this process (in any process once Pinterest confirmed the revocation: their tokens are
   * dead). At most `maxEntries`, the oldest dropped first.
   */
  readonly #ended = new Map<string, number>();
  readonly #clock: () => number;
  readonly #idleMs: number;
  readonly #maxEntries: number;
  #lastSweep = 0;

  constructor(options: CookieSessionCacheOptions) {
    this.#clock = options.clock;
    this.#idleMs = options.idleMs ?? 10 * 60_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  /**
   * Takes the token set a request's cookie carries and returns the session's current set: the cookie's, or a newer
   * one this process refreshed since; `undefined` when the session was signed out here.
   */
  async adopt(key: string, fromCookie: TokenSet): Promise<TokenSet | undefined> {
    const now = this.#clock();
    this.#sweep(now);
    if ((this.#ended.get(key) ?? 0) > now) return undefined;
    const known = this.#entries.get(key);
    if (known?.accessToken === fromCookie.accessToken) {
      // The set held is the cookie's (access tokens are never reused): the browser has it.
      known.touched = now;
      known.undelivered = false;
      return fromCookie;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const held = await this.#store.get(key);
      const entry = this.#entries.get(key);
      if (held && entry && held.tokenSet.expiresAt >= fromCookie.expiresAt) {
        entry.touched = now;
        return held.tokenSet; // rotated here since the cookie was written
      }
      const written = await this.#store.set(key, fromCookie, { ifVersion: held?.version ?? null });
      if (written.ok) {
        this.#entries.set(key, { touched: now, undelivered: false, keepUntil: 0, accessToken: fromCookie.accessToken });
        return fromCookie;
      }
    }
    return (await this.#store.get(key))?.tokenSet ?? fromCookie;
  }

  /** A response carries `tokenSet` to the browser: it no longer needs to be kept beyond the idle time. */
  delivered(key: string, tokenSet: TokenSet): void {
    const entry = this.#entries.get(key);
    if (entry?.accessToken === tokenSet.accessToken) entry.undelivered = false;
  }

  async get(key: string): Promise<StoredTokenSet | undefined> {
    return this.#store.get(key);
  }

  async set(key: string, tokenSet: TokenSet, options?: SetOptions): Promise<SetResult> {
    const result = await this.#store.set(key, tokenSet, options);
    if (result.ok) {
      const now = this.#clock();
      const keepUntil = tokenSet.refreshTokenExpiresAt ?? tokenSet.expiresAt;
      this.#entries.set(key, { touched: now, undelivered: true, keepUntil, accessToken: tokenSet.accessToken });
    }
    return result;
  }

  async delete(key: string): Promise<void> {
    const held = await this.#store.get(key);
    await this.#store.delete(key);
    this.#entries.delete(key);
    const now = this.#clock();
    const until = held ? Math.min(grantEnd(held.tokenSet), now + maxEndedMs) : now + this.#idleMs;
    const earlier = this.#ended.get(key) ?? 0;
    this.#ended.delete(key); // re-inserted last: the map's order is the order of sign-outs
    this.#ended.set(key, Math.max(until, earlier));
    if (this.#ended.size > this.#maxEntries) this.#ended.delete(this.#ended.keys().next().value as string);
  }

  lock(key: string, ttlMs: number): Promise<TokenLock> {
    return this.#store.lock(key, ttlMs);
  }

  /** How many sessions are held (for tests and monitoring). */
  get size(): number {
    return this.#entries.size;
  }

  /** Never show tokens when logged or serialized. */
  toJSON(): { sessions: number } {
    return { sessions: this.#entries.size };
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < sweepEveryMs && this.#entries.size <= this.#maxEntries) return;
    this.#lastSweep = now;
    for (const [key, until] of this.#ended) if (until <= now) this.#ended.delete(key);
    const forget = (key: string) => {
      this.#entries.delete(key);
      void this.#store.delete(key);
    };
    for (const [key, entry] of this.#entries) {
      if (entry.undelivered ? entry.keepUntil <= now : now - entry.touched > this.#idleMs) forget(key);
    }
    if (this.#entries.size <= this.#maxEntries) return;
    const delivered = [...this.#entries]
      .filter(([, e]) => !e.undelivered)
      .sort(([, a], [, b]) => a.touched - b.touched);
    for (const [key] of delivered.slice(0, this.#entries.size - this.#maxEntries)) forget(key);
  }
}
