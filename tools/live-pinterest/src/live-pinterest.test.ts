/**
 * The opt-in check against Pinterest itself (see README.md): it runs only when PINTEREST_CLIENT_ID,
 * PINTEREST_CLIENT_SECRET and PINTEREST_REFRESH_TOKEN are set, and never when CI is. It refreshes once, so it
 * rotates your refresh token: the new one is printed to stderr first, before anything is asserted.
 */
import { expect, it } from "vitest";
import { liveCheck } from "./live-check.ts";

const required = ["PINTEREST_CLIENT_ID", "PINTEREST_CLIENT_SECRET", "PINTEREST_REFRESH_TOKEN"] as const;
const missing = required.filter((name) => !process.env[name]);
const skipReason = process.env.CI
  ? "CI is set, and the live check never runs in CI"
  : missing.length > 0
    ? `set ${missing.join(", ")} to run it (see tools/live-pinterest/README.md)`
    : undefined;

if (skipReason) console.warn(`SKIPPED: the live check against Pinterest: ${skipReason}.`);

it.skipIf(skipReason !== undefined)(
  skipReason
    ? `live check against Pinterest (skipped: ${skipReason})`
    : "one refresh against Pinterest: the answer's fields, rotation, a 60-day refresh token, the old token refused",
  async () => {
    const result = await liveCheck({
      clientId: process.env.PINTEREST_CLIENT_ID as string,
      clientSecret: process.env.PINTEREST_CLIENT_SECRET as string,
      refreshToken: process.env.PINTEREST_REFRESH_TOKEN as string,
      baseUrl: process.env.PINTEREST_API_BASE_URL,
      tell: (message) => console.error(message),
    });
    const { tokenSet: _, currentRefreshToken: __, ...findings } = result;
    console.error(`What Pinterest answered (no token values): ${JSON.stringify(findings, null, 2)}`);

    // What the mock assumes (packages/mock/README.md, "Assumptions"), confirmed one by one.
    expect(result.answerFields).toEqual(
      expect.arrayContaining(["access_token", "expires_in", "refresh_token", "scope", "token_type"]),
    );
    expect(result.responseType).toBe("refresh_token");
    expect(result.rotated, "every refresh returns a new refresh token (continuous refresh)").toBe(true);
    expect(result.refreshTokenDays, "a continuous refresh token lives 60 days").toBeGreaterThan(55);
    expect(result.refreshTokenDays).toBeLessThan(65);
    expect(result.accessTokenDays).toBeGreaterThan(0);
    expect(result.oldTokenFate, "a used refresh token is refused afterwards (invalid_grant)").toMatchObject({
      kind: "invalid_grant",
    });
    if (result.accountStatus !== undefined) expect(result.accountStatus).toBe(200);
  },
  60_000,
);
