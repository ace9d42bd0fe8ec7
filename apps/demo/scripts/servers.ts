/**
 * The demo's two servers: the mock Pinterest (`startMockPinterest`, in this process, on loopback) and the Next.js app
 * (`next start` or `next dev`, a child process in its own process group). `pnpm demo` and the end-to-end tests both
 * start them with {@link startDemoServers}.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";

/** The app's folder (`apps/demo`). */
export const appDir = fileURLToPath(new URL("..", import.meta.url));
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");

/** Environment variables (Next's types make `NODE_ENV` required in `NodeJS.ProcessEnv`). */
export type Env = Record<string, string | undefined>;

/** The host name the app is served on: the one Pinterest's registered redirect URIs use for local development. */
export const appHost = "localhost";

/** What the person running the demo must change; the message says what and how. */
export class DemoSetupError extends Error {
  override name = "DemoSetupError";
}

/** Resolves when `port` on `host` can be listened on; a {@link DemoSetupError} naming `what` when it is taken. */
export function checkPortFree(port: number, host: string, what: string, hint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE" || error.code === "EACCES"
          ? new DemoSetupError(
              `Port ${port} on ${host} is ${error.code === "EACCES" ? "not allowed" : "already in use"}, so ${what} ` +
                `cannot start there. Stop what is using it, or ${hint}.`,
            )
          : error,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** Reads a port number from the environment (`fallback` when unset); a {@link DemoSetupError} for anything else. */
export function portFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new DemoSetupError(`${name} must be a port number from 0 to 65535, got "${raw}".`);
  return port;
}

/** Real Pinterest (or its sandbox) when `PINTEREST_CLIENT_ID` is set; a {@link DemoSetupError} when the rest is missing. */
export function usesRealPinterest(env: Env): boolean {
  if (!env.PINTEREST_CLIENT_ID) return false;
  const missing = ["PINTEREST_CLIENT_SECRET", "PINTOKEN_SECRET"].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new DemoSetupError(
      `PINTEREST_CLIENT_ID is set, so the demo talks to Pinterest instead of the mock, but ${missing.join(" and ")} ` +
        `${missing.length > 1 ? "are" : "is"} not set. Set PINTEREST_CLIENT_SECRET to your app's secret and ` +
        "PINTOKEN_SECRET to at least 32 random characters (openssl rand -base64 32), or unset PINTEREST_CLIENT_ID " +
        "to use the mock.",
    );
  }
  return true;
}

/** Options of {@link startDemoServers}. */
export interface DemoServersOptions {
  /** The app's port on `localhost`. */
  port: number;
  /** The mock's port on 127.0.0.1 (`0`: any free one). Not used with real Pinterest. */
  mockPort: number;
  /** `next dev` instead of `next start` (which serves the production build in `.next`). */
  dev?: boolean;
  /** How long the mock's access tokens live (Pinterest's: 30 days). */
  accessTokenTtlSeconds: number;
  /** The environment to read real-Pinterest settings from and to pass on to Next.js. */
  env: Env;
  /** `inherit`: Next's output goes to this terminal; `pipe`: it is kept in `output`. */
  stdio: "inherit" | "pipe";
  /** Aborting it while the servers start (Ctrl+C) stops what has started and rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** The running servers. */
export interface DemoServers {
  /** `http://localhost:<port>` */
  appUrl: string;
  /** The mock, or `undefined` with real Pinterest. */
  mock: MockPinterestServer | undefined;
  /** The session secret the app was started with (a fresh random one on the mock). */
  sessionSecret: string;
  /** The `next` process. */
  next: ChildProcess;
  /** Next's output so far (with `stdio: "pipe"`). */
  output: string[];
  /** Settles when `next` exits (rejects when it exits other than by {@link DemoServers.stop}). */
  exited: Promise<void>;
  /** Stops `next` (its whole process group) and the mock; calling it again waits for the same stop. */
  stop(): Promise<void>;
}

/** `PINTEREST_*` and `PINTOKEN_*` variables of `env` removed: on the mock, the demo sets its own. */
function withoutPinterestSettings(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(PINTEREST|PINTOKEN)_/.test(name)));
}

async function waitUntilServing(servers: DemoServers, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const url = `${servers.appUrl}/api/pinterest/session`;
  let stopped = false;
  servers.exited.catch(() => undefined).finally(() => (stopped = true));
  for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
    signal?.throwIfAborted();
    if (stopped) throw new Error(`next exited before it served ${url}:\n${servers.output.join("")}`);
    try {
      const attempt = AbortSignal.timeout(30_000);
      if ((await fetch(url, { signal: signal ? AbortSignal.any([signal, attempt]) : attempt })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${servers.output.join("")}`);
}

/**
 * Starts the mock (unless real Pinterest is configured) and Next.js, and resolves once the app answers. Check the
 * ports first ({@link checkPortFree}) for a clear message; a failure here stops whatever had started.
 */
export async function startDemoServers(options: DemoServersOptions): Promise<DemoServers> {
  const { port, dev = false, signal } = options;
  if (!dev && !existsSync(`${appDir}/.next/BUILD_ID`)) {
    throw new DemoSetupError(
      "There is no production build in apps/demo/.next: run `pnpm demo` from the repository root (it builds " +
        "first), or `pnpm turbo run build --filter=@pintoken/demo`.",
    );
  }
  const appUrl = `http://${appHost}:${port}`;
  let mock: MockPinterestServer | undefined;
  let env: Env;
  let sessionSecret: string;
  if (usesRealPinterest(options.env)) {
    env = { ...options.env };
    sessionSecret = options.env.PINTOKEN_SECRET as string;
  } else {
    mock = await startMockPinterest({
      port: options.mockPort,
      clients: [
        {
          ...mockClient,
          name: "pintoken demo",
          // Both names of this machine: the app's origin comes from the address the browser used.
          redirectUris: [`${appUrl}/api/pinterest/callback`, `http://127.0.0.1:${port}/api/pinterest/callback`],
        },
      ],
      ttlSeconds: { accessToken: options.accessTokenTtlSeconds },
    });
    if (signal?.aborted) {
      await mock.close();
      signal.throwIfAborted();
    }
    sessionSecret = randomBytes(32).toString("base64url");
    env = {
      ...withoutPinterestSettings(options.env),
      PINTEREST_CLIENT_ID: mockClient.clientId,
      PINTEREST_CLIENT_SECRET: mockClient.clientSecret,
      PINTOKEN_SECRET: sessionSecret,
      // The tokens' encryption in Redis, in store mode (REDIS_URL); unused with cookies.
      PINTOKEN_STORE_SECRET: randomBytes(32).toString("base64url"),
      PINTEREST_API_BASE_URL: mock.apiBaseUrl,
      PINTEREST_AUTHORIZATION_URL: mock.authorizationEndpoint,
    };
  }
  env.NEXT_TELEMETRY_DISABLED ??= "1";
  const output: string[] = [];
  const args = [nextBin, dev ? "dev" : "start", "--port", String(port), "--hostname", appHost];
  // Its own process group: stop() ends next and every worker it started, and Ctrl+C reaches only the launcher,
  // which then stops both servers in order.
  const next = spawn(process.execPath, args, {
    cwd: appDir,
    env: env as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", options.stdio, options.stdio],
  });
  next.stdout?.on("data", (chunk) => output.push(String(chunk)));
  next.stderr?.on("data", (chunk) => output.push(String(chunk)));
  let stopping = false;
  const exited = new Promise<void>((resolve, reject) => {
    next.once("error", reject);
    next.once("exit", (code, signal) =>
      stopping ? resolve() : reject(new Error(`next exited with ${code ?? signal}:\n${output.join("")}`)),
    );
  });
  exited.catch(() => undefined); // reported where awaited

  let stopped: Promise<void> | undefined;
  const servers: DemoServers = {
    appUrl,
    mock,
    sessionSecret,
    next,
    output,
    exited,
    stop: () => (stopped ??= stopBoth()),
  };
  async function stopBoth(): Promise<void> {
    stopping = true;
    if (next.pid !== undefined && next.exitCode === null && next.signalCode === null) {
      const group = -next.pid;
      const kill = (how: NodeJS.Signals) => {
        try {
          process.kill(group, how);
        } catch {
          // already gone
        }
      };
      kill("SIGTERM");
      const forced = setTimeout(() => kill("SIGKILL"), 10_000);
      await exited.catch(() => undefined);
      clearTimeout(forced);
    }
    await mock?.close();
  }
  try {
    await waitUntilServing(servers, dev ? 300_000 : 180_000, signal);
  } catch (error) {
    await servers.stop();
    throw error;
  }
  return servers;
}
