/**
 * `GET /api/token-check` when the refresh fails in a way that is neither a dead grant nor an outage (Pinterest refused
 * it for another reason): the mock Pinterest cannot be made to answer so, so the route's module is called with the app's
 * `pinterest` replaced by one whose `getAccessToken()` throws the error core throws then, carrying an upstream's echo.
 */
import { PinterestApiError } from "@pintoken/core";
import { afterEach, expect, test, vi } from "vitest";

const echoed = "client 1500001:mock-client-secret-not-for-production said hello";
vi.mock("@/lib/pinterest", () => ({
  pinterest: {
    getAccessToken: async () => {
      throw new PinterestApiError("the token refresh", { status: 400, pinterestCode: 1, pinterestMessage: echoed });
    },
  },
}));

afterEach(() => vi.restoreAllMocks());

test("answers 502 pinterest_error, and neither the answer nor the log carries the text Pinterest sent", async () => {
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  const { GET } = await import("@/app/api/token-check/route");
  const response = await GET();
  expect(response.status).toBe(502);
  expect(await response.json()).toEqual({ ok: false, error: "pinterest_error" });
  expect(logged).toHaveBeenCalledTimes(1);
  for (const line of logged.mock.calls.flat().map(String)) {
    expect(line).not.toContain("said hello");
    expect(line).not.toContain("mock-client-secret");
  }
});
