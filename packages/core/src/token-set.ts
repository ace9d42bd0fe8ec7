import type { components } from "./generated/oauth.gen.ts";

/**
 * Which grant produced a token set (Pinterest's `response_type`).
 *
 * @example
 * ```ts
 * const isAppToken = (tokens: TokenSet) => tokens.responseType === "client_credentials";
 * ```
 */
export type TokenResponseType = "authorization_code" | "refresh_token" | "client_credentials" | "integration_refresh";

/**
 * Tokens from Pinterest, normalized from every response variant. Times are epoch milliseconds. This is plain,
 * JSON-serializable data: it is what a `TokenStore` keeps.
 *
 * @example
 * ```ts
 * const tokens: TokenSet = await oauth.exchangeCode({ code });
 * if (tokens.expiresAt - Date.now() < 60_000) await oauth.refresh({ refreshToken: tokens.refreshToken! });
 * ```
 */
export interface TokenSet {
  /** The bearer token for API calls (`Authorization: Bearer …`). */
  accessToken: string;
  /** Pinterest's `token_type`, normally `"bearer"`. */
  tokenType: string;
  /** Granted scopes (Pinterest lists every scope the user ever approved for the app). */
  scopes: string[];
  /** When the access token expires (epoch ms). */
  expiresAt: number;
  /** The refresh token; Pinterest rotates it on every refresh ("continuous refresh"). Absent for client credentials. */
  refreshToken?: string;
  /** When the refresh token expires (epoch ms). */
  refreshTokenExpiresAt?: number;
  /** Which grant produced this set. */
  responseType: TokenResponseType;
  /**
   * When the access token was issued (epoch ms). The token manager never lets its refresh window take more than
   * half of a token's lifetime, so a short-lived token is not refreshed (and its refresh token rotated) on every
   * call. Absent in sets saved by earlier versions.
   */
  issuedAt?: number;
}

/** A token response body, as the spec describes it (any variant). */
export type TokenResponseBody = components["schemas"]["OauthAccessTokenResponse"];

/**
 * Splits Pinterest's scope string; commas are what Pinterest uses, spaces are accepted too.
 *
 * @example
 * ```ts
 * parseScopes("pins:read,boards:read"); // ["pins:read", "boards:read"]
 * ```
 */
export function parseScopes(scope: string): string[] {
  return [...new Set(scope.split(/[\s,]+/))].filter((name) => name);
}

/**
 * Builds a `TokenSet` from a validated token response. `previous` is the set being refreshed: when a refresh
 * response carries no refresh token, the previous one (and its expiry) is kept, so it is never lost.
 *
 * Pinterest does not document the unit of `refresh_token_expires_at`; epoch seconds is what it looks like. Values too
 * large to be seconds are taken as milliseconds.
 */
export function toTokenSet(
  body: TokenResponseBody,
  grant: TokenResponseType,
  now: number,
  previous?: Pick<TokenSet, "refreshToken" | "refreshTokenExpiresAt">,
): TokenSet {
  const {
    refresh_token: rotated,
    refresh_token_expires_in: inSeconds,
    refresh_token_expires_at: at,
  } = body as TokenResponseBody & {
    refresh_token?: unknown;
    refresh_token_expires_in?: number;
    refresh_token_expires_at?: number;
  };
  // A refresh token of another type than string belongs to a variant that leaves it out: it is not one.
  const fresh = typeof rotated === "string" && rotated;
  const refreshToken = fresh || previous?.refreshToken;
  const refreshTokenExpiresAt = fresh
    ? inSeconds !== undefined
      ? now + inSeconds * 1000
      : (at as number) < 1e12
        ? (at as number) * 1000
        : at
    : previous?.refreshTokenExpiresAt;
  return {
    accessToken: body.access_token,
    tokenType: body.token_type,
    scopes: parseScopes(body.scope),
    expiresAt: now + body.expires_in * 1000,
    responseType: (body.response_type as TokenResponseType | undefined) ?? grant,
    issuedAt: now,
    ...(refreshToken && { refreshToken }),
    ...(refreshToken && refreshTokenExpiresAt !== undefined && { refreshTokenExpiresAt }),
  };
}
