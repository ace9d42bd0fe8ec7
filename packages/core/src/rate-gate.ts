/**
 * The rate gate: spaces out the starts of calls to Pinterest to at most `ratePerSecond`, and backs off when Pinterest
 * says so. A 429 pauses every start until its `Retry-After` has passed and halves the rate; each success after that
 * raises it again by a tenth of the maximum (additive increase, multiplicative decrease), so a fleet settles just
 * under whatever Pinterest allows.
 */

/**
 * A gate that calls pass through; see {@link createRateGate}.
 *
 * @example
 * ```ts
 * const gate: RateGate = createRateGate({ ratePerSecond: 10 });
 * await gate.wait(); // then call Pinterest
 * ```
 */
export interface RateGate {
  /** Resolves when the next call may start (rejects with the signal's reason when it aborts first). */
  wait(signal?: AbortSignal): Promise<void>;
  /** Pinterest answered 429: pause every start for `retryAfterMs` (default 1 s) and halve the rate. */
  backOff(retryAfterMs?: number): void;
  /** A call went through: raise the rate back towards its maximum. */
  succeeded(): void;
  /** The rate now, in calls per second. */
  readonly ratePerSecond: number;
}

/**
 * A {@link RateGate} starting (and capped) at `ratePerSecond`, never slower than a tenth of it.
 *
 * @example
 * ```ts
 * const gate = createRateGate({ ratePerSecond: 5 });
 * for (const key of keys) {
 *   await gate.wait();
 *   try {
 *     await refresh(key);
 *     gate.succeeded();
 *   } catch (error) {
 *     if (error instanceof PinterestApiError && error.status === 429) gate.backOff(error.retryAfterMs);
 *   }
 * }
 * ```
 */
export function createRateGate({
  ratePerSecond: max,
  now = () => performance.now(),
}: {
  ratePerSecond: number;
  now?: () => number;
}): RateGate {
  let rate = max;
  /** When the next call may start (ms on `now`'s clock). */
  let next = 0;
  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(done, ms);
      function done() {
        signal?.removeEventListener("abort", aborted);
        resolve();
      }
      function aborted() {
        clearTimeout(timer);
        reject(signal?.reason);
      }
      signal?.addEventListener("abort", aborted, { once: true });
    });
  return {
    async wait(signal) {
      for (;;) {
        const at = now();
        if (at >= next) {
          next = at + 1000 / rate;
          return;
        }
        await sleep(next - at, signal);
      }
    },
    backOff(retryAfterMs = 1_000) {
      rate = Math.max(max / 10, rate / 2);
      next = Math.max(next, now() + retryAfterMs);
    },
    succeeded() {
      rate = Math.min(max, rate + max / 10);
    },
    get ratePerSecond() {
      return rate;
    },
  };
}
