import { createPinterestOAuth, type PinterestOAuth } from "@pintoken/core";
import { redactingLogger } from "./failures.ts";
import type { AuthConfig, PinterestAuthLogger } from "./options.ts";
import { createSealer, type Sealer } from "./sealer.ts";
import { Sessions } from "./sessions.ts";

/** Everything the route handler, the proxy helper and the server helpers share for one `createPinterestAuth()`. */
export interface AuthCore {
  readonly config: AuthConfig;
  readonly oauth: PinterestOAuth;
  readonly sealer: Sealer;
  readonly sessions: Sessions;
  /** The configured logger, behind a filter that removes tokens and secrets. */
  readonly logger: PinterestAuthLogger;
  /** States already used on a callback in this process (until they expire), so that none is accepted twice. */
  readonly usedStates: Map<string, number>;
  /** The state cookie's name. */
  readonly stateCookie: string;
}

export function createAuthCore(config: AuthConfig): AuthCore {
  const oauth = createPinterestOAuth({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    baseUrl: config.baseUrl,
    authorizationEndpoint: config.authorizationEndpoint,
    fetch: config.fetch,
    timeoutMs: config.timeoutMs,
    retry: config.retry,
    continuousRefresh: config.continuousRefresh,
    clock: config.clock,
  });
  const sealer = createSealer(config.secrets, config.clock);
  const logger = redactingLogger(config.logger, [config.clientSecret, ...config.secrets]);
  return {
    config,
    oauth,
    sealer,
    sessions: new Sessions(config, oauth, sealer, logger),
    logger,
    usedStates: new Map(),
    stateCookie: `${config.cookieName}.state`,
  };
}

/** Whether `hostname` is this machine (cookies may go without `Secure` on plain http there). */
export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || hostname === "::1" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function firstValue(header: string | null): string | undefined {
  return header?.split(",")[0]?.trim() || undefined;
}

/**
 * The origin the browser used: `X-Forwarded-Host`/`-Proto` (set by Next.js itself and by reverse proxies), else
 * `Host`, else `fallback` (the request URL, whose host Next.js does not always take from the request).
 */
export function requestOrigin(headers: { get(name: string): string | null }, fallback: URL): URL {
  const host = firstValue(headers.get("x-forwarded-host")) ?? firstValue(headers.get("host"));
  // No real host is longer (DNS names have at most 253 characters, then a port): a longer one would make the
  // redirect URI, and the state cookie holding it, too big for a browser to keep.
  if (!host || host.length > 260) return new URL(fallback.origin);
  const hostname = host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  const proto =
    firstValue(headers.get("x-forwarded-proto")) ??
    (host === fallback.host ? fallback.protocol.slice(0, -1) : isLoopback(hostname) ? "http" : "https");
  try {
    const url = new URL(`${proto}://${host}`);
    return url.protocol === "http:" || url.protocol === "https:" ? url : new URL(fallback.origin);
  } catch {
    return new URL(fallback.origin);
  }
}

/** The app's public origin: the configured redirect URI's, else the one the browser used. */
export function appOrigin(core: AuthCore, requestOrigin: URL): URL {
  return core.config.redirectUri ? new URL(new URL(core.config.redirectUri).origin) : requestOrigin;
}

/** Cookies are `Secure` everywhere but on plain http on this machine (http://localhost development). */
export function secureCookies(origin: URL): boolean {
  return !(origin.protocol === "http:" && isLoopback(origin.hostname));
}
