import { PinterestApiError, PinterestNetworkError, PinterestTimeoutError, PintokenError } from "./errors.ts";

/**
 * How failed attempts are retried: network errors, timeouts, 408, 429 (after `Retry-After`) and 5xx, with
 * jittered exponential backoff. Only operations that are safe to repeat are ever retried (never a code exchange).
 *
 * @example
 * ```ts
 * createPinterestOAuth({ clientId, clientSecret, retry: { retries: 4, maxRetryAfterMs: 10_000 } });
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  retries?: number;
  /** Backoff before the first retry; doubles each time (with jitter). Default 500 ms. */
  minDelayMs?: number;
  /** Longest backoff between attempts. Default 8 000 ms. */
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
export interface AttemptPolicy {
  timeoutMs: number;
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  maxElapsedMs: number;
}

/**
 * Settles as `work` does, unless the signal aborts first (rejects with its reason) or `ms` pass first (rejects with
 * `late()`, or resolves when there is no `late`). `work` is not started on an aborted signal. The one place that races
 * the clock and the caller: an attempt's timeout, a backoff, and a caller who stops waiting all use it, so a `fetch`
 * that ignores its signal cannot make a call hang.
 */
export function race<T = void>(
  signal: AbortSignal | undefined,
  ms: number,
  late?: () => unknown,
  work?: () => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // A promise settles once: whichever comes first wins, the others do nothing.
    const settle = (done: (value: never) => void, value?: unknown) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      done(value as never);
    };
    const onAbort = () => settle(reject, signal?.reason);
    const timer =
      ms < Infinity ? setTimeout(() => settle(late ? reject : resolve, late?.()), Math.min(ms, 2 ** 31 - 1)) : 0;
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort);
    work?.().then(
      (value) => settle(resolve, value),
      (error) => settle(reject, error),
    );
  });
}

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> => race(signal, ms);

/**
 * Whether a failure may pass by itself: Pinterest unreachable (`PinterestNetworkError`), too slow
 * (`PinterestTimeoutError`) or answering 408, 429 or 5xx (`PinterestApiError` with `isRetryable`). Such a call is
 * worth trying again later (the client has already retried it); anything else will fail the same way again.
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
    (error instanceof PinterestApiError && error.isRetryable)
  );
}

/**
 * Runs `run` until it succeeds, fails for good, or retries (or `maxElapsedMs`) run out; each attempt within
 * `timeoutMs`. With `retry: false` there is exactly one attempt. A caller's abort rejects with the signal's reason at
 * once, during an attempt or a backoff; the signal is handed to `run` (and so to `fetch`), which cancels the request
 * itself. A timed-out request is abandoned and its late answer dropped. What `run` throws that is not a
 * `PintokenError` (what `fetch` throws) becomes a `PinterestNetworkError`.
 */
export async function withRetries<T>(
  operation: string,
  policy: AttemptPolicy,
  retry: boolean,
  {
    signal,
    maxElapsedMs = policy.maxElapsedMs,
  }: { signal?: AbortSignal | undefined; maxElapsedMs?: number | undefined },
  run: (signal?: AbortSignal) => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const { timeoutMs } = policy;
  for (let n = 0; ; n++) {
    try {
      return await race(
        signal,
        timeoutMs,
        () => new PinterestTimeoutError(operation, timeoutMs),
        () => run(signal),
      );
    } catch (caught) {
      const error =
        caught instanceof PintokenError || caught === signal?.reason
          ? caught
          : new PinterestNetworkError(operation, caught);
      if (!retry || n >= policy.retries || !isTransient(error)) throw error;
      const retryAfter = (error as PinterestApiError).retryAfterMs as number;
      const wait = retryAfter ?? Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** n) * (0.5 + Math.random() / 2);
      if (retryAfter > policy.maxRetryAfterMs || Date.now() - started + wait + timeoutMs > maxElapsedMs) throw error;
      await sleep(wait, signal);
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
