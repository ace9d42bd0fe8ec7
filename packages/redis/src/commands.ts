import { ClientClosedError, ErrorReply } from "redis";
import { RedisStoreError } from "./errors.ts";

/**
 * What the store needs of a Redis client: node-redis's `sendCommand`. A client from `createClient()` of the `redis`
 * package (v6) fits, connected (`await client.connect()`) and with an `error` listener.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 *
 * const client: RedisCommandClient = await createClient({ url: process.env.REDIS_URL! })
 *   .on("error", (error) => console.error("Redis:", error.message))
 *   .connect();
 * ```
 */
export interface RedisCommandClient {
  sendCommand(args: readonly string[], options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  /** node-redis's connection state: `false` while it is disconnected and reconnecting (commands wait in its queue). */
  readonly isReady?: boolean;
}

/** Where a command runs, for its errors: the store key and what the store was doing. */
export interface CommandContext {
  readonly key: string;
  readonly what: string;
  /** The whole operation, retries included, must finish within this many ms. */
  readonly timeoutMs: number;
}

/**
 * Redis error replies that pass by themselves: the server is loading its data after a restart, busy with a script,
 * or a replica that is being promoted. Any other error reply is final.
 */
const transientReply = /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|READONLY|CLUSTERDOWN)\b/;

/**
 * node-redis marks Redis's answers as `ErrorReply` (its subclasses `SimpleError`, `BlobError`). By class first: a
 * minifying bundler (Next.js's server build) renames classes, and the name alone would take `NOSCRIPT` for a lost
 * connection, retried until the deadline. By name for a client from another copy of node-redis than this package's.
 */
function isErrorReply(error: unknown): boolean {
  if (error instanceof ErrorReply) return true;
  for (let proto = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto)) {
    if (proto.constructor?.name === "ErrorReply") return true;
  }
  return false;
}

const isClientClosed = (error: unknown) =>
  error instanceof ClientClosedError || (error instanceof Error && error.constructor.name === "ClientClosedError");

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.constructor.name : String(error);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one command. Connection failures (lost, refused, offline, Redis still loading) are retried with backoff
 * until `timeoutMs` has passed, so a Redis restart shorter than that is invisible. The deadline is enforced here,
 * not only by the client: node-redis's own timeout and abort signal stop applying once a command is written, so a
 * frozen Redis would otherwise hang the caller forever.
 */
export async function send(client: RedisCommandClient, args: readonly string[], ctx: CommandContext): Promise<unknown> {
  const deadline = performance.now() + ctx.timeoutMs;
  let last: unknown;
  for (let attempt = 0; ; attempt++) {
    const left = deadline - performance.now();
    if (left <= 0) {
      throw new RedisStoreError({
        key: ctx.key,
        operation: ctx.what,
        reason: "unavailable",
        detail: `Redis could not be reached within ${ctx.timeoutMs} ms (${messageOf(last)}). Check that Redis is up and reachable from here; raise commandTimeoutMs to ride out longer restarts.`,
        cause: last,
      });
    }
    const controller = new AbortController();
    const timedOut = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
    });
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ctx.timeoutMs} ms`)), left);
    const command = Promise.resolve().then(() => client.sendCommand(args, { abortSignal: controller.signal }));
    command.catch(() => undefined); // it may still fail after the deadline; nobody is waiting for it then
    try {
      return await Promise.race([command, timedOut]);
    } catch (error) {
      if (controller.signal.aborted) {
        // Queued while the client reconnects, or after Redis said it cannot serve yet (LOADING): it is down or
        // unreachable, not slow.
        if (client.isReady === false || last !== undefined) {
          throw new RedisStoreError({
            key: ctx.key,
            operation: ctx.what,
            reason: "unavailable",
            detail: `Redis could not be reached within ${ctx.timeoutMs} ms (${last === undefined ? "the client is reconnecting" : messageOf(last)}). Check that Redis is up and reachable from here; raise commandTimeoutMs to ride out longer restarts.`,
            cause: error,
          });
        }
        throw new RedisStoreError({
          key: ctx.key,
          operation: ctx.what,
          reason: "timeout",
          detail: `Redis did not answer within ${ctx.timeoutMs} ms. Check that Redis is up and not overloaded; raise commandTimeoutMs if it is just slow.`,
          cause: error,
        });
      }
      const message = messageOf(error);
      if (isErrorReply(error) && !transientReply.test(message)) {
        throw new RedisStoreError({
          key: ctx.key,
          operation: ctx.what,
          reason: "rejected",
          detail: `Redis answered with an error (${message}). If it is WRONGTYPE, another application writes keys under this store's prefix: choose another prefix.`,
          cause: error,
        });
      }
      if (isClientClosed(error)) {
        throw new RedisStoreError({
          key: ctx.key,
          operation: ctx.what,
          reason: "unavailable",
          detail:
            "the Redis client is closed. Connect it (await client.connect()) before using the store, and keep it open.",
          cause: error,
        });
      }
      last = error;
    } finally {
      clearTimeout(timer);
    }
    await sleep(Math.min(25 * 2 ** Math.min(attempt, 5), Math.max(0, deadline - performance.now())));
  }
}

/** A Lua script, sent by its SHA-1 (`EVALSHA`) and loaded again with `EVAL` when Redis lost it (e.g. a restart). */
export interface LuaScript {
  readonly source: string;
  sha?: Promise<string>;
}

async function sha1(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Runs a script over one key. */
export async function runScript(
  client: RedisCommandClient,
  script: LuaScript,
  key: string,
  args: readonly string[],
  ctx: CommandContext,
): Promise<unknown> {
  script.sha ??= sha1(script.source);
  const sha = await script.sha;
  try {
    return await send(client, ["EVALSHA", sha, "1", key, ...args], ctx);
  } catch (error) {
    if (!(error instanceof RedisStoreError && /^NOSCRIPT\b/.test(messageOf(error.cause)))) throw error;
    return send(client, ["EVAL", script.source, "1", key, ...args], ctx);
  }
}
