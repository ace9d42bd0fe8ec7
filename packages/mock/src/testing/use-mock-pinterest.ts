import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { createMockPinterest } from "../create-mock-pinterest.ts";
import type { MockPinterestOptions } from "../options.ts";
import { watchConformance } from "./spec-conformance.ts";

/** A settable clock for tests: `clock.now` is what the mock reads; advance it to expire tokens. */
export function testClock(start = Date.parse("2026-03-01T12:00:00Z")) {
  const clock = {
    now: start,
    advance(ms: number) {
      clock.now += ms;
    },
  };
  return clock;
}

/**
 * One mock and one msw server for a test file: unhandled requests fail the test, handlers added with `server.use` are
 * reset after each test, the mock is reset, and every API response sent during the test must conform to the spec.
 */
export function useMockPinterest(options: MockPinterestOptions = {}) {
  const mock = createMockPinterest(options);
  const server = setupServer(...mock.handlers);
  const conformance = watchConformance(server, mock.apiBaseUrl);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(async () => {
    server.resetHandlers();
    mock.reset();
    expect(await conformance.takeIssues()).toEqual([]);
  });
  afterAll(() => server.close());
  return { mock, server, conformance };
}
