import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { mockClient } from "./defaults.ts";
import { basic, getAccount, postForm } from "./test-support/requests.ts";
import { useMockPinterest } from "./testing.ts";

const otherApp = {
  clientId: "1500002",
  clientSecret: "other-secret",
  redirectUris: ["https://other.example/callback"],
};
const { mock } = useMockPinterest({ beforeAll, afterEach, afterAll }, { clients: [mockClient, otherApp] });

const revoke = (fields: Record<string, string>, authorization?: string | null) =>
  postForm(fields, { path: "/oauth/token/revoke", ...(authorization === undefined ? {} : { authorization }) });

describe("POST /oauth/token/revoke", () => {
  test("revoking an access token ends only that token: the refresh token still works", async () => {
    const tokens = mock.issueTokens({ scopes: ["user_accounts:read"] });
    const response = await revoke({ token: tokens.access_token, token_type_hint: "access_token" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect((await getAccount(tokens.access_token)).status).toBe(401);
    expect(mock.inspectToken(tokens.access_token)?.status).toBe("revoked");
    expect(
      (await postForm({ grant_type: "refresh_token", refresh_token: tokens.refresh_token as string })).status,
    ).toBe(200);
  });

  test("revoking a refresh token ends its grant: every access and refresh token issued from it", async () => {
    const tokens = mock.issueTokens({ scopes: ["user_accounts:read"] });
    const refreshed = await (
      await postForm({ grant_type: "refresh_token", refresh_token: tokens.refresh_token as string })
    ).json();
    const unrelated = mock.issueTokens({ scopes: ["user_accounts:read"] });

    expect((await revoke({ token: refreshed.refresh_token })).status).toBe(200);
    for (const token of [tokens.access_token, refreshed.access_token])
      expect((await getAccount(token)).status).toBe(401);
    expect(mock.inspectToken(refreshed.refresh_token)?.status).toBe("revoked");
    expect((await getAccount(unrelated.access_token)).status).toBe(200);
  });

  test("token_type_hint is only a hint: a refresh token sent with hint access_token is still found", async () => {
    const tokens = mock.issueTokens({ scopes: ["pins:read"] });
    expect((await revoke({ token: tokens.refresh_token as string, token_type_hint: "access_token" })).status).toBe(200);
    expect(mock.inspectToken(tokens.refresh_token as string)?.status).toBe("revoked");
  });

  test("an unknown token answers 200 and changes nothing (RFC 7009 §2.2)", async () => {
    const tokens = mock.issueTokens({ scopes: ["pins:read"] });
    expect((await revoke({ token: "pinr_never-issued" })).status).toBe(200);
    expect(mock.inspectToken(tokens.access_token)?.status).toBe("active");
  });

  test("a token of another app is refused with the spec's 403 example", async () => {
    const theirs = mock.issueTokens({ clientId: otherApp.clientId, scopes: ["pins:read"] });
    const response = await revoke({ token: theirs.access_token });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ code: 29, message: "You are not permitted to access that resource." });
    expect(mock.inspectToken(theirs.access_token)?.status).toBe("active");
    expect((await revoke({ token: theirs.access_token }, basic(otherApp))).status).toBe(200);
  });

  test("missing client authentication is rejected with the spec's 401 example", async () => {
    const response = await revoke({ token: "pina_x" }, null);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 2, message: "Authentication failed." });
  });

  test("a missing token or an unknown token_type_hint is rejected with 400", async () => {
    const missing = await revoke({ token_type_hint: "access_token" });
    expect(missing.status).toBe(400);
    expect((await missing.json()).message).toBe(
      "Invalid request body for POST /oauth/token/revoke: /token: is required but missing.",
    );
    const badHint = await revoke({ token: "pina_x", token_type_hint: "id_token" });
    expect(badHint.status).toBe(400);
    expect((await badHint.json()).message).toMatch(
      /\/token_type_hint: expected one of "access_token", "refresh_token"/,
    );
  });
});
