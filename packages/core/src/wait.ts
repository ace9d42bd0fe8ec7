/**
 * Waiting with a way out: the one place that races a promise against a caller's `AbortSignal` and a time limit. An
 * attempt's timeout, a retry's backoff and a token manager caller who stops waiting all use it, so a `fetch` that
 * ignores its signal cannot make a call hang.
 */

/**
 * What {@link waitFor} waits for, and when it stops waiting.
 */
export interface WaitOptions<T> {
  /** The work to wait for; not started when `signal` has already aborted. Without it, the wait ends at `ms`. */
  work?: (() => Promise<T>) | undefined;
  /** Stops the wait at once, rejecting with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Stops the wait after this many ms (default: never). */
  ms?: number | undefined;
  /** The error to reject with when `ms` passes; without it, the wait resolves (with `undefined`) instead. */
  onTimeout?: (() => unknown) | undefined;
}

/** The longest delay `setTimeout` takes (about 24.8 days); longer ones fire at once. */
const maxTimerMs = 2 ** 31 - 1;

/**
 * Settles as `work` does, unless the signal aborts first (rejects with its reason) or `ms` pass first (rejects with
 * `onTimeout()`, or resolves when there is no `onTimeout`). Stopping the wait does not stop the work: whoever started
 * it decides what becomes of it.
 */
export function waitFor<T = void>({ work, signal, ms = Infinity, onTimeout }: WaitOptions<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // A promise settles once: whichever comes first wins, the others do nothing.
    const settle = (done: (value: never) => void, value?: unknown) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      done(value as never);
    };
    const onAbort = () => settle(reject, signal?.reason);
    const timer =
      ms < Infinity
        ? setTimeout(() => (onTimeout ? settle(reject, onTimeout()) : settle(resolve)), Math.min(ms, maxTimerMs))
        : undefined;
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort);
    work?.().then(
      (value) => settle(resolve, value),
      (error) => settle(reject, error),
    );
  });
}

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> => waitFor({ ms, signal });

/** Lets the process exit while a timer is pending (Node, Deno, Bun); browsers have no such notion. */
export function unref(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
