import { createPinterestOAuth, type TokenSet, type TokenStore } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import type { MockPinterestServer } from "@pintoken/mock/server";
import { expect } from "vitest";
import { type ProcessReport, summarize } from "./fleet.ts";

/** A real sign-in at the mock (code exchange over HTTP), stored with its access token already expired. */
export async function signInExpired(pinterest: MockPinterestServer, store: TokenStore, key: string): Promise<TokenSet> {
  const oauth = createPinterestOAuth({
    clientId: mockClient.clientId,
    clientSecret: mockClient.clientSecret,
    baseUrl: pinterest.apiBaseUrl,
  });
  const { code } = pinterest.mock.authorize({ scopes: ["user_accounts:read", "pins:read"] });
  const tokens = await oauth.exchangeCode({ code, redirectUri: mockClient.redirectUris[0] as string });
  const expired = { ...tokens, expiresAt: Date.now() - 1_000 };
  await store.set(key, expired);
  pinterest.mock.calls.reset();
  return expired;
}

/** The refresh calls Pinterest received since the last `calls.reset()`. */
export function refreshCalls(pinterest: MockPinterestServer) {
  return pinterest.mock.calls.for("oauth/token").filter((call) => call.form?.grant_type === "refresh_token");
}

/**
 * Every caller got the one new access token; Pinterest rotated the refresh token exactly once (`refreshes` calls in
 * all, one answered 200, the last); the store holds that rotation's tokens, and they are live at Pinterest.
 */
export async function expectOneRotation(options: {
  pinterest: MockPinterestServer;
  store: TokenStore;
  key: string;
  before: TokenSet;
  reports: readonly ProcessReport[];
  callsPerProcess: number;
  refreshes?: number;
}): Promise<void> {
  const { pinterest, store, key, before, reports } = options;
  const { outcomes, tokens, errors } = summarize(reports);
  expect([...errors.keys()]).toEqual([]);
  expect(outcomes).toHaveLength(reports.length * options.callsPerProcess);
  const calls = refreshCalls(pinterest);
  expect(calls).toHaveLength(options.refreshes ?? 1);
  expect(calls.filter((call) => call.status === 200)).toHaveLength(1);
  const answer = calls.at(-1)?.body as { access_token: string; refresh_token: string };
  expect([...tokens.keys()]).toEqual([answer.access_token]);
  const stored = await store.get(key);
  expect(stored?.tokenSet.accessToken).toBe(answer.access_token);
  expect(stored?.tokenSet.refreshToken).toBe(answer.refresh_token);
  expect(stored?.tokenSet.expiresAt).toBeGreaterThan(Date.now());
  expect(pinterest.mock.inspectToken(answer.refresh_token)?.status).toBe("active");
  expect(pinterest.mock.inspectToken(before.refreshToken as string)?.status).toBe("rotated");
}
