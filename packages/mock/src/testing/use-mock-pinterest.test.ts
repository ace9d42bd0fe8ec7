import { HttpResponse, http } from "msw";
import { describe, expect, test } from "vitest";
import { mockAccount, mockClient } from "../defaults.ts";
import { getAccount, postForm } from "../test-support/requests.ts";
import { type MockPinterestTest, type UseMockPinterestOptions, useMockPinterest } from "../testing.ts";

/** The helper with hooks this test runs by hand, so each phase (listen, after each, close) can be checked. */
async function withHelper(
  options: UseMockPinterestOptions,
  body: (setup: MockPinterestTest, afterEach: () => Promise<unknown>) => Promise<void>,
) {
  const registered: Record<"beforeAll" | "afterEach" | "afterAll", (() => unknown)[]> = {
    beforeAll: [],
    afterEach: [],
    afterAll: [],
  };
  const setup = useMockPinterest(
    {
      beforeAll: (fn) => registered.beforeAll.push(fn),
      afterEach: (fn) => registered.afterEach.push(fn),
      afterAll: (fn) => registered.afterAll.push(fn),
    },
    options,
  );
  expect([registered.beforeAll, registered.afterEach, registered.afterAll].map((fns) => fns.length)).toEqual([1, 1, 1]);
  const run = async (name: keyof typeof registered) => {
    for (const fn of registered[name]) await fn();
  };
  await run("beforeAll");
  try {
    await body(setup, () => run("afterEach"));
  } finally {
    await run("afterAll");
  }
}

const api = "https://api.pinterest.com/v5";
const clientCredentials = { grant_type: "client_credentials", scope: "pins:read" };

describe("useMockPinterest (@pintoken/mock/testing)", () => {
  test("records calls that server.use overrides answer, as the mock records its own", async () => {
    await withHelper({}, async ({ mock, server }) => {
      server.use(
        http.post(`${api}/oauth/token`, () =>
          HttpResponse.json({ code: 8, message: "Slow down." }, { status: 429, headers: { "retry-after": "2" } }),
        ),
      );
      await postForm({ ...clientCredentials, client_secret: mockClient.clientSecret });
      expect(mock.calls.all).toEqual([
        {
          operationId: "oauth/token",
          method: "POST",
          url: `${api}/oauth/token`,
          query: {},
          form: { ...clientCredentials, client_secret: "[redacted]" },
          auth: { scheme: "basic", clientId: mockClient.clientId },
          status: 429,
          body: { code: 8, message: "Slow down." },
          headers: expect.objectContaining({ "content-type": "application/json", "retry-after": "2" }),
          reason: "Answered by a handler added with server.use()",
          at: expect.any(Number),
        },
      ]);
    });
  });

  test("an override that passes the call on is recorded once (by the mock); other hosts are not recorded", async () => {
    await withHelper({}, async ({ mock, server }) => {
      let seen = 0;
      server.use(
        http.post(`${api}/oauth/token`, () => {
          seen++;
          return undefined;
        }),
        http.get("https://example.com/elsewhere", () => HttpResponse.text("not Pinterest")),
      );
      expect((await postForm(clientCredentials)).status).toBe(200);
      await fetch("https://example.com/elsewhere");
      expect(seen).toBe(1);
      expect(mock.calls.all.map((call) => [call.operationId, call.status, call.reason])).toEqual([
        ["oauth/token", 200, undefined],
      ]);
    });
  });

  test("an override's network error is recorded with status 0", async () => {
    await withHelper({}, async ({ mock, server }) => {
      server.use(http.get(`${api}/user_account`, () => HttpResponse.error()));
      await expect(getAccount("pina_x")).rejects.toThrow(TypeError);
      expect(mock.calls.last()).toMatchObject({ operationId: "user_account/get", status: 0 });
    });
  });

  test("after each test: overrides removed, the mock reset, and an off-spec response fails the test", async () => {
    await withHelper({}, async ({ mock, server }, afterEach) => {
      const { access_token } = mock.issueTokens({ scopes: ["user_accounts:read"] });
      server.use(http.get(`${api}/user_account`, () => HttpResponse.json({ ...mockAccount, id: "abc" })));
      await getAccount(access_token);
      await expect(afterEach()).rejects.toThrow(
        'Responses sent during the test do not match Pinterest\'s spec:\n- user_account/get → 200: body does not match Account: /id: expected a string matching ^\\d+$, got string "abc"',
      );
      expect(mock.calls.all).toEqual([]);
      expect(mock.inspectToken(access_token)).toBeUndefined();
      expect((await getAccount(access_token)).status).toBe(401); // the mock answers again
      await afterEach();
    });
  });

  test("checkConformance: false leaves off-spec responses to the test", async () => {
    await withHelper({ checkConformance: false }, async ({ server, conformance }, afterEach) => {
      server.use(http.get(`${api}/user_account`, () => HttpResponse.json({ id: "abc" })));
      await getAccount("pina_x");
      await expect(afterEach()).resolves.toBeUndefined();
      expect(conformance.checked).toBe(1);
    });
  });
});
