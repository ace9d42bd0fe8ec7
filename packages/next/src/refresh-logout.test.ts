import { MemoryTokenStore } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { describe, expect, test } from "vitest";
import { Browser, basePath, expectCookies, sessionOf, setupMock } from "../test/helpers.ts";

const otherApp = {
  clientId: "1500002",
  clientSecret: "another-mock-client-secret",
  redirectUris: mockClient.redirectUris,
};
const { app, mock, log, clock } = setupMock({ clients: [mockClient, otherApp] });

const cleared = [{ name: "pintoken.session", maxAge: 0 }];

describe.each([
  ["cookie mode", () => ({})],
  ["store mode", () => ({ store: new MemoryTokenStore() })],
])("POST /refresh in %s", (_mode, options) => {
  test("without a session → 401 not_signed_in, unauthenticated", async () => {
    const browser = new Browser(app(options()).handler);
    const response = await browser.post(`${basePath}/refresh`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ status: "unauthenticated", error: { code: "not_signed_in" } });
    expect(mock.calls.for("oauth/token")).toHaveLength(0);
  });

  test("a dead grant → 401 reauthorization_required, the session is cleared", async () => {
    const browser = new Browser(app(options()).handler);
    await browser.signIn();
    mock.revokeAllTokens();
    const response = await browser.post(`${basePath}/refresh`);
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body).toMatchObject({ status: "unauthenticated", error: { code: "reauthorization_required" } });
    expectCookies(response.headers.getSetCookie(), cleared);
    expect(await sessionOf(browser)).toEqual({ status: "unauthenticated" });
    expect(log.lines).toEqual([]);
  });

  test("Pinterest down → 503 pinterest_unavailable, the session is kept", async () => {
    const browser = new Browser(app(options()).handler);
    await browser.signIn();
    mock.scenario("oauth/token").serverError({ status: 503 }).always();
    const response = await browser.post(`${basePath}/refresh`);
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe("pinterest_unavailable");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await sessionOf(browser)).toMatchObject({ status: "authenticated" });
  });

  test("a rate limit → 503 pinterest_unavailable", async () => {
    const browser = new Browser(app(options()).handler);
    await browser.signIn();
    mock.scenario("oauth/token").rateLimit({ retryAfter: 120 }).always();
    const response = await browser.post(`${basePath}/refresh`);
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe("pinterest_unavailable");
  });

  test("a refresh already done by another request is not repeated", async () => {
    const pinterest = app(options());
    const browser = new Browser(pinterest.handler);
    await browser.signIn();
    const stale = browser.cookieHeader("/");
    clock.advance(1000);
    expect((await browser.post(`${basePath}/refresh`)).status).toBe(200);
    const again = await browser.post(`${basePath}/refresh`, { headers: { cookie: stale } });
    expect(again.status).toBe(200);
    expect(mock.calls.for("oauth/token").map((c) => c.form?.grant_type)).toEqual([
      "authorization_code",
      "refresh_token",
    ]);
  });
});

describe.each([
  ["cookie mode", () => ({})],
  ["store mode", () => ({ store: new MemoryTokenStore() })],
])("POST /logout in %s", (mode, options) => {
  test("Pinterest down: signed out here, and the answer says the revocation failed", async () => {
    const browser = new Browser(app(options()).handler);
    await browser.signIn();
    mock.scenario("token/revoke").serverError().always();
    const response = await browser.post(`${basePath}/logout`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "unauthenticated",
      revoked: false,
      error: { code: "pinterest_unavailable" },
    });
    if (mode === "store mode") expectCookies(response.headers.getSetCookie(), cleared);
    // Cookie mode: the cookie now holds the sign-out still to confirm (see security.test.ts); it reads as signed out.
    else expectCookies(response.headers.getSetCookie(), [{ name: "pintoken.session", maxAge: 5184000 }]);
    expect(await sessionOf(browser)).toEqual({ status: "unauthenticated" });
    expect(log.lines).toEqual([expect.stringMatching(/^warn: pintoken: the revocation at sign-out failed: /)]);
  });

  test("Pinterest refuses (403: the grant belongs to another app): revoke_failed, still signed out", async () => {
    const shared = options();
    const browser = new Browser(app(shared).handler);
    await browser.signIn();
    const other = new Browser(
      app({ ...shared, clientId: otherApp.clientId, clientSecret: otherApp.clientSecret }).handler,
    );
    for (const [name, cookie] of browser.cookies) other.cookies.set(name, cookie);
    const body = await (await other.post(`${basePath}/logout`)).json();
    expect(mock.calls.for("token/revoke").map((c) => c.status)).toEqual([403]);
    expect(body).toMatchObject({ status: "unauthenticated", revoked: false, error: { code: "revoke_failed" } });
    expect(await sessionOf(other)).toEqual({ status: "unauthenticated" });
  });

  test("signed out already: nothing to revoke", async () => {
    const browser = new Browser(app(options()).handler);
    expect(await (await browser.post(`${basePath}/logout`)).json()).toEqual({
      status: "unauthenticated",
      revoked: false,
    });
    expect(mock.calls.for("token/revoke")).toHaveLength(0);
  });

  test("a request still carrying the old cookie after sign-out cannot bring the session back", async () => {
    const browser = new Browser(app(options()).handler);
    await browser.signIn();
    const before = browser.cookieHeader("/");
    await browser.post(`${basePath}/logout`);
    const late = await browser.get(`${basePath}/session`, { headers: { cookie: before } });
    expect(await late.json()).toEqual({ status: "unauthenticated" });
    expectCookies(late.headers.getSetCookie(), cleared);
  });
});
