/**
 * The Next.js helpers against Next's own cookie classes: a Server Component sees `cookies()` sealed read-only
 * (`RequestCookiesAdapter.seal`, which throws on `set`), a Server Action or Route Handler a mutable one. Only
 * `next/headers`' two accessors are replaced, to hand those objects to the code; the rest is real Next.
 */
import { MemoryTokenStore, ReauthorizationRequiredError } from "@pintoken/core";
import { mockAccount } from "@pintoken/mock";
import {
  MutableRequestCookiesAdapter,
  RequestCookiesAdapter,
} from "next/dist/server/web/spec-extension/adapters/request-cookies";
import { RequestCookies } from "next/dist/server/web/spec-extension/cookies";
import { afterEach, describe, expect, test, vi } from "vitest";
import { Browser, basePath, expectCookies, expectNoSecrets, sessionOf, setupMock, tokensOf } from "../test/helpers.ts";

const next = vi.hoisted(() => ({ cookies: undefined as unknown, headers: new Headers(), calls: [] as string[] }));
vi.mock("next/headers", () => ({
  cookies: async () => {
    next.calls.push("cookies");
    return next.cookies;
  },
  headers: async () => {
    next.calls.push("headers");
    return next.headers;
  },
}));
// connection() needs a request scope that only a running Next.js server has: the rest of next/server is real.
vi.mock("next/server", async (original) => ({
  ...(await original<typeof import("next/server")>()),
  connection: async () => {
    next.calls.push("connection");
  },
}));

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
  next.calls.length = 0;
});

test.each([
  ["getSession", (pinterest: ReturnType<typeof app>) => pinterest.getSession()],
  ["getAccessToken", (pinterest: ReturnType<typeof app>) => pinterest.getAccessToken().catch(() => undefined)],
  [
    "api()",
    (pinterest: ReturnType<typeof app>) =>
      pinterest
        .api()
        .GET("/user_account")
        .catch(() => undefined),
  ],
])("%s declares itself dynamic: connection() first, before any request data or clock", async (_name, use) => {
  asServerComponent("");
  await use(app());
  expect(next.calls[0]).toBe("connection");
  expect(next.calls).toContain("cookies");
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
  expectCookies(written, [{ name: "pintoken.session", maxAge: 5184000, extra: /^expires=/ }]);
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

describe("api(): core's typed client bound to the request's session", () => {
  test("a Server Component reads the account; a 401 refreshes once and replays once", async () => {
    const pinterest = app();
    const browser = new Browser(pinterest.handler);
    await browser.signIn();
    asServerComponent(browser.cookieHeader("/"));
    const { data, response } = await pinterest.api().GET("/user_account");
    expect(response.status).toBe(200);
    expect(data?.username).toBe(mockAccount.username);
    expect(refreshCalls()).toHaveLength(0);

    // Pinterest stops accepting the access token (the refresh token still works): refresh, then replay.
    const [exchange] = mock.calls.for("oauth/token");
    mock.revokeToken(tokensOf(exchange).access_token);
    const replayed = await pinterest.api().GET("/user_account");
    expect(replayed.data?.username).toBe(mockAccount.username);
    expect(refreshCalls()).toHaveLength(1);
    expect(mock.calls.for("user_account/get").map((call) => call.status)).toEqual([200, 401, 200]);
  });

  test("a Server Action's call writes the rotated cookie; without a session it throws ReauthorizationRequiredError", async () => {
    const pinterest = app();
    const browser = new Browser(pinterest.handler);
    await browser.signIn();
    clock.advance(30 * day + 1000);
    const written = asServerAction(browser.cookieHeader("/"));
    expect((await pinterest.api().GET("/user_account")).response.status).toBe(200);
    expect(refreshCalls()).toHaveLength(1);
    expectCookies(written, [{ name: "pintoken.session", maxAge: 5184000, extra: /^expires=/ }]);

    asServerAction("");
    await expect(pinterest.api().GET("/user_account")).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    expect(mock.calls.for("user_account/get")).toHaveLength(1);
  });

  test("forRequest(request).api() on any fetch server, its rotation sent with applyCookies", async () => {
    const pinterest = app({ store: new MemoryTokenStore() });
    const browser = new Browser(pinterest.handler);
    await browser.signIn();
    clock.advance(30 * day + 1000);
    const auth = pinterest.forRequest(browser.request("/me"));
    const { data } = await auth.api().GET("/user_account");
    expect(data?.username).toBe(mockAccount.username);
    const response = await auth.applyCookies(Response.json(data));
    expectCookies(response.headers.getSetCookie(), [{ name: "pintoken.session", maxAge: 5184000 }]);
  });
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
    expectCookies(setCookies, [{ name: "pintoken.session", maxAge: 5184000 }]);
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
    expectCookies(garbage.headers.getSetCookie(), [{ name: "pintoken.session", maxAge: 0 }]);
    expect(garbage.headers.get("x-middleware-request-cookie")).toBe("a=1");

    const browser = new Browser(pinterest.handler);
    await browser.signIn();
    mock.revokeAllTokens();
    clock.advance(30 * day);
    const dead = await pinterest.proxy(
      new Request("http://localhost:3000/", { headers: { cookie: browser.cookieHeader("/") } }),
    );
    expectCookies(dead.headers.getSetCookie(), [{ name: "pintoken.session", maxAge: 0 }]);
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
