import { MemoryTokenStore, type TokenStore } from "@pintoken/core";
import { expect, test } from "vitest";
import { Browser, basePath, setupMock, tokensOf } from "../test/helpers.ts";

const { app, mock, log } = setupMock();

test("a failing store: 500 internal_error with no details, and the log line has no token", async () => {
  const inner = new MemoryTokenStore();
  let down = false;
  let leaked = "";
  const store: TokenStore = {
    get: async (key) => {
      if (!down) return inner.get(key);
      const [exchange] = mock.calls.for("oauth/token");
      leaked = tokensOf(exchange).access_token;
      throw new Error(`connection lost while reading ${leaked} (Bearer abc.def)`);
    },
    set: (key, value, options) => inner.set(key, value, options),
    delete: (key) => inner.delete(key),
  };
  const browser = new Browser(app({ store }).handler);
  await browser.signIn();
  down = true;
  const response = await browser.get(`${basePath}/session`);
  expect(response.status).toBe(500);
  expect(await response.json()).toEqual({
    error: {
      code: "internal_error",
      message:
        "Something went wrong on the server (the details were logged there). Try again; if it persists, check the server log.",
    },
  });
  expect(response.headers.getSetCookie()).toEqual([]); // the session is kept for when the store is back
  // One log line: what failed and its code, the store's reason, and no token (a Bearer value is redacted).
  expect(log.lines).toHaveLength(1);
  const [line = ""] = log.lines;
  expect(line).toMatch(/^error: pintoken: GET \/api\/pinterest\/session failed: TokenStoreError \(store_error\): /);
  expect(line).toContain("Bearer [redacted]");
  expect(leaked).not.toBe("");
  expect(line).not.toContain(leaked);
  expect(line).not.toContain("abc.def");
});
