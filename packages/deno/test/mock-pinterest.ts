/**
 * The real `@pintoken/mock` server for Deno tests: `startMockPinterest` from `@pintoken/mock/server`, run under Deno
 * (its `node:http` server through Deno's Node compatibility) on a free loopback port. Only tests use this module;
 * the package itself never touches Node APIs.
 */
import { mockClient, type RecordedCall } from "@pintoken/mock";
import { type MockPinterestServer, type StartMockPinterestOptions, startMockPinterest } from "@pintoken/mock/server";
import { createPinterestOAuth, type PinterestOAuth, type PinterestOAuthOptions } from "../src/index.ts";

export { mockAccount, mockClient } from "@pintoken/mock";
export type { MockPinterestServer };

/** Starts the mock on 127.0.0.1 (a free port), runs `body`, and always stops the mock. */
export async function withMockPinterest(
  options: StartMockPinterestOptions,
  body: (server: MockPinterestServer) => Promise<void>,
): Promise<void> {
  const server = await startMockPinterest({ ...options, host: "127.0.0.1", port: 0 });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/** A client of the mock's registered app at `server`'s URLs; retries back off for milliseconds, not seconds. */
export function oauthFor(
  server: Pick<MockPinterestServer, "apiBaseUrl"> & Partial<Pick<MockPinterestServer, "authorizationEndpoint">>,
  overrides: Partial<PinterestOAuthOptions> = {},
): PinterestOAuth {
  return createPinterestOAuth({
    clientId: mockClient.clientId,
    clientSecret: mockClient.clientSecret,
    redirectUri: mockClient.redirectUris[0],
    baseUrl: server.apiBaseUrl,
    ...(server.authorizationEndpoint ? { authorizationEndpoint: server.authorizationEndpoint } : {}),
    retry: { minDelayMs: 1, maxDelayMs: 10 },
    ...overrides,
  });
}

/** The refresh calls the mock answered (grant_type=refresh_token), in order. */
export function refreshCalls(server: MockPinterestServer): readonly RecordedCall[] {
  return server.mock.calls.for("oauth/token").filter((call) => call.form?.grant_type === "refresh_token");
}
