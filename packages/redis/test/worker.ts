/**
 * One server instance of the fleet tests: a separate Node process (forked by `fleet.ts`, run from TypeScript source
 * with tsx and the `@pintoken/source` condition) with its own Redis connection, token managers and in-process
 * single flight, steered over the IPC channel.
 */
import { createPinterestOAuth, createTokenManager, PintokenError, type TokenManager } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { createClient } from "redis";
import { RedisStoreError } from "../src/errors.ts";
import { RedisTokenStore } from "../src/redis-token-store.ts";

/** How one fleet run is set up in every worker. */
export interface RunJob {
  readonly key: string;
  /** Concurrent `getAccessToken()` calls in this process. */
  readonly calls: number;
  /** Store instances in this process; the calls are spread over them. Each instance contends for the Redis lock. */
  readonly stores: number;
  readonly prefix: string;
  readonly apiBaseUrl: string;
  readonly lockTtlMs: number;
  readonly commandTimeoutMs: number;
  /** The oauth client's per-attempt timeout. */
  readonly timeoutMs: number;
  readonly retries: number;
}

/** What one `getAccessToken()` call got. */
export type Outcome =
  | { readonly ok: true; readonly accessToken: string }
  | {
      readonly ok: false;
      readonly name: string;
      readonly code: string;
      readonly reason?: string;
      readonly message: string;
    };

export type ToWorker =
  | { readonly type: "prepare"; readonly job: RunJob }
  | { readonly type: "go" }
  | { readonly type: "hold-lock"; readonly key: string; readonly prefix: string; readonly ttlMs: number };

export type FromWorker =
  | { readonly type: "ready" }
  | { readonly type: "done"; readonly outcomes: Outcome[]; readonly startedAt: number; readonly finishedAt: number }
  | { readonly type: "locked" }
  | { readonly type: "failed"; readonly message: string };

const url = process.env.PINTOKEN_TEST_REDIS_URL;
if (!url) throw new Error("worker.ts needs PINTOKEN_TEST_REDIS_URL");
const client = createClient({ url });
client.on("error", () => {}); // connection loss is what some tests cause; the store reports it as RedisStoreError
await client.connect();

const reply = (message: FromWorker) => process.send?.(message);
let managers: TokenManager[] = [];
let job: RunJob | undefined;

function outcomeOf(error: unknown): Outcome {
  if (error instanceof PintokenError) {
    return {
      ok: false,
      name: error.name,
      code: error.code,
      message: error.message,
      ...(error instanceof RedisStoreError ? { reason: error.reason } : {}),
    };
  }
  return { ok: false, name: "Error", code: "unexpected", message: String(error) };
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === "prepare") {
    job = message.job;
    const { apiBaseUrl, timeoutMs, retries, key, lockTtlMs, commandTimeoutMs, prefix } = job;
    const oauth = createPinterestOAuth({
      clientId: mockClient.clientId,
      clientSecret: mockClient.clientSecret,
      baseUrl: apiBaseUrl,
      timeoutMs,
      retry: { retries, minDelayMs: 20, maxDelayMs: 200 },
    });
    managers = Array.from({ length: job.stores }, () => {
      const store = new RedisTokenStore({ client, prefix, commandTimeoutMs });
      return createTokenManager({ oauth, store, key, lockTtlMs });
    });
    reply({ type: "ready" });
  } else if (message.type === "go") {
    const calls = job?.calls ?? 0;
    const startedAt = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: calls }, (_, i) =>
        (managers[i % managers.length] as TokenManager)
          .getAccessToken()
          .then((accessToken): Outcome => ({ ok: true, accessToken }), outcomeOf),
      ),
    );
    reply({ type: "done", outcomes, startedAt, finishedAt: Date.now() });
  } else {
    await new RedisTokenStore({ client, prefix: message.prefix }).lock(message.key, message.ttlMs);
    reply({ type: "locked" }); // …and keep it, until this process is killed
  }
}

process.on("message", (message: ToWorker) => {
  handle(message).catch((error: unknown) => reply({ type: "failed", message: String(error) }));
});
reply({ type: "ready" });
