import type { Middleware } from "openapi-fetch";
import type { TokenManager } from "./token-manager.ts";

function withBearer(request: Request, accessToken: string): Request {
  const next = new Request(request);
  next.headers.set("Authorization", `Bearer ${accessToken}`);
  return next;
}

interface SentRequest {
  /** An unsent copy of the request, to replay. */
  replay: Request;
  /** The access token it was sent with. */
  accessToken: string;
}

/**
 * After a 401 to a request sent with `sent.accessToken`: refreshes once (unless someone already did) and replays the
 * request once with the new token. Any other response is left alone (undefined).
 */
async function replayAfter401(
  manager: TokenManager,
  response: Response,
  sent: SentRequest,
  send: (request: Request) => Promise<Response>,
): Promise<Response | undefined> {
  if (response.status !== 401) return undefined;
  const refreshed = await manager.refresh({ ifAccessToken: sent.accessToken, signal: sent.replay.signal });
  await response.body?.cancel().catch(() => undefined);
  return send(withBearer(sent.replay, refreshed.accessToken));
}

/**
 * A `fetch` that authenticates every request with the manager's access token (refreshed when due), and on a 401
 * refreshes once and replays the request once. Give it to openapi-fetch, or call it like `fetch`.
 *
 * @example
 * ```ts
 * import createClient from "openapi-fetch";
 * import type { paths } from "@pintoken/core";
 * const api = createClient<paths>({ baseUrl: "https://api.pinterest.com/v5", fetch: createAuthorizedFetch(manager) });
 * const { data } = await api.GET("/user_account");
 * ```
 */
export function createAuthorizedFetch(
  manager: TokenManager,
  options: { fetch?: typeof globalThis.fetch | undefined } = {},
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const send = (request: Request) => (options.fetch ?? globalThis.fetch)(request);
  return async (input, init) => {
    const request = new Request(input, init);
    const accessToken = await manager.getAccessToken({ signal: request.signal });
    const sent = { replay: request.clone(), accessToken };
    const response = await send(withBearer(request, accessToken));
    return (await replayAfter401(manager, response, sent, send)) ?? response;
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
export function createAuthMiddleware(manager: TokenManager): Middleware {
  const pending = new Map<string, SentRequest>();
  return {
    async onRequest({ request, id }) {
      const accessToken = await manager.getAccessToken({ signal: request.signal });
      pending.set(id, { replay: request.clone(), accessToken });
      return withBearer(request, accessToken);
    },
    async onResponse({ response, id, options }) {
      const sent = pending.get(id);
      pending.delete(id);
      return sent && replayAfter401(manager, response, sent, options.fetch);
    },
    onError({ id }) {
      pending.delete(id);
    },
  };
}
