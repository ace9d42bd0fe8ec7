import type { Middleware } from "openapi-fetch";
import { need } from "./client-options.ts";
import { apiBaseUrl } from "./generated/spec.gen.ts";
import type { TokenManager } from "./token-manager.ts";

/**
 * Options of {@link createAuthorizedFetch} and {@link createAuthMiddleware}.
 *
 * @example
 * ```ts
 * const authorizedFetch = createAuthorizedFetch(manager, { allowedOrigins: ["https://api-sandbox.pinterest.com"] });
 * ```
 */
export interface AuthorizedFetchOptions {
  /** A `fetch` to use instead of `globalThis.fetch` (looked up at each request, so msw works). */
  fetch?: typeof globalThis.fetch | undefined;
  /**
   * Origins besides the manager's API origin (that of `oauth.baseUrl`, by default `https://api.pinterest.com`) whose
   * requests get the bearer token, e.g. `["https://api-sandbox.pinterest.com"]`. Requests anywhere else (a media
   * `upload_url` on a storage bucket, say) are sent untouched: the token never leaves Pinterest's API.
   */
  allowedOrigins?: readonly string[] | undefined;
}

/** Whether a URL's origin may get the manager's token. */
function originCheck(manager: TokenManager, allowed: readonly string[] = []): (url: string) => boolean {
  const origins = [new URL(manager.apiBaseUrl ?? apiBaseUrl).origin];
  for (const origin of allowed) {
    let parsed: string | undefined;
    try {
      parsed = new URL(origin).origin;
    } catch {}
    need(
      parsed === origin.replace(/\/$/, ""),
      `allowedOrigins must be origins such as "https://host[:port]", got ${JSON.stringify(origin)}.`,
    );
    origins.push(parsed);
  }
  return (url) => origins.includes(new URL(url).origin);
}

function withBearer(request: Request, accessToken: string): Request {
  const next = new Request(request);
  next.headers.set("Authorization", `Bearer ${accessToken}`);
  return next;
}

/**
 * After a 401 to a request sent with `accessToken`: refreshes once (unless someone already did) and replays the request
 * (`replay`, an unsent copy) once with the new token. Any other response is left alone (undefined).
 */
async function replayAfter401(
  manager: TokenManager,
  response: Response,
  replay: Request,
  accessToken: string,
  send: (request: Request) => Promise<Response>,
): Promise<Response | undefined> {
  if (response.status !== 401) return undefined;
  const refreshed = await manager.refresh({ ifAccessToken: accessToken, signal: replay.signal });
  // Not awaited: the body of an answer that was cloned and whose clone is unread (Next.js's fetch keeps a copy, msw
  // records one) never settles its cancel (mswjs/interceptors#712), and the replay must not wait for that.
  void response.body?.cancel().catch(() => undefined);
  return send(withBearer(replay, refreshed.accessToken));
}

/**
 * A `fetch` that authenticates requests to Pinterest's API with the manager's access token (refreshed when due), and
 * on a 401 refreshes once and replays the request once. Requests to any other origin go out untouched (see
 * `allowedOrigins`). Give it to openapi-fetch, or call it like `fetch`.
 *
 * @example
 * ```ts
 * import createClient from "openapi-fetch";
 * import type { paths } from "@pintoken/core/api";
 * const api = createClient<paths>({ baseUrl: "https://api.pinterest.com/v5", fetch: createAuthorizedFetch(manager) });
 * const { data } = await api.GET("/user_account");
 * ```
 */
export function createAuthorizedFetch(
  manager: TokenManager,
  options: AuthorizedFetchOptions = {},
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const send = (request: Request) => (options.fetch ?? globalThis.fetch)(request);
  const allowed = originCheck(manager, options.allowedOrigins);
  return async (input, init) => {
    const request = new Request(input, init);
    if (!allowed(request.url)) return send(request);
    const accessToken = await manager.getAccessToken({ signal: request.signal });
    const replay = request.clone();
    const response = await send(withBearer(request, accessToken));
    return (await replayAfter401(manager, response, replay, accessToken, send)) ?? response;
  };
}

/**
 * The same as {@link createAuthorizedFetch}, as an openapi-fetch middleware.
 *
 * @example
 * ```ts
 * const api = createClient<paths>({ baseUrl: "https://api.pinterest.com/v5" });
 * api.use(createAuthMiddleware(manager));
 * ```
 */
export function createAuthMiddleware(
  manager: TokenManager,
  options: Pick<AuthorizedFetchOptions, "allowedOrigins"> = {},
): Middleware {
  const allowed = originCheck(manager, options.allowedOrigins);
  // Keyed by openapi-fetch's per-request options object, so an entry goes when the request does, even when a later
  // middleware answers and onResponse never runs.
  const pending = new WeakMap<object, [replay: Request, accessToken: string]>();
  return {
    async onRequest({ request, options: key }) {
      if (!allowed(request.url)) return undefined;
      const accessToken = await manager.getAccessToken({ signal: request.signal });
      pending.set(key, [request.clone(), accessToken]);
      return withBearer(request, accessToken);
    },
    async onResponse({ response, options: key }) {
      const sent = pending.get(key);
      pending.delete(key);
      return sent && replayAfter401(manager, response, ...sent, key.fetch);
    },
  };
}
