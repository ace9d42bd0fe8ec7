import { getResponse } from "msw";
import { describe, expect, test } from "vitest";
import { createMockPinterest } from "./create-mock-pinterest.ts";
import { basic } from "./test-support/requests.ts";

// The handlers as msw runs them (`getResponse` is what setupServer and setupWorker call), without a server.
const mock = createMockPinterest();
const answer = (method: string, url: string, init: RequestInit = {}) =>
  getResponse(mock.handlers, new Request(url, { method, ...init }));

describe("msw handlers match Pinterest's paths exactly", () => {
  test.each([
    "https://api.pinterest.com/V5/USER_ACCOUNT",
    "https://api.pinterest.com/v5/User_Account",
    "https://api.pinterest.com/v5/user%5Faccount",
    "https://api.pinterest.com/v5/%75ser_account",
    "https://api.pinterest.com/v5/user_account/",
    "https://www.pinterest.com/OAUTH/",
    "https://www.pinterest.com/oauth",
  ])("%s is not the mock's", async (url) => {
    expect(await answer("GET", url)).toBeUndefined();
  });

  test("the exact paths are answered", async () => {
    expect((await answer("GET", "https://api.pinterest.com/v5/user_account"))?.status).toBe(401);
    expect((await answer("GET", "https://www.pinterest.com/oauth/"))?.status).toBe(400);
  });

  test.each([
    ["DELETE", "https://api.pinterest.com/v5/oauth/token", "POST"],
    ["PUT", "https://api.pinterest.com/v5/oauth/token/revoke", "POST"],
    ["HEAD", "https://api.pinterest.com/v5/user_account", "GET"],
    ["OPTIONS", "https://api.pinterest.com/v5/user_account", "GET"],
    ["DELETE", "https://www.pinterest.com/oauth/", "GET, POST"],
  ])("%s %s answers 405 with Allow: %s", async (method, url, allow) => {
    const response = await answer(method, url, { headers: { authorization: basic() } });
    expect(response?.status).toBe(405);
    expect(response?.headers.get("allow")).toBe(allow);
  });

  test("a wrong method on a path that is not exact is not the mock's either", async () => {
    expect(await answer("DELETE", "https://api.pinterest.com/V5/oauth/token")).toBeUndefined();
  });
});
