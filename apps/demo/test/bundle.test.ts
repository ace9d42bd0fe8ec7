/**
 * The client bundles (`.next/static`, everything a browser can download) hold neither the client secret nor any
 * token: checked after signing in and refreshing in a browser, against every token the mock issued in this run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { mockClient } from "@pintoken/mock";
import { expect, test } from "vitest";
import { appDir } from "../scripts/servers.ts";
import { openBrowser } from "./browser.ts";
import { appUrl, connect, expectNoneContain, expiresAt, newExpiry, secrets } from "./demo-app.ts";

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

test("the client bundles contain neither the client secret nor any token issued during the run", async () => {
  const browser = await openBrowser(appUrl);
  try {
    const page = await browser.newPage();
    await connect(page, ["pins:read"]);
    const before = await expiresAt(page);
    await page.getByRole("button", { name: "Refresh now" }).click();
    await newExpiry(page, before);
  } finally {
    await browser.close();
  }
  const bundles = filesUnder(join(appDir, ".next/static"));
  expect(bundles.filter((file) => file.endsWith(".js")).length).toBeGreaterThan(0);
  const values = await secrets();
  expect(values).toContain(mockClient.clientSecret);
  expect(values.length).toBeGreaterThan(3); // the secrets, and at least the two tokens of the sign-in
  expectNoneContain(
    bundles.map((file) => ({ where: file, text: readFileSync(file, "latin1") })),
    values,
  );
});
