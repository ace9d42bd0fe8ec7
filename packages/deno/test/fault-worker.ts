/**
 * A process of the KV outage tests, as a Deno `Worker` (an isolate with its own KV handle, store and token manager,
 * as on Deno Deploy). It imports only this package. The test drives it with {@link FaultCommand}s and reads what
 * it reports ({@link FaultReport}): every manager event, every call its token manager makes to the store, and the
 * outcome of each command. Its KV can go down and come back (`OutageKv`); its store and manager are the real ones.
 */
import { createPinterestOAuth, createTokenManager, DenoKvTokenStore, type TokenStore } from "../src/index.ts";
import { OutageKv } from "./outage-kv.ts";

/** What a worker is told when it starts (JSON: it crosses to the worker). */
export interface FaultJob {
  readonly kvPath: string;
  readonly key: string;
  readonly apiBaseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly lockTtlMs?: number;
}

/** What the test asks of a worker. */
export type FaultCommand =
  | { readonly type: "get-access-token" }
  /** Close the worker's KV handle: its store fails as on a closed database. */
  | { readonly type: "kv-down" }
  /** Close it right after the next token set is written. */
  | { readonly type: "kv-down-after-token-write" }
  /** Open it again. */
  | { readonly type: "kv-up" };

/** An error as it crosses back to the test. */
export interface ErrorReport {
  readonly name: string;
  readonly code?: string;
  readonly reason?: string;
  readonly operation?: string;
  readonly message: string;
  /** Whether it carries rotated tokens (`TokenStoreError.tokenSet`; the tokens themselves stay in the worker). */
  readonly carriesTokens: boolean;
  readonly cause?: ErrorReport;
}

/** What a worker reports. */
export type FaultReport =
  | { readonly type: "ready" }
  | { readonly type: "event"; readonly event: { readonly type: string; readonly [field: string]: unknown } }
  | { readonly type: "store-call"; readonly operation: "get" | "set" | "delete" | "lock" }
  | { readonly type: "done"; readonly id: number; readonly value?: unknown; readonly error?: ErrorReport };

function describe(error: unknown): ErrorReport {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error), carriesTokens: false };
  const { code, reason, operation, tokenSet } = error as Error & Record<string, unknown>;
  return {
    name: error.name,
    message: error.message,
    carriesTokens: tokenSet !== undefined,
    ...(typeof code === "string" && { code }),
    ...(typeof reason === "string" && { reason }),
    ...(typeof operation === "string" && { operation }),
    ...(error.cause !== undefined && { cause: describe(error.cause) }),
  };
}

/** The worker's global scope (typed here, so this file checks with the rest of the tests under `deno.window`). */
const scope = globalThis as unknown as {
  onmessage: (event: MessageEvent<FaultJob | { id: number; command: FaultCommand }>) => void;
  postMessage(message: FaultReport): void;
};
const report = (message: FaultReport) => scope.postMessage(message);

let started: { kv: OutageKv; run: (command: FaultCommand) => Promise<unknown> } | undefined;

async function start(job: FaultJob) {
  const kv = await OutageKv.open(job.kvPath);
  const kvStore = new DenoKvTokenStore(kv);
  // The store the manager uses is the real one; the test only hears of each call.
  const heard = (operation: "get" | "set" | "delete" | "lock") => report({ type: "store-call", operation });
  const store: TokenStore = {
    get(key) {
      heard("get");
      return kvStore.get(key);
    },
    set(key, tokenSet, options) {
      heard("set");
      return kvStore.set(key, tokenSet, options);
    },
    delete(key) {
      heard("delete");
      return kvStore.delete(key);
    },
    lock(key, ttlMs, options) {
      heard("lock");
      return kvStore.lock(key, ttlMs, options);
    },
  };
  const oauth = createPinterestOAuth({
    clientId: job.clientId,
    clientSecret: job.clientSecret,
    baseUrl: job.apiBaseUrl,
    retry: { minDelayMs: 1, maxDelayMs: 10 },
  });
  const manager = createTokenManager({
    oauth,
    store,
    key: job.key,
    lockTtlMs: job.lockTtlMs,
    onEvent: (event) => {
      const error = "error" in event ? { error: describe(event.error) } : {};
      report({ type: "event", event: { ...event, ...error } });
    },
    onStoreError: () => undefined, // reported with the store-error event
  });
  const run = async (command: FaultCommand): Promise<unknown> => {
    switch (command.type) {
      case "get-access-token":
        return await manager.getAccessToken();
      case "kv-down":
        return kv.down();
      case "kv-down-after-token-write":
        return kv.downAfterNextTokenWrite();
      case "kv-up":
        return await kv.up();
    }
  };
  return { kv, run };
}

scope.onmessage = async ({ data }) => {
  if (!("id" in data)) {
    started = await start(data);
    return report({ type: "ready" });
  }
  const { id, command } = data;
  try {
    if (!started) throw new Error("the worker was not started");
    report({ type: "done", id, value: await started.run(command) });
  } catch (error) {
    report({ type: "done", id, error: describe(error) });
  }
};
