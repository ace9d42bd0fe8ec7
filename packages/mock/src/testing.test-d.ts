import { after, before, afterEach as nodeAfterEach } from "node:test";
import type { TokenSet } from "@pintoken/core";
import type { SetupServerApi } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expectTypeOf, test } from "vitest";
import { createMockControl, type MockPinterest, type PendingScenario, type RecordedCall } from "./index.ts";
import { type MockPinterestTest, type TestHooks, useMockPinterest } from "./testing.ts";

describe("useMockPinterest takes any runner's hooks", () => {
  test("vitest's, and node:test's under vitest's names", () => {
    expectTypeOf(useMockPinterest({ beforeAll, afterEach, afterAll })).toEqualTypeOf<MockPinterestTest>();
    expectTypeOf({ beforeAll: before, afterEach: nodeAfterEach, afterAll: after }).toExtend<TestHooks>();
    expectTypeOf<MockPinterestTest["mock"]>().toEqualTypeOf<MockPinterest>();
    expectTypeOf<MockPinterestTest["server"]>().toEqualTypeOf<SetupServerApi>();
    // @ts-expect-error: every hook is needed (afterAll closes the server)
    useMockPinterest({ beforeAll, afterEach });
    // @ts-expect-error: checkConformance is a boolean
    useMockPinterest({ beforeAll, afterEach, afterAll }, { checkConformance: "no" });
  });
});

describe("the control client is typed like the in-process mock", () => {
  const control = createMockControl("http://127.0.0.1:4010");

  test("scenario specs take the spec's operationIds, grant types and faults", () => {
    expectTypeOf(control.addScenario({ fault: { kind: "invalidGrant" } })).resolves.toEqualTypeOf<PendingScenario>();
    control.addScenario({ grantType: "refresh_token", fault: { kind: "rateLimit", retryAfter: 45 }, times: "always" });
    // @ts-expect-error: not a grant type of the spec
    control.addScenario({ grantType: "password", fault: { kind: "invalidGrant" } });
    // @ts-expect-error: not an operationId of the spec
    control.addScenario({ operationId: "/oauth/token", fault: { kind: "invalidGrant" } });
    // @ts-expect-error: a rate limit needs its Retry-After
    control.addScenario({ fault: { kind: "rateLimit" } });
    // @ts-expect-error: times is a count or "always"
    control.addScenario({ fault: { kind: "invalidGrant" }, times: "twice" });
  });

  test("reads are typed", () => {
    expectTypeOf(control.calls({ operationId: "authorize" })).resolves.toEqualTypeOf<RecordedCall[]>();
    // @ts-expect-error: not an operationId of the spec
    control.calls({ operationId: "user_account" });
    // @ts-expect-error: not a token kind
    control.expireTokens("session");
    expectTypeOf(control.recording({ grantType: "refresh_token" })).resolves.toEqualTypeOf<{
      calls: RecordedCall[];
      dropped: number;
    }>();
    // @ts-expect-error: not a grant type of the spec
    control.calls({ grantType: "password" });
    expectTypeOf(control.issueTokens({ scopes: ["pins:read"] }))
      .resolves.toHaveProperty("tokenSet")
      .toEqualTypeOf<TokenSet>();
  });
});
