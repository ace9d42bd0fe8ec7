/**
 * A real Next.js app using the built package: `next build` twice, with Cache Components (as create-next-app@16's
 * default next.config.ts has them) and without, then `next start` on free loopback ports, and the flow over HTTP
 * against the mock Pinterest served by `startMockPinterest` (also on loopback): login → consent page → callback →
 * session → a page whose Server Component (inside <Suspense>) reads the session and the account through
 * `pinterest.api()` (the proxy refreshes ahead of it) → a Route Handler using `api()`, whose 401 is refreshed and
 * replayed → refresh → logout, in cookie mode and store mode, and with Cache Components; a refresh made while
 * rendering (no proxy) that must not be lost; and neither build nor server prints a prerendering warning.
 * The app's files are in `fixtures/next-app`; they are copied to `.next-app` for the builds.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { freePort } from "@pintoken/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Browser, expectNoSecrets, tokensOf } from "./helpers.ts";

const fixture = fileURLToPath(new URL("fixtures/next-app", import.meta.url));
const appDir = fileURLToPath(new URL(".next-app", import.meta.url));
const nextBin = fileURLToPath(new URL("../node_modules/next/dist/bin/next", import.meta.url));
const packageDist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const sessionSecret = "4U8WZjvi0HBc/Z2B511hKDbgg9ZqUlNWx1PMistvKSo=";
const clockFile = fileURLToPath(new URL(".next-app-clock", import.meta.url));
let clockOffsetMs = 0;

/**
 * Moves the apps' clock forward (they read `clockFile` on every clock call) past half the life of the mock's access
 * tokens (540 s), so that the next page load finds a refresh due: core refreshes a token in its refresh window,
 * which never exceeds half the token's lifetime.
 */
function advanceAppClock(ms = 280_000): void {
  clockOffsetMs += ms;
  writeFileSync(clockFile, String(clockOffsetMs));
}

interface NextProcess {
  child: ChildProcess;
  output: string[];
  done: Promise<void>;
}

/** Runs `next <args>` in the app, in its own process group. `done` resolves when it exits with 0. */
function next(args: string[], env: NodeJS.ProcessEnv): NextProcess {
  const output: string[] = [];
  const child = spawn(process.execPath, [nextBin, ...args], { cwd: appDir, env, detached: true });
  child.stdout?.on("data", (chunk) => output.push(String(chunk)));
  child.stderr?.on("data", (chunk) => output.push(String(chunk)));
  const done = new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`next ${args[0]} exited with ${code ?? signal}:\n${output.join("")}`)),
    );
  });
  done.catch(() => undefined); // reported where awaited
  return { child, output, done };
}

async function waitUntilServing(url: string, server: NextProcess): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 180_000; ) {
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      throw new Error(`next start exited:\n${server.output.join("")}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within 180 s:\n${server.output.join("")}`);
}

let mock: MockPinterestServer;
const withCacheComponents = { FIXTURE_CACHE_COMPONENTS: "1" };
const modes = {
  cookie: {},
  store: { FIXTURE_STORE: "memory" },
  render: {},
  "cache-components": withCacheComponents,
  "cache-components-store": { ...withCacheComponents, FIXTURE_STORE: "memory" },
};
const buildOutput: string[] = [];
const apps = new Map<keyof typeof modes, { url: string; server: NextProcess }>();

const baseEnv = (pinterest: { apiBaseUrl: string; authorizationEndpoint: string }) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NEXT_TELEMETRY_DISABLED: "1",
  PINTEREST_CLIENT_ID: mockClient.clientId,
  PINTEREST_CLIENT_SECRET: mockClient.clientSecret,
  PINTOKEN_SECRET: sessionSecret,
  PINTEREST_API_BASE_URL: pinterest.apiBaseUrl,
  PINTEREST_AUTHORIZATION_URL: pinterest.authorizationEndpoint,
  FIXTURE_CLOCK_FILE: clockFile,
});

async function stopAll(): Promise<void> {
  for (const { server } of apps.values()) {
    if (server.child.pid && server.child.exitCode === null && server.child.signalCode === null) {
      const group = -server.child.pid; // the server's process group: next start and its workers
      process.kill(group, "SIGTERM");
      // A worker stuck in a request may not stop on SIGTERM: nothing may outlive the test.
      const forced = setTimeout(() => process.kill(group, "SIGKILL"), 10_000);
      await server.done.catch(() => undefined);
      clearTimeout(forced);
    }
  }
  apps.clear();
  await mock?.close();
}

/**
 * Picks free ports, starts the mock (which must know the apps' redirect URIs) and one `next start` per mode. A port
 * taken by someone else in between makes a server exit: then everything starts again on other ports.
 */
async function startAll(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const ports = await Promise.all(Object.keys(modes).map(() => freePort()));
    const urls = ports.map((port) => `http://127.0.0.1:${port}`);
    mock = await startMockPinterest({
      clients: [{ ...mockClient, redirectUris: urls.map((url) => `${url}/api/pinterest/callback`) }],
      // Short-lived access tokens: their refresh window is half their life, 270 s (see advanceAppClock).
      ttlSeconds: { accessToken: 540 },
    });
    try {
      for (const [i, [name, env]] of Object.entries(modes).entries()) {
        const args = ["start", "--port", String(ports[i]), "--hostname", "127.0.0.1"];
        const server = next(args, { ...baseEnv(mock), ...env });
        apps.set(name as keyof typeof modes, { url: urls[i] as string, server });
        await waitUntilServing(`${urls[i]}/api/pinterest/session`, server);
      }
      return;
    } catch (error) {
      await stopAll();
      if (attempt === 3) throw error;
    }
  }
}

beforeAll(async () => {
  if (!existsSync(packageDist)) throw new Error("Build @pintoken/next first (turbo runs this test after the build).");
  rmSync(appDir, { recursive: true, force: true });
  writeFileSync(clockFile, "0");
  cpSync(fixture, appDir, { recursive: true });
  mkdirSync(`${appDir}/node_modules/@pintoken`, { recursive: true });
  symlinkSync("../../../..", `${appDir}/node_modules/@pintoken/next`); // as if installed: resolves to the built dist
  // The builds read no Pinterest URL (the servers read theirs when they start); the one with Cache Components gets no
  // Pinterest settings at all, as a CI build without the server's secrets: its pages and Route Handlers must still be
  // left to request time, not fail the build. One at a time: two cores.
  const env = baseEnv({ apiBaseUrl: "http://127.0.0.1:9/v5", authorizationEndpoint: "http://127.0.0.1:9/oauth/" });
  const bare = { PATH: process.env.PATH, HOME: process.env.HOME, NEXT_TELEMETRY_DISABLED: "1" };
  for (const buildEnv of [env, { ...bare, ...withCacheComponents }]) {
    const build = next(["build"], buildEnv);
    await build.done;
    buildOutput.push(...build.output);
  }
  await startAll();
}, 600_000);

afterAll(async () => {
  await stopAll();
  rmSync(appDir, { recursive: true, force: true });
  rmSync(clockFile, { force: true });
}, 60_000);

function refreshCalls() {
  return mock.mock.calls.for("oauth/token").filter((call) => call.form?.grant_type === "refresh_token");
}

function browserFor(url: string) {
  return new Browser((request) => fetch(new Request(request, { redirect: "manual" })), url);
}

/** The status line the fixture's page renders: the streamed Suspense content, which follows the fallback. */
async function pageStatus(browser: Browser, path = "/") {
  const html = await (await browser.get(path)).text();
  return [...html.matchAll(/<p id="status">(.*?)<\/p>/g)].at(-1)?.[1];
}

/** What Next.js prints when a page reads request data or the clock in a way its prerendering cannot take. */
const prerenderingTrouble =
  /unstable value|while prerendering|outside of <Suspense>|Uncached data|dynamic usage|Error:/i;

/** login → the mock's consent page → Allow → callback, over HTTP. */
async function signIn(browser: Browser, appUrl: string) {
  const login = await browser.get("/api/pinterest/login?returnTo=/");
  expect(login.status).toBe(302);
  const authorize = login.headers.get("location") as string;
  expect(authorize.startsWith(mock.authorizationEndpoint)).toBe(true);
  const page = await fetch(authorize);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('name="decision" value="allow"');
  const consent = await fetch(authorize, {
    method: "POST",
    body: new URLSearchParams({ decision: "allow" }),
    redirect: "manual",
  });
  const back = new URL(consent.headers.get("location") as string);
  expect(back.origin).toBe(appUrl);
  const callback = await browser.get(`${back.pathname}${back.search}`);
  expect(callback.status).toBe(302);
  expect(callback.headers.get("location")).toBe("/");
  expect(browser.cookies.has("pintoken.session")).toBe(true);
}

describe.each(["cookie", "store", "cache-components", "cache-components-store"] as const)(
  "a Next.js app with @pintoken/next (%s), over real HTTP",
  (mode) => {
    test("login → consent → callback → session → page → refresh → logout", async () => {
      const app = apps.get(mode);
      if (!app) throw new Error("the app did not start");
      const browser = browserFor(app.url);
      const before = refreshCalls().length;
      expect(await pageStatus(browser)).toBe("signed out");
      await signIn(browser, app.url);

      const session = await browser.get("/api/pinterest/session");
      expect(session.headers.get("cache-control")).toBe("no-store");
      expect(await session.json()).toMatchObject({
        status: "authenticated",
        scopes: ["user_accounts:read", "pins:read"],
      });

      // A refresh is due: the proxy refreshes ahead of rendering; the Server Component then calls Pinterest with the
      // fresh token.
      advanceAppClock();
      expect(await pageStatus(browser)).toBe("signed in as @pintoken_demo");
      expect(refreshCalls()).toHaveLength(before + 1);
      const rotatedByProxy = tokensOf(refreshCalls().at(-1)).refresh_token;

      const refreshed = await browser.post("/api/pinterest/refresh");
      expect(refreshed.status).toBe(200);
      expect(await refreshed.json()).toMatchObject({ status: "authenticated" });
      // The browser kept the proxy's rotated cookie: this refresh used the proxy's new refresh token.
      expect(refreshCalls().at(-1)?.form?.refresh_token).toBe(rotatedByProxy);
      expect(mock.mock.inspectToken(rotatedByProxy)?.status).toBe("rotated");
      const rotatedByRefresh = tokensOf(refreshCalls().at(-1)).refresh_token;

      // A Route Handler calls Pinterest with pinterest.api(): Pinterest refuses the access token (revoked there), the
      // client refreshes once and replays the request, and the rotated cookie goes back with the answer.
      const current = tokensOf(refreshCalls().at(-1)).access_token;
      mock.mock.revokeToken(current);
      const api = await browser.get("/api/account");
      expect(await api.json()).toEqual({ username: "pintoken_demo", status: 200 });
      expect(
        mock.mock.calls
          .for("user_account/get")
          .slice(-2)
          .map((call) => call.status),
      ).toEqual([401, 200]);
      expect(refreshCalls().at(-1)?.form?.refresh_token).toBe(rotatedByRefresh);
      expect(api.headers.getSetCookie()).toEqual([expect.stringMatching(/^pintoken\.session=/)]);

      const forged = await browser.post("/api/pinterest/refresh", { headers: { origin: "https://evil.example" } });
      expect(forged.status).toBe(403);
      expect((await forged.json()).error.code).toBe("forbidden_origin");

      expect(await pageStatus(browser)).toBe("signed in as @pintoken_demo");
      const latest = tokensOf(refreshCalls().at(-1)).refresh_token;

      const logout = await browser.post("/api/pinterest/logout");
      expect(await logout.json()).toEqual({ status: "unauthenticated", revoked: true });
      expect(mock.mock.calls.for("token/revoke").at(-1)?.form?.token).toBe(latest);
      expect(mock.mock.inspectToken(latest)?.status).toBe("revoked");
      expect(browser.cookies.has("pintoken.session")).toBe(false);
      expect(await (await browser.get("/api/pinterest/session")).json()).toEqual({ status: "unauthenticated" });
      expect(await pageStatus(browser)).toBe("signed out");

      const tokens = mock.mock.calls.all.flatMap((call) => {
        const body = call.body as { access_token?: string; refresh_token?: string } | undefined;
        return [body?.access_token, body?.refresh_token];
      });
      const outputs = browser.responses.flatMap((r) => [
        r.body,
        ...r.headers.filter(([name]) => name !== "set-cookie").map(([n, v]) => `${n}: ${v}`),
      ]);
      expectNoSecrets([...outputs, ...app.server.output], [...tokens, mockClient.clientSecret, sessionSecret]);
      expect(app.server.output.join("")).not.toMatch(prerenderingTrouble);
    }, 120_000);
  },
);

test("neither build prints a prerendering warning or error (Cache Components on and off)", () => {
  const output = buildOutput.join("");
  expect(output).toContain("Cache Components enabled"); // the second build did turn them on
  expect(output).toContain("(ignored during next build; the server will refuse to start without it)");
  expect(output).not.toMatch(prerenderingTrouble);
});

test("a refresh made while a Server Component renders (no proxy) is not lost: the route handler delivers it", async () => {
  const app = apps.get("render");
  if (!app) throw new Error("the app did not start");
  const browser = browserFor(app.url);
  await signIn(browser, app.url);
  const before = refreshCalls().length;

  advanceAppClock(); // a refresh is due, and this page is not behind the proxy: the Server Component refreshes
  const page = await browser.get("/no-proxy");
  const html = await page.text();
  expect([...html.matchAll(/<p id="status">(.*?)<\/p>/g)].at(-1)?.[1]).toBe("signed in as @pintoken_demo");
  expect(page.headers.getSetCookie()).toEqual([]); // a Server Component cannot set cookies
  expect(refreshCalls()).toHaveLength(before + 1);
  const rotatedInRender = tokensOf(refreshCalls().at(-1)).refresh_token;

  // The browser still has the cookie from before that rotation; the route handler (another module instance in
  // Next.js) hands it the rotated session.
  const session = await browser.get("/api/pinterest/session");
  expect(await session.json()).toMatchObject({ status: "authenticated" });
  expect(session.headers.getSetCookie()).toEqual([expect.stringMatching(/^pintoken\.session=/)]);

  const refreshed = await browser.post("/api/pinterest/refresh");
  expect(refreshed.status).toBe(200);
  expect(refreshCalls().at(-1)?.form?.refresh_token).toBe(rotatedInRender);
  expect(app.server.output.join("")).toContain("pintoken: tokens were refreshed where cookies are read-only");
}, 120_000);
