/**
 * The typed Pinterest API client, `createPinterestApi` from `@pintoken/core/api`: an
 * [openapi-fetch](https://openapi-ts.dev/openapi-fetch/) client over every path of Pinterest's API v5, whose requests
 * carry a token manager's access token (refreshed when due, refreshed and replayed once after a 401). A separate
 * entry point, so that only programs that use it load openapi-fetch.
 *
 * @example
 * ```ts
 * import { createPinterestOAuth, createTokenManager, DenoKvTokenStore } from "@pintoken/deno";
 * import { createPinterestApi } from "@pintoken/deno/api";
 *
 * const oauth = createPinterestOAuth({
 *   clientId: Deno.env.get("PINTEREST_CLIENT_ID")!,
 *   clientSecret: Deno.env.get("PINTEREST_CLIENT_SECRET")!,
 * });
 * const manager = createTokenManager({ oauth, store: await DenoKvTokenStore.open(), key: "user-42" });
 * const api = createPinterestApi({ manager });
 * const { data, error } = await api.GET("/user_account"); // typed from Pinterest's OpenAPI description
 * ```
 *
 * @module
 */
export * from "@pintoken/core/api";
