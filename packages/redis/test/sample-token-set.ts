import type { TokenSet } from "@pintoken/core";

let serial = 0;

/** A complete token set with tokens no other call returns. */
export function sampleTokenSet(overrides: Partial<TokenSet> = {}): TokenSet {
  serial++;
  return {
    accessToken: `pina_sample_access_${serial}`,
    tokenType: "bearer",
    scopes: ["user_accounts:read", "pins:read"],
    expiresAt: Date.now() + 3_600_000,
    refreshToken: `pinr_sample_refresh_${serial}`,
    refreshTokenExpiresAt: Date.now() + 60 * 86_400_000,
    responseType: "authorization_code",
    issuedAt: Date.now(),
    ...overrides,
  };
}
