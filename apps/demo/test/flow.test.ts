/**
 * The demo as a person uses it, in headless Chromium against the production build and the mock Pinterest: connect →
 * consent → account → refresh now → a second tab → disconnect; and the Server Component and Server Action page.
 */
import { expect, test } from "vitest";
import { screenshot } from "./browser.ts";
import {
  appUrl,
  browserPerTest,
  connect,
  control,
  countdownText,
  expiresAt,
  mockUrl,
  newExpiry,
  shownError,
  statusAtMock,
  tokenCalls,
  tokensOf,
} from "./demo-app.ts";

const browser = browserPerTest();

test("connect → consent → account → refresh now → a second tab → disconnect in one tab signs out the other", async () => {
  const page = await browser.current().newPage();
  await page.goto(appUrl);
  await page.getByTestId("signed-out").waitFor();
  expect(await page.getByTestId("target").textContent()).toBe("mock Pinterest");
  await screenshot(page, "01-signed-out");

  // Connect, asking for one more scope than the required one: the mock's consent page, marked as the mock.
  await page.getByRole("checkbox", { name: /^boards:read\b/ }).check();
  await page.getByRole("button", { name: "Connect Pinterest" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${mockUrl}/oauth/`));
  expect(await page.locator("body").textContent()).toContain("mock served by @pintoken/mock");
  expect((await page.locator("li code").allTextContents()).sort()).toEqual(["boards:read", "user_accounts:read"]);
  await screenshot(page, "02-consent");
  await page.getByRole("button", { name: "Allow" }).click();

  // Back on the app: the account read on the server, the granted scopes and a live countdown.
  await page.waitForURL(`${appUrl}/`);
  await page.getByTestId("account").waitFor();
  expect(await page.getByTestId("username").textContent()).toBe("@pintoken_demo");
  expect((await page.getByTestId("scopes").locator("li").allTextContents()).sort()).toEqual([
    "boards:read",
    "user_accounts:read",
  ]);
  expect(await countdownText(page)).toMatch(/^expires in (\d+:)?\d\d:\d\d at /);
  expect(await page.getByTestId("refresh-expiry").textContent()).toMatch(/^expires \S/);
  await screenshot(page, "03-connected");
  const [exchange] = await tokenCalls("authorization_code");
  const granted = tokensOf(exchange);
  // The expiry of the access token the code exchange got, give or take the time its answer took to arrive.
  expect(Math.abs((await expiresAt(page)) - ((exchange?.at ?? 0) + granted.expires_in * 1000))).toBeLessThan(30_000);
  const [accountCall] = await control.calls({ operationId: "user_account/get" });
  expect(accountCall?.auth).toEqual({ scheme: "bearer", token: granted.access_token });

  // Refresh now: the mock rotated the refresh token, and the page shows the new access token's expiry.
  const first = await expiresAt(page);
  await page.getByRole("button", { name: "Refresh now" }).click();
  const second = await newExpiry(page, first);
  const [refresh] = await tokenCalls("refresh_token");
  expect(refresh?.form?.refresh_token).toBe(granted.refresh_token);
  const rotated = tokensOf(refresh);
  expect(rotated.refresh_token).not.toBe(granted.refresh_token);
  expect(await statusAtMock(granted.refresh_token)).toBe("rotated");
  expect(await statusAtMock(rotated.refresh_token)).toBe("active");
  expect(second).toBeGreaterThan(first);
  // The expiry of that refresh's access token, give or take the time its answer took to arrive.
  expect(Math.abs(second - ((refresh?.at ?? 0) + rotated.expires_in * 1000))).toBeLessThan(30_000);

  // A second tab of the same browser shows the same session.
  const other = await browser.current().newPage();
  await other.goto(appUrl);
  await other.getByTestId("account").waitFor();
  expect(await expiresAt(other)).toBe(second);
  expect(await other.getByTestId("username").textContent()).toBe("@pintoken_demo");

  // Refresh in the second tab: the first tab's countdown follows without a reload.
  await other.getByRole("button", { name: "Refresh now" }).click();
  const third = await newExpiry(other, second);
  expect(await newExpiry(page, second)).toBe(third);
  const latest = tokensOf((await tokenCalls("refresh_token")).at(-1)).refresh_token;

  // Disconnect in the first tab: the grant is revoked at the mock, and the second tab is signed out too.
  await page.getByRole("button", { name: "Disconnect" }).click();
  await page.getByTestId("signed-out").waitFor();
  await other.getByTestId("signed-out").waitFor();
  await screenshot(other, "04-other-tab-signed-out");
  const [revoke] = await control.calls({ operationId: "token/revoke" });
  expect(revoke?.form?.token).toBe(latest);
  expect(await statusAtMock(latest)).toBe("revoked");
  const session = await page.request.get(`${appUrl}/api/pinterest/session`);
  expect(await session.json()).toEqual({ status: "unauthenticated" });
});

test("the Server Component and the Server Action call Pinterest with the session's token", async () => {
  const page = await browser.current().newPage();
  await connect(page);
  const granted = tokensOf((await tokenCalls("authorization_code"))[0]);

  await page.goto(`${appUrl}/server`);
  expect(await page.getByTestId("server-username").textContent()).toBe("@pintoken_demo");
  const before = (await control.calls({ operationId: "user_account/get" })).length;

  await page.getByRole("button", { name: "Call Pinterest from a Server Action" }).click();
  const run = page.getByTestId("action-run").first();
  await run.waitFor();
  expect(await run.getAttribute("data-ok")).toBe("true");
  expect(await run.textContent()).toContain("@pintoken_demo");
  const calls = await control.calls({ operationId: "user_account/get" });
  expect(calls).toHaveLength(before + 1);
  expect(calls.at(-1)?.auth).toEqual({ scheme: "bearer", token: granted.access_token });
  await screenshot(page, "05-server-component-and-action");

  // Signed out behind this tab's back (no tab heard of it): the Server Action finds no session and says so, and the
  // tab signs out with the reason.
  const logout = await page.request.post(`${appUrl}/api/pinterest/logout`, { headers: { origin: appUrl } });
  expect(await logout.json()).toEqual({ status: "unauthenticated", revoked: true });
  await page.getByRole("button", { name: "Call Pinterest from a Server Action" }).click();
  await page.getByTestId("signed-out").waitFor();
  expect(await shownError(page)).toBe("not_signed_in");
  expect(await control.calls({ operationId: "user_account/get" })).toHaveLength(before + 1);
});
