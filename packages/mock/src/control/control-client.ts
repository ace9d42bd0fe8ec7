import { parseTokenSet } from "@pintoken/core";
import type { Authorization } from "../consent/consent.ts";
import type { AuthorizeOptions } from "../create-mock-pinterest.ts";
import type { IssuedToken, TokenInfo, TokenKind, TokenStatus } from "../issued-tokens.ts";
import type { CallFilter, RecordedCall } from "../recorder.ts";
import type { Fault, PendingScenario, ScenarioTarget } from "../scenarios.ts";
import type { PinterestScope } from "../scopes.ts";
import type { IssuedTokenResponse } from "../token-response.ts";

/**
 * Where a running mock serves its control API, under its origin. Pinterest's paths are under `/v5` and `/oauth/`,
 * so nothing of Pinterest's can collide with it.
 *
 * @example
 * ```ts
 * await fetch(`${server.url}${controlPathPrefix}/reset`, { method: "POST" });
 * ```
 */
export const controlPathPrefix = "/__pintoken";

/**
 * A scenario as the control API takes it: a target (as `mock.scenario(target)` takes it), the fault, and for how many
 * matching calls (default 1; `"always"` until cancelled).
 *
 * @example
 * ```ts
 * const spec: ScenarioSpec = { grantType: "refresh_token", fault: { kind: "rateLimit", retryAfter: 45 }, times: 2 };
 * await control.addScenario(spec);
 * ```
 */
export interface ScenarioSpec extends ScenarioTarget {
  readonly fault: Fault;
  readonly times?: number | "always";
}

/**
 * The mock's clock as the control API reports it.
 *
 * @example
 * ```ts
 * const { now, offsetMs } = await control.advanceClock(3_600_000);
 * ```
 */
export interface ClockState {
  /** Epoch milliseconds on the mock's clock. */
  readonly now: number;
  /** How far the mock's clock is from its time source (0 until set or advanced, and after a reset). */
  readonly offsetMs: number;
}

/**
 * What the control API answered when it refused a request: its status and message (which says what to fix).
 *
 * @example
 * ```ts
 * try {
 *   await control.addScenario({ operationId: "user_account/get", grantType: "refresh_token", fault: { kind: "invalidGrant" } });
 * } catch (error) {
 *   if (error instanceof MockControlError) console.error(error.status, error.message); // 400 grantType applies to…
 * }
 * ```
 */
export class MockControlError extends Error {
  override readonly name = "MockControlError";
  /** The HTTP status of the control API's answer. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * A client for a running mock's control API (see {@link createMockControl}): the same controls as the in-process
 * `MockPinterest`, over HTTP, for a browser test, another process, a Next.js app or Deno.
 *
 * @example
 * ```ts
 * const control = createMockControl("http://127.0.0.1:4010");
 * await control.addScenario({ grantType: "refresh_token", fault: { kind: "serverError", status: 503 } });
 * // … drive the app …
 * const refreshes = await control.calls({ operationId: "oauth/token" });
 * ```
 */
export interface MockControl {
  /** The control API's base URL, e.g. `http://127.0.0.1:4010/__pintoken`. */
  readonly url: string;
  /** Queues a scenario (`POST /scenarios`); a scenario is played only for requests whose credentials the mock accepts. */
  addScenario(spec: ScenarioSpec): Promise<PendingScenario>;
  /** Scenarios still queued (`GET /scenarios`); `remaining` is `Infinity` for `"always"`. */
  scenarios(): Promise<PendingScenario[]>;
  /** Cancels one scenario (`DELETE /scenarios/{id}`); false if it was not queued (used up or never added). */
  cancelScenario(id: number): Promise<boolean>;
  /** Cancels every scenario (`DELETE /scenarios`); resolves to how many were queued. */
  clearScenarios(): Promise<number>;
  /**
   * Recorded calls, oldest first (`GET /calls`), optionally of one operation (or `"authorize"`, the consent page) and,
   * for `oauth/token`, of one grant type. The recorder keeps the latest `limits.calls`; see {@link MockControl.recording}
   * to know whether some were dropped.
   */
  calls(filter?: CallFilter): Promise<RecordedCall[]>;
  /**
   * The same calls (`GET /calls`) and how many calls of that filter the recorder dropped to stay within
   * `limits.calls`: when `dropped` is not 0, a count of `calls` misses that many.
   */
  recording(filter?: CallFilter): Promise<{ calls: RecordedCall[]; dropped: number }>;
  /** Forgets the recorded calls (`DELETE /calls`). */
  clearCalls(): Promise<void>;
  /** The codes and tokens the mock keeps (`GET /tokens`), optionally of one kind and/or status. */
  tokens(filter?: {
    readonly kind?: TokenKind | undefined;
    readonly status?: TokenStatus | undefined;
  }): Promise<IssuedToken[]>;
  /**
   * Issues user tokens without consent or exchange, as a code exchange would (`POST /tokens`): the token response, and
   * the same tokens as `@pintoken/core`'s `TokenSet` in `tokenSet` (read back with `parseTokenSet`), to put in the
   * store of the app under test.
   */
  issueTokens(options: {
    readonly scopes: readonly PinterestScope[];
    readonly clientId?: string;
  }): Promise<IssuedTokenResponse>;
  /** Approves an authorization without the consent page (`POST /authorize`), as the user's "Allow" would. */
  authorize(options: AuthorizeOptions): Promise<Authorization>;
  /**
   * Revokes one token as Pinterest's revoke endpoint does (`POST /tokens/revoke`): a refresh token takes every token of
   * its grant with it, as when the user removes the app. Resolves to what the token is now; rejects with 404 for a
   * token the mock does not know.
   */
  revokeToken(token: string): Promise<TokenInfo>;
  /** Revokes every access and refresh token (`POST /tokens/revoke-all`); resolves to how many were active. */
  revokeAllTokens(): Promise<number>;
  /** Makes every token of a kind expire now (`POST /tokens/expire`); resolves to how many were still valid. */
  expireTokens(kind: TokenKind): Promise<number>;
  /** The mock's clock (`GET /clock`). */
  clock(): Promise<ClockState>;
  /** Moves the mock's clock to `epochMs` (`POST /clock/set`); it keeps running from there. */
  setClock(epochMs: number): Promise<ClockState>;
  /** Moves the mock's clock by `ms` (`POST /clock/advance`). */
  advanceClock(ms: number): Promise<ClockState>;
  /** Forgets every token, code, scenario and recorded call, and sets the clock back (`POST /reset`). */
  reset(): Promise<void>;
}

/**
 * Options of {@link createMockControl}.
 *
 * @example
 * ```ts
 * const control = createMockControl(server.url, { fetch: (input, init) => fetch(input, { ...init, keepalive: false }) });
 * ```
 */
export interface MockControlOptions {
  /** The fetch to use; default `globalThis.fetch`, looked up at each call (so msw or a polyfill installed later works). */
  readonly fetch?: (input: Request) => Promise<Response>;
}

/**
 * A client for the control API of a mock served over HTTP (`startMockPinterest`, `pintoken-mock`). Uses only web
 * standards (`fetch`, `URL`), so it runs in browsers, Node, Deno and edge runtimes. `baseUrl` is any URL on the mock's
 * origin (its `url`, `apiBaseUrl` or `authorizationEndpoint`): the control API is at `<origin>/__pintoken`, answers
 * only requests from loopback, and must never be reachable beyond it.
 *
 * @example
 * ```ts
 * import { createMockControl } from "@pintoken/mock";
 *
 * const control = createMockControl("http://127.0.0.1:4010");
 * await control.reset();
 * await control.addScenario({ grantType: "refresh_token", fault: { kind: "rateLimit", retryAfter: 45 }, times: 2 });
 * await control.expireTokens("access_token"); // the app's next API call refreshes…
 * // … and meets the two 429s
 * ```
 */
export function createMockControl(baseUrl: string | URL, options: MockControlOptions = {}): MockControl {
  if (!URL.canParse(baseUrl)) {
    throw new TypeError(`baseUrl must be an absolute URL of the mock, got ${JSON.stringify(String(baseUrl))}.`);
  }
  const url = `${new URL(baseUrl).origin}${controlPathPrefix}`;
  const fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));

  async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit =
      body === undefined
        ? { method }
        : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
    const response = await fetchImpl(new Request(`${url}${path}`, init));
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      throw new MockControlError(
        response.status,
        `${method} ${url}${path} answered ${response.status} with a body that is not JSON: is ${url} a mock started by startMockPinterest or pintoken-mock?`,
      );
    }
    if (!response.ok) {
      const message = (parsed as { message?: unknown } | undefined)?.message;
      throw new MockControlError(
        response.status,
        typeof message === "string" ? message : `${method} ${url}${path} answered ${response.status}.`,
      );
    }
    return parsed as T;
  }

  const query = (params: Readonly<Record<string, string | undefined>>) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== undefined) search.set(name, value);
    const text = search.toString();
    return text === "" ? "" : `?${text}`;
  };
  const recording = ({ operationId, grantType }: CallFilter = {}) =>
    send<{ calls: RecordedCall[]; dropped: number }>("GET", `/calls${query({ operationId, grantType })}`);
  // JSON has no Infinity: the API sends `remaining: null` for a scenario that applies until cancelled.
  const revive = (scenario: PendingScenario): PendingScenario => ({
    ...scenario,
    remaining: scenario.remaining ?? Number.POSITIVE_INFINITY,
  });

  return {
    url,
    addScenario: async (spec) => revive(await send<PendingScenario>("POST", "/scenarios", spec)),
    scenarios: async () => (await send<{ scenarios: PendingScenario[] }>("GET", "/scenarios")).scenarios.map(revive),
    cancelScenario: async (id) => {
      try {
        await send("DELETE", `/scenarios/${encodeURIComponent(id)}`);
        return true;
      } catch (error) {
        if (error instanceof MockControlError && error.status === 404) return false;
        throw error;
      }
    },
    clearScenarios: async () => (await send<{ cancelled: number }>("DELETE", "/scenarios")).cancelled,
    calls: async (filter = {}) => (await recording(filter)).calls,
    recording,
    clearCalls: () => send("DELETE", "/calls"),
    tokens: async ({ kind, status } = {}) =>
      (await send<{ tokens: IssuedToken[] }>("GET", `/tokens${query({ kind, status })}`)).tokens,
    issueTokens: async (options) => {
      const issued = await send<IssuedTokenResponse>("POST", "/tokens", options);
      const tokenSet = parseTokenSet(issued.tokenSet);
      if (!tokenSet) {
        throw new MockControlError(201, `POST ${url}/tokens answered no token set: is ${url} a mock of this version?`);
      }
      return { ...issued, tokenSet };
    },
    authorize: (options) => send("POST", "/authorize", options),
    revokeToken: (token) => send("POST", "/tokens/revoke", { token }),
    revokeAllTokens: async () => (await send<{ revoked: number }>("POST", "/tokens/revoke-all", {})).revoked,
    expireTokens: async (kind) => (await send<{ expired: number }>("POST", "/tokens/expire", { kind })).expired,
    clock: () => send("GET", "/clock"),
    setClock: (epochMs) => send("POST", "/clock/set", { now: epochMs }),
    advanceClock: (ms) => send("POST", "/clock/advance", { ms }),
    reset: () => send("POST", "/reset", {}),
  };
}
