/**
 * The typed API client: an [openapi-fetch](https://openapi-ts.dev/openapi-fetch/) client over every operation of
 * Pinterest's API v5 (all 231 of release 5.23.0: `paths`, `operations` and `components` are exported here),
 * authenticated by a token manager, that waits out Pinterest's rate limit on idempotent requests; and `paginate`, which
 * walks a list Pinterest pages with a `bookmark`. A separate entry point, so that only apps that use it bundle
 * openapi-fetch. For another Pinterest release, generate your own types with `npx @pintoken/codegen` and pass them:
 * `createPinterestApi<paths>()`.
 *
 * @example
 * ```ts
 * import { createPinterestApi, paginate } from "@pintoken/core/api";
 *
 * const api = createPinterestApi({ manager });
 * const { data, error } = await api.GET("/pins/{pin_id}", { params: { path: { pin_id: "123" } } }); // typed
 * for await (const board of paginate(api, "/boards")) console.log(board.name);
 * ```
 *
 * @module
 */
import createClient, { type Client } from "openapi-fetch";
import { createAuthorizedFetch } from "./authorized-fetch.ts";
import type { paths } from "./generated/openapi.gen.ts";
import { apiBaseUrl } from "./generated/spec.gen.ts";
import { type RateLimitOptions, waitOutRateLimits } from "./rate-limit.ts";
import type { TokenManager } from "./token-manager.ts";

/**
 * The types of every Pinterest API v5 operation, from Pinterest's OpenAPI description with pintoken's corrections
 * (openapi-typescript): `paths` (each path and its methods), `operations` (by operationId) and `components` (its
 * schemas). `npx @pintoken/codegen` writes the same for any other release.
 *
 * @example
 * ```ts
 * import type { components, operations, paths } from "@pintoken/core/api";
 * type Board = components["schemas"]["Board"];
 * type Pin = paths["/pins/{pin_id}"]["get"]["responses"][200]["content"]["application/json"];
 * type ListBoards = operations["boards/list"];
 * ```
 */
export type { components, operations, paths } from "./generated/openapi.gen.ts";
export { type PagedPath, type PageItem, type PaginateOptions, paginate } from "./paginate.ts";
export type { RateLimitOptions } from "./rate-limit.ts";

/**
 * The typed client {@link createPinterestApi} makes: openapi-fetch's `Client` over `Paths` (by default every operation
 * of the shipped types).
 *
 * @example
 * ```ts
 * import { createPinterestApi, type PinterestApi } from "@pintoken/core/api";
 * const api: PinterestApi = createPinterestApi({ manager });
 * ```
 */
export type PinterestApi<Paths extends {} = paths> = Client<Paths>;

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
  /**
   * How 429 answers are waited out: idempotent requests (GET, HEAD, OPTIONS, PUT, DELETE) answered 429 with a
   * `Retry-After` are sent again after it (default: twice, for waits up to 60 s); `false` answers every 429 as is.
   */
  rateLimit?: RateLimitOptions | false | undefined;
}

/**
 * Creates the typed openapi-fetch client for Pinterest's API. With `manager`, requests carry its access token; without,
 * they carry none (pass your own `Authorization` header). Typed with the shipped types of every operation, or with
 * your own: `createPinterestApi<paths>()` with the `paths` that `npx @pintoken/codegen` wrote.
 *
 * @example
 * ```ts
 * const api = createPinterestApi({ manager });
 * const { data } = await api.GET("/boards", { params: { query: { page_size: 50 } } });
 * // With types generated from another release: import type { paths } from "./pinterest";
 * const mine = createPinterestApi<paths>({ manager });
 * ```
 */
export function createPinterestApi<Paths extends {} = paths>(options: PinterestApiOptions = {}): PinterestApi<Paths> {
  const { manager, fetch, rateLimit } = options;
  const authorized = manager
    ? createAuthorizedFetch(manager, { fetch, allowedOrigins: options.allowedOrigins })
    : (request: Request) => (fetch ?? globalThis.fetch)(request);
  const send = rateLimit === false ? authorized : waitOutRateLimits(authorized, rateLimit);
  return createClient<Paths>({
    baseUrl: options.baseUrl ?? manager?.apiBaseUrl ?? apiBaseUrl,
    fetch: (request: Request) => send(request),
  });
}
