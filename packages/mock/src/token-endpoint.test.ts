import { testClock } from "@pintoken/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createMockPinterest } from "./create-mock-pinterest.ts";
import { mockClient } from "./defaults.ts";
import { api, basic, postForm, redirectUri } from "./test-support/requests.ts";
import { useMockPinterest } from "./testing.ts";

const otherApp = {
  clientId: "1500002",
  clientSecret: "other-secret",
  redirectUris: ["https://other.example/callback"],
};
const clock = testClock();
const { mock, server } = useMockPinterest(
  { beforeAll, afterEach, afterAll },
  { now: () => clock.now, clients: [mockClient, otherApp] },
);

const authenticationFailed = { code: 2, message: "Authentication failed." };
const invalidGrant = { code: 283, message: "The authorization grant is invalid" };

async function expectError(response: Response, status: number, body: unknown, reason?: RegExp) {
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual(body);
  if (reason) expect(response.headers.get("x-pintoken-mock-reason")).toMatch(reason);
}

function newCode(scopes: Parameters<typeof mock.authorize>[0]["scopes"] = ["user_accounts:read"]) {
  return mock.authorize({ scopes }).code;
}

describe("client authentication (HTTP Basic)", () => {
  const fields = () => ({ grant_type: "authorization_code", code: newCode(), redirect_uri: redirectUri });

  test("a request without Authorization is rejected with 401 code 2", async () => {
    await expectError(
      await postForm(fields(), { authorization: null }),
      401,
      authenticationFailed,
      /No Authorization header/,
    );
  });

  test("a wrong client secret is rejected", async () => {
    const wrong = basic({ clientId: mockClient.clientId, clientSecret: "not-the-secret" });
    await expectError(
      await postForm(fields(), { authorization: wrong }),
      401,
      authenticationFailed,
      /Wrong client secret/,
    );
  });

  test("an unknown client id is rejected", async () => {
    const unknown = basic({ clientId: "999", clientSecret: mockClient.clientSecret });
    await expectError(
      await postForm(fields(), { authorization: unknown }),
      401,
      authenticationFailed,
      /Unknown client_id "999"/,
    );
  });

  test("swapping id and secret is named as such, and the secret is never echoed (reason header, recorder)", async () => {
    const swapped = basic({ clientId: mockClient.clientSecret, clientSecret: mockClient.clientId });
    const response = await postForm(fields(), { authorization: swapped });
    await expectError(
      response,
      401,
      authenticationFailed,
      /^The client_id you sent is a registered client secret: send base64\(client_id:client_secret\), id first$/,
    );
    expect(JSON.stringify(mock.calls.all)).not.toContain(mockClient.clientSecret);
    expect(mock.calls.last()?.auth).toEqual({ scheme: "basic", clientId: "[a client secret, not shown]" });
  });

  test("an unknown client_id that does not look like an app id (Pinterest's are numeric) is not echoed", async () => {
    const secretLike = "s3cr3t-0f-an0ther-app-dont-print-me";
    const response = await postForm(fields(), { authorization: basic({ clientId: secretLike, clientSecret: "x" }) });
    await expectError(
      response,
      401,
      authenticationFailed,
      /^Unknown client_id \(35 characters, not shown\); registered: 1500001, 1500002$/,
    );
    expect(JSON.stringify(mock.calls.all)).not.toContain(secretLike);
  });

  test.each([
    ["the raw id:secret without base64", `Basic ${mockClient.clientId}:${mockClient.clientSecret}`, /not base64/],
    ["no scheme at all", `${mockClient.clientId}:${mockClient.clientSecret}`, /not '<scheme> <credentials>'/],
    ["base64 without a colon", `Basic ${btoa("no-colon-here")}`, /no ":"/],
    ["an unsupported scheme", "Digest abc", /"Digest" is not supported/],
    ["a bearer token instead of client credentials", "Bearer pina_abc", /not a Bearer token/],
  ])("a malformed Authorization header is rejected: %s", async (_, authorization, reason) => {
    await expectError(await postForm(fields(), { authorization }), 401, authenticationFailed, reason);
  });

  test("form-urlencoded credentials (RFC 6749 §2.3.1, as strict clients send them) are accepted too", async () => {
    const encode = (value: string) =>
      encodeURIComponent(value).replace(/[-_.!~*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const strict = basic({ clientId: encode(mockClient.clientId), clientSecret: encode(mockClient.clientSecret) });
    expect(strict).not.toBe(basic());
    expect((await postForm(fields(), { authorization: strict })).status).toBe(200);
  });

  test("the Basic scheme name is case-insensitive (RFC 7617)", async () => {
    const lower = basic().replace("Basic", "basic");
    expect((await postForm(fields(), { authorization: lower })).status).toBe(200);
  });
});

describe("request body", () => {
  test("a JSON body is rejected with 415: the operation only accepts form encoding", async () => {
    const response = await fetch(`${api}/oauth/token`, {
      method: "POST",
      headers: { authorization: basic(), "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", scope: "pins:read" }),
    });
    await expectError(response, 415, {
      code: 1,
      message:
        "POST /oauth/token does not accept Content-Type application/json: send application/x-www-form-urlencoded.",
    });
  });

  test("a missing body is rejected with 400", async () => {
    const response = await fetch(`${api}/oauth/token`, { method: "POST", headers: { authorization: basic() } });
    await expectError(response, 400, {
      code: 1,
      message: "POST /oauth/token needs a request body: send application/x-www-form-urlencoded.",
    });
  });

  test("an unknown grant_type is rejected with 400 naming the valid ones", async () => {
    await expectError(await postForm({ grant_type: "password" }), 400, {
      code: 1,
      message:
        'Invalid request body for POST /oauth/token: /grant_type: expected one of "authorization_code", "refresh_token", "client_credentials", got string "password".',
    });
  });

  test("a refresh without refresh_token is rejected with 400", async () => {
    await expectError(await postForm({ grant_type: "refresh_token" }), 400, {
      code: 1,
      message: "Invalid request body for POST /oauth/token: /refresh_token: is required but missing.",
    });
  });

  test("a code exchange without redirect_uri is rejected with 400", async () => {
    const response = await postForm({ grant_type: "authorization_code", code: newCode() });
    await expectError(response, 400, {
      code: 1,
      message: "Invalid request body for POST /oauth/token: /redirect_uri: is required but missing.",
    });
  });

  test("continuous_refresh must be a boolean", async () => {
    const response = await postForm({
      grant_type: "authorization_code",
      code: newCode(),
      redirect_uri: redirectUri,
      continuous_refresh: "yes",
    });
    await expectError(response, 400, {
      code: 1,
      message: 'Invalid request body for POST /oauth/token: /continuous_refresh: expected boolean, got string "yes".',
    });
    const python = await postForm({
      grant_type: "authorization_code",
      code: newCode(),
      redirect_uri: redirectUri,
      continuous_refresh: "True",
    });
    expect(python.status).toBe(200);
  });

  test("a field sent twice is rejected", async () => {
    const body = "grant_type=client_credentials&scope=pins:read&scope=boards:read";
    const response = await fetch(`${api}/oauth/token`, {
      method: "POST",
      headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    await expectError(response, 400, {
      code: 1,
      message: "Form field scope is sent more than once: send each field once.",
    });
  });
});

describe("authorization code exchange", () => {
  test("a wrong redirect_uri is rejected with 401 code 283, and the code still works with the right one", async () => {
    const code = newCode();
    const wrong = await postForm({ grant_type: "authorization_code", code, redirect_uri: mockClient.redirectUris[1] });
    await expectError(wrong, 401, invalidGrant, /differs from the one used to authorize/);
    expect((await postForm({ grant_type: "authorization_code", code, redirect_uri: redirectUri })).status).toBe(200);
  });

  test("a code works once: the second exchange is rejected with 401 code 283", async () => {
    const code = newCode();
    expect((await postForm({ grant_type: "authorization_code", code, redirect_uri: redirectUri })).status).toBe(200);
    const again = await postForm({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
    await expectError(again, 401, invalidGrant, /single use/);
  });

  test("an unknown code is rejected", async () => {
    const response = await postForm({ grant_type: "authorization_code", code: "made-up", redirect_uri: redirectUri });
    await expectError(response, 401, invalidGrant, /not one this mock issued/);
  });

  test("a code expires after 10 minutes", async () => {
    const code = newCode();
    clock.advance(600_000);
    const response = await postForm({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
    await expectError(response, 401, invalidGrant, /expired/);
  });

  test("expireAuthorizationCodes() expires every code at once", async () => {
    const code = newCode();
    expect(mock.expireAuthorizationCodes()).toBe(1);
    const response = await postForm({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
    await expectError(response, 401, invalidGrant, /expired/);
  });

  test("a code is bound to the app it was issued to", async () => {
    const code = mock.authorize({ clientId: otherApp.clientId, scopes: ["pins:read"] }).code;
    const response = await postForm({
      grant_type: "authorization_code",
      code,
      redirect_uri: otherApp.redirectUris[0] as string,
    });
    await expectError(response, 401, invalidGrant, /issued to client_id 1500002, not 1500001/);
  });
});

describe("refresh", () => {
  test("scope narrows the new access token to a subset; the new refresh token keeps the grant's scopes", async () => {
    const tokens = mock.issueTokens({ scopes: ["user_accounts:read", "pins:read", "boards:read"] });
    const response = await postForm({
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token as string,
      scope: "pins:read",
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.scope).toBe("pins:read");
    expect(mock.inspectToken(body.access_token)?.scopes).toEqual(["pins:read"]);
    expect(mock.inspectToken(body.refresh_token)?.scopes).toEqual(["user_accounts:read", "pins:read", "boards:read"]);
  });

  test("scope beyond what was granted is rejected with 400", async () => {
    const tokens = mock.issueTokens({ scopes: ["pins:read"] });
    const response = await postForm({
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token as string,
      scope: "pins:read,ads:write",
    });
    await expectError(response, 400, {
      code: 1,
      message: "scope asks for ads:write, which the refresh_token was not granted: request a subset of pins:read.",
    });
  });

  test("a refresh token of another app is rejected", async () => {
    const tokens = mock.issueTokens({ clientId: otherApp.clientId, scopes: ["pins:read"] });
    const response = await postForm({ grant_type: "refresh_token", refresh_token: tokens.refresh_token as string });
    await expectError(response, 401, invalidGrant, /issued to client_id 1500002/);
  });

  test("an access token is not a refresh token", async () => {
    const tokens = mock.issueTokens({ scopes: ["pins:read"] });
    await expectError(
      await postForm({ grant_type: "refresh_token", refresh_token: tokens.access_token }),
      401,
      invalidGrant,
    );
  });

  test("expireRefreshTokens() and revokeAllTokens() make refresh fail with 283", async () => {
    const expiring = mock.issueTokens({ scopes: ["pins:read"] });
    expect(mock.expireRefreshTokens()).toBe(1);
    await expectError(
      await postForm({ grant_type: "refresh_token", refresh_token: expiring.refresh_token as string }),
      401,
      invalidGrant,
      /expired/,
    );

    const revoking = mock.issueTokens({ scopes: ["pins:read"] });
    expect(mock.revokeAllTokens()).toBe(3); // both access tokens and the second refresh token; the first has expired
    await expectError(
      await postForm({ grant_type: "refresh_token", refresh_token: revoking.refresh_token as string }),
      401,
      invalidGrant,
      /revoked/,
    );
  });
});

describe("client credentials", () => {
  test("issues an app token with response_type client_credentials and no refresh token", async () => {
    const response = await postForm({ grant_type: "client_credentials", scope: "user_accounts:read,pins:read" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      response_type: "client_credentials",
      access_token: expect.stringMatching(/^pina_/),
      token_type: "bearer",
      expires_in: 2_592_000,
      scope: "user_accounts:read,pins:read",
    });
    expect(mock.inspectToken(body.access_token)).toMatchObject({
      grantType: "client_credentials",
      clientId: mockClient.clientId,
      status: "active",
    });
  });

  test("scopes the spec does not declare are rejected with 400 listing the valid ones", async () => {
    const response = await postForm({ grant_type: "client_credentials", scope: "pins:read,pins:everything" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.message).toMatch(
      /^scope has scopes the spec does not declare: pins:everything\. Use comma-separated scopes from: ads:read,/,
    );
  });

  test("an empty scope is rejected", async () => {
    const response = await postForm({ grant_type: "client_credentials", scope: " , " });
    await expectError(response, 400, {
      code: 1,
      message: 'scope is empty. Send comma-separated scopes, e.g. "user_accounts:read,pins:read".',
    });
  });
});

describe("rotation", () => {
  test("by default a refresh token stops working once used", async () => {
    const tokens = mock.issueTokens({ scopes: ["pins:read"] });
    expect(
      (await postForm({ grant_type: "refresh_token", refresh_token: tokens.refresh_token as string })).status,
    ).toBe(200);
    expect(mock.inspectToken(tokens.refresh_token as string)?.status).toBe("rotated");
  });

  test("with rotateRefreshTokens: false the old refresh token keeps working (and a new one is still returned)", async () => {
    const lenient = createMockPinterest({ rotateRefreshTokens: false, now: () => clock.now });
    server.use(...lenient.handlers);
    const tokens = lenient.issueTokens({ scopes: ["pins:read"] });
    const first = await postForm({ grant_type: "refresh_token", refresh_token: tokens.refresh_token as string });
    expect(first.status).toBe(200);
    expect((await first.json()).refresh_token).not.toBe(tokens.refresh_token);
    const again = await postForm({ grant_type: "refresh_token", refresh_token: tokens.refresh_token as string });
    expect(again.status).toBe(200);
    expect(lenient.inspectToken(tokens.refresh_token as string)?.status).toBe("active");
  });
});
