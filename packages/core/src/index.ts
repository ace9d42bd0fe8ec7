/**
 * Pinterest API v5 OAuth for any JavaScript runtime with web-standard `fetch`: the authorize URL, code exchange,
 * refresh with rotating ("continuous") refresh tokens, client credentials, revocation, a token manager that never
 * refreshes twice at once and never loses a rotated refresh token, and an authorized `fetch`. The typed client for
 * every path in the spec is `createPinterestApi` from `@pintoken/core/api`; the `TokenStore` contract for your own
 * store is `tokenStoreContract` from `@pintoken/core/testing`.
 *
 * @example
 * ```ts
 * import { createPinterestOAuth, createState, createTokenManager, MemoryTokenStore } from "@pintoken/core";
 *
 * const oauth = createPinterestOAuth({ clientId, clientSecret, redirectUri: "https://example.com/callback" });
 * const state = createState();
 * const url = oauth.authorizationUrl({ scopes: ["user_accounts:read"], state });
 * // …Pinterest redirects back with ?code&state; check state, then:
 * const manager = createTokenManager({ oauth, store: new MemoryTokenStore(), key: "user-42" });
 * await manager.save(await oauth.exchangeCode({ code }));
 * const accessToken = await manager.getAccessToken(); // refreshed (and rotated) when due
 * ```
 *
 * @module
 */
export { type AuthorizedFetchOptions, createAuthMiddleware, createAuthorizedFetch } from "./authorized-fetch.ts";
export {
  type AuthorizationUrlParams,
  type ClientCredentialsParams,
  createPinterestOAuth,
  createState,
  type ExchangeCodeParams,
  type PinterestOAuth,
  type PinterestOAuthOptions,
  type RefreshParams,
  type RevokeParams,
} from "./client.ts";
export {
  ConfigurationError,
  InvalidResponseError,
  isInvalidGrant,
  OutcomeUnknownError,
  PinterestApiError,
  type PinterestErrorDetails,
  PinterestNetworkError,
  PinterestTimeoutError,
  PintokenError,
  type PintokenErrorCode,
  type ReauthorizationReason,
  ReauthorizationRequiredError,
  type StoreFailure,
  TokenStoreError,
  type TokenStoreErrorReason,
} from "./errors.ts";
export {
  apiBaseUrl,
  authorizationEndpoint,
  type PinterestScope,
  pinterestScopes,
  scopeDescriptions,
  specVersion,
} from "./generated/spec.gen.ts";
export { isLoopback } from "./loopback.ts";
export { openTokenSet, parseTokenSet } from "./parse-token-set.ts";
export { isTransient, parseRetryAfter, type RetryOptions } from "./retry.ts";
export { describeValue } from "./token-check.ts";
export {
  createTokenManager,
  type ForceRefreshOptions,
  type GetTokenOptions,
  type TokenManager,
  type TokenManagerEvent,
  type TokenManagerOptions,
} from "./token-manager.ts";
export { parseScopes, type TokenResponseType, type TokenSet } from "./token-set.ts";
export {
  type DueEntry,
  type DueOptions,
  type LockOptions,
  MemoryTokenStore,
  type SetOptions,
  type SetResult,
  type StoredTokenSet,
  type TokenLock,
  type TokenStore,
} from "./token-store.ts";
