import { createPinterestOAuth, PinterestApiError } from "@pintoken/core";
import { createPinterestApi } from "@pintoken/core/api";
import { testClock } from "@pintoken/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { mockClient } from "./defaults.ts";
import { redirectUri } from "./test-support/requests.ts";
import { useMockPinterest } from "./testing.ts";

const clock = testClock();
const { mock } = useMockPinterest({ beforeAll, afterEach, afterAll }, { now: () => clock.now });
const oauth = createPinterestOAuth({
  clientId: mockClient.clientId,
  clientSecret: mockClient.clientSecret,
  redirectUri,
  clock: () => clock.now,
  retry: false,
});

describe("@pintoken/core's client against the mock (the two agree on the wire)", () => {
  test("authorization URL → Allow → exchange → refresh (rotated) → revoke", async () => {
    const url = oauth.authorizationUrl({ scopes: ["user_accounts:read", "pins:read"], state: "core-1" });
    const allowed = await fetch(url, {
      method: "POST",
      body: new URLSearchParams({ decision: "allow" }),
      redirect: "manual",
    });
    const back = new URL(allowed.headers.get("location") as string);
    expect(back.searchParams.get("state")).toBe("core-1");

    const tokens = await oauth.exchangeCode({ code: back.searchParams.get("code") as string });
    expect(tokens).toMatchObject({ responseType: "authorization_code", scopes: ["user_accounts:read", "pins:read"] });
    expect(tokens.expiresAt).toBe(clock.now + 2_592_000_000);
    expect(tokens.refreshTokenExpiresAt).toBe(clock.now + 5_184_000_000);

    const refreshed = await oauth.refresh({ refreshToken: tokens.refreshToken as string });
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
    const stale = await oauth.refresh({ refreshToken: tokens.refreshToken as string }).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(PinterestApiError);
    expect(stale).toMatchObject({ status: 401, pinterestCode: 283 });

    await oauth.revoke({ token: refreshed.refreshToken as string });
    expect(mock.inspectToken(refreshed.accessToken)?.status).toBe("revoked");
  });

  test("client credentials, then the typed API client with the token", async () => {
    const app = await oauth.clientCredentials({ scopes: ["user_accounts:read"] });
    expect(app).toMatchObject({ responseType: "client_credentials", scopes: ["user_accounts:read"] });
    expect(app.refreshToken).toBeUndefined();
    const { data, response } = await createPinterestApi().GET("/user_account", {
      headers: { authorization: `Bearer ${app.accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(data?.username).toBe("pintoken_demo");
  });
});
