/**
 * One keep-alive worker of `keep-alive.ts`: a Node process with its own connection to the store, running
 * `createKeepAlive().run()` against the mock Pinterest over HTTP when told to, and reporting its summary and the time
 * each account took.
 */
import { createPinterestOAuth, type TokenStore } from "@pintoken/core";
import { createKeepAlive, type KeepAliveSummary } from "@pintoken/core/keep-alive";
import { mockClient } from "@pintoken/mock";
import { PostgresTokenStore } from "@pintoken/postgres";
import { RedisTokenStore } from "@pintoken/redis";
import pg from "pg";
import { createClient } from "redis";

export interface WorkerReport {
  readonly summary: KeepAliveSummary;
  /** Per refreshed account, ms. */
  readonly durations: number[];
  readonly outcomes: Record<string, number>;
}

const { BENCH_STORE: kind, BENCH_STORE_URL: url, BENCH_API_BASE_URL: apiBaseUrl } = process.env;
if (!kind || !url || !apiBaseUrl)
  throw new Error("keep-alive-worker.ts needs BENCH_STORE, BENCH_STORE_URL, BENCH_API_BASE_URL");

let store: TokenStore;
let close: () => Promise<unknown>;
if (kind === "postgres") {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", () => {});
  store = new PostgresTokenStore({ db: pool });
  close = () => pool.end();
} else {
  const client = await createClient({ url })
    .on("error", () => {})
    .connect();
  store = new RedisTokenStore({ client });
  close = () => client.close();
}

const oauth = createPinterestOAuth({ ...mockClient, baseUrl: apiBaseUrl });

process.on(
  "message",
  async (message: { type: "go"; concurrency: number; shard?: { index: number; count: number } }) => {
    const durations: number[] = [];
    const outcomes: Record<string, number> = {};
    const keepAlive = createKeepAlive({
      oauth,
      store,
      concurrency: message.concurrency,
      shard: message.shard,
      ratePerSecond: 10_000,
      onEvent(event) {
        if (event.type !== "account") return;
        outcomes[event.outcome] = (outcomes[event.outcome] ?? 0) + 1;
        if (event.outcome === "refreshed") durations.push(event.durationMs);
      },
    });
    const summary = await keepAlive.run();
    process.send?.({ type: "done", report: { summary, durations, outcomes } satisfies WorkerReport });
    await close();
    process.exit(0);
  },
);
process.send?.({ type: "ready" });
