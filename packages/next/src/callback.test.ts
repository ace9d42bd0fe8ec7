import { describe, expect, test } from "vitest";
import { Browser, basePath, expectCookies, sessionOf, setupMock } from "../test/helpers.ts";

const { mock, app } = setupMock();

/** Starts a login and returns the browser (holding the state cookie) and the state Pinterest would echo. */
async function startLogin(returnTo = "/after") {
  const browser = new Browser(app().handler);
  const login = await browser.get(`${basePath}/login?returnTo=${encodeURIComponent(returnTo)}`);
  const state = new URL(login.headers.get("location") as string).searchParams.get("state") as string;
  return { browser, state };
}

function tokenRequests() {
  return mock.calls.for("oauth/token").length;
}

describe("the callback refuses, with no token request at all", () => {
  test("a state that differs from the cookie's", async () => {
    const { browser, state } = await startLogin();
    const { code } = mock.authorize({ scopes: ["user_accounts:read"] });
    const wrong = `${state.slice(0, -1)}${state.endsWith("A") ? "B" : "A"}`;
    const response = await browser.get(`${basePath}/callback?code=${code}&state=${wrong}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/after?pintoken_error=state_mismatch");
    expect(tokenRequests()).toBe(0);
    expect(await sessionOf(browser)).toEqual({ status: "unauthenticated" });
  });

  test("a missing state parameter, or no state cookie", async () => {
    const { browser } = await startLogin();
    const { code } = mock.authorize({ scopes: ["user_accounts:read"] });
    const noParam = await browser.get(`${basePath}/callback?code=${code}`);
    expect(noParam.headers.get("location")).toBe("/after?pintoken_error=state_mismatch");
    // The state cookie is single use: the failed callback cleared it.
    expectCookies(noParam.headers.getSetCookie(), [{ name: "pintoken.state", maxAge: 0 }]);
    const stranger = new Browser(app().handler);
    const noCookie = await stranger.get(`${basePath}/callback?code=${code}&state=anything`);
    expect(noCookie.headers.get("location")).toBe("/?pintoken_error=state_mismatch");
    expect(tokenRequests()).toBe(0);
  });

  test("a replayed callback (same state twice), even with the state cookie sent again", async () => {
    const { browser, state } = await startLogin();
    const stateCookie = browser.cookieHeader(`${basePath}/callback`);
    const { code } = mock.authorize({ scopes: ["user_accounts:read"], state });
    const first = await browser.get(`${basePath}/callback?code=${code}&state=${state}`);
    expect(first.headers.get("location")).toBe("/after");
    const replay = await browser.get(`${basePath}/callback?code=${code}&state=${state}`, {
      headers: { cookie: stateCookie },
    });
    expect(replay.headers.get("location")).toBe("/after?pintoken_error=state_mismatch");
    expect(tokenRequests()).toBe(1);
  });

  test("Pinterest's error parameter (the user denied access)", async () => {
    const { browser, state } = await startLogin();
    const response = await browser.get(`${basePath}/callback?error=access_denied&state=${state}`);
    expect(response.headers.get("location")).toBe("/after?pintoken_error=access_denied");
    expect(tokenRequests()).toBe(0);
  });

  test("a missing code", async () => {
    const { browser, state } = await startLogin();
    const response = await browser.get(`${basePath}/callback?state=${state}`);
    expect(response.headers.get("location")).toBe("/after?pintoken_error=missing_code");
    expect(tokenRequests()).toBe(0);
  });

  test("a tampered state cookie", async () => {
    const { browser, state } = await startLogin();
    const cookie = browser.cookies.get("pintoken.state");
    if (!cookie) throw new Error("no state cookie");
    cookie.value = `${cookie.value.slice(0, 40)}${cookie.value[40] === "a" ? "b" : "a"}${cookie.value.slice(41)}`;
    const { code } = mock.authorize({ scopes: ["user_accounts:read"], state });
    const response = await browser.get(`${basePath}/callback?code=${code}&state=${state}`);
    expect(response.headers.get("location")).toBe("/?pintoken_error=state_mismatch");
    expect(tokenRequests()).toBe(0);
  });

  test("a session cookie offered as the state cookie", async () => {
    const { browser, state } = await startLogin();
    const signedIn = new Browser(app().handler);
    await signedIn.signIn();
    const session = signedIn.cookies.get("pintoken.session")?.value;
    const response = await browser.get(`${basePath}/callback?code=x&state=${state}`, {
      headers: { cookie: `pintoken.state=${session}` },
    });
    expect(response.headers.get("location")).toBe("/?pintoken_error=state_mismatch");
  });
});

describe("the code exchange fails", () => {
  test("Pinterest rejects the code: exchange_failed, no session", async () => {
    const { browser, state } = await startLogin();
    const response = await browser.get(`${basePath}/callback?code=not-a-code&state=${state}`);
    expect(response.headers.get("location")).toBe("/after?pintoken_error=exchange_failed");
    expect(mock.calls.for("oauth/token").map((c) => c.status)).toEqual([401]);
    expect(await sessionOf(browser)).toEqual({ status: "unauthenticated" });
  });

  test("Pinterest is down: pinterest_unavailable (a code exchange is never retried)", async () => {
    const { browser, state } = await startLogin();
    const { code } = mock.authorize({ scopes: ["user_accounts:read"], state });
    mock.scenario("oauth/token").serverError({ status: 503 });
    const response = await browser.get(`${basePath}/callback?code=${code}&state=${state}`);
    expect(response.headers.get("location")).toBe("/after?pintoken_error=pinterest_unavailable");
    expect(mock.calls.for("oauth/token")).toHaveLength(1);
  });

  test("the connection drops: pinterest_unavailable", async () => {
    const { browser, state } = await startLogin();
    const { code } = mock.authorize({ scopes: ["user_accounts:read"], state });
    mock.scenario("oauth/token").dropConnection();
    const response = await browser.get(`${basePath}/callback?code=${code}&state=${state}`);
    expect(response.headers.get("location")).toBe("/after?pintoken_error=pinterest_unavailable");
  });
});

test("a second sign-in replaces the session", async () => {
  const browser = new Browser(app().handler);
  await browser.signIn("?scopes=pins:read");
  await browser.signIn("?scopes=boards:read");
  expect(await sessionOf(browser)).toMatchObject({
    status: "authenticated",
    scopes: ["user_accounts:read", "boards:read"],
  });
});
