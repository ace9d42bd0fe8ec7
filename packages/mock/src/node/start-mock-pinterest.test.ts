import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { mockAccount, mockClient } from "../defaults.ts";
import { type OperationId, operation } from "../operations.ts";
import { rawRequest } from "../test-support/raw-request.ts";
import { basic, consentPageUrl, getAccount, locationParams, postForm, redirectUri } from "../test-support/requests.ts";
import { responseIssues } from "../testing/spec-conformance.ts";
import { type MockPinterestServer, startMockPinterest } from "./start-mock-pinterest.ts";

let server: MockPinterestServer;
const issues: string[] = [];

beforeAll(async () => {
  server = await startMockPinterest({ port: 0 });
});
afterEach(() => {
  server.mock.reset();
  expect(issues.splice(0)).toEqual([]);
});
afterAll(() => server.close());

/** Checks a real HTTP response against the spec, like the msw tests do for msw's responses. */
async function conforming(operationId: OperationId, response: Promise<Response>): Promise<Response> {
  const resolved = await response;
  issues.push(...(await responseIssues(operation(operationId), resolved)));
  return resolved;
}

const token = (fields: Record<string, string>) =>
  conforming("oauth/token", postForm(fields, { base: server.apiBaseUrl }));

describe("startMockPinterest over real HTTP", () => {
  test("listens on loopback with the API under /v5 and the consent page at /oauth/", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.apiBaseUrl).toBe(`${server.url}/v5`);
    expect(server.authorizationEndpoint).toBe(`${server.url}/oauth/`);
    expect(server.mock.apiBaseUrl).toBe(server.apiBaseUrl);
  });

  test("the whole authorization-code flow: consent page, Allow, exchange, account, refresh, revoke", async () => {
    const pageUrl = consentPageUrl({ state: "http-1" }, server.authorizationEndpoint);
    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("wants to access your Pinterest account");

    const allowed = await fetch(pageUrl, {
      method: "POST",
      body: new URLSearchParams({ decision: "allow" }),
      redirect: "manual",
    });
    expect(allowed.status).toBe(302);
    const redirect = locationParams(allowed);
    expect(redirect.get("state")).toBe("http-1");

    const exchanged = await token({
      grant_type: "authorization_code",
      code: redirect.get("code") as string,
      redirect_uri: redirectUri,
    });
    expect(exchanged.status).toBe(200);
    const tokens = await exchanged.json();

    const account = await conforming("user_account/get", getAccount(tokens.access_token, { base: server.apiBaseUrl }));
    expect(await account.json()).toEqual(mockAccount);

    const refreshed = await token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token });
    const next = await refreshed.json();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token })).status).toBe(401);

    const revoke = postForm({ token: next.refresh_token }, { path: "/oauth/token/revoke", base: server.apiBaseUrl });
    expect((await conforming("token/revoke", revoke)).status).toBe(200);
    expect(
      (await conforming("user_account/get", getAccount(next.access_token, { base: server.apiBaseUrl }))).status,
    ).toBe(401);
    expect(server.mock.calls.for("oauth/token").map((call) => call.status)).toEqual([200, 200, 401]);
  });

  test("rejects what Pinterest would: JSON bodies and bad client credentials", async () => {
    const json = await conforming(
      "oauth/token",
      fetch(`${server.apiBaseUrl}/oauth/token`, {
        method: "POST",
        headers: { authorization: basic(), "content-type": "application/json" },
        body: JSON.stringify({ grant_type: "client_credentials", scope: "pins:read" }),
      }),
    );
    expect(json.status).toBe(415);
    const wrong = postForm(
      { grant_type: "client_credentials", scope: "pins:read" },
      {
        base: server.apiBaseUrl,
        authorization: basic({ clientId: mockClient.clientId, clientSecret: "nope" }),
      },
    );
    expect((await conforming("oauth/token", wrong)).status).toBe(401);
  });

  test("a dropped connection destroys the socket: fetch rejects; the next call works", async () => {
    server.mock.scenario("oauth/token").dropConnection();
    await expect(token({ grant_type: "client_credentials", scope: "pins:read" })).rejects.toThrow(TypeError);
    expect((await token({ grant_type: "client_credentials", scope: "pins:read" })).status).toBe(200);
  });

  test("rate limits arrive with their Retry-After header; slow responses wait", async () => {
    server.mock.scenario("oauth/token").rateLimit({ retryAfter: 7 });
    const limited = await token({ grant_type: "client_credentials", scope: "pins:read" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    server.mock.scenario("oauth/token").slow(100);
    const started = performance.now();
    expect((await token({ grant_type: "client_credentials", scope: "pins:read" })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  test("matches routes whatever Host header the client used", async () => {
    const answer = await rawRequest(server.url, "GET", "/v5/user_account", { host: "pinterest.test" });
    expect(answer.status).toBe(401);
  });

  test("an unknown route answers 404 JSON that says what the mock serves", async () => {
    const response = await fetch(`${server.url}/v4/user_account`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: 404,
      message: `The mock has no route for GET /v4/user_account. It serves the API under ${server.apiBaseUrl}, the consent page at ${server.authorizationEndpoint} and the control API under ${server.controlUrl}.`,
    });
  });

  test("refuses a port that is taken or out of range, saying what to do", async () => {
    const { port } = new URL(server.url);
    await expect(startMockPinterest({ port: Number(port) })).rejects.toThrow(
      `The mock Pinterest server did not start: port ${port} on 127.0.0.1 is in use: pass another port, or 0 for a free one.`,
    );
    await expect(startMockPinterest({ port: 70_000 })).rejects.toThrow("port must be 0-65535, got 70000.");
  });
});
