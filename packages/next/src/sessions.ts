import { createTokenManager, type PinterestOAuth, type TokenManager, type TokenStore } from "@pintoken/core";
import { CookieSessionCache } from "./cookie-session-cache.ts";
import type { CookieJar } from "./cookies.ts";
import type { AuthConfig, PinterestAuthLogger } from "./options.ts";
import { lockTtlMs, RequestSession } from "./request-session.ts";
import type { Sealer } from "./sealer.ts";

const registryKey = Symbol.for("@pintoken/next.cookieSessionCaches");

/**
 * The cookie-mode cache of an app (cookie name, client id, encrypting secret), shared by every copy of this module
 * in the process: Next.js bundles `lib/pinterest.ts` separately for the proxy, the pages and the route handlers, and
 * a rotation made by one of them must be seen by the others.
 */
function sharedCache(config: AuthConfig): CookieSessionCache {
  const scope = globalThis as { [registryKey]?: Map<string, CookieSessionCache> };
  const registry = scope[registryKey] ?? new Map<string, CookieSessionCache>();
  scope[registryKey] = registry;
  const id = [config.cookieName, config.clientId, config.secrets[0]].join("\u0000");
  let cache = registry.get(id);
  if (!cache) {
    cache = new CookieSessionCache({ clock: config.clock });
    registry.set(id, cache);
  }
  return cache;
}

/**
 * The session machinery of one `createPinterestAuth()`: where token sets live (the cookie-mode cache, or the
 * configured store) and how a session cookie is read and written.
 */
export class Sessions {
  readonly config: AuthConfig;
  readonly oauth: PinterestOAuth;
  readonly sealer: Sealer;
  /** Where the token manager keeps token sets: the configured store, or the cookie-mode cache. */
  readonly store: TokenStore;
  /** Set in cookie mode only. */
  readonly cache: CookieSessionCache | undefined;
  readonly cookieName: string;
  /** The app's logger, behind the filter that removes tokens and secrets. */
  readonly logger: PinterestAuthLogger;

  constructor(config: AuthConfig, oauth: PinterestOAuth, sealer: Sealer, logger: PinterestAuthLogger) {
    this.config = config;
    this.logger = logger;
    this.oauth = oauth;
    this.sealer = sealer;
    this.cache = config.store ? undefined : sharedCache(config);
    this.store = config.store ?? (this.cache as CookieSessionCache);
    this.cookieName = `${config.cookieName}.session`;
  }

  /** The store key of a session. */
  key(sid: string): string {
    return this.cache ? sid : `session:${sid}`;
  }

  manager(sid: string, refreshWindowMs = this.config.refreshWindowMs): TokenManager {
    return createTokenManager({
      oauth: this.oauth,
      store: this.store,
      key: this.key(sid),
      refreshWindowMs,
      lockTtlMs,
      clock: this.config.clock,
    });
  }

  /** The session of one request, read from and written to `jar`. */
  open(jar: CookieJar, secure: boolean): RequestSession {
    return new RequestSession(this, jar, secure);
  }
}
