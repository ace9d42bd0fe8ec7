/**
 * The findings of the security review, each with the test that failed before its fix (the others are where their
 * feature is tested: `__Host-` names and duplicate cookies in flow.test.ts, guessable secrets in options.test.ts,
 * re-sealing with the current key in session-cookie.test.ts, the store's TTL in @pintoken/redis, `?pintoken_error=`
 * in @pintoken/react).
 */
import { MemoryTokenStore } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { describe, expect, test } from "vitest";
import { Browser, basePath, expectCookies, sessionOf, setupMock, tokensOf } from "../test/helpers.ts";
import { safeReturnTo } from "./http/return-to.ts";

const { app, mock, log } = setupMock();

/** A new server process: nothing this one remembers in memory (the cookie-mode cache lives on globalThis). */
function restart(): void {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("@pintoken/next.cookieSessionCaches")];
}

describe("a signed-out session is never accepted again, not even after a restart", () => {
  test("cookie mode: a sign-out Pinterest could not confirm stays in the cookie until a later one is confirmed; then a copy of the old cookie is dead everywhere", async () => {
    const browser = new Browser(app().handler);
    await browser.signIn();
    const copy = browser.cookieHeader("/");
    const [exchange] = mock.calls.for("oauth/token");
    const { refresh_token: refreshToken } = tokensOf(exchange);

    const outage = mock.scenario("token/revoke").serverError({ status: 503 }).always();
    const first = await (await browser.post(`${basePath}/logout`)).json();
    expect(first).toMatchObject({
      status: "unauthenticated",
      revoked: false,
      error: { code: "pinterest_unavailable" },
    });
    expect(await sessionOf(browser)).toEqual({ status: "unauthenticated" }); // signed out here at once
    expect(mock.inspectToken(refreshToken)?.status).toBe("active");

    restart();
    outage.cancel();
    const fresh = new Browser(app().handler);
    for (const [name, cookie] of browser.cookies) fresh.cookies.set(name, cookie);
    expect(await sessionOf(fresh)).toEqual({ status: "unauthenticated" }); // the pending cookie reads signed out
    const retried = await fresh.post(`${basePath}/logout`); // what @pintoken/react does, with back-off
    expect(await retried.json()).toEqual({ status: "unauthenticated", revoked: true });
    expectCookies(retried.headers.getSetCookie(), [{ name: "pintoken.session", maxAge: 0 }]);
    expect(mock.inspectToken(refreshToken)?.status).toBe("revoked");

    restart();
    const thief = await app().handler(
      new Request(`http://localhost:3000${basePath}/refresh`, {
        method: "POST",
        headers: { cookie: copy, origin: "http://localhost:3000" },
      }),
    );
    expect(thief.status).toBe(401);
    expect(await thief.json()).toMatchObject({
      status: "unauthenticated",
      error: { code: "reauthorization_required" },
    });
  });

  test("store mode: the session is deleted from the store at sign-out, whatever Pinterest says", async () => {
    const store = new MemoryTokenStore();
    const browser = new Browser(app({ store }).handler);
    await browser.signIn();
    const copy = browser.cookieHeader("/");
    mock.scenario("token/revoke").serverError({ status: 503 }).always();
    await browser.post(`${basePath}/logout`);
    restart();
    const late = new Browser(app({ store }).handler);
    expect(await (await late.get(`${basePath}/session`, { headers: { cookie: copy } })).json()).toEqual({
      status: "unauthenticated",
    });
    expect(store.toJSON()).toEqual({ keys: 0 });
  });
});

test("HEAD never signs in: a link checker or prefetcher that sends HEAD to the callback uses up nothing", async () => {
  const browser = new Browser(app().handler);
  const login = await browser.get(`${basePath}/login`);
  const authorize = login.headers.get("location") as string;
  const consent = await fetch(authorize, { redirect: "manual" });
  const back = new URL(consent.headers.get("location") as string);
  const head = await browser.send(browser.request(`${back.pathname}${back.search}`, { method: "HEAD" }));
  expect(head.status).toBe(405);
  expect(head.headers.getSetCookie()).toEqual([]);
  expect(mock.calls.for("oauth/token")).toEqual([]);
  // The real GET still works: the state and the code were not used up.
  const callback = await browser.get(`${back.pathname}${back.search}`);
  expect(callback.headers.get("location")).toBe("/");
  expect(await sessionOf(browser)).toMatchObject({ status: "authenticated" });
});

test.each(["/a/..//evil.example", "/a/../..//evil.example/x", "/./%2e%2e//evil.example"])(
  "safeReturnTo(%j) never yields a protocol-relative URL",
  (value) => {
    const safe = safeReturnTo(value);
    expect(safe === undefined || !/^\/[/\\]/.test(safe)).toBe(true);
  },
);

test("no text from Pinterest reaches the log: an answer that echoes the client's credentials is logged by status and code", async () => {
  const basic = btoa(`${mockClient.clientId}:${mockClient.clientSecret}`);
  const echoing: typeof fetch = async () =>
    Response.json({ code: 1, message: `bad request from client ${basic}; upstream says hello` }, { status: 400 });
  const browser = new Browser(app({ fetch: echoing }).handler);
  const login = await browser.get(`${basePath}/login`);
  const state = new URL(login.headers.get("location") as string).searchParams.get("state");
  const callback = await browser.get(`${basePath}/callback?code=any&state=${state}`);
  expect(callback.headers.get("location")).toBe("/?pintoken_error=exchange_failed");
  expect(log.lines).toEqual([
    expect.stringMatching(/^warn: pintoken: the code exchange failed: .*HTTP 400, Pinterest code 1/),
  ]);
  for (const line of log.lines) {
    expect(line).not.toContain(basic);
    expect(line).not.toContain("upstream says hello");
  }
});
