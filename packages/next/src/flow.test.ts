import { MemoryTokenStore } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { describe, expect, test } from "vitest";
import {
  Browser,
  basePath,
  expectCookies,
  expectNoSecrets,
  httpsOrigin,
  secret,
  sessionOf,
  setupMock,
} from "../test/helpers.ts";

const { mock, app, clock, log } = setupMock();

/** A compact JWE with `alg: dir` (its encrypted key part is empty). */
const jwe = /^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

describe.each([
  ["cookie mode", () => app()],
  ["store mode", () => app({ store: new MemoryTokenStore() })],
])("the whole flow in %s", (_mode, create) => {
  test("login → consent → callback → session → refresh (rotation kept) → logout (revoked)", async () => {
    const pinterest = create();
    const browser = new Browser(pinterest.handler);

    const login = await browser.get(`${basePath}/login?returnTo=${encodeURIComponent("/boards?tab=pins#top")}`);
    expect(login.status).toBe(302);
    expect(login.headers.get("cache-control")).toBe("no-store");
    const authorize = new URL(login.headers.get("location") as string);
    expect(`${authorize.origin}${authorize.pathname}`).toBe("https://www.pinterest.com/oauth/");
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      client_id: mockClient.clientId,
      redirect_uri: "http://localhost:3000/api/pinterest/callback",
      response_type: "code",
      scope: "user_accounts:read",
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expectCookies(login.headers.getSetCookie(), [{ name: "pintoken.state", value: jwe, maxAge: 600 }]);

    const consent = await fetch(authorize, { redirect: "manual" });
    const back = new URL(consent.headers.get("location") as string);
    expect(back.searchParams.get("state")).toBe(authorize.searchParams.get("state"));
    const callback = await browser.get(`${back.pathname}${back.search}`);
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/boards?tab=pins#top");
    // The session cookie lives exactly as long as the refresh token: 60 days at the mock.
    expectCookies(callback.headers.getSetCookie(), [
      { name: "pintoken.state", maxAge: 0 },
      { name: "pintoken.session", value: jwe, maxAge: 5184000 },
    ]);
    const [exchange] = mock.calls.for("oauth/token");
    expect(exchange?.form).toMatchObject({ grant_type: "authorization_code", code: back.searchParams.get("code") });

    const session = await browser.get(`${basePath}/session`);
    expect(session.status).toBe(200);
    expect(session.headers.get("content-type")).toBe("application/json");
    expect(session.headers.get("cache-control")).toBe("no-store");
    expect(await session.json()).toEqual({
      status: "authenticated",
      scopes: ["user_accounts:read"],
      expiresAt: clock.now + 30 * 86_400_000,
      refreshTokenExpiresAt: clock.now + 60 * 86_400_000,
    });

    const exchanged = exchange?.body as { refresh_token: string; access_token: string };
    if (!exchanged) throw new Error("no exchange recorded");
    clock.advance(86_400_000);
    const refreshed = await browser.post(`${basePath}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toEqual({
      status: "authenticated",
      scopes: ["user_accounts:read"],
      expiresAt: clock.now + 30 * 86_400_000,
      refreshTokenExpiresAt: clock.now + 60 * 86_400_000,
    });
    expect(mock.inspectToken(exchanged.refresh_token)?.status).toBe("rotated");
    const rotated = mock.calls.for("oauth/token")[1]?.body as { refresh_token: string; access_token: string };
    expect(mock.inspectToken(rotated.refresh_token)?.status).toBe("active");

    // The rotated refresh token was kept: the next refresh uses it and succeeds.
    clock.advance(86_400_000);
    expect((await browser.post(`${basePath}/refresh`)).status).toBe(200);
    expect(mock.calls.for("oauth/token")[2]?.form?.refresh_token).toBe(rotated.refresh_token);
    const latest = mock.calls.for("oauth/token")[2]?.body as { refresh_token: string; access_token: string };

    const logout = await browser.post(`${basePath}/logout`);
    expect(logout.status).toBe(200);
    expect(await logout.json()).toEqual({ status: "unauthenticated", revoked: true });
    expectCookies(logout.headers.getSetCookie(), [{ name: "pintoken.session", maxAge: 0 }]);
    expect(mock.calls.for("token/revoke")[0]?.form).toEqual({
      token: latest.refresh_token,
      token_type_hint: "refresh_token",
    });
    expect(mock.inspectToken(latest.refresh_token)?.status).toBe("revoked");
    expect(await sessionOf(browser)).toEqual({ status: "unauthenticated" });

    const everything = [
      ...browser.responses.flatMap((r) => [
        r.body,
        ...r.headers.filter(([n]) => n !== "set-cookie").map((h) => h.join(": ")),
      ]),
      ...browser.responses.flatMap((r) => r.headers.filter(([n]) => n === "set-cookie").map(([, v]) => v)),
      ...log.lines,
    ];
    expectNoSecrets(everything, [
      exchanged.access_token,
      exchanged.refresh_token,
      rotated.access_token,
      rotated.refresh_token,
      latest.access_token,
      latest.refresh_token,
      mockClient.clientSecret,
      secret,
    ]);
    expect(log.lines).toEqual([]);
  });
});

describe("on https, the cookies are Secure and __Host- named: no sibling subdomain can set or shadow them", () => {
  test("every cookie the flow writes", async () => {
    const browser = new Browser(app().handler, httpsOrigin);
    const login = await browser.get(`${basePath}/login`);
    expectCookies(login.headers.getSetCookie(), [{ name: "__Host-pintoken.state", maxAge: 600, secure: true }]);
    const callback = await browser.signIn();
    expectCookies(callback.headers.getSetCookie(), [
      { name: "__Host-pintoken.state", maxAge: 0, secure: true },
      { name: "__Host-pintoken.session", maxAge: 5184000, secure: true },
    ]);
    expect(await sessionOf(browser)).toMatchObject({ status: "authenticated" });
    const logout = await browser.post(`${basePath}/logout`);
    expectCookies(logout.headers.getSetCookie(), [{ name: "__Host-pintoken.session", maxAge: 0, secure: true }]);
  });

  test("a plain-named cookie (what a sibling subdomain can toss) is not read on https", async () => {
    const attacker = new Browser(app().handler, httpsOrigin);
    await attacker.signIn();
    const tossed = attacker.cookies.get("__Host-pintoken.session")?.value as string;
    const victim = new Browser(app().handler, httpsOrigin);
    victim.cookies.set("pintoken.session", { value: tossed, path: "/" });
    expect(await sessionOf(victim)).toEqual({ status: "unauthenticated" });
  });

  test("a session cookie sent twice is neither one: a tossed duplicate cannot sign the victim in", async () => {
    const attacker = new Browser(app().handler);
    await attacker.signIn();
    const victim = new Browser(app().handler);
    await victim.signIn();
    const theirs = attacker.cookieHeader("/");
    const mine = victim.cookieHeader("/");
    for (const cookie of [`${theirs}; ${mine}`, `${mine}; ${theirs}`]) {
      const response = await victim.handler(
        new Request(`http://localhost:3000${basePath}/session`, { headers: { cookie } }),
      );
      expect(await response.json()).toEqual({ status: "unauthenticated" });
    }
  });

  test("a state cookie sent twice fails the callback (state_mismatch) with no token request", async () => {
    const browser = new Browser(app().handler);
    const login = await browser.get(`${basePath}/login`);
    const state = new URL(login.headers.get("location") as string).searchParams.get("state");
    const other = new Browser(app().handler);
    await other.get(`${basePath}/login`);
    const cookie = `${browser.cookieHeader("/")}; ${other.cookieHeader("/")}`;
    const callback = await browser.get(`${basePath}/callback?code=any&state=${state}`, { headers: { cookie } });
    expect(callback.headers.get("location")).toBe("/?pintoken_error=state_mismatch");
    expect(mock.calls.for("oauth/token")).toEqual([]);
  });

  test("on plain http anywhere but this machine, the cookies are Secure too", async () => {
    const plainHttp = new Browser(app({ redirectUri: "http://192.0.2.10/api/pinterest/callback" }).handler);
    const insecure = await plainHttp.get(`${basePath}/login`);
    expectCookies(insecure.headers.getSetCookie(), [{ name: "__Host-pintoken.state", maxAge: 600, secure: true }]);
  });
});

test("the session cookie's Max-Age is capped by sessionMaxAgeSeconds", async () => {
  const browser = new Browser(app({ sessionMaxAgeSeconds: 3600 }).handler);
  const callback = await browser.signIn();
  expectCookies(callback.headers.getSetCookie().slice(1), [{ name: "pintoken.session", maxAge: 3600 }]);
});

test("login asks for the configured scopes, and for those of the link in addition (never fewer)", async () => {
  const pinterest = app({ scopes: ["pins:read", "boards:read"] });
  const browser = new Browser(pinterest.handler);
  const configured = new URL((await browser.get(`${basePath}/login`)).headers.get("location") as string);
  expect(configured.searchParams.get("scope")).toBe("pins:read,boards:read");
  const asked = new URL(
    (await browser.get(`${basePath}/login?scopes=user_accounts:read,pins:read`)).headers.get("location") as string,
  );
  expect(asked.searchParams.get("scope")).toBe("pins:read,boards:read,user_accounts:read");
  await browser.signIn("?scopes=pins:write");
  expect(await sessionOf(browser)).toMatchObject({
    status: "authenticated",
    scopes: ["pins:read", "boards:read", "pins:write"],
  });
});
