import { MemoryTokenStore } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { describe, expect, test } from "vitest";
import {
  Browser,
  basePath,
  expectCookies,
  parseSetCookie,
  secret,
  serveOverHttp,
  sessionOf,
  setupMock,
} from "../test/helpers.ts";
import { chunkSize } from "./session/cookies.ts";

const { app, clock, log, server } = setupMock();

const cleared = [{ name: "pintoken.session", maxAge: 0 }];

/** Changes one character of the JWE's ciphertext (its fourth part). */
function tamper(value: string): string {
  const parts = value.split(".");
  const ciphertext = parts[3] as string;
  parts[3] = `${ciphertext[0] === "A" ? "B" : "A"}${ciphertext.slice(1)}`;
  return parts.join(".");
}

async function signedIn(options: Parameters<typeof app>[0] = {}) {
  const browser = new Browser(app(options).handler);
  await browser.signIn();
  const cookie = browser.cookies.get("pintoken.session");
  if (!cookie) throw new Error("no session cookie");
  return { browser, cookie };
}

describe("a session cookie that cannot be trusted reads as signed out, is cleared, and is never a 500", () => {
  test.each([
    ["tampered", tamper],
    ["truncated", (v: string) => v.slice(0, -10)],
    ["cut to its header", (v: string) => v.split(".")[0] as string],
    ["garbage", () => "not-a-jwe"],
    ["empty", () => ""],
    ["a state cookie's value", (v: string) => v], // replaced below
  ])("%s", async (kind, change) => {
    const { browser, cookie } = await signedIn();
    if (kind === "a state cookie's value") {
      const other = new Browser(app().handler);
      await other.get(`${basePath}/login`);
      cookie.value = other.cookies.get("pintoken.state")?.value ?? "";
    } else cookie.value = change(cookie.value);
    for (const [method, route] of [
      ["GET", "session"],
      ["POST", "refresh"],
      ["POST", "logout"],
    ] as const) {
      browser.cookies.set("pintoken.session", { ...cookie });
      const response =
        method === "GET" ? await browser.get(`${basePath}/${route}`) : await browser.post(`${basePath}/${route}`);
      expect(response.status).toBeLessThan(500);
      expect(await response.json()).toMatchObject({ status: "unauthenticated" });
      if (kind !== "empty") expectCookies(response.headers.getSetCookie(), cleared);
    }
    expect(log.lines).toEqual([]);
  });

  test("encrypted with another app's secret", async () => {
    const { browser } = await signedIn({ secret: "cZ1lq8V0m3JrT6yH2wXe9bNfKdUgPaSo" });
    const mine = new Browser(app().handler);
    mine.cookies.set("pintoken.session", browser.cookies.get("pintoken.session") as { value: string; path: string });
    const response = await mine.get(`${basePath}/session`);
    expect(await response.json()).toEqual({ status: "unauthenticated" });
    expectCookies(response.headers.getSetCookie(), cleared);
  });

  test("expired (the refresh token's lifetime has passed)", async () => {
    const { browser } = await signedIn();
    clock.advance(60 * 86_400_000 + 1000);
    const response = await browser.get(`${basePath}/session`);
    expect(await response.json()).toEqual({ status: "unauthenticated" });
    expectCookies(response.headers.getSetCookie(), cleared);
  });

  test("store mode: the stored tokens are gone (signed out elsewhere)", async () => {
    const store = new MemoryTokenStore();
    const { browser } = await signedIn({ store });
    const second = new Browser(app({ store }).handler);
    second.cookies.set("pintoken.session", browser.cookies.get("pintoken.session") as { value: string; path: string });
    expect((await second.post(`${basePath}/logout`)).status).toBe(200);
    const response = await browser.get(`${basePath}/session`);
    expect(await response.json()).toEqual({ status: "unauthenticated" });
    expectCookies(response.headers.getSetCookie(), cleared);
  });
});

describe("store mode keeps only an opaque id in the cookie", () => {
  test("the cookie is small and the tokens are in the store", async () => {
    const store = new MemoryTokenStore();
    const { browser, cookie } = await signedIn({ store });
    expect(cookie.value.length).toBeLessThan(300);
    expect(store.toJSON()).toEqual({ keys: 1 });
    expect(await sessionOf(browser)).toMatchObject({ status: "authenticated" });
  });
});

describe("key rotation: the first secret encrypts, every secret decrypts, a cookie is re-sealed on use", () => {
  const newSecret = "Qm9vGz3Xk1pW7tRb5YcJ0hLs8DnFaE2u";

  test.each([
    ["cookie mode", () => ({})],
    ["store mode", () => ({ store: new MemoryTokenStore() })],
  ])(
    "%s: an old-key cookie is re-sealed with the new key at its next use, so the old secret can go",
    async (_mode, options) => {
      const shared = options();
      const { browser } = await signedIn({ ...shared, secret });
      const rotated = new Browser(app({ ...shared, secret: [newSecret, secret] }).handler);
      rotated.cookies.set(
        "pintoken.session",
        browser.cookies.get("pintoken.session") as { value: string; path: string },
      );
      const response = await rotated.get(`${basePath}/session`); // any use: no refresh needed
      expect(await response.json()).toMatchObject({ status: "authenticated" });
      expectCookies(response.headers.getSetCookie(), [{ name: "pintoken.session", maxAge: 5184000 }]);
      rotated.store(response);

      const onlyNew = new Browser(app({ ...shared, secret: newSecret }).handler);
      onlyNew.cookies.set(
        "pintoken.session",
        rotated.cookies.get("pintoken.session") as { value: string; path: string },
      );
      expect(await sessionOf(onlyNew)).toMatchObject({ status: "authenticated" });
      // Once re-sealed, it is not written again on every request.
      expect((await rotated.get(`${basePath}/session`)).headers.getSetCookie()).toEqual([]);

      const onlyOld = new Browser(app({ ...shared, secret }).handler);
      onlyOld.cookies.set(
        "pintoken.session",
        rotated.cookies.get("pintoken.session") as { value: string; path: string },
      );
      expect(await sessionOf(onlyOld)).toEqual({ status: "unauthenticated" });
    },
  );
});

describe("a session too large for one cookie is chunked", () => {
  /** A Pinterest that issues very long (but spec-valid) tokens: real ones are JWT-like and may grow. */
  const longTokens: typeof fetch = async () =>
    Response.json({
      access_token: `pina.${"a".repeat(3000)}`,
      refresh_token: `pinr.${"r".repeat(3000)}`,
      token_type: "bearer",
      expires_in: 2592000,
      refresh_token_expires_in: 5184000,
      scope: "user_accounts:read",
      response_type: "authorization_code",
    });

  test("every chunk fits in 4 KB, the session reads back, and sign-out clears every chunk", async () => {
    const browser = new Browser(app({ fetch: longTokens }).handler);
    const login = await browser.get(`${basePath}/login`);
    const state = new URL(login.headers.get("location") as string).searchParams.get("state");
    const callback = await browser.get(`${basePath}/callback?code=any&state=${state}`);
    const lines = callback.headers.getSetCookie().filter((line) => line.startsWith("pintoken.session"));
    expect(lines.map((line) => line.slice(0, line.indexOf("=")))).toEqual([
      "pintoken.session.0",
      "pintoken.session.1",
      "pintoken.session.2",
    ]);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(4096);
    expectCookies(
      lines,
      lines.map((line) => ({ name: parseSetCookie(line).name, maxAge: 5184000 })),
    );
    expect(lines[0]?.length).toBeGreaterThan(chunkSize);
    expect(await sessionOf(browser)).toMatchObject({ status: "authenticated" });

    const logout = await browser.post(`${basePath}/logout`);
    expectCookies(logout.headers.getSetCookie(), [
      { name: "pintoken.session.0", maxAge: 0 },
      { name: "pintoken.session.1", maxAge: 0 },
      { name: "pintoken.session.2", maxAge: 0 },
    ]);
    expect(browser.cookies.size).toBe(0);
  });

  test("over a real Node HTTP server: the chunked cookies are set, sent back within its header limit, and read", async () => {
    const served = await serveOverHttp(app({ fetch: longTokens, redirectUri: undefined }).handler, server);
    try {
      const browser = new Browser((request) => fetch(new Request(request, { redirect: "manual" })), served.origin);
      const login = await browser.get(`${basePath}/login`);
      const state = new URL(login.headers.get("location") as string).searchParams.get("state");
      const callback = await browser.get(`${basePath}/callback?code=any&state=${state}`);
      expect(callback.status).toBe(302);
      expect([...browser.cookies.keys()]).toEqual(["pintoken.session.0", "pintoken.session.1", "pintoken.session.2"]);
      expect(browser.cookieHeader("/").length).toBeGreaterThan(2 * chunkSize);
      expect(await sessionOf(browser)).toMatchObject({ status: "authenticated" });
      const logout = await browser.post(`${basePath}/logout`);
      expect(logout.headers.getSetCookie()).toHaveLength(3);
      expect(browser.cookies.size).toBe(0);
    } finally {
      await served.close();
    }
  });

  test("a short session after a chunked one deletes the chunks it no longer needs", async () => {
    const browser = new Browser(app({ fetch: longTokens }).handler);
    const login = await browser.get(`${basePath}/login`);
    const state = new URL(login.headers.get("location") as string).searchParams.get("state");
    await browser.get(`${basePath}/callback?code=any&state=${state}`);
    expect([...browser.cookies.keys()]).toEqual(["pintoken.session.0", "pintoken.session.1", "pintoken.session.2"]);
    const short = new Browser(app().handler);
    for (const [name, cookie] of browser.cookies) short.cookies.set(name, cookie);
    const callback = await short.signIn();
    expectCookies(callback.headers.getSetCookie().slice(1), [
      { name: "pintoken.session", maxAge: 5184000 },
      { name: "pintoken.session.0", maxAge: 0 },
      { name: "pintoken.session.1", maxAge: 0 },
      { name: "pintoken.session.2", maxAge: 0 },
    ]);
    expect([...short.cookies.keys()]).toEqual(["pintoken.session"]);
    expect(await sessionOf(short)).toMatchObject({ status: "authenticated" });
  });
});

test("the cookie holds no token in the clear", async () => {
  const { cookie } = await signedIn();
  expect(cookie.value).not.toMatch(/pin[ar]_/);
  expect(cookie.value).not.toContain(mockClient.clientSecret);
});
