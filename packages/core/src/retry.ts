import {
  OutcomeUnknownError,
  PinterestApiError,
  PinterestNetworkError,
  PinterestTimeoutError,
  PintokenError,
} from "./errors.ts";
import { sleep, waitFor } from "./wait.ts";

/**
 * How failed attempts are retried: network errors, timeouts, 408, 429 (after `Retry-After`) and 5xx, with
 * jittered exponential backoff. Only operations that are safe to repeat are ever retried (never a code exchange, and a
 * refresh only when Pinterest cannot have used its refresh token).
 *
 * @example
 * ```ts
 * createPinterestOAuth({ clientId, clientSecret, retry: { retries: 4, maxRetryAfterMs: 10_000 } });
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  retries?: number;
  /**
   * The shortest wait before the first retry; it doubles for each later one. Each wait is drawn at random between
   * this floor and twice it (jitter), never above `maxDelayMs`. Default 500 ms.
   */
  minDelayMs?: number;
  /** Longest backoff between attempts (at least `minDelayMs`). Default 8 000 ms. */
  maxDelayMs?: number;
  /** Longest `Retry-After` worth waiting for; a longer one fails at once with `retryAfterMs` set. Default 60 000 ms. */
  maxRetryAfterMs?: number;
  /**
   * Longest time one call may take, retries included: a retry is not started when its wait plus a whole attempt
   * (`timeoutMs`) would end later; the last error is thrown instead. Default: no limit.
   */
  maxElapsedMs?: number;
}

/** Retry and timeout settings with every default filled in. */
export interface AttemptPolicy extends Required<RetryOptions> {
  timeoutMs: number;
  answerTimeoutMs: number;
}

/**
 * The wait before retry number `n + 1` (`n` = 0 for the first retry): a random point between
 * `minDelayMs × 2ⁿ` and twice that, capped at `maxDelayMs`. `random` is `Math.random` (tests pass their own).
 *
 * @example
 * ```ts
 * backoffMs({ minDelayMs: 500, maxDelayMs: 8_000 }, 1); // between 1 000 and 2 000
 * ```
 */
export function backoffMs(
  { minDelayMs, maxDelayMs }: Pick<AttemptPolicy, "minDelayMs" | "maxDelayMs">,
  n: number,
  random: () => number = Math.random,
): number {
  const floor = Math.min(maxDelayMs, minDelayMs * 2 ** n);
  return Math.min(maxDelayMs, floor * (1 + random()));
}

/**
 * Whether a failure may pass by itself: Pinterest unreachable (`PinterestNetworkError`), too slow
 * (`PinterestTimeoutError`), answering 408, 429 or 5xx (`PinterestApiError` with `isRetryable`), or a refresh whose
 * outcome is unknown (`OutcomeUnknownError`: the session is kept). Such a call is worth trying again later (the client
 * has already retried what was safe to retry); anything else will fail the same way again.
 *
 * @example
 * ```ts
 * try {
 *   await manager.getAccessToken();
 * } catch (error) {
 *   if (isTransient(error)) return new Response("Pinterest is unavailable, try again shortly", { status: 503 });
 *   throw error;
 * }
 * ```
 */
export function isTransient(error: unknown): error is PintokenError {
  return (
    error instanceof PinterestNetworkError ||
    error instanceof PinterestTimeoutError ||
    error instanceof OutcomeUnknownError ||
    (error instanceof PinterestApiError && error.isRetryable)
  );
}

/**
 * Error codes of failures that happen before a request is written: the name could not be resolved, the host could not
 * be reached, the connection was refused or never set up (connect timeout, TLS). Node (undici) sets them as `code` on
 * the cause of `fetch failed`; Bun names them in `code` too.
 */
const notSentCodes =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_NONAME|ENETUNREACH|EHOSTUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT|ConnectionRefused|FailedToOpenSocket|ERR_TLS_.*|CERT_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_.*)$/;

/** How Deno and Bun word the same failures in their messages. */
const notSentMessages = /connection refused|tcp connect error|dns error|failed to lookup address|unable to connect/i;

/**
 * Whether what `fetch` threw proves the request never reached the server (so a refresh token in it was not used):
 * a refused connection, an unknown host, an unreachable network, a failed TLS handshake. Anything else (a connection
 * reset or closed after the request was written, a cut-off answer) leaves the outcome unknown.
 */
export function provenNotSent(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === "string" && notSentCodes.test(code)) return true;
  if (typeof message === "string" && notSentMessages.test(message)) return true;
  if (Array.isArray(errors) && errors.length && errors.every((inner) => provenNotSent(inner, depth + 1))) return true;
  return provenNotSent(cause, depth + 1);
}

/**
 * One call to a token endpoint, as {@link withRetries} runs it.
 */
export interface AttemptsOptions {
  /** What the call does, for messages, e.g. `"the token refresh"`. */
  operation: string;
  policy: AttemptPolicy;
  /** Whether failures worth retrying are retried at all (never for a code exchange). */
  retry: boolean;
  /**
   * A request that spends something single-use (a code, or a refresh token that Pinterest rotates): once sent, it is
   * never cut short by `timeoutMs`; its answer is awaited up to `answerTimeoutMs`, then its outcome is unknown
   * (`OutcomeUnknownError`). It is retried only when the failure proves the request was not used: an HTTP error
   * answer, or a connection that failed before the request was written.
   */
  spends: boolean;
  /** The caller's signal: stops the call (and cancels its request) at once. */
  signal?: AbortSignal | undefined;
  /** Overrides `policy.maxElapsedMs` for this call. */
  maxElapsedMs?: number | undefined;
  /** Overrides `policy.answerTimeoutMs` for this call. */
  answerTimeoutMs?: number | undefined;
}

/**
 * Runs `send` (one request and the reading of its answer) until it succeeds, fails for good, or retries (or
 * `maxElapsedMs`) run out. Each attempt gets its own `AbortSignal`, aborted when the caller's signal aborts or when the
 * attempt is given up (`timeoutMs`, or `answerTimeoutMs` for a request that spends something). What `send` throws
 * that is not a `PintokenError` (what `fetch` throws) becomes a `PinterestNetworkError`, or an
 * `OutcomeUnknownError` for a request that spends something unless the failure proves it was never sent.
 */
export async function withRetries<T>(
  { operation, policy, retry, spends, signal, ...call }: AttemptsOptions,
  send: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const { timeoutMs } = policy;
  const maxElapsedMs = call.maxElapsedMs ?? policy.maxElapsedMs;
  const answerTimeoutMs = call.answerTimeoutMs ?? policy.answerTimeoutMs;
  for (let n = 0; ; n++) {
    const request = new AbortController();
    const cancel = () => request.abort(signal?.reason);
    signal?.addEventListener("abort", cancel);
    try {
      return await waitFor({
        work: () => send(request.signal),
        signal,
        ms: spends ? answerTimeoutMs : timeoutMs,
        onTimeout: () =>
          spends
            ? new OutcomeUnknownError(operation, `no answer came within ${answerTimeoutMs} ms (answerTimeoutMs)`)
            : new PinterestTimeoutError(operation, timeoutMs),
      });
    } catch (caught) {
      request.abort(); // a request still running (it timed out) is cancelled
      if (caught === signal?.reason && signal?.aborted) throw caught;
      const error =
        caught instanceof PintokenError
          ? caught
          : spends && !provenNotSent(caught)
            ? new OutcomeUnknownError(
                operation,
                "the connection failed after the request was sent",
                new PinterestNetworkError(operation, caught),
              )
            : new PinterestNetworkError(operation, caught);
      if (!retry || n >= policy.retries || !isTransient(error) || error instanceof OutcomeUnknownError) throw error;
      const retryAfter = error instanceof PinterestApiError ? error.retryAfterMs : undefined;
      const wait = retryAfter ?? backoffMs(policy, n);
      const tooLong = retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs;
      if (tooLong || Date.now() - started + wait + timeoutMs > maxElapsedMs) throw error;
      await sleep(wait, signal);
    } finally {
      signal?.removeEventListener("abort", cancel);
    }
  }
}

/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds (digits only), or an HTTP-date (§5.6.7): IMF-fixdate
 * (`Sun, 06 Nov 1994 08:49:37 GMT`), or the obsolete forms recipients must still accept, RFC 850
 * (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`). Captures the seconds; or day, month,
 * year and time of the first two date forms; or month, day, time and year of asctime.
 */
const retryAfter =
  /^(\d+)$|^\w+, (\d\d)[ -](\w{3})[ -](\d\d|\d{4}) ([\d:]{8}) GMT$|^\w{3} (\w{3}) ([ \d]\d) ([\d:]{8}) (\d{4})$/;

/**
 * Reads `Retry-After` as milliseconds from `now`. Anything but delay-seconds or an HTTP-date (`1.5`, `-1`, `+5`, `2 5`,
 * an ISO date, free text) is ignored: undefined, so the normal backoff applies.
 *
 * @example
 * ```ts
 * parseRetryAfter("30", Date.now()); // 30_000
 * parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", Date.parse("1994-11-06T08:49:07Z")); // 30_000
 * ```
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  const m = retryAfter.exec(value ?? "");
  if (!m) return undefined;
  const [, seconds, day = m[7], month = m[6], year = m[9], time = m[8]] = m;
  if (seconds) return Number(seconds) * 1000;
  let y = Number(year);
  // RFC 850's two-digit year: the most recent year with those digits that is not more than 50 years ahead.
  if (y < 100) y += y + 2000 > new Date(now).getUTCFullYear() + 50 ? 1900 : 2000;
  const date = Date.parse(`${day} ${month} ${y} ${time} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
