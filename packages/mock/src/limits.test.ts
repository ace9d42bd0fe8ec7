import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createMockPinterest } from "./create-mock-pinterest.ts";
import { defaultLimits } from "./defaults.ts";
import { postForm } from "./test-support/requests.ts";
import { useMockPinterest } from "./testing.ts";

describe("issued tokens are capped (limits.tokens)", () => {
  test("a long run keeps at most the cap, and the newest tokens work", () => {
    const mock = createMockPinterest();
    let last = mock.issueTokens({ scopes: ["pins:read"] });
    for (let i = 0; i < 6_000; i++) last = mock.issueTokens({ scopes: ["pins:read"] }); // 12,002 tokens issued
    expect(mock.listTokens().length).toBeLessThanOrEqual(defaultLimits.tokens);
    expect(mock.inspectToken(last.access_token)?.status).toBe("active");
    expect(mock.inspectToken(last.refresh_token as string)?.status).toBe("active");
  }, 60_000); // 12,000 tokens: a fraction of a second alone, many seconds on a 2-core machine running the whole suite

  test("tokens that can no longer be used are forgotten first, then the oldest", () => {
    const mock = createMockPinterest({ limits: { tokens: 10 } });
    const keeper = mock.issueTokens({ scopes: ["pins:read"] });
    const dead = [1, 2, 3, 4].map(() => mock.issueTokens({ scopes: ["pins:read"] }));
    for (const grant of dead) mock.revokeToken(grant.refresh_token as string);
    expect(mock.listTokens()).toHaveLength(10);
    mock.issueTokens({ scopes: ["pins:read"] }); // the cap is reached: the 8 revoked tokens go
    expect(mock.listTokens()).toHaveLength(4);
    expect(mock.inspectToken(keeper.refresh_token as string)?.status).toBe("active");
    expect(mock.inspectToken(dead[0]?.access_token as string)).toBeUndefined();

    const newer = [1, 2, 3, 4].map(() => mock.issueTokens({ scopes: ["pins:read"] })); // only live tokens now
    expect(mock.listTokens().length).toBeLessThanOrEqual(10);
    expect(mock.inspectToken(keeper.access_token)).toBeUndefined(); // the oldest live ones went
    expect(mock.inspectToken(newer[3]?.refresh_token as string)?.status).toBe("active");
  });

  test("limits are checked when the mock is created", () => {
    expect(() => createMockPinterest({ limits: { tokens: 0 } })).toThrow(
      "limits.tokens must be a whole number ≥ 1, got 0.",
    );
    expect(() => createMockPinterest({ limits: { calls: 1.5 } })).toThrow(
      "limits.calls must be a whole number ≥ 1, got 1.5.",
    );
  });
});

describe("a forgotten token over the wire", () => {
  const { mock } = useMockPinterest({ beforeAll, afterEach, afterAll }, { limits: { tokens: 4 } });

  test("is refused like one the mock never issued (401, code 283)", async () => {
    const first = mock.issueTokens({ scopes: ["pins:read"] });
    for (let i = 0; i < 3; i++) mock.issueTokens({ scopes: ["pins:read"] });
    const response = await postForm({ grant_type: "refresh_token", refresh_token: first.refresh_token as string });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 283, message: "The authorization grant is invalid" });
    expect(response.headers.get("x-pintoken-mock-reason")).toBe("The refresh_token is not one this mock issued");
  });
});

describe("recorded calls are capped (limits.calls)", () => {
  const { mock } = useMockPinterest({ beforeAll, afterEach, afterAll }, { limits: { calls: 3 } });

  test("the latest calls are kept; dropped counts the others; reset sets it back", async () => {
    for (const scope of ["pins:read", "boards:read", "user_accounts:read", "pins:write", "boards:write"]) {
      await postForm({ grant_type: "client_credentials", scope });
    }
    expect(mock.calls.all.map((call) => call.form?.scope)).toEqual([
      "user_accounts:read",
      "pins:write",
      "boards:write",
    ]);
    expect(mock.calls.dropped).toBe(2);
    expect(mock.calls.droppedFor({ grantType: "client_credentials" })).toBe(2);
    expect(mock.calls.droppedFor("oauth/token")).toBe(2);
    expect(mock.calls.droppedFor({ grantType: "refresh_token" })).toBe(0);
    expect(mock.calls.droppedFor("user_account/get")).toBe(0);
    mock.calls.reset();
    expect([mock.calls.length, mock.calls.dropped, mock.calls.droppedFor("oauth/token")]).toEqual([0, 0, 0]);
  });
});

describe("the mock's clock", () => {
  test("advance and set move it over the now option; reset() sets it back", () => {
    let base = Date.parse("2026-01-01T00:00:00Z");
    const mock = createMockPinterest({ now: () => base, ttlSeconds: { accessToken: 60 } });
    const { access_token } = mock.issueTokens({ scopes: ["pins:read"] });
    mock.clock.advance(59_000);
    expect(mock.inspectToken(access_token)?.status).toBe("active");
    mock.clock.advance(1_000);
    expect(mock.inspectToken(access_token)?.status).toBe("expired");
    expect(mock.clock.offsetMs).toBe(60_000);
    base += 5_000; // the time source keeps running under the offset
    expect(mock.clock.now()).toBe(Date.parse("2026-01-01T00:01:05Z"));
    mock.clock.set(Date.parse("2025-12-31T00:00:00Z"));
    expect(mock.inspectToken(access_token)?.status).toBe("active");
    mock.reset();
    expect([mock.clock.now(), mock.clock.offsetMs]).toEqual([base, 0]);
  });

  test("refuses a time that is not a finite number", () => {
    const mock = createMockPinterest();
    expect(() => mock.clock.advance(Number.NaN)).toThrow(
      "clock.advance(ms) must be a finite number of milliseconds, got NaN.",
    );
    expect(() => mock.clock.set(Number.POSITIVE_INFINITY)).toThrow("clock.set(epochMs) must be a finite number");
  });
});
