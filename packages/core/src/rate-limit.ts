import { parseRetryAfter } from "./retry.ts";
import { sleep } from "./wait.ts";

/**
 * How the typed API client waits out Pinterest's rate limit: a 429 answer to an idempotent request (GET, HEAD,
 * OPTIONS, PUT, DELETE) that says when to come back (`Retry-After`) is sent again then, up to `retries` times, when
 * the wait is at most `maxDelayMs`. Other 429s are answered to the caller as they are: a POST or PATCH is never sent
 * twice, and an answer without `Retry-After`, or asking for a longer wait, is the caller's decision.
 *
 * @example
 * ```ts
 * const api = createPinterestApi({ manager, rateLimit: { retries: 3, maxDelayMs: 10_000 } });
 * const strict = createPinterestApi({ manager, rateLimit: false }); // every 429 is the caller's
 * ```
 */
export interface RateLimitOptions {
  /** How many times one request is sent again after a 429. Default 2. */
  readonly retries?: number | undefined;
  /** The longest `Retry-After` waited for, in milliseconds. Default 60 000. */
  readonly maxDelayMs?: number | undefined;
}

const idempotent = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/**
 * Wraps `send` so that idempotent requests answered 429 with `Retry-After` are sent again after that wait (see
 * {@link RateLimitOptions}); the request's own `signal` ends the wait. `now` is the clock an HTTP-date is read on.
 */
export function waitOutRateLimits(
  send: (request: Request) => Promise<Response>,
  { retries = 2, maxDelayMs = 60_000 }: RateLimitOptions = {},
  now: () => number = Date.now,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (!idempotent.has(request.method) || retries <= 0) return send(request);
    for (let attempt = 0; ; attempt++) {
      // Each attempt sends its own copy: a body (PUT) can be read once.
      const response = await send(attempt < retries ? request.clone() : request);
      if (response.status !== 429 || attempt >= retries) return response;
      const wait = parseRetryAfter(response.headers.get("retry-after"), now());
      if (wait === undefined || wait > maxDelayMs) return response;
      await response.body?.cancel();
      await sleep(wait, request.signal);
    }
  };
}
