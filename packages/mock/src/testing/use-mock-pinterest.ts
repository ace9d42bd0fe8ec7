import { RequestHandler } from "msw";
import { type SetupServerApi, setupServer } from "msw/node";
import { createMock, type MockPinterest } from "../create-mock-pinterest.ts";
import { readIncomingRequest } from "../incoming-request.ts";
import type { MockPinterestOptions } from "../options.ts";
import { recordedResponse } from "../recorder.ts";
import { recordedOperationAt } from "../routes.ts";
import type { MockRuntime } from "../runtime.ts";
import { type ConformanceWatch, watchConformance } from "./spec-conformance.ts";

/**
 * The hooks of your test runner that {@link useMockPinterest} registers with: vitest's and jest's `beforeAll`,
 * `afterEach`, `afterAll`, or node:test's `before`, `afterEach`, `after`.
 *
 * @example
 * ```ts
 * import { after, afterEach, before } from "node:test";
 * const hooks: TestHooks = { beforeAll: before, afterEach, afterAll: after };
 * ```
 */
export interface TestHooks {
  beforeAll(fn: () => unknown): unknown;
  afterEach(fn: () => unknown): unknown;
  afterAll(fn: () => unknown): unknown;
}

/**
 * Options of {@link useMockPinterest}: those of `createMockPinterest`, and whether to check responses against the spec.
 *
 * @example
 * ```ts
 * useMockPinterest({ beforeAll, afterEach, afterAll }, { autoApprove: true, checkConformance: false });
 * ```
 */
export interface UseMockPinterestOptions extends MockPinterestOptions {
  /**
   * After each test, fail it if any response sent for the mock's API (including one from a `server.use` override)
   * does not match the spec. Default `true`. A test that sends an off-spec answer on purpose can take the findings
   * itself with `await conformance.takeIssues()`.
   */
  readonly checkConformance?: boolean;
}

/**
 * What {@link useMockPinterest} set up for a test file.
 *
 * @example
 * ```ts
 * const { mock, server, conformance } = useMockPinterest({ beforeAll, afterEach, afterAll });
 * ```
 */
export interface MockPinterestTest {
  /** The mock: scenarios, recorder, token controls, clock. Reset after each test. */
  readonly mock: MockPinterest;
  /** The msw server; handlers added with `server.use` are removed after each test, and the calls they answer recorded. */
  readonly server: SetupServerApi;
  /** Every API response checked against the spec. */
  readonly conformance: ConformanceWatch;
}

const observed = new WeakSet<RequestHandler>();

/**
 * Makes `server.use(...)` (and `server.resetHandlers(...)`) record, in `mock.calls`, the calls that the added handlers
 * answer for the mock's own URLs, as the mock records the calls it answers. It wraps each added handler's `run`,
 * which msw awaits before the response reaches the caller, so the call is recorded by the time `fetch` resolves.
 */
function recordOverrides(server: SetupServerApi, runtime: MockRuntime): void {
  const observe = (handler: unknown) => {
    if (!(handler instanceof RequestHandler) || observed.has(handler)) return handler;
    observed.add(handler);
    const run = handler.run.bind(handler);
    handler.run = async (args) => {
      const at = runtime.config.now();
      const result = await run(args);
      const response = result?.response;
      const operationId = recordedOperationAt(runtime.routes, args.request.method, new URL(args.request.url));
      if (!result || !response || !operationId) return result;
      // msw hands the result a clone of the request made before the resolver ran: its body is still unread.
      const incoming = await readIncomingRequest(result.request.clone());
      const reason = "Answered by a handler added with server.use()";
      runtime.record(
        await recordedResponse(operationId, incoming, response, { at, clients: runtime.config.clients, reason }),
      );
      return result;
    };
    return handler;
  };
  const use = server.use.bind(server);
  const resetHandlers = server.resetHandlers.bind(server);
  server.use = (...handlers) => use(...(handlers.map(observe) as typeof handlers));
  server.resetHandlers = (...handlers) => resetHandlers(...(handlers.map(observe) as typeof handlers));
}

/**
 * One mock Pinterest and one msw server for a test file, for any test runner: listens before the first test, with
 * unhandled requests failing (`onUnhandledRequest: "error"`); after each test removes `server.use` handlers, resets
 * the mock (tokens, scenarios, calls, clock) and fails the test if a response broke the spec; closes after the last.
 * Calls answered by `server.use` handlers for the mock's URLs are recorded in `mock.calls` too.
 *
 * @example
 * ```ts
 * import { useMockPinterest } from "@pintoken/mock/testing";
 * import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
 *
 * const { mock } = useMockPinterest({ beforeAll, afterEach, afterAll });
 *
 * test("refreshes after a 503", async () => {
 *   mock.scenario({ grantType: "refresh_token" }).serverError({ status: 503 });
 *   // … run the code under test …
 *   expect(mock.calls.for("oauth/token").map((call) => call.status)).toEqual([503, 200]);
 * });
 * ```
 */
export function useMockPinterest(hooks: TestHooks, options: UseMockPinterestOptions = {}): MockPinterestTest {
  const { checkConformance = true, ...mockOptions } = options;
  const { mock, runtime } = createMock(mockOptions);
  const server = setupServer(...mock.handlers);
  recordOverrides(server, runtime);
  const conformance = watchConformance(server, runtime.routes);
  hooks.beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  hooks.afterEach(async () => {
    server.resetHandlers();
    mock.reset();
    const issues = await conformance.takeIssues();
    if (checkConformance && issues.length > 0) {
      throw new Error(`Responses sent during the test do not match Pinterest's spec:\n- ${issues.join("\n- ")}`);
    }
  });
  hooks.afterAll(() => server.close());
  return { mock, server, conformance };
}
