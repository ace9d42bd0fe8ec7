/**
 * Keep-alive: a continuous refresh token dies 60 days after its last refresh, so an account nobody used for two months
 * would need its owner to connect it again. A keep-alive run finds, through the store's `due()` listing, every
 * account whose refresh token expires within the window, and refreshes each once through a token manager: under the
 * store's lock, with the rotated token saved before anything else, exactly as a request would.
 */
import { ms, need } from "./client-options.ts";
import { ConfigurationError } from "./errors.ts";
import { type KeepAliveOutcome, keepAccount } from "./keep-alive-account.ts";
import { createRateGate } from "./rate-gate.ts";
import type { TokenManagerOptions } from "./token-manager.ts";
import type { DueEntry, TokenStore } from "./token-store.ts";

/**
 * What a run reports as it goes (see `onEvent`). Never a token, except `error.tokenSet` of an `unsaved` account.
 *
 * - `account`: one account's outcome; `refreshTokenExpiresAt` is the new expiry when refreshed, `error` why it failed,
 *   `durationMs` the time it took.
 * - `rate-limited`: Pinterest answered 429; every start pauses for `retryAfterMs` and the rate drops to `ratePerSecond`.
 *
 * @example
 * ```ts
 * createKeepAlive({ oauth, store, onEvent: (e) => e.type === "account" && console.info(e.key, e.outcome) });
 * ```
 */
export type KeepAliveEvent =
  | {
      readonly type: "account";
      readonly key: string;
      readonly outcome: KeepAliveOutcome;
      readonly refreshTokenExpiresAt?: number | undefined;
      readonly error?: unknown;
      /** Time spent on the account in this run (reading, waiting for the rate gate and the lock, refreshing, saving). */
      readonly durationMs: number;
    }
  | {
      readonly type: "rate-limited";
      readonly key: string;
      readonly retryAfterMs: number;
      readonly ratePerSecond: number;
    };

/**
 * What a run did, in counts. `complete` is false when it stopped early (signal or `timeBudgetMs`): the next run
 * picks up what is left.
 *
 * @example
 * ```ts
 * const summary: KeepAliveSummary = await keepAlive.run();
 * if (summary.reauthorizationRequired > 0) console.warn(`${summary.reauthorizationRequired} accounts must reconnect`);
 * ```
 */
export interface KeepAliveSummary {
  /** Accounts the store listed as due in this run (this shard's). */
  readonly listed: number;
  readonly refreshed: number;
  readonly alreadyFresh: number;
  readonly reauthorizationRequired: number;
  readonly transient: number;
  readonly unsaved: number;
  readonly signedOut: number;
  /** 429 answers that reached the run. */
  readonly rateLimited: number;
  readonly complete: boolean;
  /** The run's start (epoch ms, the run's clock) and how long it took. */
  readonly startedAt: number;
  readonly durationMs: number;
}

/**
 * Options of {@link createKeepAlive}.
 *
 * @example
 * ```ts
 * const options: KeepAliveOptions = { oauth, store, windowMs: 10 * 86_400_000, concurrency: 8, ratePerSecond: 20 };
 * ```
 */
export interface KeepAliveOptions {
  /** The client that refreshes (as for `createTokenManager`). */
  oauth: TokenManagerOptions["oauth"];
  /** A store with `due()`: `PostgresTokenStore`, `RedisTokenStore`, `DenoKvTokenStore`, `MemoryTokenStore`. */
  store: TokenStore;
  /** Refresh accounts whose refresh token expires within this many ms. Default 7 days. */
  windowMs?: number | undefined;
  /** Accounts refreshed at once. Default 4. */
  concurrency?: number | undefined;
  /** The most refreshes started per second (halved on each 429, then raised again). Default 10. */
  ratePerSecond?: number | undefined;
  /** Keys read from the store per page. Default 100. */
  pageSize?: number | undefined;
  /** Several workers may run at once: each takes the keys whose hash falls in its shard. Default: all keys. */
  shard?: { index: number; count: number } | undefined;
  /** The managers' lock TTL (see `createTokenManager`). Default 60 s. */
  lockTtlMs?: number | undefined;
  /** How long a run waits, at its end, for rotated tokens the store could not take yet. Default 30 s. */
  saveWaitMs?: number | undefined;
  /** Current time in epoch ms. Default: the oauth client's clock. */
  clock?: (() => number) | undefined;
  onEvent?: ((event: KeepAliveEvent) => void) | undefined;
}

/**
 * Options of {@link KeepAlive.run}.
 *
 * @example
 * ```ts
 * await keepAlive.run({ signal: request.signal, timeBudgetMs: 50_000 }); // within a 60 s serverless limit
 * ```
 */
export interface KeepAliveRunOptions {
  /** Stop starting accounts when it aborts (those under way finish). */
  signal?: AbortSignal | undefined;
  /** Stop starting accounts after this many ms (those under way finish). Default: no limit. */
  timeBudgetMs?: number | undefined;
}

/**
 * Refreshes the accounts that are about to lapse; see {@link createKeepAlive}.
 *
 * @example
 * ```ts
 * const summary = await createKeepAlive({ oauth, store }).run();
 * ```
 */
export interface KeepAlive {
  run(options?: KeepAliveRunOptions): Promise<KeepAliveSummary>;
}

const day = 86_400_000;

/** FNV-1a over the key's UTF-16 code units: the same shard for a key in every process. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function whole(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1)
    throw new ConfigurationError(`${name} must be a whole number ≥ 1, got ${String(value)}.`);
  return value as number;
}

/**
 * Keeps a fleet of connected accounts alive: each `run()` lists, page by page through `store.due()`, the accounts
 * whose refresh token expires within `windowMs` (7 days by default), and refreshes each once through
 * `createTokenManager` (so the store's lock, compare-and-set and the never-lose guarantees hold, and an account an
 * app refreshes meanwhile is not refreshed twice), `concurrency` at a time, at most `ratePerSecond`, backing off on
 * 429. Several processes may run at once (each account is still refreshed once), or split the keys with `shard`.
 * Run it daily or hourly: as a one-shot job, or from a cron route with {@link createKeepAliveRoute}.
 *
 * @example
 * ```ts
 * import { createPinterestOAuth } from "@pintoken/core";
 * import { createKeepAlive } from "@pintoken/core/keep-alive";
 *
 * const keepAlive = createKeepAlive({
 *   oauth: createPinterestOAuth({ clientId, clientSecret }),
 *   store, // e.g. new PostgresTokenStore({ db: pool })
 *   onEvent: (event) => {
 *     if (event.type === "account" && event.outcome === "reauthorization-required") notifyOwner(event.key);
 *   },
 * });
 * const summary = await keepAlive.run();
 * console.info(summary); // { listed, refreshed, alreadyFresh, reauthorizationRequired, transient, … }
 * ```
 */
export function createKeepAlive(options: KeepAliveOptions): KeepAlive {
  const { oauth, store, onEvent } = options ?? ({} as KeepAliveOptions);
  need(typeof oauth?.refresh === "function", "createKeepAlive needs oauth: the client from createPinterestOAuth().");
  need(
    typeof store?.due === "function",
    "createKeepAlive needs a store with due() (PostgresTokenStore, RedisTokenStore, DenoKvTokenStore, MemoryTokenStore), to find the accounts that are due without reading them all.",
  );
  const { windowMs = 7 * day, saveWaitMs = 30_000 } = options;
  ms("windowMs", windowMs, true);
  ms("saveWaitMs", saveWaitMs);
  const concurrency = whole("concurrency", options.concurrency, 4);
  const pageSize = whole("pageSize", options.pageSize, 100);
  const maxRate = options.ratePerSecond ?? 10;
  need(typeof maxRate === "number" && maxRate > 0, `ratePerSecond must be a number > 0, got ${String(maxRate)}.`);
  const { shard } = options;
  if (shard !== undefined)
    need(
      Number.isInteger(shard.count) &&
        shard.count >= 1 &&
        Number.isInteger(shard.index) &&
        shard.index >= 0 &&
        shard.index < shard.count,
      `shard must be { index, count } with 0 ≤ index < count, got ${JSON.stringify(shard)}.`,
    );
  const clock = options.clock ?? oauth.clock ?? (() => Date.now());
  const { lockTtlMs } = options;
  const due = (store.due as NonNullable<TokenStore["due"]>).bind(store);
  const emit = (event: KeepAliveEvent) => onEvent?.(event);

  return {
    async run({ signal, timeBudgetMs } = {}) {
      const startedAt = clock();
      const started = performance.now();
      const stop = () => signal?.aborted || (timeBudgetMs !== undefined && performance.now() - started >= timeBudgetMs);
      const gate = createRateGate({ ratePerSecond: maxRate });
      const counts: Record<KeepAliveOutcome, number> = {
        refreshed: 0,
        "already-fresh": 0,
        "reauthorization-required": 0,
        transient: 0,
        unsaved: 0,
        "signed-out": 0,
      };
      let listed = 0;
      let rateLimited = 0;
      let complete = true;
      const before = startedAt + windowMs;

      async function handle(entry: DueEntry, attempts: number, retries: DueEntry[][]): Promise<void> {
        const began = performance.now();
        const result = await keepAccount(entry.key, {
          oauth,
          store,
          clock,
          before,
          gate,
          saveWaitMs,
          signal,
          lockTtlMs,
        });
        const { outcome, expiresAt, error } = result;
        const retry = result.rateLimited !== undefined;
        if (result.rateLimited !== undefined) {
          rateLimited++;
          emit({ type: "rate-limited", key: entry.key, ...result.rateLimited });
        }
        if (retry && attempts < 3 && !stop()) {
          retries[attempts]?.push(entry);
          return;
        }
        counts[outcome]++;
        emit({
          type: "account",
          key: entry.key,
          outcome,
          ...(expiresAt === undefined ? {} : { refreshTokenExpiresAt: expiresAt }),
          ...(error === undefined ? {} : { error }),
          durationMs: Math.round((performance.now() - began) * 10) / 10,
        });
      }

      /** Runs `entries` `concurrency` at a time; rate-limited ones again after the others, up to 3 times. */
      async function work(entries: DueEntry[]): Promise<void> {
        const rounds: DueEntry[][] = [entries, [], [], []];
        for (let attempt = 0; attempt < rounds.length; attempt++) {
          const queue = rounds[attempt] as DueEntry[];
          let next = 0;
          const worker = async () => {
            for (let entry = queue[next++]; entry; entry = queue[next++]) {
              if (stop()) {
                complete = false;
                return;
              }
              await handle(entry, attempt + 1, rounds);
            }
          };
          await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
        }
      }

      let after: DueEntry | undefined = { key: "", refreshTokenExpiresAt: startedAt };
      while (after && !stop()) {
        const page: DueEntry[] = await due(before, { limit: pageSize, after });
        const mine = shard ? page.filter((e) => hash(e.key) % shard.count === shard.index) : page;
        listed += mine.length;
        await work(mine);
        after = page.length < pageSize ? undefined : page.at(-1);
      }
      if (after) complete = false;
      return {
        listed,
        refreshed: counts.refreshed,
        alreadyFresh: counts["already-fresh"],
        reauthorizationRequired: counts["reauthorization-required"],
        transient: counts.transient,
        unsaved: counts.unsaved,
        signedOut: counts["signed-out"],
        rateLimited,
        complete,
        startedAt,
        durationMs: Math.round(performance.now() - started),
      };
    },
  };
}
