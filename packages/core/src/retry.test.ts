import { afterEach, describe, expect, it, vi } from "vitest";
import { credentials, fakeFetch, hang, json, tokenBody } from "../test/helpers.ts";
import { createPinterestOAuth, type PinterestOAuthOptions } from "./client.ts";
import { PinterestApiError, PinterestNetworkError, PinterestTimeoutError } from "./errors.ts";
import { parseRetryAfter } from "./retry.ts";

const redirectUri = "https://app.example.com/cb";
const fast = { retries: 2, minDelayMs: 1, maxDelayMs: 2 };
const networkDown = () => {
  throw new TypeError("fetch failed");
};
const unavailable = () => json(503, { code: 503, message: "Service unavailable" });
const ok = () => json(200, tokenBody("refresh_token"));

function oauthWith(fetch: typeof globalThis.fetch, extra: Partial<PinterestOAuthOptions> = {}) {
  return createPinterestOAuth({ ...credentials, redirectUri, fetch, retry: fast, ...extra });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("retries where safe", () => {
  it.each([
    ["a network error", networkDown],
    ["a 503", unavailable],
    ["a 500", () => json(500, { code: 500, message: "Internal error" })],
    ["a timeout", (_: unknown, signal: AbortSignal) => hang(signal)],
  ])("refresh retries after %s and succeeds", async (_, first) => {
    const fetch = fakeFetch(first, ok);
    const tokens = await oauthWith(fetch, { timeoutMs: 50 }).refresh({ refreshToken: "pinr_a" });
    expect(fetch.seen).toHaveLength(2);
    expect(tokens.refreshToken).toMatch(/^pinr_refresh_/);
  });

  it("client credentials and revoke are retried too", async () => {
    const cc = fakeFetch(unavailable, () => json(200, tokenBody("client_credentials")));
    await oauthWith(cc).clientCredentials({ scopes: ["pins:read"] });
    const revoke = fakeFetch(networkDown, () => new Response(null, { status: 200 }));
    await oauthWith(revoke).revoke({ token: "pinr_x" });
    expect([cc.seen.length, revoke.seen.length]).toEqual([2, 2]);
  });

  it("gives up after the configured retries with the last error", async () => {
    const fetch = fakeFetch(unavailable);
    const error = await oauthWith(fetch)
      .refresh({ refreshToken: "r" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PinterestApiError);
    expect(error.status).toBe(503);
    expect(fetch.seen).toHaveLength(3);
  });

  it("waits for Retry-After on a 429 before retrying", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const fetch = fakeFetch(() => json(429, { code: 8, message: "Too many requests" }, { "retry-after": "2" }), ok);
    const pending = oauthWith(fetch).refresh({ refreshToken: "r" });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(fetch.seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(fetch.seen).toHaveLength(2);
  });

  it("does not wait for a Retry-After longer than maxRetryAfterMs: it fails at once and says how long", async () => {
    const fetch = fakeFetch(() => json(429, { code: 8, message: "Too many requests" }, { "retry-after": "3600" }), ok);
    const error = await oauthWith(fetch, { retry: { ...fast, maxRetryAfterMs: 1000 } })
      .refresh({ refreshToken: "r" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PinterestApiError);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(fetch.seen).toHaveLength(1);
  });

  it("backs off exponentially with jitter between attempts", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const fetch = fakeFetch(unavailable, unavailable, ok);
    const pending = oauthWith(fetch, { retry: { retries: 2, minDelayMs: 1000, maxDelayMs: 10_000 } }).refresh({
      refreshToken: "r",
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch.seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000); // first backoff is 500–1000 ms
    expect(fetch.seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999); // second is 1000–2000 ms
    expect(fetch.seen.length).toBeLessThanOrEqual(3);
    await vi.advanceTimersByTimeAsync(1001);
    await pending;
    expect(fetch.seen).toHaveLength(3);
  });
});

describe("never retried", () => {
  it.each([
    ["a network error", networkDown, PinterestNetworkError],
    ["a 503", unavailable, PinterestApiError],
    ["a 429", () => json(429, { code: 8, message: "slow down" }, { "retry-after": "0" }), PinterestApiError],
    ["a timeout", (_: unknown, signal: AbortSignal) => hang(signal), PinterestTimeoutError],
  ])("a code exchange after %s (codes are single use)", async (_, first, type) => {
    const fetch = fakeFetch(first, () => json(200, tokenBody("authorization_code")));
    const error = await oauthWith(fetch, { timeoutMs: 30 })
      .exchangeCode({ code: "c" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(type);
    expect(fetch.seen).toHaveLength(1);
  });

  it.each([400, 401, 403, 404])("a refresh answered %i", async (status) => {
    const fetch = fakeFetch(() => json(status, { code: 1, message: "no" }), ok);
    await expect(oauthWith(fetch).refresh({ refreshToken: "r" })).rejects.toBeInstanceOf(PinterestApiError);
    expect(fetch.seen).toHaveLength(1);
  });

  it("anything with retry: false", async () => {
    const fetch = fakeFetch(unavailable, ok);
    await expect(oauthWith(fetch, { retry: false }).refresh({ refreshToken: "r" })).rejects.toBeInstanceOf(
      PinterestApiError,
    );
    expect(fetch.seen).toHaveLength(1);
  });
});

describe("timeouts and abort", () => {
  it("each attempt gets its own timeout", async () => {
    const fetch = fakeFetch((_, signal) => hang(signal));
    const started = Date.now();
    const error = await oauthWith(fetch, { timeoutMs: 40 })
      .refresh({ refreshToken: "r" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PinterestTimeoutError);
    expect(error.message).toMatch(/did not answer the token refresh within 40 ms/);
    expect(fetch.seen).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 40 - 5);
  });

  it("a caller's abort during an attempt rejects with the signal's reason and stops retrying", async () => {
    const fetch = fakeFetch((_, signal) => hang(signal));
    const controller = new AbortController();
    const pending = oauthWith(fetch, { timeoutMs: 10_000 }).refresh({ refreshToken: "r", signal: controller.signal });
    await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error("user navigated away"));
    await expect(pending).rejects.toThrow("user navigated away");
    expect(fetch.seen).toHaveLength(1);
  });

  it("a caller's abort during the backoff stops at once", async () => {
    const fetch = fakeFetch(unavailable);
    const controller = new AbortController();
    const pending = oauthWith(fetch, { retry: { retries: 5, minDelayMs: 10_000, maxDelayMs: 10_000 } }).refresh({
      refreshToken: "r",
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const error = await pending.catch((e) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect(error.name).toBe("AbortError");
    expect(fetch.seen).toHaveLength(1);
  });

  it("an already-aborted signal sends nothing", async () => {
    const fetch = fakeFetch(ok);
    await expect(oauthWith(fetch).exchangeCode({ code: "c", signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(fetch.seen).toHaveLength(0);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("reads delay-seconds and the three HTTP-date forms", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Thursday, 01-Jan-26 00:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Thu Jan  1 00:00:45 2026", now)).toBe(45_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
  });

  it.each(["1.5", "-1", "+5", "2 5", "1e3", "0x10", "soon", "2026-01-01T00:00:30Z", "Thu, 01 Jan 2026 00:00:30", ""])(
    "ignores %j (neither delay-seconds nor an HTTP-date)",
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it("ignores a missing header", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("a malformed Retry-After falls back to the normal backoff instead of retrying at once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const fetch = fakeFetch(() => json(429, { code: 8, message: "Too many requests" }, { "retry-after": "1.5" }), ok);
    const pending = oauthWith(fetch, { retry: { retries: 1, minDelayMs: 1000, maxDelayMs: 1000 } }).refresh({
      refreshToken: "r",
    });
    await vi.advanceTimersByTimeAsync(400);
    expect(fetch.seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(600);
    await pending;
    expect(fetch.seen).toHaveLength(2);
  });
});

describe("a fetch that ignores its signal", () => {
  /** Never settles, whatever its signal does. */
  const deaf = () => new Promise<Response>(() => {});

  it("still times out after timeoutMs", async () => {
    const fetch = fakeFetch(deaf);
    const error = await oauthWith(fetch, { timeoutMs: 30, retry: false })
      .refresh({ refreshToken: "r" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PinterestTimeoutError);
  });

  it("still stops at the caller's abort", async () => {
    const fetch = fakeFetch(deaf);
    const controller = new AbortController();
    const pending = oauthWith(fetch, { timeoutMs: 60_000 }).refresh({ refreshToken: "r", signal: controller.signal });
    await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error("caller left"));
    await expect(pending).rejects.toThrow("caller left");
  });
});
