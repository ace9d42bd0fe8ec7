import { testClock } from "@pintoken/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { mockClient } from "./defaults.ts";
import { api, consentPageUrl, getAccount, postForm } from "./test-support/requests.ts";
import { useMockPinterest } from "./testing.ts";

const clock = testClock();
const { mock } = useMockPinterest({ beforeAll, afterEach, afterAll }, { now: () => clock.now });

describe("the call recorder", () => {
  test("records operation, method, URL, form, auth (client id only), status, body and time", async () => {
    const response = await postForm({ grant_type: "client_credentials", scope: "pins:read" });
    const body = await response.json();
    expect(mock.calls.all).toEqual([
      {
        operationId: "oauth/token",
        method: "POST",
        url: `${api}/oauth/token`,
        query: {},
        form: { grant_type: "client_credentials", scope: "pins:read" },
        auth: { scheme: "basic", clientId: mockClient.clientId },
        status: 200,
        body,
        headers: {},
        at: clock.now,
      },
    ]);
  });

  test("never records the client secret, even when a client wrongly sends it in the body", async () => {
    await postForm({ grant_type: "client_credentials", scope: "pins:read", client_secret: mockClient.clientSecret });
    await postForm(
      { grant_type: "client_credentials", scope: "pins:read" },
      { authorization: `Basic ${btoa(`x:${mockClient.clientSecret}`)}` },
    );
    expect(JSON.stringify(mock.calls.all)).not.toContain(mockClient.clientSecret);
    expect(mock.calls.all[0]?.form?.client_secret).toBe("[redacted]");
  });

  test("records bearer tokens, query parameters, rejections and their reasons", async () => {
    const { access_token } = mock.issueTokens({ scopes: ["pins:read"] });
    await getAccount(access_token, { query: "?ad_account_id=12" });
    expect(mock.calls.last("user_account/get")).toMatchObject({
      method: "GET",
      query: { ad_account_id: "12" },
      auth: { scheme: "bearer", token: access_token },
      status: 403,
      body: { code: 403, message: "Not authorized to access the user account." },
      reason: expect.stringMatching(/lacks scope user_accounts:read/),
    });
  });

  test("records consent-page calls as 'authorize', with the redirect it sent", async () => {
    await fetch(consentPageUrl({ state: "abc" }), {
      method: "POST",
      body: new URLSearchParams({ decision: "allow" }),
      redirect: "manual",
    });
    const [call] = mock.calls.for("authorize");
    expect(call).toMatchObject({ method: "POST", status: 302, form: { decision: "allow" }, query: { state: "abc" } });
    expect(call?.headers.location).toMatch(/^http:\/\/localhost:3000\/api\/pinterest\/callback\?code=/);
  });

  test("for() filters by operation or grant type, last() finds the latest, reset() forgets; the recorder is iterable", async () => {
    await postForm({ grant_type: "client_credentials", scope: "pins:read" });
    await getAccount(null);
    await postForm({ grant_type: "password" });
    expect(mock.calls.for("oauth/token").map((c) => c.status)).toEqual([200, 400]);
    expect(mock.calls.for("user_account/get").map((c) => c.status)).toEqual([401]);
    expect(mock.calls.for("token/revoke")).toEqual([]);
    expect(mock.calls.last()?.status).toBe(400);
    expect(mock.calls.last("user_account/get")?.status).toBe(401);
    expect([...mock.calls].map((c) => c.operationId)).toEqual(["oauth/token", "user_account/get", "oauth/token"]);
    expect(mock.calls.length).toBe(3);
    expect(mock.calls.for({ grantType: "client_credentials" }).map((c) => c.status)).toEqual([200]);
    expect(() => mock.calls.for({ grantType: "password" as never })).toThrow(/^grantType must be one of .*"password"/);
    expect(mock.calls.last({ grantType: "client_credentials" })?.status).toBe(200);
    expect(mock.calls.for({ grantType: "refresh_token" })).toEqual([]);
    expect(() => mock.calls.for({ operationId: "user_account/get", grantType: "refresh_token" })).toThrow(
      'grantType applies to "oauth/token" only, not "user_account/get".',
    );
    mock.calls.reset();
    expect(mock.calls.all).toEqual([]);
    expect(mock.calls.last()).toBeUndefined();
  });
});
