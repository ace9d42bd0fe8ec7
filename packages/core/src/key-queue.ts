/**
 * The per-key queue: in one process, the operations of one key (a refresh, a sign-out, a retried save of kept tokens)
 * run one at a time. A refresh under way can be joined: callers who need one share it instead of queueing their own.
 *
 * @example
 * ```ts
 * const queue = new KeyQueue();
 * const tokens = await queue.run("user-42", () => refreshNow(), (result) => result.accessToken !== rejected);
 * ```
 */
export class KeyQueue {
  /** The operation running for each key, and whether it is a refresh (joinable). Empty keys leave no entry. */
  readonly #running = new Map<string, { readonly done: Promise<unknown>; readonly joinable: boolean }>();

  /**
   * Runs `task` once nothing else runs for `key`. With `join`, `task` is a refresh: a refresh under way is joined
   * instead, and its result returned if `join` accepts it (it was not for a token the caller knows is rejected); after
   * two such refreshes the caller's own runs. A sign-out or save under way is waited for, whatever its outcome.
   */
  async run<T>(key: string, task: () => Promise<T>, join?: (result: T) => boolean): Promise<T> {
    for (let joined = 0; ; ) {
      const busy = this.#running.get(key);
      if (!busy) {
        const done = task().finally(() => this.#running.delete(key));
        this.#running.set(key, { done, joinable: join !== undefined });
        return done;
      }
      if (join && busy.joinable && joined++ < 2) {
        const result = (await busy.done) as T;
        if (join(result)) return result;
      } else await busy.done.catch(() => undefined);
    }
  }

  /** Whether an operation runs for `key` now. */
  busy(key: string): boolean {
    return this.#running.has(key);
  }
}
