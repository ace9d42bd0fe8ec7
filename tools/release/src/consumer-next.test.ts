/**
 * `@pintoken/next`'s quick start as a user arrives: a default `create-next-app@16` app (run once per test run, into the
 * system's temp directory, with `--yes` and the defaults spelled out: TypeScript, Tailwind, ESLint, App Router, `@/*`;
 * its own next.config.ts, with Cache Components and partial prefetching on, is left untouched), the files of the next
 * and react READMEs' blocks written into it (by their `filename="…"`: the README's `app/layout.tsx` and
 * `app/page.tsx` replace the template's, so the template's `next/font/google` import, which cannot be reached from
 * this machine, goes with them and nothing is stubbed), the packed tarballs installed with npm and with pnpm, the mock
 * Pinterest started as the README says (`pintoken-mock --app-url`, its printed lines as `.env.local`), `next build`
 * and `next start`, and a walk in Chromium: connect → consent on the mock → the account shown by a Server Component →
 * refresh → disconnect (the account gone without a reload) → connect again → deny (the error shown). Neither the
 * build nor the server may print a prerendering warning.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createMockControl } from "@pintoken/mock";
import { readmeFiles } from "@pintoken/readme-check/extract";
import { freePort } from "@pintoken/test-support";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { npmCache, pnpmStore, run, type Service, startService, waitUntilServing } from "./consumer.ts";
import { pack, type Tarball } from "./pack.ts";
import { catalogVersion, repoRoot } from "./workspace.ts";

type Manager = "npm" | "pnpm";
// pnpm first: its install takes seconds, so its build runs while npm still installs.
const managers: Manager[] = ["pnpm", "npm"];
const scratch = mkdtempSync(join(tmpdir(), "pintoken-next-consumer-"));
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The installed app of each package manager (its directory), once the tarballs are packed. */
const installed = new Map<Manager, Promise<string>>();

/** What Next.js prints when a page reads request data or the clock in a way its prerendering cannot take. */
const prerenderingTrouble = /unstable value|while prerendering|outside of <Suspense>|Uncached data|dynamic usage/i;

/** The files the READMEs give, by name (a file given by both must be given the same way: the examples agree). */
function readmeApp(): Map<string, string> {
  const files = new Map<string, string>();
  for (const readme of ["packages/next/README.md", "packages/react/README.md"]) {
    for (const [file, code] of readmeFiles(readFileSync(join(repoRoot, readme), "utf8"))) {
      const earlier = files.get(file);
      if (earlier !== undefined && earlier !== code) throw new Error(`The READMEs give ${file} differently.`);
      files.set(file, code);
    }
  }
  return files;
}

/**
 * `npx create-next-app@16 <name>` with the defaults spelled out, not installed yet. With `--use-pnpm` it adds the
 * `pnpm-workspace.yaml` (`allowBuilds`) and `packageManager` a pnpm user gets.
 */
async function createNextApp(manager: Manager): Promise<string> {
  const name = `app-${manager}`;
  const flags = ["--yes", "--ts", "--tailwind", "--eslint", "--app", "--no-src-dir", "--import-alias", "@/*"];
  await run(
    "npx",
    ["-y", "create-next-app@16", name, ...flags, `--use-${manager}`, "--skip-install", "--disable-git"],
    scratch,
    {
      npm_config_cache: npmCache,
    },
  );
  return join(scratch, name);
}

/**
 * Adds what the README's install lines add (`@pintoken/next` and `@pintoken/react`; `@pintoken/mock` and `msw` for
 * development), from the tarballs, and installs. The tarballs' `@pintoken/core` is what the registry would give
 * `@pintoken/next`: npm takes the top-level one, pnpm is told by an override. `--allow-build='!msw'` of the README's
 * pnpm line is `allowBuilds: msw: false` in pnpm-workspace.yaml.
 */
async function install(manager: Manager, dir: string, tarballs: Map<string, Tarball>): Promise<void> {
  const file = (name: string) => `file:${tarballs.get(`@pintoken/${name}`)?.file}`;
  const manifestPath = join(dir, "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  manifest.dependencies = {
    ...manifest.dependencies,
    "@pintoken/next": file("next"),
    "@pintoken/react": file("react"),
  };
  if (manager === "npm") manifest.dependencies["@pintoken/core"] = file("core");
  manifest.devDependencies = {
    ...manifest.devDependencies,
    "@pintoken/mock": file("mock"),
    msw: catalogVersion("msw"),
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  if (manager === "npm") {
    await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", "--cache", npmCache],
      dir,
    );
  } else {
    appendFileSync(
      join(dir, "pnpm-workspace.yaml"),
      `  msw: false\noverrides:\n  "@pintoken/core": ${JSON.stringify(file("core"))}\n`,
    );
    await run("pnpm", ["install", "--prefer-offline", "--store-dir", pnpmStore], dir);
  }
}

beforeAll(async () => {
  const packed = await Promise.all(
    ["core", "next", "react", "mock"].map((name) => pack(join(repoRoot, "packages", name), join(scratch, "tarballs"))),
  );
  const tarballs = new Map(packed.map((tarball) => [tarball.name, tarball]));
  const files = readmeApp();
  for (const manager of managers) {
    const ready = createNextApp(manager).then(async (dir) => {
      for (const [file, code] of files) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), code);
      }
      await install(manager, dir, tarballs);
      return dir;
    });
    ready.catch(() => undefined); // reported by the test that awaits it
    installed.set(manager, ready);
  }
}, 600_000);

// Next.js may still be flushing its cache when it is stopped: retry rather than fail on ENOTEMPTY.
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

describe.each(managers)("a default create-next-app@16 app built from the READMEs, installed with %s", (manager) => {
  let mock: Service | undefined;
  let app: Service | undefined;
  let browser: BrowserContext | undefined;
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await mock?.stop();
  });

  it("builds, and in Chromium connects, shows the account, refreshes, disconnects without a reload, and is denied", async () => {
    const dir = await installed.get(manager);
    if (!dir) throw new Error("not installed");
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    // What the README has a user type, through the package manager: `npx pintoken-mock` / `pnpm exec pintoken-mock`,
    // `npm run build` / `pnpm build`, `npm start` / `pnpm start`.
    type Command = [command: string, args: string[]];
    const exec = (...args: string[]): Command => (manager === "npm" ? ["npx", args] : ["pnpm", ["exec", ...args]]);
    const script = (name: string, ...args: string[]): Command =>
      manager === "npm" ? ["npm", ["run", name, "--", ...args]] : ["pnpm", [name, ...args]];

    // The README: `pintoken-mock --app-url <the app>`, its printed lines in .env.local.
    mock = startService(...exec("pintoken-mock", "--port", "0", "--app-url", origin), dir);
    const printed = await waitForOutput(mock, /^PINTOKEN_SECRET=.+$/m, 60_000);
    const env = printed.split("\n").filter((line) => /^[A-Z_]+=\S+$/.test(line));
    expect(env.map((line) => line.split("=")[0])).toEqual([
      "PINTEREST_CLIENT_ID",
      "PINTEREST_CLIENT_SECRET",
      "PINTEREST_API_BASE_URL",
      "PINTEREST_AUTHORIZATION_URL",
      "PINTOKEN_SECRET",
    ]);
    writeFileSync(join(dir, ".env.local"), `${env.join("\n")}\n`);
    const apiBaseUrl = (env.find((line) => line.startsWith("PINTEREST_API_BASE_URL=")) ?? "").split("=")[1] as string;
    const control = createMockControl(apiBaseUrl.replace(/\/v5$/, "/__pintoken"));

    const build = await run(...script("build"), dir);
    const buildOutput = build.stdout + build.stderr;
    expect(buildOutput).toContain("Cache Components enabled"); // the template's own next.config.ts
    expect(buildOutput).not.toMatch(prerenderingTrouble);

    app = startService(...script("start", "--hostname", "127.0.0.1", "--port", String(port)), dir);
    await waitUntilServing(app, `${origin}/api/pinterest/session`, 180_000);

    const profile = mkdtempSync(join(scratch, `chromium-${manager}-`));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
      timeout: 120_000,
    });
    browser.setDefaultTimeout(60_000);
    const page = browser.pages()[0] ?? (await browser.newPage());
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    const account = page.getByTestId("account");
    const connect = page.getByRole("button", { name: "Connect Pinterest" });

    // Signed out: the Server Component says so; the hook's button is enabled once the session is known.
    await page.goto(origin);
    await expect.poll(() => account.textContent()).toBe("Not connected to Pinterest.");
    await connect.click();

    // Pinterest's consent page (the mock's): Allow → back to the page, where the Server Component reads the account.
    await page.waitForURL((url) => url.href.startsWith(apiBaseUrl.replace(/\/v5$/, "/oauth/")));
    await page.locator('button[value="allow"]').click();
    await page.waitForURL(`${origin}/`);
    await expect.poll(() => account.textContent()).toBe("Connected as @pintoken_demo");

    // Refresh: a refresh grant at the mock, the page still connected.
    const refreshes = async () =>
      (await control.calls({ operationId: "oauth/token" })).filter((call) => call.form?.grant_type === "refresh_token");
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(async () => (await refreshes()).map((call) => call.status)).toEqual([200]);

    // Disconnect: revoked at the mock; the Server Component renders again (PinterestRouterRefresh), no reload.
    await page.evaluate(() => Object.assign(window, { stillThisDocument: true }));
    await page.getByRole("button", { name: "Disconnect" }).click();
    await expect.poll(() => account.textContent()).toBe("Not connected to Pinterest.");
    expect(await page.evaluate(() => (window as { stillThisDocument?: boolean }).stillThisDocument)).toBe(true);
    const revokes = await control.calls({ operationId: "token/revoke" });
    expect(revokes.map((call) => call.status)).toEqual([200]);

    // Connect again and deny: back on the page, the error shown, the address cleaned.
    await connect.click();
    await page.waitForURL((url) => url.pathname === "/oauth/");
    await page.locator('button[value="deny"]').click();
    await page.waitForURL((url) => url.origin === origin);
    await expect.poll(() => page.locator("main [role=alert]").textContent()).toContain("access_denied");
    await expect.poll(() => new URL(page.url()).search).toBe("");
    expect(await account.textContent()).toBe("Not connected to Pinterest.");

    expect(pageErrors).toEqual([]);
    expect(app.output.join("")).not.toMatch(prerenderingTrouble);
  }, 900_000);
});

/** Resolves with a service's output once it matches `pattern`. */
async function waitForOutput(service: Service, pattern: RegExp, timeoutMs: number): Promise<string> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
    const text = service.output.join("");
    if (pattern.test(text)) return text;
    if (service.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${pattern} within ${timeoutMs / 1000} s:\n${service.output.join("")}`);
}
