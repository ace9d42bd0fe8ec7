import { describe, expect, test } from "vitest";
import { Browser, basePath, expectCookies, origin, setupMock } from "../test/helpers.ts";

const { app, mock } = setupMock();

async function errorOf(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(response.headers.get("cache-control")).toBe("no-store");
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("routing", () => {
  test("an unknown sub-route is a 404 JSON error that lists the routes", async () => {
    const browser = new Browser(app().handler);
    for (const path of [`${basePath}/nope`, `${basePath}/`, `${basePath}`, "/elsewhere", `${basePath}/session/extra`]) {
      const response = await browser.get(path);
      expect(response.status).toBe(404);
      const error = await errorOf(response);
      expect(error.code).toBe("not_found");
    }
  });

  test("a wrong method is a 405 with Allow", async () => {
    const browser = new Browser(app().handler);
    const get = await browser.get(`${basePath}/refresh`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect((await errorOf(get)).code).toBe("method_not_allowed");
    const post = await browser.post(`${basePath}/session`);
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    const put = await browser.send(browser.request(`${basePath}/logout`, { method: "PUT" }));
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("POST");
  });

  test("HEAD answers like GET, without a body, where GET changes nothing (session)", async () => {
    const browser = new Browser(app().handler);
    const head = await browser.send(browser.request(`${basePath}/session`, { method: "HEAD" }));
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("application/json");
    expect(await head.text()).toBe("");
  });

  test("HEAD on login or callback (which change state) is a 405 with Allow: GET, and changes nothing", async () => {
    const browser = new Browser(app().handler);
    for (const route of ["login", "callback"]) {
      const head = await browser.send(browser.request(`${basePath}/${route}`, { method: "HEAD" }));
      expect(head.status).toBe(405);
      expect(head.headers.get("allow")).toBe("GET");
      expect(head.headers.getSetCookie()).toEqual([]);
    }
  });

  test("a trailing slash is the same route", async () => {
    const browser = new Browser(app().handler);
    expect(await (await browser.get(`${basePath}/session/`)).json()).toEqual({ status: "unauthenticated" });
  });

  test("basePath is configurable", async () => {
    const browser = new Browser(
      app({ basePath: "/auth/pinterest/", redirectUri: `${origin}/auth/pinterest/callback` }).handler,
    );
    expect((await browser.get("/auth/pinterest/session")).status).toBe(200);
    expect((await browser.get(`${basePath}/session`)).status).toBe(404);
  });
});

describe("POST routes accept only the app's own origin", () => {
  test.each([
    ["no Origin", undefined],
    ["another site", "https://evil.example"],
    ["the app on another port", "http://localhost:3001"],
    ["an opaque origin", "null"],
  ])("%s → 403 forbidden_origin, and nothing happens", async (_case, from) => {
    const browser = new Browser(app().handler);
    await browser.signIn();
    const headers = new Headers();
    if (from) headers.set("origin", from);
    for (const route of ["refresh", "logout"]) {
      const request = browser.request(`${basePath}/${route}`, { method: "POST", headers });
      const response = await browser.send(request);
      expect(response.status).toBe(403);
      expect((await errorOf(response)).code).toBe("forbidden_origin");
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect(mock.calls.for("token/revoke")).toHaveLength(0);
    expect(mock.calls.for("oauth/token")).toHaveLength(1); // the sign-in's exchange only
  });

  test("allowedOrigins and the redirect URI's origin are accepted", async () => {
    const browser = new Browser(app({ allowedOrigins: ["https://admin.example.com"] }).handler);
    const allowed = await browser.post(`${basePath}/logout`, { headers: { origin: "https://admin.example.com" } });
    expect(allowed.status).toBe(200);
    const behindProxy = new Browser(
      app({ redirectUri: "https://app.example.com/api/pinterest/callback" }).handler,
      "http://127.0.0.1:3000",
    );
    const proxied = await behindProxy.post(`${basePath}/logout`, { headers: { origin: "https://app.example.com" } });
    expect(proxied.status).toBe(200);
  });
});

describe("login", () => {
  test("unknown or empty scopes → 400 invalid_scopes, and no state cookie", async () => {
    const browser = new Browser(app().handler);
    for (const scopes of ["pins:everything", "", ",", "pins:read,nope"]) {
      const response = await browser.get(`${basePath}/login?scopes=${encodeURIComponent(scopes)}`);
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("invalid_scopes");
      expect(response.headers.getSetCookie()).toEqual([]);
    }
  });

  test.each([
    ["/boards", "/boards"],
    ["/a/b?c=d#e", "/a/b?c=d#e"],
    ["//evil.com", "/"],
    ["/\\evil.com", "/"],
    ["https://evil.com/x", "/"],
    ["/%2F%2Fevil.com", "/"],
    ["/%5Cevil.com", "/"],
    ["/%252F%252Fevil.com", "/"],
    ["javascript:alert(1)", "/"],
    ["/\t/evil.com", "/"],
    ["/ok?next=//x", "/ok?next=//x"],
    ["", "/"],
  ])("returnTo %j → back to %j after sign-in", async (returnTo, expected) => {
    const browser = new Browser(app().handler);
    const callback = await browser.signIn(`?returnTo=${encodeURIComponent(returnTo)}`);
    expect(callback.headers.get("location")).toBe(expected);
  });
});

describe("the app's origin is the one the browser used", () => {
  test("Host and X-Forwarded-* headers (as Next.js and reverse proxies set them) decide the redirect URI and Secure", async () => {
    const browser = new Browser(app().handler, "http://localhost:3000");
    const headers = { host: "127.0.0.1:3000", "x-forwarded-host": "app.example.com", "x-forwarded-proto": "https" };
    const login = await browser.get(`${basePath}/login`, { headers });
    const authorize = new URL(login.headers.get("location") as string);
    expect(authorize.searchParams.get("redirect_uri")).toBe("https://app.example.com/api/pinterest/callback");
    expectCookies(login.headers.getSetCookie(), [{ name: "__Host-pintoken.state", maxAge: 600, secure: true }]);
    const post = await browser.post(`${basePath}/logout`, {
      headers: { ...headers, origin: "https://app.example.com" },
    });
    expect(post.status).toBe(200);
  });

  test("a Host header alone on plain http", async () => {
    const browser = new Browser(app().handler, "http://localhost:3000");
    const login = await browser.get(`${basePath}/login`, { headers: { host: "127.0.0.1:3000" } });
    const authorize = new URL(login.headers.get("location") as string);
    expect(authorize.searchParams.get("redirect_uri")).toBe("http://127.0.0.1:3000/api/pinterest/callback");
    expectCookies(login.headers.getSetCookie(), [{ name: "pintoken.state", maxAge: 600 }]);
  });
});
