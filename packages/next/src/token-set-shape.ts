import type { TokenSet } from "@pintoken/core";

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
