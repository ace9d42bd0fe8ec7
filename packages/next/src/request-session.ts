import {
  createState,
  parseTokenSet,
  ReauthorizationRequiredError,
  type TokenSet,
  type TokenStore,
  TokenStoreError,
} from "@pintoken/core";
import type { SessionJson } from "./contract.ts";
import { type CookieAttributes, type CookieJar, hasChunked, readChunked, writeChunked } from "./cookies.ts";
import type { Sessions } from "./sessions.ts";
import { grantEnd, sessionJson } from "./token-sets.ts";

/** Longest a refresh may hold a session's lock (the token manager's default). */
export const lockTtlMs = 60_000;
const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

/** What a request's session cookie says, once read. */
export type Loaded =
  | { readonly kind: "none" }
  | { readonly kind: "ended" }
  | {
      readonly kind: "active";
      readonly sid: string;
      /** The token set the cookie carries (cookie mode), to know whether the cookie must be rewritten. */
      readonly cookieTokenSet: TokenSet | undefined;
      /** The cookie's expiry (epoch s), 0 for a session started in this request. */
      readonly cookieExp: number;
      /** Store mode: the `expiresAt` of the token set when the cookie was written (it changes with every refresh). */
      readonly cookieSetExpiresAt: number | undefined;
      tokenSet: TokenSet;
    };

/**
 * One request's view of the session: reads the cookie once, runs the token manager, and {@link commit}s what
 * changed back to the cookie (a rotated token set, a renewed expiry, a sign-in or a sign-out).
 */
export class RequestSession {
  readonly #sessions: Sessions;
  readonly #jar: CookieJar;
  readonly #secure: boolean;
  #loaded: Promise<Loaded> | undefined;
  #state: Loaded | undefined;

  constructor(sessions: Sessions, jar: CookieJar, secure: boolean) {
    this.#sessions = sessions;
    this.#jar = jar;
    this.#secure = secure;
  }

  /** Whether the request carries a session cookie at all (no decryption). */
  get hasCookie(): boolean {
    return hasChunked(this.#jar, this.#sessions.cookieName);
  }

  load(): Promise<Loaded> {
    this.#loaded ??= this.#read().then((loaded) => {
      this.#state = loaded;
      return loaded;
    });
    return this.#loaded;
  }

  /** Cookie mode: the tokens were refreshed (here or by another request) since this request's cookie was written. */
  get rotatedSinceCookie(): boolean {
    const state = this.#state;
    return (
      state?.kind === "active" &&
      state.cookieTokenSet !== undefined &&
      state.tokenSet.accessToken !== state.cookieTokenSet.accessToken
    );
  }

  #settle(loaded: Loaded): void {
    this.#state = loaded;
    this.#loaded = Promise.resolve(loaded);
  }

  async #read(): Promise<Loaded> {
    const { sealer, cache, store } = this.#sessions;
    const raw = readChunked(this.#jar, this.#sessions.cookieName);
    if (raw === undefined) return { kind: "none" };
    const claims = await sealer.unseal("session", raw);
    const sid = claims?.sid;
    if (typeof sid !== "string" || !sessionIdPattern.test(sid) || typeof claims?.exp !== "number")
      return { kind: "ended" };
    const key = this.#sessions.key(sid);
    if (cache) {
      // The cookie is authenticated: this guards only against a cookie written by another version of this package.
      const fromCookie = parseTokenSet(claims.ts);
      const current = fromCookie && (await cache.adopt(key, fromCookie));
      if (!current || !fromCookie) return { kind: "ended" };
      return {
        kind: "active",
        sid,
        cookieTokenSet: fromCookie,
        cookieExp: claims.exp,
        cookieSetExpiresAt: fromCookie.expiresAt,
        tokenSet: current,
      };
    }
    let stored: Awaited<ReturnType<TokenStore["get"]>>;
    try {
      stored = await store.get(key);
    } catch (error) {
      throw new TokenStoreError("session", "read the session", error);
    }
    if (!stored) return { kind: "ended" };
    return {
      kind: "active",
      sid,
      cookieTokenSet: undefined,
      cookieExp: claims.exp,
      cookieSetExpiresAt: typeof claims.x === "number" ? claims.x : undefined,
      tokenSet: stored.tokenSet,
    };
  }

  /** The session as `/session` reports it. A session whose grant has run out is ended here. */
  async session(): Promise<SessionJson> {
    const loaded = await this.load();
    if (loaded.kind !== "active") return { status: "unauthenticated" };
    const { tokenSet } = loaded;
    const now = this.#sessions.config.clock();
    if (grantEnd(tokenSet) <= now) {
      await this.#end(loaded.sid);
      return { status: "unauthenticated" };
    }
    return sessionJson(tokenSet);
  }

  /** A valid token set, refreshed first when it expires within `refreshWindowMs`. */
  async tokenSet(
    options: { refreshWindowMs?: number | undefined; signal?: AbortSignal | undefined } = {},
  ): Promise<TokenSet> {
    const loaded = await this.#active();
    const manager = this.#sessions.manager(loaded.sid, options.refreshWindowMs);
    return this.#track(loaded, () => manager.getTokenSet({ signal: options.signal }));
  }

  /** Refreshes now, unless the session was refreshed since this request's cookie was written. */
  async refresh(signal?: AbortSignal): Promise<TokenSet> {
    const loaded = await this.#active();
    const manager = this.#sessions.manager(loaded.sid);
    const current = loaded.tokenSet;
    const refreshedSince = loaded.cookieTokenSet
      ? current.accessToken !== loaded.cookieTokenSet.accessToken
      : loaded.cookieSetExpiresAt !== undefined && current.expiresAt !== loaded.cookieSetExpiresAt;
    // Someone refreshed since this request's cookie was written: that refresh is the one asked for.
    if (refreshedSince && current.expiresAt > this.#sessions.config.clock()) return current;
    return this.#track(loaded, () => manager.refresh({ ifAccessToken: current.accessToken, signal }));
  }

  /** Starts a new session with `tokenSet` (after a code exchange), replacing the request's session if any. */
  async signIn(tokenSet: TokenSet): Promise<void> {
    const previous = await this.load().catch(() => undefined);
    if (previous?.kind === "active") await this.#forget(previous.sid);
    const sid = createState();
    await this.#sessions.manager(sid).save(tokenSet);
    this.#settle({
      kind: "active",
      sid,
      cookieTokenSet: undefined,
      cookieExp: 0,
      cookieSetExpiresAt: undefined,
      tokenSet,
    });
  }

  /**
   * Revokes the grant at Pinterest and ends the session. The session ends even when the revocation fails: the
   * error is returned, not thrown.
   */
  async signOut(signal?: AbortSignal): Promise<{ revoked: boolean; error?: unknown }> {
    const loaded = await this.load();
    if (loaded.kind !== "active") {
      this.#settle({ kind: "ended" });
      return { revoked: false };
    }
    const manager = this.#sessions.manager(loaded.sid);
    try {
      await manager.revoke({ signal }); // waits for a refresh under way (and takes the lock): the newest token goes
      return { revoked: true };
    } catch (error) {
      return { revoked: false, error };
    } finally {
      await this.#end(loaded.sid);
    }
  }

  /**
   * Writes what changed to the cookie jar: the new or rotated session, a renewed expiry, or the deletion of an
   * ended or unreadable session. Throws where cookies cannot be written (the caller decides what that means).
   * Returns whether anything was written.
   */
  async commit(): Promise<boolean> {
    if (!this.#loaded) return false;
    const loaded = await this.#loaded.catch(() => undefined);
    if (!loaded || loaded.kind === "none") return false;
    const { config, sealer, cache, cookieName } = this.#sessions;
    if (loaded.kind === "ended") {
      if (!this.hasCookie) return false;
      writeChunked(this.#jar, cookieName, undefined, this.attributes(0));
      return true;
    }
    const { sid, tokenSet } = loaded;
    const now = config.clock();
    const expiresAt = Math.min(now + config.sessionMaxAgeSeconds * 1000, grantEnd(tokenSet));
    const maxAge = Math.floor((expiresAt - now) / 1000);
    const changed = cache
      ? tokenSet.accessToken !== loaded.cookieTokenSet?.accessToken
      : loaded.cookieExp === 0 ||
        loaded.cookieSetExpiresAt !== tokenSet.expiresAt ||
        Math.abs(Math.floor(expiresAt / 1000) - loaded.cookieExp) > 60;
    if (!changed) return false;
    if (maxAge <= 0) {
      await this.#end(sid);
      return this.commit();
    }
    const claims = cache ? { sid, ts: tokenSet } : { sid, x: tokenSet.expiresAt };
    const value = await sealer.seal("session", claims, expiresAt);
    writeChunked(this.#jar, cookieName, value, this.attributes(maxAge));
    cache?.delivered(this.#sessions.key(sid), tokenSet);
    return true;
  }

  /** Cookie attributes for this request's origin. */
  attributes(maxAge: number, path = "/"): CookieAttributes {
    return { path, maxAge, secure: this.#secure };
  }

  async #active() {
    const loaded = await this.load();
    if (loaded.kind !== "active") {
      throw new ReauthorizationRequiredError("session", "the request has no session (signed out, or never signed in)");
    }
    return loaded;
  }

  /** Runs a token manager call; remembers the set it returns, and ends the session when the grant is dead. */
  async #track(loaded: Extract<Loaded, { kind: "active" }>, run: () => Promise<TokenSet>): Promise<TokenSet> {
    try {
      loaded.tokenSet = await run();
      return loaded.tokenSet;
    } catch (error) {
      if (error instanceof ReauthorizationRequiredError) await this.#end(loaded.sid);
      throw error;
    }
  }

  async #end(sid: string): Promise<void> {
    this.#settle({ kind: "ended" });
    await this.#forget(sid);
  }

  /** Drops a session's tokens from the store; a store failure leaves them there (the cookie is cleared anyway). */
  async #forget(sid: string): Promise<void> {
    try {
      await this.#sessions.store.delete(this.#sessions.key(sid));
    } catch (error) {
      this.#sessions.logger.warn(
        `pintoken: could not delete an ended session from the token store (${error instanceof Error ? error.message : String(error)}); its cookie was cleared.`,
      );
    }
  }
}
