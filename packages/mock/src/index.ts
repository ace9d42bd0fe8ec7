/**
 * A mock Pinterest API v5 driven by the OpenAPI spec, for tests and demos: msw handlers for every operation and the
 * consent page, which check requests as Pinterest would (exact paths, HTTP Basic, form encoding, grant fields,
 * scopes) and answer with spec-valid bodies; continuous refresh with rotation; scenario controls; a call recorder;
 * and `createMockControl`, the client of a served mock's control API. Web standards only: runs wherever msw runs.
 * For a real HTTP server see `@pintoken/mock/server`; for a test helper, `@pintoken/mock/testing`.
 *
 * @example
 * ```ts
 * import { setupServer } from "msw/node";
 * import { createMockPinterest, mockClient } from "@pintoken/mock";
 *
 * const mock = createMockPinterest();
 * const server = setupServer(...mock.handlers);
 * server.listen({ onUnhandledRequest: "error" });
 *
 * mock.scenario({ grantType: "refresh_token" }).rateLimit({ retryAfter: 1 }).times(2);
 * // … run the code under test …
 * expect(mock.calls.for("oauth/token").map((call) => call.status)).toEqual([429, 429, 200]);
 * ```
 *
 * @example
 * ```ts
 * // A mock served by pintoken-mock or startMockPinterest, driven from a browser test or another process:
 * import { createMockControl } from "@pintoken/mock";
 * const control = createMockControl("http://127.0.0.1:4010");
 * await control.addScenario({ grantType: "refresh_token", fault: { kind: "serverError", status: 503 } });
 * ```
 *
 * @module
 */
export type { MockClock } from "./clock.ts";
export type { Authorization } from "./consent/consent.ts";
export {
  type ClockState,
  controlPathPrefix,
  createMockControl,
  type MockControl,
  MockControlError,
  type MockControlOptions,
  type ScenarioSpec,
} from "./control/control-client.ts";
export {
  type AuthorizeOptions,
  createMockPinterest,
  type MockPinterest,
} from "./create-mock-pinterest.ts";
export type { RecordedAuth } from "./credentials.ts";
export {
  defaultLimits,
  defaultListLength,
  defaultTtlSeconds,
  type MockAccount,
  type MockClient,
  mockAccount,
  mockClient,
} from "./defaults.ts";
export type { IssuedToken, TokenInfo, TokenKind, TokenStatus } from "./issued-tokens.ts";
export { type OperationId, operationIds, specSchemas as schemas } from "./operations.ts";
export type { MockLimits, MockPinterestOptions } from "./options.ts";
export type { CallFilter, CallRecorder, RecordedCall, RecordedOperationId } from "./recorder.ts";
export type {
  Fault,
  GrantType,
  PendingScenario,
  ScenarioBuilder,
  ScenarioHandle,
  ScenarioTarget,
} from "./scenarios.ts";
export type { PinterestScope } from "./scopes.ts";
export type { IssuedTokenResponse, TokenResponseBody, TokenResponseType } from "./token-response.ts";
export {
  formatIssues,
  type SchemaObject,
  type SchemaRegistry,
  type ValidationIssue,
  validate,
} from "./validate.ts";
