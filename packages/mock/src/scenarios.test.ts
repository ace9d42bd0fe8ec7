import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { mockClient } from "./defaults.ts";
import { basic, getAccount, postForm, redirectUri } from "./test-support/requests.ts";
import { useMockPinterest } from "./testing.ts";

const { mock } = useMockPinterest({ beforeAll, afterEach, afterAll });
const clientCredentials = () => postForm({ grant_type: "client_credentials", scope: "user_accounts:read" });

describe("scenario controls", () => {
  test("rateLimit: 429 with Retry-After for the given number of calls, then normal", async () => {
    mock.scenario("oauth/token").rateLimit({ retryAfter: 3 }).times(2);
    for (let i = 0; i < 2; i++) {
      const limited = await clientCredentials();
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("3");
      expect(await limited.json()).toEqual({ code: 8, message: "You have exceeded your rate limit. Try again later." });
    }
    expect((await clientCredentials()).status).toBe(200);
  });

  test("serverError: a 5xx once by default (500 unless a status is given)", async () => {
    mock.scenario("oauth/token").serverError({ status: 503 });
    const failed = await clientCredentials();
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ code: 503, message: "Internal server error. Try again later." });
    expect((await clientCredentials()).status).toBe(200);
    mock.scenario("oauth/token").serverError();
    expect((await clientCredentials()).status).toBe(500);
  });

  test("invalidGrant: 401 code 283 even for a request that would succeed", async () => {
    const tokens = mock.issueTokens({ scopes: ["pins:read"] });
    mock.scenario("oauth/token").invalidGrant();
    const rejected = await postForm({ grant_type: "refresh_token", refresh_token: tokens.refresh_token as string });
    expect(rejected.status).toBe(401);
    expect(await rejected.json()).toEqual({ code: 283, message: "The authorization grant is invalid" });
    // The scenario replaced the answer: the refresh token was not used up.
    expect(
      (await postForm({ grant_type: "refresh_token", refresh_token: tokens.refresh_token as string })).status,
    ).toBe(200);
  });

  test("slow: waits, then answers normally", async () => {
    mock.scenario("oauth/token").slow(120);
    const started = performance.now();
    const response = await clientCredentials();
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    expect(response.status).toBe(200);
    expect(mock.calls.last()?.reason).toBe("Scenario: slow response (120 ms)");
  });

  test("dropConnection: fetch rejects with a network error, then the next call works", async () => {
    mock.scenario("oauth/token").dropConnection();
    await expect(clientCredentials()).rejects.toThrow(TypeError);
    expect(mock.calls.last()).toMatchObject({
      operationId: "oauth/token",
      status: 0,
      reason: "Scenario: dropped connection",
    });
    expect((await clientCredentials()).status).toBe(200);
  });

  test("a scenario for one operation leaves the others alone", async () => {
    const { access_token } = mock.issueTokens({ scopes: ["user_accounts:read"] });
    mock.scenario("user_account/get").serverError();
    expect((await clientCredentials()).status).toBe(200);
    expect((await getAccount(access_token)).status).toBe(500);
  });

  test("scenario() without an operation applies to any operation", async () => {
    const { access_token } = mock.issueTokens({ scopes: ["user_accounts:read"] });
    mock.scenario().rateLimit().times(2);
    expect((await getAccount(access_token)).status).toBe(429);
    expect((await clientCredentials()).status).toBe(429);
    expect((await clientCredentials()).status).toBe(200);
  });

  test("scenarios apply in the order they were queued, one per call", async () => {
    mock.scenario("oauth/token").rateLimit().times(2);
    mock.scenario("oauth/token").serverError({ status: 502 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await clientCredentials()).status);
    expect(statuses).toEqual([429, 429, 502, 200]);
  });

  test("always() applies until cancel(); remaining counts down", async () => {
    const outage = mock.scenario("oauth/token").serverError().always();
    for (let i = 0; i < 3; i++) expect((await clientCredentials()).status).toBe(500);
    expect(outage.remaining).toBe(Number.POSITIVE_INFINITY);
    outage.cancel();
    expect(outage.remaining).toBe(0);
    expect((await clientCredentials()).status).toBe(200);

    const twice = mock.scenario("oauth/token").rateLimit().times(2);
    await clientCredentials();
    expect(twice.remaining).toBe(1);
    expect(mock.pendingScenarios).toEqual([
      { id: twice.id, target: "oauth/token", fault: { kind: "rateLimit", retryAfter: 1 }, remaining: 1 },
    ]);
  });

  test("reset() forgets queued scenarios", async () => {
    mock.scenario().serverError().always();
    mock.reset();
    expect(mock.pendingScenarios).toEqual([]);
    expect((await clientCredentials()).status).toBe(200);
  });

  test("a scenario for one grant type is played only for token requests of that grant", async () => {
    const tokens = mock.issueTokens({ scopes: ["pins:read"] });
    const { code } = mock.authorize({ scopes: ["pins:read"] });
    mock.scenario({ grantType: "refresh_token" }).rateLimit({ retryAfter: 45 });
    expect((await clientCredentials()).status).toBe(200);
    const exchange = await postForm({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
    expect(exchange.status).toBe(200);
    expect(mock.pendingScenarios).toHaveLength(1);
    const refresh = await postForm({ grant_type: "refresh_token", refresh_token: tokens.refresh_token as string });
    expect(refresh.status).toBe(429);
    expect(refresh.headers.get("retry-after")).toBe("45");
    expect(mock.pendingScenarios).toEqual([]);
  });

  test("a scenario is played only for a request whose credentials the mock accepts", async () => {
    const tokens = mock.issueTokens({ scopes: ["user_accounts:read"] });
    mock.scenario({ operationId: "oauth/token", grantType: "refresh_token" }).serverError({ status: 503 }).times(2);
    mock.scenario("user_account/get").serverError();
    const refresh = { grant_type: "refresh_token", refresh_token: tokens.refresh_token as string };
    expect((await postForm(refresh, { authorization: null })).status).toBe(401);
    expect((await postForm(refresh, { authorization: basic({ ...mockClient, clientSecret: "wrong" }) })).status).toBe(
      401,
    );
    expect((await getAccount("pina_not_issued")).status).toBe(401);
    expect(mock.pendingScenarios.map((s) => s.remaining)).toEqual([2, 1]);
    expect((await postForm(refresh)).status).toBe(503);
    expect((await getAccount(tokens.access_token)).status).toBe(500);
  });

  test("pendingScenarios lists each scenario's id, target and what is left", () => {
    const first = mock.scenario({ grantType: "client_credentials" }).slow(10).times(3);
    const second = mock.scenario().dropConnection().always();
    expect(mock.pendingScenarios).toEqual([
      {
        id: first.id,
        target: "oauth/token",
        grantType: "client_credentials",
        fault: { kind: "slow", delayMs: 10 },
        remaining: 3,
      },
      { id: second.id, target: "*", fault: { kind: "dropConnection" }, remaining: Number.POSITIVE_INFINITY },
    ]);
    expect(second.id).not.toBe(first.id);
  });

  test("a grant type only goes with the token endpoint", () => {
    // @ts-expect-error: not a grant type of the spec
    expect(() => mock.scenario({ grantType: "password" })).toThrow(
      'grantType must be one of authorization_code, refresh_token, client_credentials, got "password".',
    );
    expect(() => mock.scenario({ operationId: "user_account/get", grantType: "refresh_token" })).toThrow(
      'grantType applies to "oauth/token" only, not "user_account/get".',
    );
  });

  test("bad arguments are refused with a message that says what is allowed", () => {
    expect(() => mock.scenario("oauth/token").rateLimit().times(0)).toThrow(
      "times(count) must be a whole number ≥ 1, got 0.",
    );
    expect(() => mock.scenario("oauth/token").rateLimit({ retryAfter: 1.5 })).toThrow(
      "retryAfter must be a whole number ≥ 0, got 1.5.",
    );
    expect(() => mock.scenario("oauth/token").slow(-1)).toThrow("delayMs must be a whole number ≥ 0, got -1.");
    // @ts-expect-error: 418 is not a 5xx status
    expect(() => mock.scenario("oauth/token").serverError({ status: 418 })).toThrow(
      "serverError status must be a 5xx status, got 418.",
    );
  });
});
