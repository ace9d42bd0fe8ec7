import { testClock } from "@pintoken/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { mockAccount } from "./defaults.ts";
import { consentPageUrl, getAccount, locationParams, postForm, redirectUri } from "./test-support/requests.ts";
import { useMockPinterest } from "./testing.ts";

const clock = testClock();
const { mock } = useMockPinterest({ beforeAll, afterEach, afterAll }, { now: () => clock.now });

async function consentAndAllow(params: Record<string, string> = {}) {
  const page = await fetch(consentPageUrl(params));
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&");
  expect(action).toBeDefined();
  const allowed = await fetch(new URL(action as string, consentPageUrl()), {
    method: "POST",
    body: new URLSearchParams({ decision: "allow" }),
    redirect: "manual",
  });
  expect(allowed.status).toBe(302);
  return locationParams(allowed);
}

describe("the authorization-code flow, end to end", () => {
  test("consent → code → exchange → account → refresh (rotated) → old refresh rejected → revoke", async () => {
    const redirect = await consentAndAllow({ state: "s-42", scope: "user_accounts:read,pins:read" });
    expect(redirect.get("state")).toBe("s-42");
    const code = redirect.get("code") as string;
    expect(code).toMatch(/^[\w-]{40,}$/);

    const exchanged = await postForm({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      continuous_refresh: "true",
    });
    expect(exchanged.status).toBe(200);
    const first = await exchanged.json();
    expect(first).toEqual({
      response_type: "authorization_code",
      access_token: expect.stringMatching(/^pina_[\w-]{43}$/),
      token_type: "bearer",
      expires_in: 2_592_000,
      scope: "user_accounts:read,pins:read",
      refresh_token: expect.stringMatching(/^pinr_[\w-]{43}$/),
      refresh_token_expires_in: 5_184_000,
      refresh_token_expires_at: Math.floor(clock.now / 1000) + 5_184_000,
    });

    const account = await getAccount(first.access_token);
    expect(account.status).toBe(200);
    expect(await account.json()).toEqual(mockAccount);

    clock.advance(24 * 3600 * 1000);
    const refreshed = await postForm({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(refreshed.status).toBe(200);
    const second = await refreshed.json();
    expect(second).toMatchObject({
      response_type: "refresh_token",
      token_type: "bearer",
      scope: "user_accounts:read,pins:read",
    });
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.refresh_token_expires_at).toBe(Math.floor(clock.now / 1000) + 5_184_000);

    const reused = await postForm({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(reused.status).toBe(401);
    expect(await reused.json()).toEqual({ code: 283, message: "The authorization grant is invalid" });
    expect(reused.headers.get("x-pintoken-mock-reason")).toMatch(/already used/);

    // The first access token still works until it expires; revoking the refresh token ends the whole grant.
    expect((await getAccount(first.access_token)).status).toBe(200);
    const revoked = await postForm(
      { token: second.refresh_token, token_type_hint: "refresh_token" },
      { path: "/oauth/token/revoke" },
    );
    expect(revoked.status).toBe(200);
    expect(await revoked.text()).toBe("");
    for (const token of [first.access_token, second.access_token]) {
      const denied = await getAccount(token);
      expect(denied.status).toBe(401);
      expect(await denied.json()).toEqual({ code: 2, message: "Authentication failed." });
    }
    const afterRevoke = await postForm({ grant_type: "refresh_token", refresh_token: second.refresh_token });
    expect(afterRevoke.status).toBe(401);
    expect((await afterRevoke.json()).code).toBe(283);
  });

  test("the denied consent redirects back with error=access_denied and the state, and issues no code", async () => {
    const denied = await fetch(consentPageUrl({ state: "deny-me" }), {
      method: "POST",
      body: new URLSearchParams({ decision: "deny" }),
      redirect: "manual",
    });
    expect(denied.status).toBe(302);
    const params = locationParams(denied);
    expect(Object.fromEntries(params)).toEqual({ error: "access_denied", state: "deny-me" });
    expect(denied.headers.get("location")?.startsWith(`${redirectUri}?`)).toBe(true);
  });

  test("an access token expires after expires_in seconds on the mock's clock", async () => {
    const { access_token, expires_in } = mock.issueTokens({ scopes: ["user_accounts:read"] });
    clock.advance(expires_in * 1000 - 1);
    expect((await getAccount(access_token)).status).toBe(200);
    clock.advance(1);
    const expired = await getAccount(access_token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get("x-pintoken-mock-reason")).toMatch(/expired/);
  });

  test("a refresh token expires after 60 days unless it is used (each refresh restarts the 60 days)", async () => {
    const tokens = mock.issueTokens({ scopes: ["user_accounts:read"] });
    clock.advance(59 * 24 * 3600 * 1000);
    const refreshed = await postForm({ grant_type: "refresh_token", refresh_token: tokens.refresh_token as string });
    expect(refreshed.status).toBe(200);
    const next = await refreshed.json();
    clock.advance(59 * 24 * 3600 * 1000);
    expect((await postForm({ grant_type: "refresh_token", refresh_token: next.refresh_token })).status).toBe(200);

    const idle = mock.issueTokens({ scopes: ["user_accounts:read"] });
    clock.advance(5_184_000 * 1000);
    const stale = await postForm({ grant_type: "refresh_token", refresh_token: idle.refresh_token as string });
    expect(stale.status).toBe(401);
    expect(stale.headers.get("x-pintoken-mock-reason")).toMatch(/expired/);
  });
});
