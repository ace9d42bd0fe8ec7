/**
 * `pnpm demo`'s launcher as a person runs it: it prints both URLs, both servers answer, and Ctrl+C (SIGINT) stops
 * both; with Pinterest's settings it starts no mock; a port in use and incomplete Pinterest settings each end it with
 * a message saying what to do.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { mockClient } from "@pintoken/mock";
import { startMockPinterest } from "@pintoken/mock/server";
import { freePort } from "@pintoken/test-support";
import { expect, test } from "vitest";
import { appDir, appHost, type Env } from "./servers.ts";

const launcher = fileURLToPath(new URL("demo.ts", import.meta.url));

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** Runs the launcher with only `env` (and PATH, HOME) in its environment. */
function runDemo(env: Record<string, string>): Run {
  let text = "";
  const childEnv: Env = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  const child = spawn(process.execPath, ["--conditions=@pintoken/source", "--import", "tsx", launcher], {
    cwd: appDir,
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => (text += String(chunk)));
  child.stderr?.on("data", (chunk) => (text += String(chunk)));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => text, exit };
}

async function until(condition: () => boolean, what: () => string, timeoutMs = 180_000): Promise<void> {
  for (const started = Date.now(); !condition(); ) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function refused(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
    () => false,
    () => true,
  );
}

test("prints both URLs, serves the app and the mock, and stops both on Ctrl+C", async () => {
  const port = await freePort(appHost);
  const run = runDemo({ PORT: String(port), PINTOKEN_MOCK_PORT: "0" });
  try {
    await until(
      () => run.output().includes("Ctrl+C stops it") || run.child.exitCode !== null,
      () => `the banner:\n${run.output()}`,
    );
    const output = run.output();
    const appUrl = output.match(/^ {2}App +(\S+)/m)?.[1];
    const mockUrl = output.match(/^ {2}Mock Pinterest +(\S+)/m)?.[1];
    expect(appUrl).toBe(`http://localhost:${port}`);
    expect(mockUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toContain('click "Connect Pinterest"');

    const page = await fetch(`${appUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Connect Pinterest");
    const login = await fetch(`${appUrl}/api/pinterest/login`, { redirect: "manual" });
    expect(login.headers.get("location")).toMatch(new RegExp(`^${mockUrl}/oauth/\\?`));
    const consent = await fetch(login.headers.get("location") as string);
    expect(await consent.text()).toContain("mock served by @pintoken/mock");

    run.child.kill("SIGINT");
    expect(await run.exit).toBe(0);
    expect(run.output()).toContain("Stopped.");
    expect(await refused(`${appUrl}/`)).toBe(true);
    expect(await refused(`${mockUrl}/__pintoken`)).toBe(true);
  } finally {
    if (run.child.exitCode === null) {
      run.child.kill("SIGINT");
      await run.exit;
    }
  }
});

test("Ctrl+C while the servers start leaves nothing running", async () => {
  const [port, mockPort] = [await freePort(appHost), await freePort()];
  const run = runDemo({ PORT: String(port), PINTOKEN_MOCK_PORT: String(mockPort) });
  // next has started (it prints its name first) and the launcher waits for it to answer, or has just seen it answer.
  await until(
    () => run.output().includes("Next.js") || run.child.exitCode !== null,
    () => `next to start:\n${run.output()}`,
  );
  run.child.kill("SIGINT");
  expect(await run.exit).toBe(0);
  expect(run.output()).toContain("Stopped.");
  expect(await refused(`http://localhost:${port}/`)).toBe(true);
  expect(await refused(`http://127.0.0.1:${mockPort}/__pintoken`)).toBe(true);
});

test("with PINTEREST_CLIENT_ID set, no mock starts and the same app talks to the configured Pinterest", async () => {
  const port = await freePort(appHost);
  // A stand-in for Pinterest (or its sandbox), started apart from the launcher, with the app registered.
  const pinterest = await startMockPinterest({
    clients: [{ ...mockClient, redirectUris: [`http://localhost:${port}/api/pinterest/callback`] }],
  });
  const run = runDemo({
    PORT: String(port),
    PINTEREST_CLIENT_ID: mockClient.clientId,
    PINTEREST_CLIENT_SECRET: mockClient.clientSecret,
    PINTOKEN_SECRET: "a-session-secret-of-at-least-32-characters",
    PINTEREST_API_BASE_URL: pinterest.apiBaseUrl,
    PINTEREST_AUTHORIZATION_URL: pinterest.authorizationEndpoint,
  });
  try {
    await until(
      () => run.output().includes("Ctrl+C stops it") || run.child.exitCode !== null,
      () => `the banner:\n${run.output()}`,
    );
    expect(run.output()).toContain(`Pinterest API   ${pinterest.apiBaseUrl}`);
    expect(run.output()).not.toContain("Mock Pinterest");
    expect(run.output()).toContain(`http://localhost:${port}/api/pinterest/callback`);
    const login = await fetch(`http://localhost:${port}/api/pinterest/login`, { redirect: "manual" });
    expect(login.headers.get("location")?.startsWith(`${pinterest.authorizationEndpoint}?client_id=1500001&`)).toBe(
      true,
    );
  } finally {
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(0);
    await pinterest.close();
  }
});

test("a port in use: a message that says which and what to do, and nothing started", async () => {
  const blocker: Server = createServer();
  const port = await new Promise<number>((resolve) =>
    blocker.listen(0, appHost, () => resolve((blocker.address() as { port: number }).port)),
  );
  try {
    const run = runDemo({ PORT: String(port), PINTOKEN_MOCK_PORT: "0" });
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain(`Port ${port} on localhost is already in use`);
    expect(run.output()).toContain(`PORT=${port + 1} pnpm demo`);
  } finally {
    blocker.close();
  }
});

test("real Pinterest asked for without its secrets: a message naming what to set", async () => {
  const run = runDemo({ PINTEREST_CLIENT_ID: "1234567" });
  expect(await run.exit).toBe(1);
  expect(run.output()).toContain("PINTEREST_CLIENT_SECRET and PINTOKEN_SECRET are not set");
});
