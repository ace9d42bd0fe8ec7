/**
 * Test setup for code that talks to Pinterest, for any test runner: one call gives a test file a mock Pinterest
 * behind msw (`setupServer`), reset after each test, with every response checked against Pinterest's spec and the
 * calls of `server.use` overrides recorded too. Node (msw/node).
 *
 * @example
 * ```ts
 * import { useMockPinterest } from "@pintoken/mock/testing";
 * import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
 *
 * const { mock, server } = useMockPinterest({ beforeAll, afterEach, afterAll });
 *
 * test("a rate-limited refresh is retried", async () => {
 *   mock.scenario({ grantType: "refresh_token" }).rateLimit({ retryAfter: 1 });
 *   // … run the code under test …
 *   expect(mock.calls.for("oauth/token").map((call) => call.status)).toEqual([429, 200]);
 * });
 * ```
 *
 * @module
 */
export type { ConformanceWatch } from "./testing/spec-conformance.ts";
export {
  type MockPinterestTest,
  type TestHooks,
  type UseMockPinterestOptions,
  useMockPinterest,
} from "./testing/use-mock-pinterest.ts";
