/**
 * Headless Chromium (Debian's, through playwright-core) with a fresh profile per browser, screenshots saved as test
 * artifacts, and a record of every answer the app sent to the browser (for the leak checks).
 */
import { mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { appDir } from "../scripts/servers.ts";
import { chromiumPath } from "./environment.ts";

const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Where screenshots go (gitignored). */
export const screenshotDir = join(appDir, "test-results/screenshots");
let announced = false;

/** Saves a full-page screenshot of `page` as `<name>.png` in {@link screenshotDir}. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: "disabled" });
  if (!announced) {
    announced = true;
    console.log(`Screenshots of the demo are in ${screenshotDir}`);
  }
}

/** One browser profile: its pages share cookies, like the tabs of one person's browser. */
export interface DemoBrowser {
  readonly context: BrowserContext;
  /** Opens a tab. */
  newPage(): Promise<Page>;
  /** Everything the app sent to this browser (URL, headers and body of each answer), except the static bundles. */
  received(): Promise<string[]>;
  /**
   * Errors the pages raised or logged (a hydration mismatch, an exception), except the browser's own line for an
   * HTTP error status, which the error tests provoke on purpose.
   */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/** Starts Chromium with a fresh profile; records the app's answers to it. */
export async function openBrowser(appUrl: string): Promise<DemoBrowser> {
  const profile = await mkdtemp(join(tmpdir(), "pintoken-demo-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args,
    viewport: { width: 1100, height: 620 },
    timeout: 120_000,
  });
  // Generous: the machine may be busy with other builds.
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(120_000);
  const answers: Promise<string | undefined>[] = [];
  context.on("response", (response) => {
    const url = response.url();
    if (!url.startsWith(appUrl) || url.startsWith(`${appUrl}/_next/static/`)) return;
    answers.push(
      (async () => {
        const headers = JSON.stringify(await response.allHeaders());
        const body = await response.text().catch(() => ""); // a redirect has no body
        return `${url}\n${headers}\n${body}`;
      })().catch(() => undefined),
    );
  });
  const pageErrors: string[] = [];
  const watch = (page: Page) => {
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource:"))
        pageErrors.push(`${page.url()}: ${message.text()}`);
    });
  };
  context.on("page", watch);
  for (const page of context.pages()) await page.close();
  return {
    context,
    newPage: () => context.newPage(),
    pageErrors,
    async received() {
      return (await Promise.all(answers)).filter((answer) => answer !== undefined);
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
