/**
 * Assembles one `createPinterestAuth()`: the plain `Request → Response` layer (`http/`), the session model over its
 * two backends (`session/`), and the Next.js layer (`next/`), which is loaded only when a Next.js helper runs.
 */
import { ConfigurationError, type PinterestOAuth } from "@pintoken/core";
import { type PinterestApi as CorePinterestApi, createPinterestApi } from "@pintoken/core/api";
import { type AuthCore, createAuthCore } from "./auth-core.ts";
import type { SessionJson } from "./contract.ts";
import { createHandler } from "./http/handler.ts";
import { appOrigin, requestOrigin, secureCookies } from "./http/origin.ts";
import { commitWherePossible, nextSession } from "./next/next-session.ts";
import { createProxy } from "./next/proxy.ts";
import { type PinterestAuthOptions, resolveConfig } from "./options.ts";
import { RequestCookieJar } from "./session/cookies.ts";
import { requestTokenManager } from "./session/request-token-manager.ts";
import type { RequestSession } from "./session/session.ts";

/**
 * The typed Pinterest API client ([openapi-fetch](https://openapi-ts.dev/openapi-fetch/) over core's
 * `createPinterestApi`) bound to a session: every request carries the session's access token, refreshed first when
 * due, and a 401 refreshes once and replays the request once.
 *
 * @example
 * ```ts
 * const api: PinterestApi = pinterest.api();
 * const { data, error, response } = await api.GET("/user_account");
 * ```
 */
export type PinterestApi = CorePinterestApi;

/**
 * A route handler: Next.js App Router's `GET`/`POST` exports, or any fetch server's `fetch`.
 *
 * @example
 * ```ts
 * const handler: RouteHandler = pinterest.handler;
 * const response = await handler(new Request("http://localhost:3000/api/pinterest/session"));
 * ```
 */
export type RouteHandler = (request: Request) => Promise<Response>;

/**
 * Options of the calls that may refresh.
 *
 * @example
 * ```ts
 * const options: AccessTokenOptions = { signal: AbortSignal.timeout(5_000) };
 * const token = await pinterest.getAccessToken(options);
 * ```
 */
export interface AccessTokenOptions {
  /** Stops waiting for a refresh (which goes on for other callers). */
  signal?: AbortSignal | undefined;
}

/**
 * The session of one `Request`, for fetch servers other than Next.js (and for tests): read it, get a token, then
 * add the session's cookie changes (a rotated refresh token!) to your response with `applyCookies`.
 *
 * @example
 * ```ts
 * const auth = pinterest.forRequest(request);
 * const token = await auth.getAccessToken();
 * return auth.applyCookies(Response.json(await listBoards(token)));
 * ```
 */
export interface PinterestRequestAuth {
  /** The session as `GET /session` reports it. */
  getSession(): Promise<SessionJson>;
  /** A valid access token, refreshed first when due; `ReauthorizationRequiredError` when signed out. */
  getAccessToken(options?: AccessTokenOptions): Promise<string>;
  /** The typed Pinterest API client for this request's user (see {@link PinterestAuth.api}). */
  api(): PinterestApi;
  /** `response` with this request's `Set-Cookie` lines added: always send it, or a rotated token may be lost. */
  applyCookies(response: Response): Promise<Response>;
}

/**
 * What {@link createPinterestAuth} returns.
 *
 * @example
 * ```ts
 * export const { GET, POST } = pinterest.handlers;                 // app/api/pinterest/[...pintoken]/route.ts
 * const session = await pinterest.getSession();                      // a Server Component
 * const token = await pinterest.getAccessToken();                    // refreshed when due
 * ```
 */
export interface PinterestAuth {
  /** `export const { GET, POST } = pinterest.handlers` in `app/<basePath>/[...pintoken]/route.ts`. */
  readonly handlers: { readonly GET: RouteHandler; readonly POST: RouteHandler };
  /** The same handler for any fetch server: it answers every route under `basePath`. */
  readonly handler: RouteHandler;
  /** Next.js (Server Components, Server Actions, Route Handlers): the current session, through `cookies()`. */
  getSession(): Promise<SessionJson>;
  /**
   * Next.js: a valid access token for the current session, refreshed first when it expires within
   * `refreshWindowMs` (one refresh for all concurrent callers). Throws `ReauthorizationRequiredError` when signed
   * out or when Pinterest no longer accepts the grant.
   */
  getAccessToken(options?: AccessTokenOptions): Promise<string>;
  /**
   * Next.js: the typed Pinterest API client for the current request's user (Server Components, Server Actions, Route
   * Handlers). Each request carries the session's access token, refreshed first when due; a 401 refreshes once and
   * replays the request once (core's `createAuthorizedFetch`). Pinterest's error answers are values (`error`,
   * `response`); no session, or a grant Pinterest no longer accepts, throws `ReauthorizationRequiredError`.
   *
   * @example
   * ```ts
   * const { data: account, error } = await pinterest.api().GET("/user_account");
   * ```
   */
  api(): PinterestApi;
  /** Next.js `proxy.ts`: refreshes ahead of rendering, so Server Components never have to. */
  proxy(request: Request): Promise<Response>;
  /** The session of one `Request`, for other fetch servers. */
  forRequest(request: Request): PinterestRequestAuth;
  /** The `@pintoken/core` client behind the routes (its `api` is the typed Pinterest client). */
  readonly oauth: PinterestOAuth;
  readonly basePath: string;
  /** `"cookie"`: the encrypted cookie holds the tokens; `"store"`: the `store` does, the cookie only an id. */
  readonly mode: "cookie" | "store";
}

/**
 * Warnings this process has printed, shared by every copy of this module (Next.js loads `lib/pinterest.ts`, and so
 * this package, once per bundle it builds): each is printed once per process.
 */
const shared = globalThis as { [key: symbol]: Set<string> | undefined };
const warnedKey = Symbol.for("pintoken.next.warned");
shared[warnedKey] ??= new Set();
const warned: Set<string> = shared[warnedKey];

function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

function isNextBuild(options: PinterestAuthOptions): boolean {
  const env = options.env ?? (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.NEXT_PHASE === "phase-production-build";
}

/**
 * During `next build` without the runtime environment: every use fails with the configuration error. The server
 * helpers first await `connection()`, as the real ones do: a page or Route Handler that uses them is then left to
 * request time (where the error shows, if the server has no settings either) instead of failing the build.
 */
function deferred(error: ConfigurationError, basePath: string): PinterestAuth {
  const reject = async (): Promise<never> => {
    throw error;
  };
  const atRequestTime = async (): Promise<never> => {
    const { connection } = await import("next/server");
    await connection(); // while prerendering, Next.js stops here (or throws its own signal): the page is dynamic
    throw error;
  };
  const api = () => createPinterestApi({ fetch: atRequestTime });
  return {
    handlers: { GET: reject, POST: reject },
    handler: reject,
    getSession: atRequestTime,
    getAccessToken: atRequestTime,
    api,
    proxy: reject,
    forRequest: () => ({ getSession: reject, getAccessToken: reject, api, applyCookies: reject }),
    get oauth(): PinterestOAuth {
      throw error;
    },
    basePath,
    mode: "cookie",
  };
}

/**
 * Pinterest OAuth for a Next.js App Router app (or any fetch server): the login, callback, session, refresh and
 * logout routes, and server helpers that keep the access token valid without ever losing a rotated refresh token.
 * Reads `PINTEREST_CLIENT_ID`, `PINTEREST_CLIENT_SECRET`, `PINTOKEN_SECRET` and friends from the environment for
 * options not passed; a missing or short secret throws a `ConfigurationError` here, at startup.
 *
 * @example
 * ```ts
 * // lib/pinterest.ts
 * import { createPinterestAuth } from "@pintoken/next";
 * export const pinterest = createPinterestAuth({ scopes: ["user_accounts:read", "pins:read"] });
 *
 * // app/api/pinterest/[...pintoken]/route.ts
 * export const { GET, POST } = pinterest.handlers;
 * ```
 */
export function createPinterestAuth(options: PinterestAuthOptions = {}): PinterestAuth {
  let core: ReturnType<typeof createAuthCore>;
  try {
    core = createAuthCore(resolveConfig(options));
  } catch (error) {
    // `next build` loads route modules to read their settings, often without the secrets the server gets later.
    if (!(error instanceof ConfigurationError) || !isNextBuild(options)) throw error;
    warnOnce(`pintoken: ${error.message} (ignored during next build; the server will refuse to start without it)`);
    return deferred(error, options.basePath ?? "/api/pinterest");
  }
  const handler = createHandler(core);
  return {
    handlers: { GET: handler, POST: handler },
    handler,
    async getSession() {
      const session = await nextSession(core);
      const json = await session.session();
      await commitWherePossible(core, session);
      return json;
    },
    async getAccessToken(tokenOptions = {}) {
      const session = await nextSession(core);
      try {
        return (await session.tokenSet({ signal: tokenOptions.signal })).accessToken;
      } finally {
        await commitWherePossible(core, session);
      }
    },
    api() {
      let opened: Promise<RequestSession> | undefined;
      const settle = (session: RequestSession) => commitWherePossible(core, session);
      return boundApi(core, () => (opened ??= nextSession(core)), settle);
    },
    proxy: createProxy(core),
    forRequest(request) {
      const jar = new RequestCookieJar(request.headers.get("cookie"));
      const origin = appOrigin(core.config.redirectUri, requestOrigin(request.headers, new URL(request.url)));
      const session = core.sessions.open(jar, secureCookies(origin));
      return {
        getSession: () => session.session(),
        getAccessToken: async (tokenOptions = {}) =>
          (await session.tokenSet({ signal: tokenOptions.signal })).accessToken,
        api: () =>
          boundApi(
            core,
            async () => session,
            async () => {},
          ),
        async applyCookies(response) {
          await session.commit();
          if (jar.setCookies.length === 0) return response;
          const headers = new Headers(response.headers);
          for (const cookie of jar.setCookies) headers.append("Set-Cookie", cookie);
          return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
        },
      };
    },
    oauth: core.oauth,
    basePath: core.config.basePath,
    mode: core.sessions.backend.mode,
  };
}

/** Core's typed client over a session: `open` gives the session, `settle` writes its cookie where possible. */
function boundApi(
  core: AuthCore,
  open: () => Promise<RequestSession>,
  settle: (session: RequestSession) => Promise<void>,
): PinterestApi {
  const manager = requestTokenManager(open, core.oauth.baseUrl, settle);
  return createPinterestApi({ manager, fetch: core.config.fetch });
}
