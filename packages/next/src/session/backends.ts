/**
 * Where a session's tokens live: the two backends of the one session model (`session.ts`). The session cookie is a
 * JWE of `{ sid, … }` in both; what else it holds, and where the token manager keeps the token set, is the backend's.
 */
import { parseTokenSet, type TokenSet, type TokenStore, TokenStoreError } from "@pintoken/core";
import type { JWTPayload } from "jose";
import type { CookieSessionCache } from "./cookie-session-cache.ts";

/** A session's token set as a request finds it, and the mark of the set its cookie was written for. */
export interface Found {
  readonly tokenSet: TokenSet;
  /** {@link SessionBackend.mark} of the set the cookie was written for: when it differs, the cookie is rewritten. */
  readonly cookieMark: string;
}

/** One of the two places a session's tokens live. */
export interface SessionBackend {
  readonly mode: "cookie" | "store";
  /** Where the token manager keeps token sets (compare-and-set, optional lock). */
  readonly store: TokenStore;
  /** The store key of a session. */
  key(sid: string): string;
  /** The session's current token set, for a cookie carrying `claims`; `undefined` when the session is gone. */
  find(sid: string, claims: JWTPayload): Promise<Found | undefined>;
  /** What identifies `tokenSet` in the cookie: the cookie is rewritten when the current set's mark differs. */
  mark(tokenSet: TokenSet): string;
  /** The claims of the session cookie for `tokenSet`. */
  claims(sid: string, tokenSet: TokenSet): JWTPayload;
  /** A response carries the cookie for `tokenSet` to the browser. */
  delivered(sid: string, tokenSet: TokenSet): void;
  /**
   * Cookie mode: a sign-out Pinterest did not confirm is kept in the browser's cookie (`out: 1`, with the tokens to
   * revoke), so that it can be retried until the tokens are dead. `undefined` in store mode, whose sign-out deletes
   * the tokens on the server.
   */
  pendingSignOut?: {
    claims(sid: string, tokenSet: TokenSet): JWTPayload;
    /** The tokens a pending sign-out's cookie still has to revoke. */
    read(claims: JWTPayload): TokenSet | undefined;
  };
}

/**
 * Cookie mode: the encrypted cookie holds the token set (`ts`) and is its durable copy; the process's
 * {@link CookieSessionCache} is the token manager's store, so that requests of one session share a refresh and a
 * rotation made where cookies are read-only is kept until a response delivers it.
 */
export function cookieBackend(cache: CookieSessionCache): SessionBackend {
  return {
    mode: "cookie",
    store: cache,
    key: (sid) => sid,
    async find(sid, claims) {
      // The cookie is authenticated: parsing guards only against a cookie written by another version of this package.
      const fromCookie = claims.out === undefined ? parseTokenSet(claims.ts) : undefined;
      const current = fromCookie && (await cache.adopt(sid, fromCookie));
      return fromCookie && current ? { tokenSet: current, cookieMark: fromCookie.accessToken } : undefined;
    },
    mark: (tokenSet) => tokenSet.accessToken,
    claims: (sid, tokenSet) => ({ sid, ts: tokenSet }),
    delivered: (sid, tokenSet) => cache.delivered(sid, tokenSet),
    pendingSignOut: {
      claims: (sid, tokenSet) => ({ sid, ts: tokenSet, out: 1 }),
      read: (claims) => (claims.out === 1 ? parseTokenSet(claims.ts) : undefined),
    },
  };
}

/**
 * Store mode: the token set lives in the configured `TokenStore` under `session:<sid>`; the cookie holds the id and
 * the expiry of the set it was written for (`x`), so that it is renewed when the set is.
 */
export function storeBackend(store: TokenStore): SessionBackend {
  const key = (sid: string) => `session:${sid}`;
  return {
    mode: "store",
    store,
    key,
    async find(sid, claims) {
      let stored: Awaited<ReturnType<TokenStore["get"]>>;
      try {
        stored = await store.get(key(sid));
      } catch (error) {
        throw new TokenStoreError("session", "read the session", error);
      }
      return stored && { tokenSet: stored.tokenSet, cookieMark: String(claims.x) };
    },
    mark: (tokenSet) => String(tokenSet.expiresAt),
    claims: (sid, tokenSet) => ({ sid, x: tokenSet.expiresAt }),
    delivered: () => {},
  };
}
