import { createPinterestOAuth, createTokenManager, MemoryTokenStore, parseTokenSet } from "@pintoken/core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { mockClient } from "../defaults.ts";
import { type MockPinterestServer, startMockPinterest } from "../node/start-mock-pinterest.ts";
import { rawRequest } from "../test-support/raw-request.ts";
import { getAccount, postForm, redirectUri } from "../test-support/requests.ts";
import { createMockControl, type MockControl, MockControlError } from "./control-client.ts";

let server: MockPinterestServer;
let control: MockControl;

beforeAll(async () => {
  server = await startMockPinterest({ port: 0, ttlSeconds: { accessToken: 60 } });
  control = createMockControl(server.url);
});
afterEach(() => control.reset());
afterAll(() => server.close());

const token = (fields: Record<string, string>) => postForm(fields, { base: server.apiBaseUrl });
const refresh = (refreshToken: string) => token({ grant_type: "refresh_token", refresh_token: refreshToken });

/** The error a control call rejects with. */
async function refusal(call: Promise<unknown>): Promise<MockControlError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof MockControlError)) throw new Error(`Expected a MockControlError, got ${String(error)}`);
  return error;
}

/** A request with exactly these headers (fetch would not let a test set Host). */
const raw = (method: string, path: string, headers: Record<string, string>) =>
  rawRequest(server.url, method, path, headers);

describe("scenarios over the control API", () => {
  test("a 429 queued for refreshes is not taken by a code exchange, and is listed until used up", async () => {
    const scenario = await control.addScenario({
      grantType: "refresh_token",
      fault: { kind: "rateLimit", retryAfter: 45 },
      times: 2,
    });
    expect(scenario).toEqual({
      id: expect.any(Number),
      target: "oauth/token",
      grantType: "refresh_token",
      fault: { kind: "rateLimit", retryAfter: 45 },
      remaining: 2,
    });
    const { code } = await control.authorize({ scopes: ["user_accounts:read"], state: "c1" });
    const exchanged = await token({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
    expect(exchanged.status).toBe(200);
    const { refresh_token } = (await exchanged.json()) as { refresh_token: string };
    expect(await control.scenarios()).toEqual([scenario]);

    const limited = await refresh(refresh_token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("45");
    expect((await refresh(refresh_token)).status).toBe(429);
    expect(await control.scenarios()).toEqual([]);
    expect((await refresh(refresh_token)).status).toBe(200);
  });

  test('"always" lasts until cancelled (remaining Infinity); cancel and clear say what they did', async () => {
    const outage = await control.addScenario({ fault: { kind: "serverError", status: 503 }, times: "always" });
    expect(outage).toMatchObject({ target: "*", remaining: Number.POSITIVE_INFINITY });
    const issued = await control.issueTokens({ scopes: ["user_accounts:read"] });
    for (let i = 0; i < 3; i++) {
      expect((await getAccount(issued.access_token, { base: server.apiBaseUrl })).status).toBe(503);
    }
    expect(await control.cancelScenario(outage.id)).toBe(true);
    expect(await control.cancelScenario(outage.id)).toBe(false);
    expect((await getAccount(issued.access_token, { base: server.apiBaseUrl })).status).toBe(200);

    await control.addScenario({ operationId: "user_account/get", fault: { kind: "dropConnection" } });
    await control.addScenario({ fault: { kind: "slow", delayMs: 10 } });
    expect(await control.clearScenarios()).toBe(2);
    expect(await control.scenarios()).toEqual([]);
  });

  test("a bad scenario is refused with 400 and a message that says what to fix; nothing is queued", async () => {
    const cases: [unknown, string | RegExp][] = [
      [{ grant_type: "refresh_token", fault: { kind: "invalidGrant" } }, 'does not take "grant_type"'],
      [
        { fault: { kind: "teapot" } },
        'fault.kind must be one of rateLimit, serverError, invalidGrant, slow, dropConnection, got "teapot".',
      ],
      [{ fault: { kind: "serverError", status: 404 } }, "serverError status must be a 5xx status, got 404."],
      [
        { grantType: "password", fault: { kind: "invalidGrant" } },
        'grantType must be one of authorization_code, refresh_token, client_credentials, got "password".',
      ],
      [
        { operationId: "user_account/get", grantType: "refresh_token", fault: { kind: "invalidGrant" } },
        'grantType applies to "oauth/token" only, not "user_account/get".',
      ],
      [
        { operationId: "oauth/tokens", fault: { kind: "invalidGrant" } },
        /^operationId must be an operationId of the spec \(.+\), got "oauth\/tokens"\.$/,
      ],
      [{ fault: { kind: "invalidGrant" }, times: 0 }, '"times" (or "always") must be a whole number ≥ 1, got 0.'],
    ];
    for (const [spec, message] of cases) {
      const error = await refusal(control.addScenario(spec as never));
      expect(error.status).toBe(400);
      expect(error.message).toMatch(message);
    }
    expect(await control.scenarios()).toEqual([]);
  });
});

describe("the recorder, tokens and clock over the control API", () => {
  test("calls lists what the mock saw (optionally of one operation), never the client secret; clearCalls forgets", async () => {
    await token({ grant_type: "client_credentials", scope: "pins:read" });
    await getAccount(null, { base: server.apiBaseUrl });
    const calls = await control.calls();
    expect(calls.map((call) => [call.operationId, call.status])).toEqual([
      ["oauth/token", 200],
      ["user_account/get", 401],
    ]);
    expect(calls[0]).toMatchObject({
      method: "POST",
      form: { grant_type: "client_credentials", scope: "pins:read" },
      auth: { scheme: "basic", clientId: mockClient.clientId },
    });
    expect(JSON.stringify(calls)).not.toContain(mockClient.clientSecret);
    expect((await control.calls({ operationId: "user_account/get" })).map((call) => call.status)).toEqual([401]);
    expect(await refusal(control.calls({ operationId: "user_account" as never }))).toMatchObject({ status: 400 });
    await control.clearCalls();
    expect(await control.calls()).toEqual([]);
  });

  test("calls filter by grant type; recording says how many calls of that filter the recorder dropped", async () => {
    const capped = await startMockPinterest({ port: 0, limits: { calls: 3 } });
    try {
      const capControl = createMockControl(capped.url);
      const send = (fields: Record<string, string>) => postForm(fields, { base: capped.apiBaseUrl });
      const { refresh_token } = await capControl.issueTokens({ scopes: ["pins:read"] });
      await send({ grant_type: "refresh_token", refresh_token: refresh_token as string }); // dropped later
      await send({ grant_type: "client_credentials", scope: "pins:read" }); // dropped later
      await send({ grant_type: "client_credentials", scope: "boards:read" });
      await send({ grant_type: "refresh_token", refresh_token: "pinr_unknown" });
      await getAccount(null, { base: capped.apiBaseUrl });

      const refreshes = await capControl.calls({ grantType: "refresh_token" });
      expect(refreshes.map((call) => [call.operationId, call.form?.grant_type, call.status])).toEqual([
        ["oauth/token", "refresh_token", 401],
      ]);
      expect(await capControl.recording({ grantType: "refresh_token" })).toEqual({ calls: refreshes, dropped: 1 });
      expect((await capControl.recording({ operationId: "oauth/token" })).dropped).toBe(2);
      expect((await capControl.recording({ operationId: "user_account/get" })).dropped).toBe(0);
      expect((await capControl.recording()).dropped).toBe(2);
      expect(
        await refusal(capControl.calls({ operationId: "user_account/get", grantType: "refresh_token" })),
      ).toMatchObject({ status: 400, message: expect.stringContaining('grantType applies to "oauth/token" only') });
      expect(await refusal(capControl.calls({ grantType: "password" as never }))).toMatchObject({ status: 400 });
      await capControl.reset();
      expect(await capControl.recording()).toEqual({ calls: [], dropped: 0 });
    } finally {
      await capped.close();
    }
  });

  test("issueTokens hands over the tokens as a TokenSet that parseTokenSet reads and a token manager uses", async () => {
    const issued = await control.issueTokens({ scopes: ["user_accounts:read", "pins:read"] });
    const { tokenSet } = issued;
    // What a store would keep and read back.
    expect(parseTokenSet(JSON.parse(JSON.stringify(tokenSet)))).toEqual(tokenSet);
    expect(tokenSet).toMatchObject({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      tokenType: "bearer",
      responseType: "authorization_code",
      scopes: ["user_accounts:read", "pins:read"],
    });
    const [access] = await control.tokens({ kind: "access_token", status: "active" });
    const [refreshToken] = await control.tokens({ kind: "refresh_token", status: "active" });
    expect(tokenSet.expiresAt).toBe(access?.expiresAt);
    expect(tokenSet.issuedAt).toBe(access?.issuedAt);
    expect(tokenSet.refreshTokenExpiresAt).toBe(refreshToken?.expiresAt);

    // The app under test starts signed in with it, and refreshes it at the mock when it is due.
    const oauth = createPinterestOAuth({
      clientId: mockClient.clientId,
      clientSecret: mockClient.clientSecret,
      baseUrl: server.apiBaseUrl,
    });
    const store = new MemoryTokenStore();
    await store.set("user-1", tokenSet);
    const manager = createTokenManager({ oauth, store, key: "user-1" });
    expect(await manager.getAccessToken()).toBe(issued.access_token);
    const refreshed = await manager.refresh();
    expect(refreshed.accessToken).not.toBe(issued.access_token);
    expect(refreshed.refreshToken).not.toBe(issued.refresh_token);
    expect(await control.calls({ grantType: "refresh_token" })).toHaveLength(1);
  });

  test("revoking the refresh token revokes the grant, as when the user removes the app", async () => {
    const issued = await control.issueTokens({ scopes: ["user_accounts:read"] });
    const [listed] = await control.tokens({ kind: "refresh_token", status: "active" });
    expect(listed).toMatchObject({ token: issued.refresh_token, kind: "refresh_token", clientId: mockClient.clientId });
    expect(await control.revokeToken(issued.refresh_token as string)).toMatchObject({ status: "revoked" });
    const refused = await refresh(issued.refresh_token as string);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ code: 283, message: "The authorization grant is invalid" });
    expect((await getAccount(issued.access_token, { base: server.apiBaseUrl })).status).toBe(401);
    expect(await control.tokens({ status: "active" })).toEqual([]);
    expect(await refusal(control.revokeToken("pinr_unknown"))).toMatchObject({ status: 404 });
  });

  test("expireTokens and revokeAllTokens count what they changed", async () => {
    await control.issueTokens({ scopes: ["pins:read"] });
    await control.issueTokens({ scopes: ["pins:read"] });
    expect(await control.expireTokens("access_token")).toBe(2);
    expect(await control.expireTokens("access_token")).toBe(0);
    expect(await control.revokeAllTokens()).toBe(2); // the two refresh tokens; the access tokens had expired
    expect(await refusal(control.expireTokens("session" as never))).toMatchObject({ status: 400 });
  });

  test("the clock moves the mock's time: access tokens expire without waiting", async () => {
    expect(await control.clock()).toEqual({ now: expect.any(Number), offsetMs: 0 });
    const { access_token } = await control.issueTokens({ scopes: ["user_accounts:read"] });
    const advanced = await control.advanceClock(61_000);
    expect(advanced.offsetMs).toBe(61_000);
    const expired = await getAccount(access_token, { base: server.apiBaseUrl });
    expect(expired.status).toBe(401);
    expect(expired.headers.get("x-pintoken-mock-reason")).toBe(
      "The access token is expired: refresh it or authorize again",
    );
    const set = await control.setClock(Date.parse("2030-01-01T00:00:00Z"));
    expect(set.now - Date.parse("2030-01-01T00:00:00Z")).toBeLessThan(60_000);
    await control.reset();
    expect((await control.clock()).offsetMs).toBe(0);
  });

  test("reset forgets tokens, scenarios and calls", async () => {
    const { access_token } = await control.issueTokens({ scopes: ["user_accounts:read"] });
    await control.addScenario({ fault: { kind: "invalidGrant" }, times: 3 });
    await control.reset();
    expect(await control.tokens()).toEqual([]);
    expect(await control.scenarios()).toEqual([]);
    expect(await control.calls()).toEqual([]);
    expect(server.mock.inspectToken(access_token)).toBeUndefined();
  });
});

describe("the control API itself", () => {
  test("the client works from any URL of the mock's origin, and with an injected fetch", async () => {
    const seen: string[] = [];
    const viaApi = createMockControl(server.apiBaseUrl, {
      fetch: (input) => {
        seen.push(`${input.method} ${input.url}`);
        return fetch(input);
      },
    });
    expect(viaApi.url).toBe(server.controlUrl);
    await viaApi.clock();
    expect(seen).toEqual([`GET ${server.controlUrl}/clock`]);
    expect(() => createMockControl("127.0.0.1:4010")).toThrow(
      'baseUrl must be an absolute URL of the mock, got "127.0.0.1:4010".',
    );
  });

  test("GET /__pintoken lists the routes; an unknown route is a 404 that lists them; a wrong method a 405", async () => {
    const index = (await (await fetch(server.controlUrl)).json()) as { routes: string[] };
    expect(index.routes).toContain("POST /__pintoken/scenarios");
    expect(index.routes).toContain("DELETE /__pintoken/scenarios/{id}");
    const missing = await fetch(`${server.controlUrl}/scenario`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toMatch(
      /^The control API has no \/__pintoken\/scenario\. It serves: GET \/__pintoken, /,
    );
    const wrong = await fetch(`${server.controlUrl}/reset`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    const trace = await raw("TRACE", "/__pintoken/reset", {});
    expect([trace.status, trace.headers.allow]).toEqual([405, "GET, POST, DELETE"]);
    const notJson = await fetch(`${server.controlUrl}/clock/advance`, { method: "POST", body: "ms=5" });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({
      message: "The body of POST /__pintoken/clock/advance is not JSON: send a JSON object.",
    });
  });

  test("refuses a Host or Origin that is not loopback (DNS rebinding, other web pages)", async () => {
    const rebinding = await raw("POST", "/__pintoken/reset", { host: "attacker.example:4010" });
    expect(rebinding.status).toBe(403);
    const page = await raw("POST", "/__pintoken/reset", { origin: "https://attacker.example" });
    expect(page.status).toBe(403);
    expect(JSON.parse(page.body)).toEqual({
      message: "The control API answers only loopback hosts and pages (localhost, 127.0.0.1, [::1]).",
    });
    const nullOrigin = await raw("GET", "/__pintoken/calls", { origin: "null" });
    expect(nullOrigin.status).toBe(403);
  });

  test("a page on a loopback origin may call it (CORS, with a preflight)", async () => {
    const origin = "http://localhost:3000";
    const preflight = await raw("OPTIONS", "/__pintoken/scenarios", {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(origin);
    expect(preflight.headers["access-control-allow-methods"]).toBe("GET, POST, DELETE");
    expect(preflight.headers["access-control-allow-headers"]).toBe("content-type");
    const listed = await raw("GET", "/__pintoken/scenarios", { origin });
    expect(listed.status).toBe(200);
    expect(listed.headers["access-control-allow-origin"]).toBe(origin);
  });
});
