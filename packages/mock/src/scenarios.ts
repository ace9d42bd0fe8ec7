import type { OperationId } from "./operations.ts";

/**
 * A failure the mock plays instead of (or, for `slow`, before) its normal answer.
 *
 * @example
 * ```ts
 * mock.scenario("oauth/token").rateLimit({ retryAfter: 2 });
 * expect(mock.pendingScenarios[0]?.fault).toEqual<Fault>({ kind: "rateLimit", retryAfter: 2 });
 * ```
 */
export type Fault =
  | { readonly kind: "rateLimit"; readonly retryAfter: number }
  | { readonly kind: "serverError"; readonly status: number }
  | { readonly kind: "invalidGrant" }
  | { readonly kind: "slow"; readonly delayMs: number }
  | { readonly kind: "dropConnection" };

/**
 * A queued scenario: it applies to the next matching call, `times(n)` calls in all (1 by default), then the mock is
 * back to normal.
 *
 * @example
 * ```ts
 * const outage = mock.scenario("oauth/token").serverError().always();
 * // … later
 * outage.cancel();
 * ```
 */
export interface ScenarioHandle {
  /** Applies to the next `count` matching calls (a positive whole number). */
  times(count: number): ScenarioHandle;
  /** Applies to the next matching call only (the default). */
  once(): ScenarioHandle;
  /** Applies to every matching call until cancelled or `mock.reset()`. */
  always(): ScenarioHandle;
  /** Stops applying. */
  cancel(): void;
  /** How many more calls it applies to (`Infinity` after `always()`, 0 when used up or cancelled). */
  readonly remaining: number;
}

/**
 * Failures to play on the next calls of one operation (or of all of them). Queued scenarios apply in the order they
 * were added; each call takes at most one.
 *
 * @example
 * ```ts
 * mock.scenario("oauth/token").rateLimit({ retryAfter: 1 }).times(2); // two 429s with Retry-After: 1
 * mock.scenario("oauth/token").serverError({ status: 503 });           // then one 503
 * mock.scenario().dropConnection();                                    // then the next call of any operation fails
 * ```
 */
export interface ScenarioBuilder {
  /** 429 with `Retry-After` in seconds (default 1). */
  rateLimit(options?: { readonly retryAfter?: number }): ScenarioHandle;
  /** A 5xx (default 500). */
  serverError(options?: { readonly status?: 500 | 502 | 503 | 504 }): ScenarioHandle;
  /** 401 `{code: 283, message: "The authorization grant is invalid"}`, whatever the request holds. */
  invalidGrant(): ScenarioHandle;
  /** Waits `delayMs` (real time), then answers normally. */
  slow(delayMs: number): ScenarioHandle;
  /** Drops the connection: `fetch` rejects (msw `HttpResponse.error()`); over real HTTP the socket is destroyed. */
  dropConnection(): ScenarioHandle;
}

interface Entry {
  readonly target: OperationId | undefined;
  readonly fault: Fault;
  remaining: number;
}

function checkWhole(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be a whole number ≥ ${min}, got ${value}.`);
  return value;
}

/** The queue of scenarios of one mock. */
export class ScenarioQueue {
  #entries: Entry[] = [];

  /** A builder that queues scenarios for `target` (every operation when undefined). */
  builder(target: OperationId | undefined): ScenarioBuilder {
    const add = (fault: Fault) => this.#add(target, fault);
    return {
      rateLimit: ({ retryAfter = 1 } = {}) =>
        add({ kind: "rateLimit", retryAfter: checkWhole("retryAfter", retryAfter, 0) }),
      serverError: ({ status = 500 } = {}) => {
        if (!Number.isInteger(status) || status < 500 || status > 599) {
          throw new RangeError(`serverError status must be a 5xx status, got ${status}.`);
        }
        return add({ kind: "serverError", status });
      },
      invalidGrant: () => add({ kind: "invalidGrant" }),
      slow: (delayMs) => add({ kind: "slow", delayMs: checkWhole("slow(delayMs)", delayMs, 0) }),
      dropConnection: () => add({ kind: "dropConnection" }),
    };
  }

  /** Takes the first scenario that applies to this operation, counting one use. */
  take(operationId: OperationId): Fault | undefined {
    const entry = this.#entries.find((e) => e.remaining > 0 && (e.target === undefined || e.target === operationId));
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining === 0) this.#entries = this.#entries.filter((e) => e !== entry);
    return entry.fault;
  }

  /** Scenarios still queued. */
  get pending(): readonly { readonly target: OperationId | "*"; readonly fault: Fault; readonly remaining: number }[] {
    return this.#entries.map((e) => ({ target: e.target ?? "*", fault: e.fault, remaining: e.remaining }));
  }

  clear(): void {
    this.#entries = [];
  }

  #add(target: OperationId | undefined, fault: Fault): ScenarioHandle {
    const entry: Entry = { target, fault, remaining: 1 };
    this.#entries.push(entry);
    const set = (remaining: number) => {
      entry.remaining = remaining;
      if (remaining === 0) this.#entries = this.#entries.filter((e) => e !== entry);
      else if (!this.#entries.includes(entry)) this.#entries.push(entry);
      return handle;
    };
    const handle: ScenarioHandle = {
      times: (count) => set(checkWhole("times(count)", count, 1)),
      once: () => set(1),
      always: () => set(Number.POSITIVE_INFINITY),
      cancel: () => {
        set(0);
      },
      get remaining() {
        return entry.remaining;
      },
    };
    return handle;
  }
}
