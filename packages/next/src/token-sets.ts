import type { TokenSet } from "@pintoken/core";
import type { SessionJson } from "./contract.ts";

/**
 * Whether a value read back from a session cookie is a `TokenSet`. The cookie is authenticated, so this guards only
 * against a cookie written by another version of this package.
 */
export function isTokenSet(value: unknown): value is TokenSet {
  if (value === null || typeof value !== "object") return false;
  const set = value as Record<string, unknown>;
  return (
    typeof set.accessToken === "string" &&
    typeof set.tokenType === "string" &&
    typeof set.expiresAt === "number" &&
    typeof set.responseType === "string" &&
    Array.isArray(set.scopes) &&
    set.scopes.every((scope) => typeof scope === "string") &&
    (set.refreshToken === undefined || typeof set.refreshToken === "string") &&
    (set.refreshTokenExpiresAt === undefined || typeof set.refreshTokenExpiresAt === "number")
  );
}

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
