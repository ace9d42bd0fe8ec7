/**
 * One server instance of the fleet tests: a separate Node process (forked by `fleet.ts`, run from TypeScript source
 * with tsx and the `@pintoken/source` condition) with its own pool, token managers and in-process single flight,
 * steered over the IPC channel.
 */
import { createPinterestOAuth, createTokenManager, PintokenError, type TokenManager } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import pg from "pg";
import { PostgresStoreError } from "../src/errors.ts";
import { PostgresTokenStore } from "../src/postgres-token-store.ts";

/** How one fleet run is set up in every worker. */
export interface RunJob {
  readonly key: string;
  /** Concurrent `getAccessToken()` calls in this process. */
  readonly calls: number;
  /** Store instances in this process; the calls are spread over them. Each contends for the lease. */
  readonly stores: number;
  readonly apiBaseUrl: string;
  readonly lockTtlMs: number;
  readonly queryTimeoutMs: number;
  /** How long a caller waits for a refresh (the client's `timeoutMs`; the refresh itself goes on). Default 5 s. */
  readonly timeoutMs?: number;
}

/** What one `getAccessToken()` call got. */
export type Outcome =
  | { readonly ok: true; readonly accessToken: string }
  | { readonly ok: false; readonly name: string; readonly reason?: string; readonly message: string };

export type ToWorker =
  | { readonly type: "prepare"; readonly job: RunJob }
  | { readonly type: "go" }
  | { readonly type: "hold-lock"; readonly key: string; readonly ttlMs: number };

export type FromWorker =
  | { readonly type: "ready" }
  | { readonly type: "done"; readonly outcomes: Outcome[]; readonly startedAt: number; readonly finishedAt: number }
  | { readonly type: "locked" }
  | { readonly type: "failed"; readonly message: string };

const url = process.env.PINTOKEN_TEST_PG_URL;
if (!url) throw new Error("worker.ts needs PINTOKEN_TEST_PG_URL");
const pool = new pg.Pool({ connectionString: url, max: 5, connectionTimeoutMillis: 2_000 });
pool.on("error", () => {}); // a server killed on purpose: the store reports it as PostgresStoreError

const reply = (message: FromWorker) => process.send?.(message);
let managers: TokenManager[] = [];
let job: RunJob | undefined;

function outcomeOf(error: unknown): Outcome {
  if (error instanceof PintokenError)
    return {
      ok: false,
      name: error.name,
      message: error.message,
      ...(error instanceof PostgresStoreError ? { reason: error.reason } : {}),
    };
  return { ok: false, name: "Error", message: String(error) };
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === "prepare") {
    job = message.job;
    const oauth = createPinterestOAuth({
      clientId: mockClient.clientId,
      clientSecret: mockClient.clientSecret,
      baseUrl: job.apiBaseUrl,
      timeoutMs: job.timeoutMs ?? 5_000,
      retry: { retries: 2, minDelayMs: 20, maxDelayMs: 200 },
    });
    const { key, lockTtlMs, queryTimeoutMs } = job;
    managers = Array.from({ length: job.stores }, () =>
      createTokenManager({ oauth, store: new PostgresTokenStore({ db: pool, queryTimeoutMs }), key, lockTtlMs }),
    );
    reply({ type: "ready" });
  } else if (message.type === "go") {
    const startedAt = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: job?.calls ?? 0 }, (_, i) =>
        (managers[i % managers.length] as TokenManager)
          .getAccessToken()
          .then((accessToken): Outcome => ({ ok: true, accessToken }), outcomeOf),
      ),
    );
    reply({ type: "done", outcomes, startedAt, finishedAt: Date.now() });
  } else {
    await new PostgresTokenStore({ db: pool }).lock(message.key, message.ttlMs);
    reply({ type: "locked" }); // …and keep it, until this process is killed
  }
}

process.on("message", (message: ToWorker) => {
  handle(message).catch((error: unknown) => reply({ type: "failed", message: String(error) }));
});
reply({ type: "ready" });
