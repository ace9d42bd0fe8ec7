import type { TokenSet } from "@pintoken/core";
import type { SessionJson } from "../contract.ts";

/** What `/session` says about a token set. */
export function sessionJson(tokenSet: TokenSet): SessionJson {
  return {
    status: "authenticated",
    scopes: [...tokenSet.scopes],
    expiresAt: tokenSet.expiresAt,
    refreshTokenExpiresAt: tokenSet.refreshTokenExpiresAt ?? null,
  };
}

/** When the grant behind a token set ends: the refresh token's expiry, or the access token's without one. */
export function grantEnd(tokenSet: TokenSet): number {
  return tokenSet.refreshToken ? (tokenSet.refreshTokenExpiresAt ?? Number.POSITIVE_INFINITY) : tokenSet.expiresAt;
}
