import { isTransient, ReauthorizationRequiredError } from "@pintoken/core";
import type { AuthCore } from "../auth-core.ts";
import { describeForLog } from "../http/failures.ts";
import { appOrigin, requestOrigin, secureCookies } from "../http/origin.ts";
import { RequestCookieJar } from "../session/cookies.ts";

/**
 * The proxy helper (`proxy.ts`): before a page renders, refreshes a session whose access token expires within
 * `proxyRefreshWindowMs`, writes the rotated cookie to the response and hands the page the updated cookie, so that
 * Server Components never have to refresh (and could not save a rotated refresh token in a cookie if they did).
 */
export function createProxy(core: AuthCore): (request: Request) => Promise<Response> {
  const { basePath, proxyRefreshWindowMs, redirectUri } = core.config;
  return async function proxy(request: Request): Promise<Response> {
    const { NextResponse } = await import("next/server");
    const url = new URL(request.url);
    if (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)) return NextResponse.next();
    const jar = new RequestCookieJar(request.headers.get("cookie"));
    const session = core.sessions.open(jar, secureCookies(appOrigin(redirectUri, requestOrigin(request.headers, url))));
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
