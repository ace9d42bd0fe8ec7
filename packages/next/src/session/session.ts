/**
 * The session model: one request's view of the session its cookie names, the same for both backends (cookie and
 * store, `backends.ts`). It reads the cookie once, runs `@pintoken/core`'s token manager over the backend's store,
 * and {@link RequestSession.commit}s what changed back to the cookie: a rotated token set, a renewed expiry, a key
 * rotation, a sign-in or a sign-out.
 */
import {
  createState,
  isTransient,
  PinterestApiError,
  type PinterestOAuth,
  ReauthorizationRequiredError,
  type TokenManager,
  type TokenSet,
} from "@pintoken/core";
import type { SessionJson } from "../contract.ts";
import type { AuthConfig, PinterestAuthLogger } from "../options.ts";
import type { SessionBackend } from "./backends.ts";
import { type CookieJar, cookieNames, hasChunked, readChunked, writeChunked } from "./cookies.ts";
import type { Sealer } from "./sealer.ts";
import { grantEnd, sessionJson } from "./token-sets.ts";

const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

/** What a request's session needs from the app's sessions (`Sessions` in sessions.ts). */
export interface SessionEnvironment {
  readonly config: AuthConfig;
  readonly oauth: PinterestOAuth;
  readonly sealer: Sealer;
  readonly backend: SessionBackend;
  /** The app's logger, behind the filter that removes tokens and secrets. */
  readonly logger: PinterestAuthLogger;
  /** The token manager of a session, over the backend's store. */
  manager(sid: string, refreshWindowMs?: number): TokenManager;
}

/** What the request's cookie was written for, to know whether it must be written again. */
interface CookieFacts {
  /** The backend's mark of the token set the cookie was written for. */
  readonly mark: string;
  /** The cookie's expiry (epoch s). */
  readonly exp: number;
  /** Sealed with an older secret than the first: written again with the current one. */
  readonly stale: boolean;
}

/** What a request's session cookie says, once read. */
export type Loaded =
  | { readonly kind: "none" }
  /** A cookie that names no usable session (tampered, expired, foreign, signed out): it is deleted. */
  | { readonly kind: "ended" }
  /** Cookie mode: signed out, but Pinterest has not confirmed the revocation yet; `POST /logout` retries it. */
  | { readonly kind: "signing-out"; readonly sid: string; readonly tokenSet: TokenSet; readonly cookie?: CookieFacts }
  | Active;

export interface Active {
  readonly kind: "active";
  readonly sid: string;
  /** Undefined for a session started in this request. */
  readonly cookie: CookieFacts | undefined;
  /** The newest token set this request knows (updated by refreshes). */
  tokenSet: TokenSet;
}

/** What {@link RequestSession.signOut} did. */
export interface SignOutResult {
  /** Pinterest confirmed the revocation (or the grant was already dead). */
  readonly revoked: boolean;
  /** Why not. */
  readonly error?: unknown;
  /** Cookie mode: the sign-out is kept in the cookie until Pinterest confirms it (`POST /logout` again). */
  readonly pending?: boolean;
}

/** One request's session. */
export class RequestSession {
  readonly #sessions: SessionEnvironment;
  readonly #jar: CookieJar;
  readonly #secure: boolean;
  readonly #cookieName: string;
  #loaded: Promise<Loaded> | undefined;
  #state: Loaded | undefined;

  constructor(sessions: SessionEnvironment, jar: CookieJar, secure: boolean) {
    this.#sessions = sessions;
    this.#jar = jar;
    this.#secure = secure;
    this.#cookieName = cookieNames(sessions.config.cookieName, secure).session;
  }

  /** Whether the request carries a session cookie at all (no decryption). */
  get hasCookie(): boolean {
    return hasChunked(this.#jar, this.#cookieName);
  }

  load(): Promise<Loaded> {
    this.#loaded ??= this.#read().then((loaded) => {
      this.#state = loaded;
      return loaded;
    });
    return this.#loaded;
  }

  /** The tokens were refreshed (here or by another request) since this request's cookie was written. */
  get rotatedSinceCookie(): boolean {
    const state = this.#state;
    return (
      state?.kind === "active" &&
      state.cookie !== undefined &&
      state.cookie.mark !== this.#sessions.backend.mark(state.tokenSet)
    );
  }

  #settle(loaded: Loaded): void {
    this.#state = loaded;
    this.#loaded = Promise.resolve(loaded);
  }

  async #read(): Promise<Loaded> {
    const { sealer, backend } = this.#sessions;
    const raw = readChunked(this.#jar, this.#cookieName);
    if (raw === undefined) return { kind: "none" };
    const unsealed = await sealer.unseal("session", raw);
    const sid = unsealed?.claims.sid;
    if (!unsealed || typeof sid !== "string" || !sessionIdPattern.test(sid)) return { kind: "ended" };
    const pending = backend.pendingSignOut?.read(unsealed.claims);
    const facts = (mark: string): CookieFacts => ({ mark, exp: unsealed.claims.exp, stale: unsealed.stale });
    if (pending) return { kind: "signing-out", sid, tokenSet: pending, cookie: facts("") };
    const found = await backend.find(sid, unsealed.claims);
    if (!found) return { kind: "ended" };
    return { kind: "active", sid, cookie: facts(found.cookieMark), tokenSet: found.tokenSet };
  }

  /** The session as `/session` reports it. A session whose grant has run out is ended here. */
  async session(): Promise<SessionJson> {
    const loaded = await this.load();
    if (loaded.kind !== "active") return { status: "unauthenticated" };
    if (grantEnd(loaded.tokenSet) <= this.#sessions.config.clock()) {
      await this.#end(loaded.sid);
      return { status: "unauthenticated" };
    }
    return sessionJson(loaded.tokenSet);
  }

  /** A valid token set, refreshed first when it expires within `refreshWindowMs`. */
  async tokenSet(
    options: { refreshWindowMs?: number | undefined; signal?: AbortSignal | undefined } = {},
  ): Promise<TokenSet> {
    const loaded = await this.#active();
    const manager = this.#sessions.manager(loaded.sid, options.refreshWindowMs);
    return this.#track(loaded, () => manager.getTokenSet({ signal: options.signal }));
  }

  /**
   * Refreshes now. With `ifAccessToken` (a token the API just refused), only if it is still the current one; without,
   * unless the session was refreshed since this request's cookie was written (that refresh is the one asked for).
   */
  async refresh(options: { ifAccessToken?: string | undefined; signal?: AbortSignal | undefined } = {}) {
    const loaded = await this.#active();
    const manager = this.#sessions.manager(loaded.sid);
    const current = loaded.tokenSet;
    if (options.ifAccessToken === undefined && this.rotatedSinceCookie) {
      if (current.expiresAt > this.#sessions.config.clock()) return current;
    }
    const ifAccessToken = options.ifAccessToken ?? current.accessToken;
    return this.#track(loaded, () => manager.refresh({ ifAccessToken, signal: options.signal }));
  }

  /** What is current now, without refreshing; `undefined` when signed out. */
  async peek(): Promise<TokenSet | undefined> {
    const loaded = await this.load();
    return loaded.kind === "active" ? loaded.tokenSet : undefined;
  }

  /** Starts a new session with `tokenSet` (after a code exchange), replacing the request's session if any. */
  async signIn(tokenSet: TokenSet, signal?: AbortSignal): Promise<void> {
    const previous = await this.load().catch(() => undefined);
    if (previous?.kind === "active") await this.#forget(previous.sid);
    // A sign-out still waiting for Pinterest: try it once more, since the new cookie replaces the one that held it.
    if (previous?.kind === "signing-out") await this.#revokePending(previous.tokenSet, signal).catch(() => undefined);
    const sid = createState();
    await this.#sessions.manager(sid).save(tokenSet);
    this.#settle({ kind: "active", sid, cookie: undefined, tokenSet });
  }

  /**
   * Revokes the grant at Pinterest and ends the session. The session ends here even when the revocation fails: the
   * error is returned, not thrown. In cookie mode a revocation Pinterest could not be reached for stays pending in
   * the cookie (which reads as signed out) until a later sign-out confirms it: until then, a copy of the old cookie
   * still holds live tokens.
   */
  async signOut(signal?: AbortSignal): Promise<SignOutResult> {
    const loaded = await this.load();
    if (loaded.kind === "signing-out") return this.#retryPending(loaded, signal);
    if (loaded.kind !== "active") {
      this.#settle({ kind: "ended" });
      return { revoked: false };
    }
    const { sid } = loaded;
    const manager = this.#sessions.manager(sid);
    const latest = (await manager.peek().catch(() => undefined)) ?? loaded.tokenSet;
    try {
      await manager.revoke({ signal }); // waits for a refresh under way (and takes the lock): the newest token goes
      await this.#end(sid);
      return { revoked: true };
    } catch (error) {
      await this.#forget(sid); // core's revoke signs out locally before it reports the error; make sure of it
      if (this.#sessions.backend.pendingSignOut && isTransient(error) && latest.refreshToken) {
        this.#settle({ kind: "signing-out", sid, tokenSet: latest });
        return { revoked: false, error, pending: true };
      }
      this.#settle({ kind: "ended" });
      return { revoked: false, error };
    }
  }

  async #retryPending(pending: Extract<Loaded, { kind: "signing-out" }>, signal?: AbortSignal): Promise<SignOutResult> {
    try {
      await this.#revokePending(pending.tokenSet, signal);
    } catch (error) {
      if (isTransient(error)) return { revoked: false, error, pending: true };
      this.#settle({ kind: "ended" });
      return { revoked: false, error };
    }
    this.#settle({ kind: "ended" });
    return { revoked: true };
  }

  /** Revokes a pending sign-out's refresh token; a grant Pinterest already considers dead counts as revoked. */
  async #revokePending(tokenSet: TokenSet, signal?: AbortSignal): Promise<void> {
    if (!tokenSet.refreshToken) return;
    try {
      await this.#sessions.oauth.revoke({ token: tokenSet.refreshToken, tokenTypeHint: "refresh_token", signal });
    } catch (error) {
      if (!(error instanceof PinterestApiError && error.isInvalidGrant)) throw error;
    }
  }

  /**
   * Writes what changed to the cookie jar: the new or rotated session, a renewed expiry, a cookie sealed with an
   * older secret, a pending sign-out, or the deletion of an ended or unreadable session. Throws where cookies cannot
   * be written (the caller decides what that means). Returns whether anything was written.
   */
  async commit(): Promise<boolean> {
    if (!this.#loaded) return false;
    const loaded = await this.#loaded.catch(() => undefined);
    if (!loaded || loaded.kind === "none") return false;
    const { config, sealer, backend } = this.#sessions;
    if (loaded.kind === "ended") {
      if (!this.hasCookie) return false;
      writeChunked(this.#jar, this.#cookieName, undefined, this.attributes(0));
      return true;
    }
    const now = config.clock();
    const { sid, tokenSet } = loaded;
    if (loaded.kind === "signing-out") {
      if (loaded.cookie && !loaded.cookie.stale) return false;
      const until = grantEnd(tokenSet);
      const maxAge = Math.floor((Math.min(until, now + 86_400_000 * 366) - now) / 1000);
      const claims = backend.pendingSignOut?.claims(sid, tokenSet);
      if (maxAge <= 0 || !claims) {
        this.#settle({ kind: "ended" });
        return this.commit();
      }
      const value = await sealer.seal("session", claims, now + maxAge * 1000);
      writeChunked(this.#jar, this.#cookieName, value, this.attributes(maxAge));
      return true;
    }
    const expiresAt = Math.min(now + config.sessionMaxAgeSeconds * 1000, grantEnd(tokenSet));
    const maxAge = Math.floor((expiresAt - now) / 1000);
    const { cookie } = loaded;
    const changed =
      !cookie ||
      cookie.stale ||
      cookie.mark !== backend.mark(tokenSet) ||
      Math.abs(Math.floor(expiresAt / 1000) - cookie.exp) > 60;
    if (!changed) return false;
    if (maxAge <= 0) {
      await this.#end(sid);
      return this.commit();
    }
    const value = await sealer.seal("session", backend.claims(sid, tokenSet), expiresAt);
    writeChunked(this.#jar, this.#cookieName, value, this.attributes(maxAge));
    backend.delivered(sid, tokenSet);
    return true;
  }

  /** Cookie attributes for this request's origin. */
  attributes(maxAge: number) {
    return { path: "/", maxAge, secure: this.#secure } as const;
  }

  async #active(): Promise<Active> {
    const loaded = await this.load();
    if (loaded.kind !== "active") {
      throw new ReauthorizationRequiredError("session", "the request has no session (signed out, or never signed in)");
    }
    return loaded;
  }

  /** Runs a token manager call; remembers the set it returns, and ends the session when the grant is dead. */
  async #track(loaded: Active, run: () => Promise<TokenSet>): Promise<TokenSet> {
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
      await this.#sessions.backend.store.delete(this.#sessions.backend.key(sid));
    } catch (error) {
      this.#sessions.logger.warn(
        `pintoken: could not delete an ended session from the token store (${error instanceof Error ? error.name : "error"}); its cookie was cleared.`,
      );
    }
  }
}
