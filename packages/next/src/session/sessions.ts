import { createTokenManager, type PinterestOAuth, type TokenManager } from "@pintoken/core";
import type { AuthConfig, PinterestAuthLogger } from "../options.ts";
import { cookieBackend, type SessionBackend, storeBackend } from "./backends.ts";
import { CookieSessionCache } from "./cookie-session-cache.ts";
import type { CookieJar } from "./cookies.ts";
import type { Sealer } from "./sealer.ts";
import { RequestSession, type SessionEnvironment } from "./session.ts";

/** Longest a refresh may hold a session's lock (the token manager's default). */
const lockTtlMs = 60_000;
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
 * The sessions of one `createPinterestAuth()`: the backend their tokens live in (cookie or store), the sealer of
 * their cookies, and the token manager of each.
 */
export class Sessions implements SessionEnvironment {
  readonly config: AuthConfig;
  readonly oauth: PinterestOAuth;
  readonly sealer: Sealer;
  readonly backend: SessionBackend;
  /** The app's logger, behind the filter that removes tokens and secrets. */
  readonly logger: PinterestAuthLogger;

  constructor(config: AuthConfig, oauth: PinterestOAuth, sealer: Sealer, logger: PinterestAuthLogger) {
    this.config = config;
    this.oauth = oauth;
    this.sealer = sealer;
    this.logger = logger;
    this.backend = config.store ? storeBackend(config.store) : cookieBackend(sharedCache(config));
  }

  /** The token manager of a session, over the backend's store. */
  manager(sid: string, refreshWindowMs = this.config.refreshWindowMs): TokenManager {
    return createTokenManager({
      oauth: this.oauth,
      store: this.backend.store,
      key: this.backend.key(sid),
      refreshWindowMs,
      lockTtlMs,
      clock: this.config.clock,
    });
  }

  /** The session of one request, read from and written to `jar` (`secure`: the app is served over https). */
  open(jar: CookieJar, secure: boolean): RequestSession {
    return new RequestSession(this, jar, secure);
  }
}
