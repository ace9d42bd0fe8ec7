import { MemoryTokenStore } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { describe, expect, test } from "vitest";
import { Browser, basePath, expectNoSecrets, secret, sessionOf, setupMock } from "../test/helpers.ts";

const { mock, app, clock, log } = setupMock();

const cookieValue = "[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+";

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
    expect(login.headers.getSetCookie()).toEqual([
      expect.stringMatching(
        new RegExp(`^pintoken\\.state=${cookieValue}; Path=/api/pinterest; Max-Age=600; HttpOnly; SameSite=Lax$`),
      ),
    ]);

    const consent = await fetch(authorize, { redirect: "manual" });
    const back = new URL(consent.headers.get("location") as string);
    expect(back.searchParams.get("state")).toBe(authorize.searchParams.get("state"));
    const callback = await browser.get(`${back.pathname}${back.search}`);
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/boards?tab=pins#top");
    const [stateCleared, sessionCookie] = callback.headers.getSetCookie();
    expect(stateCleared).toBe("pintoken.state=; Path=/api/pinterest; Max-Age=0; HttpOnly; SameSite=Lax");
    // The cookie lives exactly as long as the refresh token: 60 days at the mock.
    expect(sessionCookie).toMatch(
      new RegExp(`^pintoken\\.session=${cookieValue}; Path=/; Max-Age=5184000; HttpOnly; SameSite=Lax$`),
    );
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
    expect(logout.headers.getSetCookie()).toEqual(["pintoken.session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"]);
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

test("cookies are Secure on https origins (and on http everywhere but this machine)", async () => {
  const appOrigin = "https://app.example.com";
  const redirectUri = `${appOrigin}/api/pinterest/callback`;
  const pinterest = app({ redirectUri });
  const browser = new Browser(pinterest.handler, appOrigin);
  const login = await browser.get(`${basePath}/login`);
  expect(login.headers.getSetCookie()[0]).toMatch(
    /; Path=\/api\/pinterest; Max-Age=600; HttpOnly; Secure; SameSite=Lax$/,
  );
  const plainHttp = new Browser(app({ redirectUri: "http://192.0.2.10/api/pinterest/callback" }).handler);
  const insecure = await plainHttp.get(`${basePath}/login`);
  expect(insecure.headers.getSetCookie()[0]).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
});

test("the session cookie's Max-Age is capped by sessionMaxAgeSeconds", async () => {
  const browser = new Browser(app({ sessionMaxAgeSeconds: 3600 }).handler);
  const callback = await browser.signIn();
  expect(callback.headers.getSetCookie()[1]).toMatch(/; Path=\/; Max-Age=3600; HttpOnly; SameSite=Lax$/);
});

test("login asks for the scopes of the link, or the configured ones", async () => {
  const pinterest = app({ scopes: ["pins:read", "boards:read"] });
  const browser = new Browser(pinterest.handler);
  const configured = new URL((await browser.get(`${basePath}/login`)).headers.get("location") as string);
  expect(configured.searchParams.get("scope")).toBe("pins:read,boards:read");
  const asked = new URL(
    (await browser.get(`${basePath}/login?scopes=user_accounts:read,pins:read`)).headers.get("location") as string,
  );
  expect(asked.searchParams.get("scope")).toBe("user_accounts:read,pins:read");
  await browser.signIn("?scopes=pins:read");
  expect(await sessionOf(browser)).toMatchObject({ status: "authenticated", scopes: ["pins:read"] });
});
