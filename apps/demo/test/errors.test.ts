/**
 * The failures a person can meet, each with a way back: consent denied, a forged state, Pinterest down (a 5xx
 * scenario on the mock, set over its control API), and a refresh token revoked at Pinterest.
 */
import { expect, test } from "vitest";
import { screenshot } from "./browser.ts";
import {
  allow,
  appUrl,
  browserPerTest,
  connect,
  control,
  expiresAt,
  newExpiry,
  openConsent,
  shownError,
  statusAtMock,
  tokenCalls,
  tokensOf,
} from "./demo-app.ts";

const browser = browserPerTest();

test("consent denied: the app says so, asks Pinterest for nothing, and can connect again", async () => {
  const page = await browser.current().newPage();
  await page.goto(appUrl);
  await openConsent(page);
  await page.getByRole("button", { name: "Deny" }).click();
  await page.waitForURL((url) => url.origin === appUrl && url.pathname === "/");
  expect(await shownError(page)).toBe("access_denied");
  expect(new URL(page.url()).searchParams.has("pintoken_error")).toBe(false); // the hook took it off the address
  await screenshot(page, "06-consent-denied");
  expect(await control.calls({ operationId: "oauth/token" })).toEqual([]);

  // The way back: connect again.
  await openConsent(page);
  await allow(page);
});

test("a forged state: the callback is refused before any token request, and a new sign-in works", async () => {
  const page = await browser.current().newPage();
  await page.goto(appUrl);
  await openConsent(page); // a sign-in under way: this browser holds its state
  const authorize = new URL(page.url());
  expect(authorize.searchParams.get("state")).toBeTruthy();

  // Someone sends this browser to the callback with a code and a state of their own.
  const { code } = await control.authorize({ scopes: ["user_accounts:read"] });
  await page.goto(`${appUrl}/api/pinterest/callback?code=${encodeURIComponent(code)}&state=forged-state`);
  expect(await shownError(page)).toBe("state_mismatch");
  await page.getByTestId("signed-out").waitFor();
  await screenshot(page, "07-state-mismatch");
  expect(await control.calls({ operationId: "oauth/token" })).toEqual([]);

  await openConsent(page);
  await allow(page);
});

test("Pinterest down while signing in: nothing is connected, and connecting again works once it is back", async () => {
  await control.addScenario({ grantType: "authorization_code", fault: { kind: "serverError", status: 503 } });
  const page = await browser.current().newPage();
  await page.goto(appUrl);
  await openConsent(page);
  await page.getByRole("button", { name: "Allow" }).click();
  expect(await shownError(page)).toBe("pinterest_unavailable");
  await page.getByTestId("signed-out").waitFor();
  expect((await tokenCalls("authorization_code")).map((call) => call.status)).toEqual([503]); // never retried

  await openConsent(page);
  await allow(page);
});

test("Pinterest down during a refresh: still connected, told so, and Try again works once it is back", async () => {
  const page = await browser.current().newPage();
  await connect(page);
  const before = await expiresAt(page);
  const outage = await control.addScenario({
    grantType: "refresh_token",
    fault: { kind: "serverError", status: 503 },
    times: "always",
  });

  await page.getByRole("button", { name: "Refresh now" }).click();
  expect(await shownError(page)).toBe("pinterest_unavailable");
  await page.getByTestId("account").waitFor(); // the session is kept
  expect(await expiresAt(page)).toBe(before);
  await screenshot(page, "08-pinterest-down");
  const failed = await tokenCalls("refresh_token");
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.every((call) => call.status === 503)).toBe(true);

  // Try again while Pinterest is still down: asked again, still told, still connected.
  await page.getByRole("button", { name: "Try again" }).click();
  await expect
    .poll(async () => (await tokenCalls("refresh_token")).length, { timeout: 60_000 })
    .toBeGreaterThan(failed.length);
  expect(await shownError(page)).toBe("pinterest_unavailable");

  // Pinterest is back: Try again (unless the page's own retry, on a back-off timer, got there first) refreshes.
  await control.cancelScenario(outage.id);
  await page
    .getByRole("button", { name: "Try again" })
    .click({ timeout: 5_000 })
    .catch(() => undefined);
  await newExpiry(page, before);
  await page.getByTestId("auth-error").waitFor({ state: "detached" });
  expect((await tokenCalls("refresh_token")).at(-1)?.status).toBe(200);
});

test("a refresh token revoked at Pinterest: the server's API call finds the grant dead, ends the session and says why; Connect again leads back", async () => {
  const page = await browser.current().newPage();
  await connect(page);
  const granted = tokensOf((await tokenCalls("authorization_code"))[0]);

  // The person removed the app at Pinterest: the grant and its tokens are dead.
  await control.revokeToken(granted.refresh_token);
  expect(await statusAtMock(granted.access_token)).toBe("revoked");

  // The server's call with the (revoked) access token is refused; api() refreshes once to replay it, and the refresh
  // meets invalid_grant: the server ended the session, and the page says why.
  await page.reload();
  expect(await shownError(page, "account-error")).toBe("reauthorization_required");
  expect((await control.calls({ operationId: "user_account/get" })).map((call) => call.status)).toContain(401);
  expect((await tokenCalls("refresh_token")).map((call) => call.status)).toEqual([401]);
  await screenshot(page, "09-revoked");

  // The way back: this tab learns the session ended, and shows the connect form.
  await page.getByRole("button", { name: "Connect again" }).click();
  await page.getByTestId("signed-out").waitFor();
  const session = await page.request.get(`${appUrl}/api/pinterest/session`);
  expect(await session.json()).toEqual({ status: "unauthenticated" });
});

test("connected without the scope the account needs: the page says what to do, and Disconnect leads back", async () => {
  const page = await browser.current().newPage();
  // Every sign-in asks for user_accounts:read (the configured scope); Pinterest grants fewer here: the user's consent
  // comes back with a code for pins:read alone (approved through the mock's control API, with this sign-in's state).
  await page.goto(appUrl);
  await openConsent(page);
  const asked = new URL(page.url());
  expect(asked.searchParams.get("scope")?.split(",")).toContain("user_accounts:read");
  const { redirectUrl } = await control.authorize({
    scopes: ["pins:read"],
    state: asked.searchParams.get("state") ?? "",
    redirectUri: asked.searchParams.get("redirect_uri") ?? "",
  });
  await page.goto(redirectUrl);
  expect(await shownError(page, "account-error")).toBe("missing_scope");
  expect(await page.getByTestId("scopes").locator("li").allTextContents()).toEqual(["pins:read"]);
  expect((await control.calls({ operationId: "user_account/get" })).map((call) => call.status)).toEqual([403]);

  await page.getByRole("button", { name: "Disconnect" }).click();
  await openConsent(page);
  await allow(page);
  expect(await page.getByTestId("username").textContent()).toBe("@pintoken_demo");
});
