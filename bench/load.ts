/**
 * `pnpm --filter @pintoken/bench run bench:load` (also the last part of `pnpm bench`): the demo app's production build
 * (`next start`) under autocannon, with the mock Pinterest, both on free loopback ports and started by the demo's own
 * launcher code. One session is signed in for real (login → the mock's consent page → callback, over HTTP), then
 * three runs of `BENCH_LOAD_CONNECTIONS` (100) connections for `BENCH_LOAD_SECONDS` (10) each:
 *
 * 1. `GET /api/pinterest/session`, the route handler's session JSON;
 * 2. `GET /api/token-check`, a Route Handler that calls `getAccessToken()`, with a fresh token;
 * 3. the same when the access token has just become due: the connections all meet a refresh, and the mock must see
 *    exactly one.
 *
 * Every run must end with zero errors, zero non-2xx answers and every body as expected. All of it twice: cookie mode
 * (the demo's default), and store mode on a real `redis-server` started here (`REDIS_URL`, `RedisTokenStore`).
 * Everything stops by itself; Ctrl+C stops it early.
 */

import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { createMockControl, type MockControl } from "@pintoken/mock";
import { type RedisServer, startRedisServer } from "@pintoken/test-support";
import autocannon from "autocannon";
import { createClient } from "redis";
import { appDir, type DemoServers } from "../apps/demo/scripts/servers.ts";
import { startOnFreePorts } from "../apps/demo/test/environment.ts";
import { signInOverHttp } from "../apps/demo/test/http-sign-in.ts";

function setting(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`${name} must be a whole number from 1 to ${max}, got "${raw}".`);
  return value;
}

const seconds = setting("BENCH_LOAD_SECONDS", 10, 120);
const connections = setting("BENCH_LOAD_CONNECTIONS", 100, 1000);
/**
 * A token set is due for a refresh once less than half its lifetime is left (the refresh windows, 5 minutes for
 * `getAccessToken()` and 10 for the proxy, are capped at half the lifetime). The mock's tokens live twice this long,
 * so runs 1 and 2 (and the warm-up) fit in the first half of the signed-in token's life, and the token refreshed at
 * the start of run 3 stays fresh until that run is over.
 */
const modes = (process.env.BENCH_LOAD_MODES || "cookie,redis").split(",").map((mode) => {
  if (mode !== "cookie" && mode !== "redis")
    throw new Error(`BENCH_LOAD_MODES lists "cookie", "redis" or both (comma-separated), got "${mode}".`);
  return mode;
});
const halfLifeSeconds = 2 * seconds + 20;

type Mode = "cookie" | "redis";

interface Outcome {
  mode: Mode;
  run: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  mismatches: number;
  refreshes: number;
  problems: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const stopping = new AbortController();
let running: { servers?: DemoServers | undefined; redis?: RedisServer | undefined } = {};
async function stopAll(): Promise<void> {
  await running.servers?.stop();
  await running.redis?.stop();
  running = {};
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping the app, the mock and Redis…`);
    stopping.abort();
    void stopAll().finally(() => process.exit(130));
  });
}

async function refreshCount(control: MockControl): Promise<number> {
  const calls = await control.calls({ operationId: "oauth/token" });
  return calls.filter((call) => call.form?.grant_type === "refresh_token").length;
}

async function sessionOf(appUrl: string, cookie: string): Promise<{ status: string; expiresAt: number }> {
  const response = await fetch(`${appUrl}/api/pinterest/session`, { headers: { cookie } });
  return (await response.json()) as { status: string; expiresAt: number };
}

/** One autocannon run against `path` with the session cookie; every answer's body must pass `expected`. */
async function load(url: string, cookie: string, expected: string, duration = seconds, amount?: number) {
  const options: autocannon.Options = {
    url,
    connections: amount ? Math.min(connections, 10) : connections,
    duration,
    ...(amount ? { amount } : {}),
    headers: { cookie, accept: "application/json" },
    verifyBody: (body) => typeof body === "string" && body.includes(expected),
    timeout: 30,
  };
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
  const stop = () => instance?.stop();
  stopping.signal.addEventListener("abort", stop, { once: true });
  try {
    return await done;
  } finally {
    stopping.signal.removeEventListener("abort", stop);
  }
}

async function benchMode(mode: Mode): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const redis = mode === "redis" ? await startRedisServer() : undefined;
  running.redis = redis;
  const servers = await startOnFreePorts({
    accessTokenTtlSeconds: 2 * halfLifeSeconds,
    env: redis ? { REDIS_URL: redis.url } : {},
    signal: stopping.signal,
  });
  running.servers = servers;
  const { appUrl, mock } = servers;
  const control = createMockControl(mock.url);

  const cookie = await signInOverHttp(appUrl);
  const signedIn = await sessionOf(appUrl, cookie);
  if (signedIn.status !== "authenticated") throw new Error(`not signed in: ${JSON.stringify(signedIn)}`);
  const dueAt = signedIn.expiresAt - halfLifeSeconds * 1000;
  if (redis) {
    const client = await createClient({ url: redis.url }).connect();
    const keys = await client.keys("pintoken:token:session:*");
    await client.close();
    if (keys.length !== 1) throw new Error(`expected the session in Redis (1 key), found ${keys.length}`);
  }

  const session = `${appUrl}/api/pinterest/session`;
  const tokenCheck = `${appUrl}/api/token-check`;
  const authenticated = '"status":"authenticated"';
  const ok = '"ok":true';
  // Next loads each route's code on its first request: not part of what is measured.
  await load(session, cookie, authenticated, 30, 200);
  await load(tokenCheck, cookie, ok, 30, 200);

  const measure = async (run: string, url: string, expected: string, refreshesExpected: number) => {
    const before = await refreshCount(control);
    const result = await load(url, cookie, expected);
    const refreshes = (await refreshCount(control)) - before;
    const problems: string[] = [];
    if (result.errors > 0) problems.push(`${result.errors} errors (${result.timeouts} timeouts)`);
    if (result.non2xx > 0) problems.push(`${result.non2xx} non-2xx answers: ${JSON.stringify(result.statusCodeStats)}`);
    if (result.mismatches > 0) problems.push(`${result.mismatches} bodies without ${expected}`);
    if (result.requests.total === 0) problems.push("no request answered");
    if (refreshes !== refreshesExpected)
      problems.push(`${refreshes} refreshes at the mock, expected ${refreshesExpected}`);
    outcomes.push({
      mode,
      run,
      requests: result.requests.total,
      perSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors,
      non2xx: result.non2xx,
      mismatches: result.mismatches,
      refreshes,
      problems,
    });
  };

  await measure("GET /api/pinterest/session", session, authenticated, 0);
  await measure("GET /api/token-check", tokenCheck, ok, 0);
  const last = outcomes[outcomes.length - 1] as Outcome;
  if (Date.now() >= dueAt)
    last.problems.push("the token became due before run 3: this machine is too slow for BENCH_LOAD_SECONDS");
  // The access token becomes due: every connection of the next run meets a refresh.
  await sleep(dueAt - Date.now() + 500);
  await measure("GET /api/token-check, token due", tokenCheck, ok, 1);
  const due = outcomes[outcomes.length - 1] as Outcome;
  const after = await sessionOf(appUrl, cookie);
  if (!(after.status === "authenticated" && after.expiresAt > signedIn.expiresAt))
    due.problems.push(`the session did not move to the refreshed token: ${JSON.stringify(after)}`);
  const active = await control.tokens({ kind: "refresh_token", status: "active" });
  if (active.length !== 1) due.problems.push(`${active.length} active refresh tokens at the mock, expected 1`);

  if (outcomes.some((outcome) => outcome.problems.length > 0))
    console.log(`\nnext's output (${mode} mode):\n${servers.output.join("").slice(-4000)}`);
  return outcomes;
}

const columns = (cells: string[]) =>
  console.log(
    cells.map((cell, i) => (i < 2 ? cell.padEnd(i === 0 ? 7 : 34) : cell.padStart(i === 2 ? 9 : 8))).join(" "),
  );

if (!existsSync(join(appDir, ".next/BUILD_ID"))) {
  console.error(
    "The demo has no production build (apps/demo/.next). Run `pnpm --filter @pintoken/bench run bench:load`, which " +
      "builds it first through turbo, or `pnpm turbo run build --filter=@pintoken/demo` before `tsx load.ts`.",
  );
  process.exit(1);
}
const loadAtStart = loadavg()[0] ?? 0;
const outcomes: Outcome[] = [];
let failed: unknown;
for (const mode of modes) {
  try {
    outcomes.push(...(await benchMode(mode)));
  } catch (error) {
    failed ??= error;
    console.error(`\n${mode} mode failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await stopAll();
  }
  if (stopping.signal.aborted) break;
}

console.log(
  `\nThe demo under load: next start (production build) and the mock Pinterest on loopback, ` +
    `${connections} connections × ${seconds} s per run, Node ${process.version}, ${cpus().length} × ` +
    `${cpus()[0]?.model.trim() ?? "unknown CPU"}, load average ${loadAtStart.toFixed(1)} at the start and ` +
    `${(loadavg()[0] ?? 0).toFixed(1)} at the end`,
);
columns(["mode", "run", "req/s", "p50 ms", "p99 ms", "requests", "non-2xx", "errors", "refreshes"]);
for (const o of outcomes) {
  columns([
    o.mode,
    o.run,
    Math.round(o.perSecond).toLocaleString("en"),
    String(o.p50),
    String(o.p99),
    o.requests.toLocaleString("en"),
    String(o.non2xx),
    String(o.errors + o.mismatches),
    String(o.refreshes),
  ]);
}
const problems = outcomes.flatMap((o) => o.problems.map((problem) => `  ${o.mode}, ${o.run}: ${problem}`));
if (problems.length > 0 || failed !== undefined || outcomes.length < 3 * modes.length) {
  console.log(`\nFAILED:\n${problems.join("\n")}`);
  process.exitCode = 1;
} else {
  console.log(
    "\nZero errors and zero non-2xx in every run; exactly one refresh when the token was due, in both modes.",
  );
}
