import type { TokenResponseType as CoreTokenResponseType, TokenSet } from "@pintoken/core";
import type { TokenRecord } from "./issued-tokens.ts";
import type { MockConfig } from "./options.ts";
import { joinScopes } from "./scopes.ts";

/**
 * The `response_type` values the mock answers with: core's, except `integration_refresh` (no mock grant issues it).
 *
 * @example
 * ```ts
 * const expected: TokenResponseType = "refresh_token";
 * expect(body.response_type).toBe(expected);
 * ```
 */
export type TokenResponseType = Exclude<CoreTokenResponseType, "integration_refresh">;

/**
 * The body of a successful `POST /oauth/token`, as the spec's `OauthAccessTokenResponse` describes it.
 *
 * @example
 * ```ts
 * const body: TokenResponseBody = mock.issueTokens({ scopes: ["pins:read"] });
 * body.access_token; // "pina_…"
 * ```
 */
export interface TokenResponseBody {
  readonly response_type: TokenResponseType;
  readonly access_token: string;
  readonly token_type: "bearer";
  readonly expires_in: number;
  readonly scope: string;
  readonly refresh_token?: string;
  readonly refresh_token_expires_in?: number;
  readonly refresh_token_expires_at?: number;
}

/**
 * Builds a token response. `expires_in` and `refresh_token_expires_in` are seconds from now. ASSUMED:
 * `refresh_token_expires_at` is in epoch seconds (the spec says only "integer"), and `scope` lists this grant's
 * scopes (Pinterest's quickstart says Pinterest lists every scope the user ever granted the app).
 */
export function tokenResponse(
  config: MockConfig,
  responseType: TokenResponseType,
  access: TokenRecord,
  refresh?: TokenRecord,
): TokenResponseBody {
  const now = config.now();
  const body: TokenResponseBody = {
    response_type: responseType,
    access_token: access.value,
    token_type: "bearer",
    expires_in: Math.round((access.expiresAt - now) / 1000),
    scope: joinScopes(access.scopes),
  };
  if (!refresh) return body;
  return {
    ...body,
    refresh_token: refresh.value,
    refresh_token_expires_in: Math.round((refresh.expiresAt - now) / 1000),
    refresh_token_expires_at: Math.floor(refresh.expiresAt / 1000),
  };
}

/**
 * What `mock.issueTokens()` and the control API's `issueTokens()` answer: the token response a code exchange would
 * answer, and the same tokens as `@pintoken/core`'s `TokenSet` (`tokenSet`), ready for a `TokenStore` or
 * `manager.save()`: a test can start from a signed-in user without the consent page and the exchange.
 *
 * @example
 * ```ts
 * import { parseTokenSet } from "@pintoken/core";
 * const { tokenSet, access_token } = await control.issueTokens({ scopes: ["user_accounts:read"] });
 * await store.set("user-1", tokenSet); // the session the app under test will use
 * parseTokenSet(JSON.parse(JSON.stringify(tokenSet))); // a TokenSet, as a store would read it back
 * ```
 */
export interface IssuedTokenResponse extends TokenResponseBody {
  /**
   * The same tokens as a `TokenSet`: times in epoch milliseconds on the mock's clock (`Date.now()` unless a test moved
   * it), so the set is due exactly when the mock's access token expires.
   */
  readonly tokenSet: TokenSet;
}

/** The tokens of a response as `@pintoken/core`'s `TokenSet` (what `parseTokenSet` reads and a store keeps). */
export function tokenSetOf(responseType: TokenResponseType, access: TokenRecord, refresh?: TokenRecord): TokenSet {
  const tokenSet: TokenSet = {
    accessToken: access.value,
    tokenType: "bearer",
    scopes: [...access.scopes],
    expiresAt: access.expiresAt,
    responseType,
    issuedAt: access.issuedAt,
  };
  if (refresh) {
    tokenSet.refreshToken = refresh.value;
    tokenSet.refreshTokenExpiresAt = refresh.expiresAt;
  }
  return tokenSet;
}
