/**
 * The live check's own code, run against the mock Pinterest over HTTP so that it is known to work before anyone
 * spends a real refresh token on it: the new refresh token is told at once, and both fates of the old one are
 * recognised.
 */
import { createPinterestOAuth } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { afterEach, expect, it } from "vitest";
import { liveCheck } from "./live-check.ts";

let server: MockPinterestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function signedIn(options: { rotateRefreshTokens?: boolean } = {}) {
  server = await startMockPinterest(options);
  const oauth = createPinterestOAuth({ ...mockClient, baseUrl: server.apiBaseUrl });
  const { code } = server.mock.authorize({ scopes: ["user_accounts:read"] });
  const tokens = await oauth.exchangeCode({ code, redirectUri: mockClient.redirectUris[0] as string });
  return { baseUrl: server.apiBaseUrl, refreshToken: tokens.refreshToken as string };
}

it("tells the rotated refresh token first, checks the account, and finds the old token refused", async () => {
  const { baseUrl, refreshToken } = await signedIn();
  const told: string[] = [];
  const result = await liveCheck({ ...mockClient, refreshToken, baseUrl, tell: (m) => told.push(m) });
  expect(result.rotated).toBe(true);
  expect(told).toHaveLength(1);
  expect(told[0]).toContain(`PINTEREST_REFRESH_TOKEN=${result.currentRefreshToken}`);
  expect(result.currentRefreshToken).toBe(result.tokenSet.refreshToken);
  expect(server?.mock.inspectToken(result.currentRefreshToken)?.status).toBe("active");
  expect(result.answerFields).toEqual(expect.arrayContaining(["access_token", "refresh_token", "expires_in"]));
  expect(result.answerFields.join()).not.toContain("pinr_"); // names only
  expect(result.responseType).toBe("refresh_token");
  expect(result.refreshTokenDays).toBeGreaterThan(55);
  expect(result.accountStatus).toBe(200);
  expect(result.oldTokenFate).toEqual({ kind: "invalid_grant", status: 401 });
});

it("when the old token still works, tells the newest refresh token as the one to keep", async () => {
  const { baseUrl, refreshToken } = await signedIn({ rotateRefreshTokens: false });
  const told: string[] = [];
  const result = await liveCheck({ ...mockClient, refreshToken, baseUrl, tell: (m) => told.push(m) });
  expect(result.oldTokenFate).toEqual({ kind: "accepted" });
  expect(told).toHaveLength(2);
  expect(told[1]).toContain(`PINTEREST_REFRESH_TOKEN=${result.currentRefreshToken}`);
  expect(result.currentRefreshToken).not.toBe(result.tokenSet.refreshToken);
});

it("a dead refresh token is a clear error, and nothing is told", async () => {
  const { baseUrl } = await signedIn();
  const told: string[] = [];
  await expect(
    liveCheck({ ...mockClient, refreshToken: "pinr_dead", baseUrl, tell: (m) => told.push(m) }),
  ).rejects.toThrow(/refused the refresh token you gave \(invalid_grant\).*Sign in again/);
  expect(told).toEqual([]);
});
