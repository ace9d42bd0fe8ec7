import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { credentials, fakeFetch, hang, json, tokenBody } from "../test/helpers.ts";
import { createPinterestOAuth, type PinterestOAuthOptions } from "./client.ts";
import {
  ConfigurationError,
  OutcomeUnknownError,
  PinterestApiError,
  PinterestNetworkError,
  PinterestTimeoutError,
} from "./errors.ts";
import { backoffMs, isTransient, parseRetryAfter, provenNotSent } from "./retry.ts";

const redirectUri = "https://app.example.com/cb";
/** What `fetch` throws when the connection was refused: nothing was sent. */
const refused = () => {
  throw new TypeError("fetch failed", {
    cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
  });
};
/** What `fetch` throws when the connection dropped after the request was written. */
const dropped = () => {
  throw new TypeError("fetch failed", {
    cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
  });
};
const unavailable = (headers: Record<string, string> = {}) => json(503, { code: 503, message: "Unavailable" }, headers);
const ok = () => json(200, tokenBody("refresh_token"));

function oauthWith(fetch: typeof globalThis.fetch, extra: Partial<PinterestOAuthOptions> = {}) {
  return createPinterestOAuth({
    ...credentials,
    redirectUri,
    fetch,
    retry: { retries: 2, minDelayMs: 500, maxDelayMs: 8_000 },
    ...extra,
  });
}

/** The fake clock's times (ms after the start) at which `fetch` was called. */
function sendTimes(fetch: ReturnType<typeof fakeFetch>, start: number) {
  return fetch.seen.map((request) => request.at - start);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Runs `call` to its end on the fake clock, returning what it resolved or rejected with. */
async function settle<T>(call: Promise<T>, ms = 600_000): Promise<T | unknown> {
  const outcome = call.then(
    (value) => value,
    (error: unknown) => error,
  );
  await vi.advanceTimersByTimeAsync(ms);
  return outcome;
}

describe("backoff: exponential, jittered above a real minimum, capped", () => {
  const policy = { minDelayMs: 500, maxDelayMs: 8_000 };

  it("the floor doubles with each retry and the jitter adds up to as much again", () => {
    expect([0, 1, 2, 3].map((n) => backoffMs(policy, n, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([0, 1, 2, 3].map((n) => backoffMs(policy, n, () => 0.5))).toEqual([750, 1_500, 3_000, 6_000]);
    expect(backoffMs(policy, 0, () => 0.999)).toBeCloseTo(999.5, 5);
  });

  it("never exceeds maxDelayMs, with or without jitter", () => {
    expect(backoffMs(policy, 4, () => 0)).toBe(8_000);
    expect(backoffMs(policy, 4, () => 0.5)).toBe(8_000);
    expect(backoffMs(policy, 3, () => 0.9)).toBe(7_600);
    expect(backoffMs({ minDelayMs: 1_000, maxDelayMs: 1_500 }, 0, () => 0.9)).toBe(1_500);
  });

  it("refuses maxDelayMs below minDelayMs", () => {
    expect(() => oauthWith(fakeFetch(ok), { retry: { minDelayMs: 1_000, maxDelayMs: 500 } })).toThrow(
      ConfigurationError,
    );
  });

  it("the client waits exactly those delays between attempts (random source stubbed)", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const fetch = fakeFetch(
      () => unavailable(),
      () => unavailable(),
      ok,
    );
    const start = Date.now();
    await settle(oauthWith(fetch).refresh({ refreshToken: "pinr_a" }));
    expect(sendTimes(fetch, start)).toEqual([0, 750, 750 + 1_500]);
  });

  it("with no jitter drawn, the first retry comes exactly at minDelayMs, never sooner", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const fetch = fakeFetch(() => unavailable(), ok);
    const start = Date.now();
    const pending = oauthWith(fetch).refresh({ refreshToken: "pinr_a" });
    await vi.advanceTimersByTimeAsync(499);
    expect(fetch.seen).toHaveLength(1);
    await settle(pending);
    expect(sendTimes(fetch, start)).toEqual([0, 500]);
  });
});

describe("Retry-After", () => {
  it("is waited for exactly on a 429, and on a 503", async () => {
    for (const status of [429, 503]) {
      const fetch = fakeFetch(() => json(status, { code: 8, message: "later" }, { "retry-after": "3" }), ok);
      const start = Date.now();
      await settle(oauthWith(fetch).refresh({ refreshToken: "pinr_a" }));
      expect(sendTimes(fetch, start)).toEqual([0, 3_000]);
    }
  });

  it("longer than maxRetryAfterMs fails at once and says how long", async () => {
    const fetch = fakeFetch(() => json(429, { code: 8, message: "Too many requests" }, { "retry-after": "3600" }), ok);
    const error = await settle(
      oauthWith(fetch, { retry: { maxRetryAfterMs: 1_000 } }).refresh({ refreshToken: "pinr_a" }),
    );
    expect(error).toBeInstanceOf(PinterestApiError);
    expect((error as PinterestApiError).retryAfterMs).toBe(3_600_000);
    expect(fetch.seen).toHaveLength(1);
  });

  it("a malformed one falls back to the normal backoff", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const fetch = fakeFetch(() => json(429, { code: 8, message: "Too many requests" }, { "retry-after": "1.5" }), ok);
    const start = Date.now();
    await settle(oauthWith(fetch).refresh({ refreshToken: "pinr_a" }));
    expect(sendTimes(fetch, start)).toEqual([0, 500]);
  });
});

describe("maxElapsedMs", () => {
  it("per client: no retry starts whose wait plus a whole attempt would end later", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const fetch = fakeFetch(() => unavailable());
    const oauth = oauthWith(fetch, { timeoutMs: 1_000, retry: { retries: 5, minDelayMs: 500, maxElapsedMs: 2_000 } });
    const start = Date.now();
    const error = await settle(oauth.clientCredentials({ scopes: ["pins:read"] }));
    // 0: fails; wait 500 (500 + 1 000 ≤ 2 000); 500: fails; wait 1 000 would end at 2 500 > 2 000: give up.
    expect(sendTimes(fetch, start)).toEqual([0, 500]);
    expect(error).toBeInstanceOf(PinterestApiError);
  });

  it("per call, overriding the client's", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const fetch = fakeFetch(() => unavailable());
    const oauth = oauthWith(fetch, { timeoutMs: 1_000, retry: { retries: 5, minDelayMs: 500, maxElapsedMs: 60_000 } });
    const start = Date.now();
    await settle(oauth.refresh({ refreshToken: "pinr_a", maxElapsedMs: 1_600 }));
    expect(sendTimes(fetch, start)).toEqual([0, 500]);
  });
});

describe("a refresh is retried only when Pinterest cannot have used its refresh token", () => {
  it.each([
    ["a 503", () => unavailable()],
    ["a 500", () => json(500, { code: 500, message: "Internal error" })],
    ["a 429", () => json(429, { code: 8, message: "slow down" })],
    ["a 408", () => json(408, { code: 408, message: "timeout" })],
    ["a refused connection", refused],
  ])("after %s (an HTTP error answer, or nothing sent)", async (_, first) => {
    const fetch = fakeFetch(first, ok);
    const tokens = await settle(oauthWith(fetch).refresh({ refreshToken: "pinr_a" }));
    expect(fetch.seen).toHaveLength(2);
    expect(tokens).toMatchObject({ refreshToken: expect.stringMatching(/^pinr_refresh_/) });
  });

  it("an error answer whose body is cut off is still an error answer, and is retried", async () => {
    const cutOff = () =>
      new Response(
        new ReadableStream({
          start: (controller) => controller.error(new TypeError("terminated")),
        }),
        { status: 502 },
      );
    const fetch = fakeFetch(cutOff, ok);
    await settle(oauthWith(fetch).refresh({ refreshToken: "pinr_a" }));
    expect(fetch.seen).toHaveLength(2);
  });

  it.each([
    ["the connection dropped after sending", dropped],
    ["fetch failed without saying why", () => Promise.reject(new TypeError("fetch failed"))],
  ])("not after %s: the outcome is unknown (OutcomeUnknownError, caused by the network error)", async (_, first) => {
    const fetch = fakeFetch(first, ok);
    const error = await settle(oauthWith(fetch).refresh({ refreshToken: "pinr_a" }));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as OutcomeUnknownError).cause).toBeInstanceOf(PinterestNetworkError);
    expect(isTransient(error)).toBe(true);
    expect(fetch.seen).toHaveLength(1);
  });

  it("an answer slower than timeoutMs is awaited, not abandoned (and the request is not repeated)", async () => {
    const fetch = fakeFetch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      return ok();
    });
    const tokens = await settle(oauthWith(fetch, { timeoutMs: 10_000 }).refresh({ refreshToken: "pinr_a" }));
    expect(tokens).toMatchObject({ accessToken: expect.stringMatching(/^pina_/) });
    expect(fetch.seen).toHaveLength(1);
  });

  it("no answer within answerTimeoutMs: the request is cancelled and its outcome is unknown", async () => {
    let cancelled: AbortSignal | undefined;
    const fetch = fakeFetch((_, signal) => {
      cancelled = signal;
      return hang(signal);
    });
    const start = Date.now();
    const pending = oauthWith(fetch, { answerTimeoutMs: 30_000 }).refresh({ refreshToken: "pinr_a" });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(cancelled?.aborted).toBe(false);
    const error = await settle(pending);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as Error).message).toMatch(/30000 ms \(answerTimeoutMs\)/);
    expect(Date.now() - start).toBeGreaterThanOrEqual(30_000);
    expect(cancelled?.aborted).toBe(true);
    expect(fetch.seen).toHaveLength(1);
  });

  it.each([400, 401, 403, 404])("an answer of %i is final", async (status) => {
    const fetch = fakeFetch(() => json(status, { code: 1, message: "no" }), ok);
    expect(await settle(oauthWith(fetch).refresh({ refreshToken: "pinr_a" }))).toBeInstanceOf(PinterestApiError);
    expect(fetch.seen).toHaveLength(1);
  });

  it("retry: false means one attempt", async () => {
    const fetch = fakeFetch(() => unavailable(), ok);
    const error = await settle(oauthWith(fetch, { retry: false }).refresh({ refreshToken: "pinr_a" }));
    expect(error).toBeInstanceOf(PinterestApiError);
    expect(fetch.seen).toHaveLength(1);
  });
});

describe("client credentials and revoke spend nothing: each attempt has its own timeout, and any failure is retried", () => {
  it("after a timeout, a dropped connection and a 503", async () => {
    const timedOut = (_: unknown, signal: AbortSignal) => hang(signal);
    const cc = fakeFetch(timedOut, dropped, () => json(200, tokenBody("client_credentials")));
    const start = Date.now();
    vi.spyOn(Math, "random").mockReturnValue(0);
    await settle(oauthWith(cc, { timeoutMs: 1_000 }).clientCredentials({ scopes: ["pins:read"] }));
    expect(sendTimes(cc, start)).toEqual([0, 1_000 + 500, 1_000 + 500 + 1_000]);
    const revoke = fakeFetch(
      () => unavailable(),
      () => new Response(null, { status: 200 }),
    );
    await settle(oauthWith(revoke).revoke({ token: "pinr_x" }));
    expect(revoke.seen).toHaveLength(2);
  });

  it("gives up after the configured retries with the last error", async () => {
    const fetch = fakeFetch((_, signal) => hang(signal));
    const error = await settle(oauthWith(fetch, { timeoutMs: 40 }).clientCredentials({ scopes: ["pins:read"] }));
    expect(error).toBeInstanceOf(PinterestTimeoutError);
    expect((error as Error).message).toMatch(/within 40 ms/);
    expect(fetch.seen).toHaveLength(3);
  });

  it("a fetch that ignores its signal still times out", async () => {
    const deaf = fakeFetch(() => new Promise<Response>(() => {}));
    const error = await settle(oauthWith(deaf, { timeoutMs: 30, retry: false }).revoke({ token: "pinr_x" }));
    expect(error).toBeInstanceOf(PinterestTimeoutError);
  });
});

describe("a code exchange is never retried", () => {
  it.each([
    ["a refused connection", refused, PinterestNetworkError],
    ["a dropped connection", dropped, OutcomeUnknownError],
    ["a 503", () => unavailable(), PinterestApiError],
    ["a 429", () => json(429, { code: 8, message: "slow down" }, { "retry-after": "0" }), PinterestApiError],
  ])("after %s (codes are single use)", async (_, first, type) => {
    const fetch = fakeFetch(first, () => json(200, tokenBody("authorization_code")));
    expect(await settle(oauthWith(fetch).exchangeCode({ code: "c" }))).toBeInstanceOf(type);
    expect(fetch.seen).toHaveLength(1);
  });

  it("and a slow answer is awaited (the code was spent)", async () => {
    const fetch = fakeFetch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      return json(200, tokenBody("authorization_code"));
    });
    const tokens = await settle(oauthWith(fetch, { timeoutMs: 1_000 }).exchangeCode({ code: "c" }));
    expect(tokens).toMatchObject({ responseType: "authorization_code" });
  });
});

describe("the caller's signal", () => {
  it("cancels the request and rejects with its reason at once, during an attempt", async () => {
    let cancelled: AbortSignal | undefined;
    const fetch = fakeFetch((_, signal) => {
      cancelled = signal;
      return hang(signal);
    });
    const controller = new AbortController();
    const pending = settle(oauthWith(fetch).refresh({ refreshToken: "pinr_a", signal: controller.signal }), 0);
    await vi.advanceTimersByTimeAsync(5);
    controller.abort(new Error("user navigated away"));
    expect(await pending).toMatchObject({ message: "user navigated away" });
    expect(cancelled?.aborted).toBe(true);
    expect(fetch.seen).toHaveLength(1);
  });

  it("stops a backoff at once", async () => {
    const fetch = fakeFetch(() => unavailable());
    const controller = new AbortController();
    const pending = oauthWith(fetch, { retry: { retries: 5, minDelayMs: 10_000, maxDelayMs: 10_000 } }).refresh({
      refreshToken: "pinr_a",
      signal: controller.signal,
    });
    await vi.advanceTimersByTimeAsync(20);
    controller.abort();
    const error = await pending.catch((e) => e);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(fetch.seen).toHaveLength(1);
  });

  it("stops a fetch that ignores it", async () => {
    const fetch = fakeFetch(() => new Promise<Response>(() => {}));
    const controller = new AbortController();
    const pending = oauthWith(fetch).refresh({ refreshToken: "pinr_a", signal: controller.signal });
    controller.abort(new Error("caller left"));
    await expect(pending).rejects.toThrow("caller left");
  });

  it("already aborted: nothing is sent", async () => {
    const fetch = fakeFetch(ok);
    await expect(oauthWith(fetch).exchangeCode({ code: "c", signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(fetch.seen).toHaveLength(0);
  });
});

describe("provenNotSent", () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });

  it.each([
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "UND_ERR_CONNECT_TIMEOUT",
    "CERT_HAS_EXPIRED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
  ])("%s on the cause of `fetch failed` (Node)", (code) => {
    expect(provenNotSent(new TypeError("fetch failed", { cause: withCode(code) }))).toBe(true);
  });

  it("every connection attempt refused (Node's AggregateError for several addresses)", () => {
    const all = Object.assign(new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")]), {});
    expect(provenNotSent(new TypeError("fetch failed", { cause: all }))).toBe(true);
    const mixed = new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNRESET")]);
    expect(provenNotSent(new TypeError("fetch failed", { cause: mixed }))).toBe(false);
  });

  it("Deno's and Bun's wording", () => {
    expect(
      provenNotSent(
        new TypeError(
          "error sending request for url (http://127.0.0.1:1/): client error (Connect): tcp connect error: Connection refused (os error 111)",
        ),
      ),
    ).toBe(true);
    expect(provenNotSent(withCode("ConnectionRefused"))).toBe(true);
  });

  it.each(["ECONNRESET", "UND_ERR_SOCKET", "EPIPE", "UND_ERR_BODY_TIMEOUT"])(
    "not %s (it may have been sent)",
    (code) => {
      expect(provenNotSent(new TypeError("fetch failed", { cause: withCode(code) }))).toBe(false);
    },
  );

  it("not a bare `fetch failed`", () => {
    expect(provenNotSent(new TypeError("fetch failed"))).toBe(false);
    expect(provenNotSent(undefined)).toBe(false);
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
});
