/**
 * The Next.js helpers against Next's own cookie classes: a Server Component sees `cookies()` sealed read-only
 * (`RequestCookiesAdapter.seal`, which throws on `set`), a Server Action or Route Handler a mutable one. Only
 * `next/headers`' two accessors are replaced, to hand those objects to the code; the rest is real Next.
 */
import { MemoryTokenStore, ReauthorizationRequiredError } from "@pintoken/core";
import {
  MutableRequestCookiesAdapter,
  RequestCookiesAdapter,
} from "next/dist/server/web/spec-extension/adapters/request-cookies";
import { RequestCookies } from "next/dist/server/web/spec-extension/cookies";
import { afterEach, describe, expect, test, vi } from "vitest";
import { Browser, basePath, expectNoSecrets, sessionOf, setupMock, tokensOf } from "../test/helpers.ts";

const next = vi.hoisted(() => ({ cookies: undefined as unknown, headers: new Headers() }));
vi.mock("next/headers", () => ({ cookies: async () => next.cookies, headers: async () => next.headers }));

const { app, mock, clock, log } = setupMock();

const day = 86_400_000;

function requestHeaders(cookie: string) {
  return new Headers({ cookie, host: "localhost:3000" });
}

/** Renders as a Server Component would: `cookies()` is read-only. */
function asServerComponent(cookie: string) {
  next.headers = requestHeaders(cookie);
  next.cookies = RequestCookiesAdapter.seal(new RequestCookies(next.headers));
}

/** Runs as a Server Action would: `cookies().set` works; returns the Set-Cookie lines it produced. */
function asServerAction(cookie: string) {
  next.headers = requestHeaders(cookie);
  const written: string[] = [];
  next.cookies = MutableRequestCookiesAdapter.wrap(new RequestCookies(next.headers), (lines) => {
    written.splice(0, written.length, ...lines);
  });
  return written;
}

function refreshCalls() {
  return mock.calls.for("oauth/token").filter((call) => call.form?.grant_type === "refresh_token");
}

afterEach(() => {
  next.cookies = undefined;
});

describe.each([
  ["cookie mode", () => ({})],
  ["store mode", () => ({ store: new MemoryTokenStore() })],
])("a rotation in a Server Component is not lost, in %s", (mode, options) => {
  test("the page gets a token; the next request carries the rotated tokens to the browser; refresh goes on working", async () => {
    // Next.js loads lib/pinterest.ts once for the pages and once for the route handler: two instances.
    const shared = options();
    const pinterest = app(shared);
    const browser = new Browser(app(shared).handler);
    await browser.signIn();
    const oldCookie = browser.cookieHeader("/");
    clock.advance(30 * day + 1000);

    asServerComponent(oldCookie);
    const token = await pinterest.getAccessToken();
    const [refresh] = refreshCalls();
    const rotated = refresh?.body as { access_token: string; refresh_token: string };
    expect(token).toBe(rotated.access_token);
    expect(mock.inspectToken(refresh?.form?.refresh_token as string)?.status).toBe("rotated");

    // The browser still sends the cookie from before the rotation.
    const session = await browser.get(`${basePath}/session`, { headers: { cookie: oldCookie } });
    expect(await session.json()).toMatchObject({ status: "authenticated", expiresAt: clock.now + 30 * day });
    expect(session.headers.getSetCookie()).toEqual([expect.stringMatching(/^pintoken\.session=/)]);

    clock.advance(day);
    const refreshed = await browser.post(`${basePath}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(refreshCalls()[1]?.form?.refresh_token).toBe(rotated.refresh_token);

    if (mode === "cookie mode") {
      expect(log.lines).toEqual([
        expect.stringMatching(
          /^warn: pintoken: tokens were refreshed where cookies are read-only .*Add the proxy helper/,
        ),
      ]);
    } else expect(log.lines).toEqual([]);
    expectNoSecrets(log.lines, [rotated.access_token, rotated.refresh_token]);
  });
});

test("a Server Action writes the rotated cookie through cookies()", async () => {
  const pinterest = app();
  const browser = new Browser(pinterest.handler);
  await browser.signIn();
  clock.advance(30 * day + 1000);
  const written = asServerAction(browser.cookieHeader("/"));
  await pinterest.getAccessToken();
  // Next serializes the attributes itself (and adds Expires from its own clock).
  expect(written).toEqual([
    expect.stringMatching(/^pintoken\.session=[^;]+; Path=\/; Expires=[^;]+; Max-Age=5184000; HttpOnly; SameSite=lax$/),
  ]);
  expect(log.lines).toEqual([]);
});

test("getSession() in a Server Component: metadata only; signed out or unreadable is unauthenticated", async () => {
  const pinterest = app();
  const browser = new Browser(pinterest.handler);
  await browser.signIn();
  asServerComponent(browser.cookieHeader("/"));
  expect(await pinterest.getSession()).toEqual({
    status: "authenticated",
    scopes: ["user_accounts:read"],
    expiresAt: clock.now + 30 * day,
    refreshTokenExpiresAt: clock.now + 60 * day,
  });
  asServerComponent("pintoken.session=garbage");
  expect(await pinterest.getSession()).toEqual({ status: "unauthenticated" });
  asServerComponent("");
  expect(await pinterest.getSession()).toEqual({ status: "unauthenticated" });
  await expect(pinterest.getAccessToken()).rejects.toBeInstanceOf(ReauthorizationRequiredError);
});

describe("the proxy helper", () => {
  test("refreshes ahead of rendering and hands the page the new cookie, so the page does not refresh", async () => {
    const pinterest = app();
    const browser = new Browser(pinterest.handler);
    await browser.signIn();
    clock.advance(30 * day - 8 * 60_000); // 8 minutes left: inside the proxy's 10 minutes, outside the page's 5
    const cookie = browser.cookieHeader("/");

    const response = await pinterest.proxy(new Request("http://localhost:3000/dashboard", { headers: { cookie } }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(refreshCalls()).toHaveLength(1);
    const setCookies = response.headers.getSetCookie();
    expect(setCookies).toEqual([
      expect.stringMatching(/^pintoken\.session=[^;]+; Path=\/; Max-Age=5184000; HttpOnly; SameSite=Lax$/),
    ]);
    const forwarded = response.headers.get("x-middleware-request-cookie") as string;
    expect(forwarded).toBe(setCookies[0]?.split("; ")[0]);

    asServerComponent(forwarded);
    const token = await pinterest.getAccessToken();
    expect(token).toBe(tokensOf(refreshCalls()[0]).access_token);
    expect(refreshCalls()).toHaveLength(1);
    expect(log.lines).toEqual([]);
    browser.store(response);
    expect(await sessionOf(browser)).toMatchObject({ expiresAt: clock.now + 30 * day });
  });

  test("leaves fresh sessions, requests without a session cookie and the route handler's own paths alone", async () => {
    const pinterest = app();
    const browser = new Browser(pinterest.handler);
    await browser.signIn();
    const cookie = browser.cookieHeader("/");
    for (const request of [
      new Request("http://localhost:3000/dashboard", { headers: { cookie } }),
      new Request("http://localhost:3000/dashboard"),
      new Request(`http://localhost:3000${basePath}/session`, { headers: { cookie: "pintoken.session=garbage" } }),
    ]) {
      const response = await pinterest.proxy(request);
      expect(response.headers.get("x-middleware-next")).toBe("1");
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(response.headers.get("x-middleware-override-headers")).toBeNull();
    }
    expect(refreshCalls()).toHaveLength(0);
  });

  test("clears an unreadable cookie, and a dead grant, before the page renders", async () => {
    const pinterest = app();
    const garbage = await pinterest.proxy(
      new Request("http://localhost:3000/", { headers: { cookie: "a=1; pintoken.session=garbage" } }),
    );
    expect(garbage.headers.getSetCookie()).toEqual(["pintoken.session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"]);
    expect(garbage.headers.get("x-middleware-request-cookie")).toBe("a=1");

    const browser = new Browser(pinterest.handler);
    await browser.signIn();
    mock.revokeAllTokens();
    clock.advance(30 * day);
    const dead = await pinterest.proxy(
      new Request("http://localhost:3000/", { headers: { cookie: browser.cookieHeader("/") } }),
    );
    expect(dead.headers.getSetCookie()).toEqual(["pintoken.session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"]);
    expect(log.lines).toEqual([]);
  });

  test("Pinterest down: the page renders with the session kept", async () => {
    const pinterest = app();
    const browser = new Browser(pinterest.handler);
    await browser.signIn();
    clock.advance(30 * day - 8 * 60_000);
    mock.scenario("oauth/token").serverError().always();
    const response = await pinterest.proxy(
      new Request("http://localhost:3000/", { headers: { cookie: browser.cookieHeader("/") } }),
    );
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await sessionOf(browser)).toMatchObject({ status: "authenticated" });
  });
});
