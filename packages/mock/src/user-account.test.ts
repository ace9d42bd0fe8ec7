import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createMockPinterest } from "./create-mock-pinterest.ts";
import { mockAccount } from "./defaults.ts";
import { basic, getAccount, postForm } from "./test-support/requests.ts";
import { useMockPinterest } from "./testing.ts";

const { mock, server } = useMockPinterest({ beforeAll, afterEach, afterAll });
const authenticationFailed = { code: 2, message: "Authentication failed." };

describe("GET /user_account", () => {
  test("answers the configured Account for a user token with user_accounts:read", async () => {
    const { access_token } = mock.issueTokens({ scopes: ["user_accounts:read"] });
    const response = await getAccount(access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(mockAccount);
  });

  test("answers for a client-credentials token too (the operation accepts both schemes)", async () => {
    const { access_token } = await (
      await postForm({ grant_type: "client_credentials", scope: "user_accounts:read" })
    ).json();
    expect((await getAccount(access_token)).status).toBe(200);
  });

  test("a missing bearer token is rejected with 401 code 2", async () => {
    const response = await getAccount(null);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(authenticationFailed);
    expect(response.headers.get("x-pintoken-mock-reason")).toMatch(
      /No Authorization header: send Authorization: Bearer/,
    );
  });

  test("client credentials in HTTP Basic are not an access token", async () => {
    const response = await fetch("https://api.pinterest.com/v5/user_account", { headers: { authorization: basic() } });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-pintoken-mock-reason")).toMatch(/not client credentials/);
  });

  test("a token the mock never issued, or a refresh token, is rejected", async () => {
    expect((await getAccount("pina_made_up")).status).toBe(401);
    const { refresh_token } = mock.issueTokens({ scopes: ["user_accounts:read"] });
    const response = await getAccount(refresh_token as string);
    expect(response.status).toBe(401);
    expect(response.headers.get("x-pintoken-mock-reason")).toMatch(/is a refresh token/);
  });

  test("a token without user_accounts:read is refused with 403 and the spec's example body", async () => {
    const { access_token } = mock.issueTokens({ scopes: ["pins:read"] });
    const response = await getAccount(access_token);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ code: 403, message: "Not authorized to access the user account." });
    expect(response.headers.get("x-pintoken-mock-reason")).toMatch(
      /lacks scope user_accounts:read \(it has pins:read\)/,
    );
  });

  test("expireAccessTokens() expires every access token now", async () => {
    const { access_token } = mock.issueTokens({ scopes: ["user_accounts:read"] });
    expect(mock.expireAccessTokens()).toBe(1);
    const response = await getAccount(access_token);
    expect(response.status).toBe(401);
    expect(response.headers.get("x-pintoken-mock-reason")).toMatch(/expired: refresh it or authorize again/);
  });

  test("the ad_account_id query parameter is validated against its schema", async () => {
    const { access_token } = mock.issueTokens({ scopes: ["user_accounts:read"] });
    expect((await getAccount(access_token, { query: "?ad_account_id=549755885175" })).status).toBe(200);

    const letters = await getAccount(access_token, { query: "?ad_account_id=abc" });
    expect(letters.status).toBe(400);
    expect(await letters.json()).toEqual({
      code: 1,
      message: 'Invalid query parameter "ad_account_id": expected a string matching ^\\d+$, got string "abc".',
    });

    const tooLong = await getAccount(access_token, { query: `?ad_account_id=${"1".repeat(19)}` });
    expect((await tooLong.json()).message).toBe(
      'Invalid query parameter "ad_account_id": expected at most 18 characters, got 19.',
    );

    const twice = await getAccount(access_token, { query: "?ad_account_id=1&ad_account_id=2" });
    expect((await twice.json()).message).toBe(
      'The query parameter "ad_account_id" is sent more than once: send it once.',
    );
  });

  test("the account is configurable per mock", async () => {
    const shop = createMockPinterest({ account: { username: "my_shop", account_type: "PINNER", business_name: null } });
    server.use(...shop.handlers);
    const { access_token } = shop.issueTokens({ scopes: ["user_accounts:read"] });
    const body = await (await getAccount(access_token)).json();
    expect(body).toEqual({ ...mockAccount, username: "my_shop", account_type: "PINNER", business_name: null });
  });

  test("an account that does not match the spec is refused when the mock is created", () => {
    expect(() => createMockPinterest({ account: { id: "not-digits" } })).toThrow(
      `account does not match the spec's Account schema: /id: expected a string matching ^\\d+$, got string "not-digits"`,
    );
  });
});
