import { describe, expectTypeOf, test } from "vitest";
import {
  createMockPinterest,
  type OperationId,
  type RecordedOperationId,
  type ScenarioHandle,
  type ScenarioTarget,
} from "./index.ts";

const mock = createMockPinterest();

describe("operationIds are typed from the generated spec", () => {
  test("OperationId is a closed union of the spec's operationIds, pintoken's among them", () => {
    // Not pinned to these three: the spec has every other Pinterest operation too.
    expectTypeOf<"oauth/token" | "token/revoke" | "user_account/get">().toExtend<OperationId>();
    expectTypeOf<string>().not.toExtend<OperationId>();
    expectTypeOf<RecordedOperationId>().toEqualTypeOf<OperationId | "authorize">();
  });

  test("scenario() takes an operationId of the spec, a target, or nothing for every operation", () => {
    expectTypeOf(mock.scenario).parameter(0).toEqualTypeOf<OperationId | ScenarioTarget | undefined>();
    mock.scenario({ grantType: "refresh_token" }).serverError({ status: 503 });
    mock.scenario({ operationId: "oauth/token", grantType: "authorization_code" }).invalidGrant();
    // @ts-expect-error: "password" is not a grant type of the spec
    mock.scenario({ grantType: "password" });
    // @ts-expect-error: a target's operationId is an operationId of the spec
    mock.scenario({ operationId: "oauth/tokens" });
    expectTypeOf(mock.scenario("oauth/token").rateLimit({ retryAfter: 1 }).times(2)).toEqualTypeOf<ScenarioHandle>();
    expectTypeOf(mock.scenario().dropConnection().always()).toEqualTypeOf<ScenarioHandle>();
    // @ts-expect-error: not an operationId of the spec (the path, not the id)
    mock.scenario("/oauth/token");
    // @ts-expect-error: a typo of "oauth/token"
    mock.scenario("oauth/tokens");
    // @ts-expect-error: the consent page is not an API operation, so it has no scenarios
    mock.scenario("authorize");
  });

  test("scenario options are typed", () => {
    // @ts-expect-error: retryAfter is a number of seconds, not a string
    mock.scenario("oauth/token").rateLimit({ retryAfter: "1" });
    // @ts-expect-error: serverError only plays 5xx statuses
    mock.scenario("oauth/token").serverError({ status: 404 });
    // @ts-expect-error: slow takes the delay in milliseconds
    mock.scenario("oauth/token").slow();
    // @ts-expect-error: times() needs a count
    mock.scenario("oauth/token").invalidGrant().times();
  });

  test("the recorder filters by operationId or the consent page", () => {
    expectTypeOf(mock.calls.for("user_account/get")[0]?.operationId).toEqualTypeOf<RecordedOperationId | undefined>();
    mock.calls.for("authorize");
    // @ts-expect-error: not an operationId of the spec
    mock.calls.for("user_account");
    // @ts-expect-error: not an operationId of the spec
    mock.calls.last("GET /user_account");
  });

  test("authorize() and issueTokens() take only the spec's scopes", () => {
    mock.authorize({ scopes: ["user_accounts:read", "pins:read"] });
    // @ts-expect-error: "pins:all" is not a scope in the spec
    mock.authorize({ scopes: ["pins:all"] });
    // @ts-expect-error: scopes are a list, not Pinterest's comma-joined string
    mock.issueTokens({ scopes: "pins:read,boards:read" });
  });
});
