import type { components } from "@pintoken/core/api";
import { checkWhole, listed, shown } from "./check.ts";
import { type OperationId, operationIds, specSchemas } from "./operations.ts";

/**
 * A `grant_type` of `POST /oauth/token`, from the spec: `"authorization_code"`, `"refresh_token"` or
 * `"client_credentials"`.
 *
 * @example
 * ```ts
 * const grantType: GrantType = "refresh_token";
 * mock.scenario({ grantType }).serverError({ status: 503 });
 * ```
 */
export type GrantType = components["schemas"]["OauthAccessTokenRequest"]["grant_type"];

/** Every grant type of the token endpoint, from the spec's discriminator. */
const grantTypes = Object.keys(
  specSchemas.OauthAccessTokenRequest?.discriminator?.mapping ?? {},
) as readonly GrantType[];

/** Returns `value` as a grant type, or throws a message that lists the spec's grant types. */
export function checkGrantType(name: string, value: unknown): GrantType {
  if (!grantTypes.includes(value as GrantType)) {
    throw new RangeError(`${name} must be one of ${grantTypes.join(", ")}, got ${JSON.stringify(value)}.`);
  }
  return value as GrantType;
}

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

const kinds = ["rateLimit", "serverError", "invalidGrant", "slow", "dropConnection"] as const;

/**
 * Checks a fault, as the scenario builder makes it or as it arrives as JSON at the control API, and returns a copy
 * with only its own fields; throws a message that says what is wrong and what is allowed.
 */
export function checkFault(value: unknown): Fault {
  const fault = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  switch (fault.kind) {
    case "rateLimit":
      return { kind: "rateLimit", retryAfter: checkWhole("retryAfter", fault.retryAfter, 0) };
    case "serverError": {
      const status = fault.status;
      if (typeof status !== "number" || !Number.isInteger(status) || status < 500 || status > 599) {
        throw new RangeError(`serverError status must be a 5xx status, got ${shown(status)}.`);
      }
      return { kind: "serverError", status };
    }
    case "slow":
      return { kind: "slow", delayMs: checkWhole("delayMs", fault.delayMs, 0) };
    case "invalidGrant":
    case "dropConnection":
      return { kind: fault.kind };
    default:
      throw new RangeError(`fault.kind must be one of ${kinds.join(", ")}, got ${shown(fault.kind)}.`);
  }
}

/**
 * Which calls a scenario is for: one operation (every operation when omitted), and for `oauth/token` optionally one
 * grant type, so a failure meant for a refresh is not taken by a code exchange.
 *
 * @example
 * ```ts
 * mock.scenario({ grantType: "refresh_token" }).serverError({ status: 503 }); // implies operationId "oauth/token"
 * mock.scenario({ operationId: "user_account/get" }).rateLimit();             // same as mock.scenario("user_account/get")
 * ```
 */
export interface ScenarioTarget {
  readonly operationId?: OperationId;
  readonly grantType?: GrantType;
}

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
  /** Identifies the scenario in `mock.pendingScenarios` and in the control API. */
  readonly id: number;
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

/**
 * A scenario still queued, as `mock.pendingScenarios` and the control API list it.
 *
 * @example
 * ```ts
 * const [next] = mock.pendingScenarios;
 * expect(next).toMatchObject<Partial<PendingScenario>>({ target: "oauth/token", grantType: "refresh_token", remaining: 2 });
 * ```
 */
export interface PendingScenario {
  readonly id: number;
  /** The operation it applies to, `"*"` for every operation. */
  readonly target: OperationId | "*";
  readonly grantType?: GrantType;
  readonly fault: Fault;
  /** How many more calls it applies to; `Infinity` until cancelled (`null` in the control API's JSON). */
  readonly remaining: number;
}

interface Entry {
  readonly id: number;
  readonly target: OperationId | undefined;
  readonly grantType: GrantType | undefined;
  readonly fault: Fault;
  remaining: number;
}

/** Reads a target given as an operationId or a {@link ScenarioTarget}; throws a message that says what is allowed. */
export function checkTarget(target: OperationId | ScenarioTarget | undefined): {
  readonly operationId: OperationId | undefined;
  readonly grantType: GrantType | undefined;
} {
  const { operationId, grantType } = typeof target === "string" ? { operationId: target } : (target ?? {});
  if (operationId !== undefined && !operationIds.includes(operationId)) {
    throw new RangeError(
      `operationId must be an operationId of the spec (${listed(operationIds)}), got ${JSON.stringify(operationId)}.`,
    );
  }
  if (grantType === undefined) return { operationId, grantType };
  checkGrantType("grantType", grantType);
  if (operationId !== undefined && operationId !== "oauth/token") {
    throw new RangeError(`grantType applies to "oauth/token" only, not ${JSON.stringify(operationId)}.`);
  }
  return { operationId: "oauth/token", grantType };
}

/** The queue of scenarios of one mock. */
export class ScenarioQueue {
  #entries: Entry[] = [];
  #nextId = 1;

  /** A builder that queues scenarios for `target` (every operation when undefined). */
  builder(target: OperationId | ScenarioTarget | undefined): ScenarioBuilder {
    const checked = checkTarget(target);
    const add = (fault: Fault) => this.add(checked, checkFault(fault));
    return {
      rateLimit: ({ retryAfter = 1 } = {}) => add({ kind: "rateLimit", retryAfter }),
      serverError: ({ status = 500 } = {}) => add({ kind: "serverError", status }),
      invalidGrant: () => add({ kind: "invalidGrant" }),
      slow: (delayMs) => add({ kind: "slow", delayMs }),
      dropConnection: () => add({ kind: "dropConnection" }),
    };
  }

  /** Takes the first scenario that applies to this call, counting one use. */
  take(operationId: OperationId, grantType: string | undefined): Fault | undefined {
    const entry = this.#entries.find(
      (e) =>
        e.remaining > 0 &&
        (e.target === undefined || e.target === operationId) &&
        (e.grantType === undefined || e.grantType === grantType),
    );
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining === 0) this.#remove(entry.id);
    return entry.fault;
  }

  /** Scenarios still queued. */
  get pending(): readonly PendingScenario[] {
    return this.#entries.map(({ id, target, grantType, fault, remaining }) => ({
      id,
      target: target ?? "*",
      ...(grantType === undefined ? {} : { grantType }),
      fault,
      remaining,
    }));
  }

  /** Stops the scenario with this id; false when no such scenario is queued. */
  cancel(id: number): boolean {
    return this.#remove(id);
  }

  clear(): void {
    this.#entries = [];
  }

  /** Queues an already checked fault for an already checked target (once, until `times`/`always` on its handle). */
  add(
    target: { readonly operationId: OperationId | undefined; readonly grantType: GrantType | undefined },
    fault: Fault,
  ): ScenarioHandle {
    const entry: Entry = {
      id: this.#nextId++,
      target: target.operationId,
      grantType: target.grantType,
      fault,
      remaining: 1,
    };
    this.#entries.push(entry);
    const set = (remaining: number) => {
      entry.remaining = remaining;
      if (remaining === 0) this.#remove(entry.id);
      else if (!this.#entries.includes(entry)) this.#entries.push(entry);
      return handle;
    };
    const handle: ScenarioHandle = {
      id: entry.id,
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

  #remove(id: number): boolean {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((e) => e.id !== id);
    return this.#entries.length < before;
  }
}
