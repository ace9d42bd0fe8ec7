/**
 * What the tests do on the demo's pages and ask the mock's control API, in one place.
 */
import { createMockControl, mockClient, type RecordedCall } from "@pintoken/mock";
import type { Page } from "playwright-core";
import { afterEach, beforeEach, expect, inject } from "vitest";
import { type DemoBrowser, openBrowser } from "./browser.ts";

export const appUrl = inject("appUrl");
export const mockUrl = inject("mockUrl");
/** The mock, steered over its HTTP control API (as a test in another process would). */
export const control = createMockControl(mockUrl);

/** The tokens of a token response the mock recorded. */
export function tokensOf(call: RecordedCall | undefined): {
  access_token: string;
  refresh_token: string;
  expires_in: number;
} {
  const body = call?.body as { access_token?: string; refresh_token?: string; expires_in?: number } | undefined;
  if (!body?.access_token || !body.refresh_token || !body.expires_in)
    throw new Error(`expected a recorded token response, got ${JSON.stringify(call?.body)}`);
  return { access_token: body.access_token, refresh_token: body.refresh_token, expires_in: body.expires_in };
}

/** The mock's recorded `POST /oauth/token` calls of one grant type, oldest first. */
export async function tokenCalls(grantType: "authorization_code" | "refresh_token"): Promise<RecordedCall[]> {
  return (await control.calls({ operationId: "oauth/token" })).filter((call) => call.form?.grant_type === grantType);
}

/** A token's status at the mock (`active`, `rotated`, `revoked`, …). */
export async function statusAtMock(token: string): Promise<string | undefined> {
  return (await control.tokens()).find((issued) => issued.token === token)?.status;
}

/** The session card's access token expiry (epoch ms), as the page has it now. */
export async function expiresAt(page: Page): Promise<number> {
  return Number(await page.getByTestId("session").getAttribute("data-expires-at"));
}

/** Waits until the page shows an access token expiry other than `previous`, and returns it. */
export async function newExpiry(page: Page, previous: number): Promise<number> {
  await page.waitForFunction((before) => {
    const value = document.querySelector("[data-testid=session]")?.getAttribute("data-expires-at");
    return value !== null && value !== undefined && value !== String(before);
  }, previous);
  return expiresAt(page);
}

/** Waits until the countdown shows a time (it does once the page is hydrated and ticking). */
export async function countdownText(page: Page): Promise<string> {
  await page.waitForFunction(() => /\d\d:\d\d/.test(document.querySelector(".countdown")?.textContent ?? ""));
  return (await page.getByTestId("access-expiry").textContent()) ?? "";
}

/** The error the page shows (its code), once it shows one. */
export async function shownError(page: Page, testId = "auth-error"): Promise<string | null> {
  const notice = page.getByTestId(testId);
  await notice.waitFor();
  return notice.getAttribute("data-code");
}

/**
 * From the signed-out home page: picks `scopes` besides the required one, clicks "Connect Pinterest" and waits for
 * the mock's consent page.
 */
export async function openConsent(page: Page, scopes: string[] = []): Promise<void> {
  await page.getByTestId("signed-out").waitFor();
  for (const scope of scopes) await page.getByRole("checkbox", { name: new RegExp(`^${scope}\\b`) }).check();
  await page.getByRole("button", { name: "Connect Pinterest" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${mockUrl}/oauth/`));
}

/** On the mock's consent page: Allow, and back on the app's home page with the account shown. */
export async function allow(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL(`${appUrl}/`);
  await page.getByTestId("account").waitFor();
}

/** Connects from the home page: consent, Allow, and back on the app with the account shown. */
export async function connect(page: Page, scopes: string[] = []): Promise<void> {
  await page.goto(appUrl);
  await openConsent(page, scopes);
  await allow(page);
}

/**
 * Every value that must never reach a browser: the client secret, the session secret and every access and refresh
 * token the mock issued so far in this run. (Authorization codes pass through the browser by design.)
 */
export async function secrets(): Promise<string[]> {
  const issued = (await control.tokens())
    .filter((token) => token.kind !== "authorization_code")
    .map((token) => token.token);
  expect(issued.length).toBeGreaterThan(0);
  return [mockClient.clientSecret, inject("sessionSecret"), ...issued];
}

/** Fails when any of `texts` contains any of `secrets`, naming where. */
export function expectNoneContain(texts: readonly { where: string; text: string }[], secretValues: readonly string[]) {
  for (const { where, text } of texts) {
    for (const secret of secretValues) {
      if (text.includes(secret))
        throw new Error(`${where} contains a secret or token (one starting ${secret.slice(0, 5)}…)`);
    }
  }
}

/**
 * A fresh browser for each test of the file (`current()`), with the mock's scenarios and recorder cleared first; after
 * each test, everything the app sent to that browser is checked for tokens and secrets.
 */
export function browserPerTest(): { current(): DemoBrowser } {
  let browser: DemoBrowser | undefined;
  beforeEach(async () => {
    await control.clearScenarios();
    await control.clearCalls();
    browser = await openBrowser(appUrl);
  });
  afterEach(async () => {
    await control.clearScenarios();
    const done = browser;
    browser = undefined;
    if (!done) return;
    const received = await done.received();
    await done.close();
    expect(done.pageErrors).toEqual([]);
    expect(received.length).toBeGreaterThan(0);
    expectNoneContain(
      received.map((text) => ({ where: `an answer to the browser (${text.slice(0, text.indexOf("\n"))})`, text })),
      await secrets(),
    );
  });
  return {
    current() {
      if (!browser) throw new Error("no browser: browserPerTest() opens one per test");
      return browser;
    },
  };
}
