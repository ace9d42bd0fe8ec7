/**
 * The typed API client: an [openapi-fetch](https://openapi-ts.dev/openapi-fetch/) client over every path in
 * Pinterest's spec, authenticated by a token manager. A separate entry point, so that only apps that use it bundle
 * openapi-fetch.
 *
 * @example
 * ```ts
 * import { createPinterestApi } from "@pintoken/core/api";
 *
 * const api = createPinterestApi({ manager });
 * const { data, error } = await api.GET("/user_account"); // data is typed from the spec
 * ```
 *
 * @module
 */
import createClient, { type Client } from "openapi-fetch";
import { createAuthorizedFetch } from "./authorized-fetch.ts";
import type { paths } from "./generated/openapi.gen.ts";
import { apiBaseUrl } from "./generated/spec.gen.ts";
import type { TokenManager } from "./token-manager.ts";

/**
 * Options of {@link createPinterestApi}.
 *
 * @example
 * ```ts
 * const api = createPinterestApi({ manager, allowedOrigins: ["https://api-sandbox.pinterest.com"] });
 * ```
 */
export interface PinterestApiOptions {
  /** Adds the manager's access token to every request (refreshed when due; refresh-and-replay once on a 401). */
  manager?: TokenManager | undefined;
  /** Default: the manager's `apiBaseUrl`, else `https://api.pinterest.com/v5`. */
  baseUrl?: string | undefined;
  /** A `fetch` to use instead of `globalThis.fetch` (looked up at each request, so msw works). */
  fetch?: typeof globalThis.fetch | undefined;
  /** More origins that get the bearer token, besides the API's own; see `createAuthorizedFetch`. */
  allowedOrigins?: readonly string[] | undefined;
}

/**
 * Creates the typed openapi-fetch client for Pinterest's API. With `manager`, requests carry its access token; without,
 * they carry none (pass your own `Authorization` header). This replaces the former `oauth.api`.
 *
 * @example
 * ```ts
 * const api = createPinterestApi({ manager });
 * const { data } = await api.GET("/user_account", { params: { query: { ad_account_id: "123" } } });
 * ```
 */
export function createPinterestApi(options: PinterestApiOptions = {}): Client<paths> {
  const { manager, fetch } = options;
  const send = manager
    ? createAuthorizedFetch(manager, { fetch, allowedOrigins: options.allowedOrigins })
    : (request: Request) => (fetch ?? globalThis.fetch)(request);
  return createClient<paths>({
    baseUrl: options.baseUrl ?? manager?.apiBaseUrl ?? apiBaseUrl,
    fetch: (request: Request) => send(request),
  });
}
