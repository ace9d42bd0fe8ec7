/**
 * Keep-alive at scale, on demand (`pnpm --filter @pintoken/bench run bench:keep-alive`): for PostgreSQL and for Redis,
 * 10,000 connected accounts of which 2,000 lapse within 7 days, and 4 worker processes running `createKeepAlive()` at
 * once over the same store (no sharding: they contend for every account) against the mock Pinterest over HTTP. It
 * checks that every due account was refreshed exactly once and none lost, and reports throughput and per-account
 * latency. Then 100,000 accounts: the due ones (20,000) are listed page by page, and the heap it takes is compared with
 * listing them in one call.
 */
import { type ChildProcess, fork } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import type { TokenSet, TokenStore } from "@pintoken/core";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { migratePostgresTokenStore, PostgresTokenStore } from "@pintoken/postgres";
import { RedisTokenStore } from "@pintoken/redis";
import { startPostgres, startRedisServer } from "@pintoken/test-support";
import pg from "pg";
import { createClient } from "redis";
import type { WorkerReport } from "./keep-alive-worker.ts";

const day = 86_400_000;
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const dueCount = Number(process.env.BENCH_DUE ?? 2_000);
const workers = 4;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/** Stores `count` signed-in accounts (real grants at the mock), the first `due` of them lapsing within 7 days. */
async function seed(store: TokenStore, pinterest: MockPinterestServer, count: number, due: number, run: string) {
  const now = Date.now();
  const original = new Map<string, string>();
  for (let start = 0; start < count; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, count - start) }, async (_, j) => {
        const i = start + j;
        const answer = pinterest.mock.issueTokens({ scopes: ["user_accounts:read"] });
        const key = `${run}-account-${String(i).padStart(6, "0")}`;
        const tokenSet: TokenSet = {
          accessToken: answer.access_token,
          tokenType: "bearer",
          scopes: ["user_accounts:read"],
          expiresAt: now + 20 * day,
          refreshToken: answer.refresh_token as string,
          // Due ones lapse within 1–6 days; the others in 8–59 days.
          refreshTokenExpiresAt: i < due ? now + day + (i % 5) * day + i : now + 8 * day + (i % 50) * day + i,
          responseType: "authorization_code",
          issuedAt: now - 40 * day,
        };
        original.set(key, tokenSet.refreshToken as string);
        await store.set(key, tokenSet);
      }),
    );
  }
  return original;
}

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL("./keep-alive-worker.ts", import.meta.url)), [], {
    execArgv: ["--conditions=@pintoken/source", "--import", "tsx"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
  });
}

async function fleetRun(
  name: string,
  store: TokenStore,
  storeUrl: string,
  pinterest: MockPinterestServer,
  sharded: boolean,
) {
  const seedStarted = performance.now();
  const original = await seed(store, pinterest, accounts, dueCount, sharded ? "sharded" : "contended");
  const seedMs = performance.now() - seedStarted;
  pinterest.mock.calls.reset();
  const env = { BENCH_STORE: name, BENCH_STORE_URL: storeUrl, BENCH_API_BASE_URL: pinterest.apiBaseUrl };
  const children = await Promise.all(Array.from({ length: workers }, () => startWorker(env)));
  const started = performance.now();
  const reports = await Promise.all(
    children.map(
      (child, index) =>
        new Promise<WorkerReport>((resolve, reject) => {
          child.on("message", (message: { type: string; report: WorkerReport }) => {
            if (message.type === "done") resolve(message.report);
          });
          child.once("exit", (code) => code !== 0 && reject(new Error(`worker exited (${code})`)));
          child.send({ type: "go", concurrency, ...(sharded ? { shard: { index, count: workers } } : {}) });
        }),
    ),
  );
  const wallMs = performance.now() - started;

  // Exactly once, nothing lost: each due account holds a new refresh token that works, its old one was rotated once;
  // every other account is untouched.
  const refreshCalls = pinterest.mock.calls
    .for("oauth/token")
    .filter((call) => call.form?.grant_type === "refresh_token");
  let lost = 0;
  let refreshedTwice = 0;
  let touched = 0;
  for (const [key, before] of original) {
    const now = (await store.get(key))?.tokenSet.refreshToken;
    const due = Number(key.slice(-6)) < dueCount;
    if (due) {
      if (now === before || pinterest.mock.inspectToken(now as string)?.status !== "active") lost++;
      if (pinterest.mock.inspectToken(before)?.status !== "rotated") lost++;
    } else if (now !== before) touched++;
  }
  const usedTokens = refreshCalls.map((call) => call.form?.refresh_token);
  refreshedTwice = usedTokens.length - new Set(usedTokens).size;
  const durations = reports.flatMap((r) => r.durations);
  const refreshed = reports.reduce((n, r) => n + r.summary.refreshed, 0);
  return {
    store: name,
    workers: sharded ? "4, each its shard" : "4, all over every account",
    accounts,
    due: dueCount,
    seedMs: Math.round(seedMs),
    refreshed,
    refreshCallsAtPinterest: refreshCalls.length,
    refreshCallsNot200: refreshCalls.filter((call) => call.status !== 200).length,
    refreshedTwice,
    lost,
    nonDueTouched: touched,
    perWorker: reports.map((r) => r.outcomes),
    wallMs: Math.round(wallMs),
    refreshesPerSecond: Math.round((refreshed / wallMs) * 1000),
    accountMs: { p50: quantile(durations, 0.5), p99: quantile(durations, 0.99), max: Math.max(...durations) },
  };
}

/**
 * Lists every due key page by page (timed), again page by page with a full GC after each page (the live heap a page
 * keeps), and in one call (timed, and the live heap its result keeps).
 */
async function pagedSelection(name: string, store: TokenStore, before: number) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc (the bench:keep-alive script does)");
  const due = (store.due as NonNullable<TokenStore["due"]>).bind(store);
  const walk = async (onPage: () => void) => {
    let listed = 0;
    let pages = 0;
    for (let after: Awaited<ReturnType<typeof due>>[number] | undefined; ; ) {
      const page = await due(before, { limit: 100, after });
      pages++;
      listed += page.length;
      onPage();
      if (page.length < 100) return { listed, pages };
      after = page.at(-1);
    }
  };
  const started = performance.now();
  const { listed, pages } = await walk(() => {});
  const pagedMs = performance.now() - started;
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = Number.NEGATIVE_INFINITY;
  await walk(() => {
    gc(); // what stays alive while a page is held, not the garbage of reading it
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  });
  gc();
  const base2 = process.memoryUsage().heapUsed;
  const oneCallStarted = performance.now();
  const all = await due(before, { limit: 1_000_000 });
  const oneCallMs = performance.now() - oneCallStarted;
  gc();
  const held = process.memoryUsage().heapUsed - base2; // `all` is still alive here
  return {
    store: name,
    listed,
    pages,
    pagedMs: Math.round(pagedMs),
    pagedPeakLiveHeapKiB: Math.round((peak / 1024) * 10) / 10,
    oneCallListed: all.length,
    oneCallMs: Math.round(oneCallMs),
    oneCallLiveHeapKiB: Math.round(held / 1024),
  };
}

/** 100,000 rows (20,000 due), written straight into the store's tables for speed (values are not used). */
async function bulkSeed(name: string, pool: pg.Pool | undefined, redisUrl: string | undefined, now: number) {
  const data = JSON.stringify({
    accessToken: "pina_bulk",
    tokenType: "bearer",
    scopes: [],
    expiresAt: now,
    refreshToken: "pinr_bulk",
    responseType: "refresh_token",
  });
  if (name === "postgres" && pool) {
    await pool.query(
      `INSERT INTO pintoken_tokens (tenant, key, version, data, refresh_token_expires_at)
       SELECT 'bulk', 'bulk-' || lpad(i::text, 6, '0'), md5(i::text), $1,
              $2::bigint + CASE WHEN i % 5 = 0 THEN (i % 6)::bigint * 86400000 ELSE (8 + i % 50)::bigint * 86400000 END + i
         FROM generate_series(0, 99999) AS i`,
      [data, now],
    );
    await pool.query("ANALYZE pintoken_tokens");
  } else if (redisUrl) {
    const client = await createClient({ url: redisUrl }).connect();
    for (let start = 0; start < 100_000; start += 1_000) {
      const multi = client.multi();
      for (let i = start; i < start + 1_000; i++) {
        const key = `bulk-${String(i).padStart(6, "0")}`;
        const at = now + (i % 5 === 0 ? (i % 6) * day : (8 + (i % 50)) * day) + i;
        multi.hSet(`bulk:token:${key}`, { version: String(i), data });
        multi.zAdd("bulk:due", { score: at, value: key });
      }
      await multi.exec();
    }
    await client.close();
  }
}

const [postgres, redis, pinterest] = await Promise.all([
  startPostgres(),
  startRedisServer(),
  startMockPinterest({ limits: { tokens: 100_000, calls: 20_000 } }),
]);
const pool = new pg.Pool({ connectionString: postgres.url, max: 10 });
const redisClient = await createClient({ url: redis.url }).connect();
try {
  console.log(
    `keep-alive bench: Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  await migratePostgresTokenStore(pool);
  const results = [];
  for (const sharded of process.env.BENCH_PART === "paged" ? [] : [false, true]) {
    results.push(await fleetRun("postgres", new PostgresTokenStore({ db: pool }), postgres.url, pinterest, sharded));
    results.push(await fleetRun("redis", new RedisTokenStore({ client: redisClient }), redis.url, pinterest, sharded));
  }
  for (const result of results) console.log(JSON.stringify(result));

  const now = Date.now();
  await bulkSeed("postgres", pool, undefined, now);
  await bulkSeed("redis", undefined, redis.url, now);
  const before = now + 7 * day;
  console.log(
    JSON.stringify(await pagedSelection("postgres", new PostgresTokenStore({ db: pool, tenant: "bulk" }), before)),
  );
  console.log(
    JSON.stringify(
      await pagedSelection("redis", new RedisTokenStore({ client: redisClient, prefix: "bulk:" }), before),
    ),
  );
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
} finally {
  await pool.end();
  await redisClient.close();
  await Promise.all([postgres.stop(), redis.stop(), pinterest.close()]);
}
