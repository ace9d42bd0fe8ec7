/**
 * The only code that knows Next.js: `cookies()`/`headers()` for the server helpers and `NextResponse.next()` for the
 * proxy helper. Both are imported when first used, so the route handler runs on any fetch server without `next`.
 */
import { isTransient, ReauthorizationRequiredError } from "@pintoken/core";
import { type AuthCore, appOrigin, requestOrigin, secureCookies } from "./auth-core.ts";
import { type CookieAttributes, type CookieJar, RequestCookieJar } from "./cookies.ts";
import { describeForLog } from "./failures.ts";
import type { RequestSession } from "./request-session.ts";

type NextHeaders = typeof import("next/headers");
type NextCookieStore = Awaited<ReturnType<NextHeaders["cookies"]>>;

/** A cookie jar over Next's `cookies()`: it throws on `set` in a Server Component, where cookies are read-only. */
class NextCookieJar implements CookieJar {
  readonly #store: NextCookieStore;

  constructor(store: NextCookieStore) {
    this.#store = store;
  }

  get(name: string): string | undefined {
    return this.#store.get(name)?.value;
  }

  set(name: string, value: string, attributes: CookieAttributes): void {
    const { path, maxAge, secure } = attributes;
    this.#store.set(name, value, { path, maxAge, secure, httpOnly: true, sameSite: "lax" });
  }
}

/** The session of the request being rendered or handled by Next, over `cookies()`. */
export async function nextSession(core: AuthCore): Promise<RequestSession> {
  const { cookies, headers } = await import("next/headers");
  const [store, list] = await Promise.all([cookies(), headers()]);
  // Without a Host header (never in Next), assume https: a Secure cookie is the safe mistake.
  const origin = appOrigin(core, requestOrigin(list, new URL("https://localhost")));
  return core.sessions.open(new NextCookieJar(store), secureCookies(origin));
}

let warnedReadOnly = false;

/**
 * Writes the session's changes through `cookies()` where Next allows it (Route Handlers, Server Actions). In a
 * Server Component it cannot: a rotated token set then stays in the token store (store mode) or in this process's
 * cookie-mode cache until the next request through the route handler or the proxy carries it to the browser.
 */
export async function commitWherePossible(core: AuthCore, session: RequestSession): Promise<void> {
  try {
    await session.commit();
  } catch (error) {
    if (!session.rotatedSinceCookie || !core.sessions.cache || warnedReadOnly) return;
    warnedReadOnly = true;
    core.logger.warn(
      `pintoken: tokens were refreshed where cookies are read-only (a Server Component: ${describeForLog(error)}). ` +
        "They are kept in this process until the next request through the route handler or the proxy. " +
        "Add the proxy helper (proxy.ts) or a token store so that a refresh never has to happen while rendering.",
    );
  }
}

/**
 * The proxy helper: before a page renders, refreshes a session whose access token expires within
 * `proxyRefreshWindowMs`, writes the rotated cookie to the response and hands the page the updated cookie, so that
 * Server Components never have to refresh (and could not save a rotated refresh token in a cookie if they did).
 */
export function createProxy(core: AuthCore): (request: Request) => Promise<Response> {
  const { basePath, proxyRefreshWindowMs } = core.config;
  return async function proxy(request: Request): Promise<Response> {
    const { NextResponse } = await import("next/server");
    const url = new URL(request.url);
    if (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)) return NextResponse.next();
    const jar = new RequestCookieJar(request.headers.get("cookie"));
    const session = core.sessions.open(jar, secureCookies(appOrigin(core, requestOrigin(request.headers, url))));
    if (!session.hasCookie) return NextResponse.next();
    try {
      if ((await session.session()).status === "authenticated")
        await session.tokenSet({ refreshWindowMs: proxyRefreshWindowMs, signal: request.signal });
    } catch (error) {
      const expected = error instanceof ReauthorizationRequiredError || isTransient(error);
      if (!expected && !request.signal.aborted)
        core.logger.error(`pintoken: the proxy could not refresh a session: ${describeForLog(error)}`);
    }
    try {
      await session.commit();
    } catch (error) {
      core.logger.error(`pintoken: the proxy could not write the session cookie: ${describeForLog(error)}`);
    }
    if (jar.setCookies.length === 0) return NextResponse.next();
    const headers = new Headers(request.headers);
    headers.set("cookie", jar.cookieHeader());
    const response = NextResponse.next({ request: { headers } });
    for (const cookie of jar.setCookies) response.headers.append("Set-Cookie", cookie);
    return response;
  };
}
