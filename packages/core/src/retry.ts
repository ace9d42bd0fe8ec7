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
}

/** Retry and timeout settings with every default filled in. */
export interface AttemptPolicy {
  timeoutMs: number;
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

const timedOut = Symbol("timeout");

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Whether a failure may pass by itself (network, timeout, 408, 429, 5xx): worth another attempt later. */
export function isTransient(error: unknown): error is PintokenError {
  return (
    error instanceof PinterestNetworkError ||
    error instanceof PinterestTimeoutError ||
    (error instanceof PinterestApiError && error.isRetryable)
  );
}

/** Runs one attempt with its own timeout, linked to the caller's signal; classifies what `fetch` throws. */
async function attemptOnce<T>(
  operation: string,
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) throw signal.reason;
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer = Number.isFinite(timeoutMs) ? setTimeout(() => controller.abort(timedOut), timeoutMs) : undefined;
  try {
    return await run(controller.signal);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (controller.signal.aborted && controller.signal.reason === timedOut)
      throw new PinterestTimeoutError(operation, timeoutMs);
    if (error instanceof PintokenError) throw error;
    throw new PinterestNetworkError(operation, error);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Runs `run` until it succeeds, fails for good, or retries run out. With `retry: false` there is exactly one
 * attempt. A caller's abort rejects with the signal's reason at once, during an attempt or a backoff.
 */
export async function withRetries<T>(
  operation: string,
  policy: AttemptPolicy,
  run: (signal: AbortSignal) => Promise<T>,
  { signal, retry }: { signal?: AbortSignal | undefined; retry: boolean },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptOnce(operation, policy.timeoutMs, run, signal);
    } catch (error) {
      if (!retry || attempt >= policy.retries || !isTransient(error)) throw error;
      const retryAfter = error instanceof PinterestApiError ? error.retryAfterMs : undefined;
      if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
      await sleep(retryAfter ?? backoff * (0.5 + Math.random() / 2), signal);
    }
  }
}

/** Reads `Retry-After` (delay in seconds, or an HTTP date) as milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
