/**
 * The Next.js layer: the session of the request Next.js is rendering or handling, over `connection()`, `headers()`
 * and `cookies()`. Imported when first used, so the route handler runs on any fetch server without `next`.
 */
import type { AuthCore } from "../auth-core.ts";
import { describeForLog } from "../http/failures.ts";
import { appOrigin, requestOrigin, secureCookies } from "../http/origin.ts";
import { type CookieAttributes, type CookieJar, parseCookieHeader } from "../session/cookies.ts";
import type { RequestSession } from "../session/session.ts";

type NextCookieStore = Awaited<ReturnType<typeof import("next/headers")["cookies"]>>;

/**
 * A cookie jar over the request's `Cookie` header (parsed here, so that a cookie sent twice is seen as such) that
 * writes through Next's `cookies()`: `set` throws in a Server Component, where cookies are read-only.
 */
class NextCookieJar implements CookieJar {
  readonly #sent: Map<string, string | undefined>;
  readonly #store: NextCookieStore;

  constructor(header: string | null, store: NextCookieStore) {
    this.#sent = parseCookieHeader(header);
    this.#store = store;
  }

  get(name: string): string | undefined {
    return this.#sent.get(name);
  }

  set(name: string, value: string, attributes: CookieAttributes): void {
    const { path, maxAge, secure } = attributes;
    this.#store.set(name, value, { path, maxAge, secure, httpOnly: true, sameSite: "lax" });
  }
}

/**
 * The session of the request being rendered or handled by Next.js. It first awaits `connection()`: the session is
 * request data, so a page that reads it is rendered for each request, never prerendered at build time, and with
 * Cache Components nothing of it (the clock that checks the cookie's expiry included) runs while prerendering.
 */
export async function nextSession(core: AuthCore): Promise<RequestSession> {
  const [{ connection }, { cookies, headers }] = await Promise.all([import("next/server"), import("next/headers")]);
  await connection();
  const [store, list] = await Promise.all([cookies(), headers()]);
  // Without a Host header (never in Next), assume https: a Secure cookie is the safe mistake.
  const origin = appOrigin(core.config.redirectUri, requestOrigin(list, new URL("https://localhost")));
  return core.sessions.open(new NextCookieJar(list.get("cookie"), store), secureCookies(origin));
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
    if (!session.rotatedSinceCookie || core.sessions.backend.mode !== "cookie" || warnedReadOnly) return;
    warnedReadOnly = true;
    core.logger.warn(
      `pintoken: tokens were refreshed where cookies are read-only (a Server Component: ${describeForLog(error)}). ` +
        "They are kept in this process until the next request through the route handler or the proxy. " +
        "Add the proxy helper (proxy.ts) or a token store so that a refresh never has to happen while rendering.",
    );
  }
}
