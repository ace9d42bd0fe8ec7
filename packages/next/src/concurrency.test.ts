import { MemoryTokenStore } from "@pintoken/core";
import { describe, expect, test } from "vitest";
import { Browser, basePath, setupMock, tokensOf } from "../test/helpers.ts";

const { app, mock, clock } = setupMock();

const thirtyDays = 30 * 86_400_000;

function refreshCalls() {
  return mock.calls.for("oauth/token").filter((call) => call.form?.grant_type === "refresh_token");
}

/** Signs in, lets the access token expire, and makes the next refresh slow enough for every caller to overlap. */
async function expiredSession(options: Parameters<typeof app>[0]) {
  const pinterest = app(options);
  const browser = new Browser(pinterest.handler);
  await browser.signIn();
  clock.advance(thirtyDays + 1000);
  mock.scenario("oauth/token").slow(50);
  return { pinterest, browser, cookie: browser.cookieHeader("/") };
}

describe.each([
  ["cookie mode", () => ({})],
  ["store mode", () => ({ store: new MemoryTokenStore() })],
])("50 parallel getAccessToken() on an expired session refresh once, in %s", (_mode, options) => {
  test("within one request", async () => {
    const { pinterest, browser } = await expiredSession(options());
    const auth = pinterest.forRequest(browser.request("/dashboard"));
    const tokens = await Promise.all(Array.from({ length: 50 }, () => auth.getAccessToken()));
    expect(refreshCalls()).toHaveLength(1);
    const issued = tokensOf(refreshCalls()[0]).access_token;
    expect(new Set(tokens)).toEqual(new Set([issued]));
    const response = await auth.applyCookies(new Response("ok"));
    expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^pintoken\.session=/)]);
  });

  test("across requests carrying the same cookie, and later requests with the old cookie get the new tokens", async () => {
    const { pinterest, cookie } = await expiredSession(options());
    const request = () => new Request("http://localhost:3000/dashboard", { headers: { cookie } });
    const tokens = await Promise.all(
      Array.from({ length: 50 }, () => pinterest.forRequest(request()).getAccessToken()),
    );
    expect(refreshCalls()).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);

    // The browser has not seen the rotated cookie yet: its next request must not refresh with a dead token.
    const late = pinterest.forRequest(request());
    expect(await late.getAccessToken()).toBe(tokens[0]);
    expect(refreshCalls()).toHaveLength(1);
    const response = await late.applyCookies(new Response("ok"));
    expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^pintoken\.session=/)]);
  });

  test("50 parallel POST /refresh with the same cookie", async () => {
    const { browser } = await expiredSession(options());
    const responses = await Promise.all(Array.from({ length: 50 }, () => browser.post(`${basePath}/refresh`)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(refreshCalls()).toHaveLength(1);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(new Set(bodies.map((b) => b.expiresAt))).toEqual(new Set([clock.now + thirtyDays]));
  });
});

test("store mode: two app instances on one store (two processes with a shared store) refresh once", async () => {
  const store = new MemoryTokenStore();
  const { cookie } = await expiredSession({ store });
  const instances = [app({ store }), app({ store })];
  const tokens = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      (instances[i % 2] ?? instances[0])
        ?.forRequest(new Request("http://localhost:3000/", { headers: { cookie } }))
        .getAccessToken(),
    ),
  );
  expect(refreshCalls()).toHaveLength(1);
  expect(new Set(tokens).size).toBe(1);
});

test("logout waits for a refresh under way and revokes the rotated refresh token", async () => {
  const { pinterest, browser } = await expiredSession({});
  const refreshing = pinterest.forRequest(browser.request("/")).getAccessToken();
  const logout = await browser.post(`${basePath}/logout`);
  await refreshing;
  expect(await logout.json()).toEqual({ status: "unauthenticated", revoked: true });
  const rotated = tokensOf(refreshCalls()[0]).refresh_token;
  expect(mock.calls.for("token/revoke")[0]?.form?.token).toBe(rotated);
  expect(mock.inspectToken(rotated)?.status).toBe("revoked");
});
