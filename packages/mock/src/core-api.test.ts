import {
  createPinterestOAuth,
  createTokenManager,
  MemoryTokenStore,
  PinterestApiError,
  pinterestScopes,
} from "@pintoken/core";
import { createPinterestApi, type PinterestApi, paginate } from "@pintoken/core/api";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { defaultListLength, mockClient } from "./defaults.ts";
import { type MockPinterestServer, startMockPinterest } from "./node/start-mock-pinterest.ts";

// @pintoken/core's typed client and pager against the mock over real HTTP: the whole API typed, lists paged with
// their bookmarks, Pinterest's rate limit waited out on idempotent requests only.
let server: MockPinterestServer;
let api: PinterestApi;

beforeAll(async () => {
  server = await startMockPinterest({ port: 0 });
  const oauth = createPinterestOAuth({
    clientId: mockClient.clientId,
    clientSecret: mockClient.clientSecret,
    baseUrl: server.apiBaseUrl,
  });
  const store = new MemoryTokenStore();
  await store.set("user", server.mock.issueTokens({ scopes: [...pinterestScopes] }).tokenSet);
  api = createPinterestApi({ manager: createTokenManager({ oauth, store, key: "user" }) });
});
afterEach(() => {
  server.mock.calls.reset();
  for (const scenario of server.mock.pendingScenarios) expect.fail(`scenario ${scenario.id} was not played`);
});
afterAll(() => server.close());

const listCalls = () => server.mock.calls.for("boards/list");

describe("paginate", () => {
  test("walks every item of a paged list, one page after the other, with its bookmark", async () => {
    const ids: string[] = [];
    for await (const board of paginate(api, "/boards")) ids.push(board.id);
    expect(ids).toHaveLength(defaultListLength);
    expect(new Set(ids).size).toBe(defaultListLength);
    const calls = listCalls();
    expect(calls.map((call) => call.query.bookmark === undefined)).toEqual([true, false, false]);
    expect(calls.map((call) => (call.body as { items: unknown[] }).items.length)).toEqual([25, 25, 10]);
  });

  test("asks for page_size items a page, and passes the operation's other parameters", async () => {
    let count = 0;
    for await (const _ of paginate(api, "/boards", { pageSize: 50, params: { query: { privacy: "PUBLIC" } } })) count++;
    expect(count).toBe(defaultListLength);
    expect(listCalls().map((call) => call.query)).toEqual([
      { privacy: "PUBLIC", page_size: "50" },
      { privacy: "PUBLIC", page_size: "50", bookmark: expect.any(String) },
    ]);
  });

  test("asks for no further page once the loop is left", async () => {
    const seen: string[] = [];
    for await (const board of paginate(api, "/boards")) {
      seen.push(board.id);
      if (seen.length === 30) break;
    }
    expect(listCalls()).toHaveLength(2);
  });

  test("pages a list under a path parameter", async () => {
    let count = 0;
    for await (const pin of paginate(api, "/boards/{board_id}/pins", {
      params: { path: { board_id: "549755885175" } },
    })) {
      expect(typeof pin.id).toBe("string");
      count++;
    }
    expect(count).toBe(defaultListLength);
  });

  test("stops, the request under way too, when its signal aborts", async () => {
    server.mock.scenario("boards/list").slow(5_000);
    const controller = new AbortController();
    const walk = (async () => {
      for await (const _ of paginate(api, "/boards", { signal: controller.signal })) expect.fail("no item expected");
    })();
    // Abort once the request is at the mock (its slow scenario taken), not after a guessed delay.
    while (server.mock.pendingScenarios.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error("stopped by the test"));
    await expect(walk).rejects.toThrow("stopped by the test");
    const aborted = new AbortController();
    aborted.abort(new Error("already aborted"));
    await expect(paginate(api, "/boards", { signal: aborted.signal }).next()).rejects.toThrow("already aborted");
  });

  test("rejects with a PinterestApiError when a page is an error", async () => {
    server.mock.scenario("boards/list").serverError({ status: 503 });
    const error = await paginate(api, "/boards")
      .next()
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(PinterestApiError);
    expect(error).toMatchObject({ status: 503 });
  });
});

describe("the typed client and Pinterest's rate limit", () => {
  test("sends an idempotent request again after Retry-After, and a page walk goes on", async () => {
    server.mock.scenario("boards/list").rateLimit({ retryAfter: 0 }).times(2);
    let count = 0;
    for await (const _ of paginate(api, "/boards")) count++;
    expect(count).toBe(defaultListLength);
    expect(listCalls().map((call) => call.status)).toEqual([429, 429, 200, 200, 200]);
  });

  test("answers the 429 when the retries are used up, or the wait is longer than maxDelayMs", async () => {
    server.mock.scenario("pins/get").rateLimit({ retryAfter: 0 }).times(3);
    const pin = { params: { path: { pin_id: "549755885175" } } };
    expect((await api.GET("/pins/{pin_id}", pin)).response.status).toBe(429);
    server.mock.scenario("pins/get").rateLimit({ retryAfter: 120 });
    expect((await api.GET("/pins/{pin_id}", pin)).response.status).toBe(429);
    expect(server.mock.calls.for("pins/get").map((call) => call.status)).toEqual([429, 429, 429, 429]);
  });

  test("never sends a POST twice", async () => {
    server.mock.scenario("pins/create").rateLimit({ retryAfter: 0 });
    const { response } = await api.POST("/pins", {
      body: {
        board_id: "549755885175",
        media_source: { source_type: "image_url", url: "https://example.com/a.jpg", is_standard: true },
      },
    });
    expect(response.status).toBe(429);
    expect(server.mock.calls.for("pins/create")).toHaveLength(1);
  });

  test("with rateLimit: false, answers every 429 as it is", async () => {
    const strict = createPinterestApi({ baseUrl: server.apiBaseUrl, rateLimit: false });
    server.mock.scenario().rateLimit({ retryAfter: 0 });
    const token = server.mock.issueTokens({ scopes: ["boards:read"] }).access_token;
    const { response } = await strict.GET("/boards", { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(429);
  });
});
