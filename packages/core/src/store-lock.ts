/**
 * The token manager's hold on a store's refresh lock: taking it while watching the store (waiting for the lock is
 * also waiting for the token: another holder's fresh tokens end the wait), the heartbeat that extends it while held
 * and notices when it is lost, and a release that is tried again when the store is unreachable.
 */
import { TokenStoreError } from "./errors.ts";
import type { Emit } from "./manager-events.ts";
import type { TokenLock, TokenStore } from "./token-store.ts";
import { sleep, unref } from "./wait.ts";

/** The manager's view of a lock it holds (or of "no lock", for a store without locks). */
export interface HeldLock {
  /** False for a store without locks (one process only). */
  readonly exists: boolean;
  /** Whether the heartbeat can push the lock's expiry back (the store's lock has `extend`). */
  readonly extendable: boolean;
  /** As the store tells it (`TokenLock.tookOver`): the previous holder let the lock expire without releasing it. */
  readonly tookOver: boolean | undefined;
  /** Milliseconds before the lock expires unless extended: 0 once lost, `Infinity` without a lock. */
  timeLeft(): number;
  /**
   * Stops the heartbeat and releases the lock, resolving after the first attempt. One that fails (the store is
   * unreachable) is tried again in the background until it lands or the lock has expired by itself.
   */
  release(): Promise<void>;
}

const noLock: HeldLock = {
  exists: false,
  extendable: false,
  tookOver: undefined,
  timeLeft: () => Infinity,
  release: async () => undefined,
};

/** What {@link takeLock} needs. */
export interface TakeLockOptions<T> {
  store: TokenStore;
  key: string;
  ttlMs: number;
  emit: Emit;
  /** Reads what is current, while the lock is not granted yet (without it, nothing is read). */
  read?: (() => Promise<T>) | undefined;
  /** Whether what `read` found makes the lock unnecessary (a fresh token set). */
  done?: ((value: T) => boolean) | undefined;
  /**
   * How long to keep waiting when the store gives up first (`lock_timeout`: a live holder keeps extending its lock):
   * the lock is asked for again until this much time has passed. Default: give up with the store.
   */
  maxWaitMs?: number | undefined;
}

/** The lock, or (without it) what was found while waiting for it. */
export type Taken<T> = { readonly lock: HeldLock } | { readonly found: T };

/** How often the store is read while waiting for its lock: from 100 ms, doubling up to 1 s. */
const firstPollMs = 100;
const lastPollMs = 1_000;

/**
 * Takes the store's lock on `key` for `ttlMs` (a store without locks gives "no lock" at once). While the lock is not
 * granted, the store is read now and then: when `done` accepts what it holds, waiting ends without the lock (the
 * attempt is aborted through its signal, and a lock granted late is released).
 */
export async function takeLock<T>(options: TakeLockOptions<T>): Promise<Taken<T>> {
  const { store, key, ttlMs, emit, read, done, maxWaitMs = 0 } = options;
  const lock = store.lock?.bind(store);
  if (!lock) return { lock: noLock };
  const started = Date.now();
  const abandon = new AbortController();
  const ask = (): Promise<TokenLock> =>
    lock(key, ttlMs, { signal: abandon.signal }).catch((error) => {
      const storeGaveUp = error instanceof TokenStoreError && error.reason === "lock_timeout";
      if (storeGaveUp && !abandon.signal.aborted && Date.now() - started < maxWaitMs) return ask();
      throw error instanceof TokenStoreError ? error : new TokenStoreError(key, "take the refresh lock", error);
    });
  const attempt = ask();
  const watching = new AbortController();
  const never = new Promise<never>(() => undefined);
  const watch = async (): Promise<{ found: T }> => {
    if (!read || !done) return never;
    for (let pollMs = firstPollMs; ; pollMs = Math.min(pollMs * 2, lastPollMs)) {
      await sleep(pollMs, watching.signal);
      const value = await read().catch(() => undefined);
      if (!watching.signal.aborted && value !== undefined && done(value)) return { found: value };
    }
  };
  let taken: { lock: TokenLock } | { found: T };
  try {
    // Whichever comes first: the lock, or a fresh token set (the watch stops when the lock comes).
    taken = await Promise.race([attempt.then((lock) => ({ lock })), watch().catch(() => never)]);
  } finally {
    watching.abort();
  }
  const waitedMs = Date.now() - started;
  if ("found" in taken) {
    abandon.abort(new Error("a fresh token set was found while waiting for the lock"));
    attempt.then((late) => late.release()).catch(() => undefined);
    emit({ type: "lock-wait-ended", waitedMs });
    return taken;
  }
  const { tookOver } = taken.lock;
  emit({ type: "lock-taken", waitedMs, ...(tookOver !== undefined && { tookOver }) });
  return { lock: hold(taken.lock, ttlMs, emit) };
}

/** Takes the lock without watching the store (a sign-out needs the lock whatever the store holds). */
export async function holdLock(options: Omit<TakeLockOptions<never>, "read" | "done">): Promise<HeldLock> {
  return ((await takeLock(options)) as { lock: HeldLock }).lock;
}

/**
 * The lock heartbeat: a lock with `extend` is pushed back every third of its TTL while held. `extend` resolving false
 * means another holder has it (`lock-lost`, `refused`); failing until the lock's expiry means the store was
 * unreachable for that long (`lock-lost`, `expired`). Without `extend` the lock simply runs out.
 */
function hold(lock: TokenLock, ttlMs: number, emit: Emit): HeldLock {
  let expiresAt = Date.now() + ttlMs; // 0 once lost
  const lose = (reason: "refused" | "expired") => {
    if (!expiresAt) return;
    expiresAt = 0;
    clearInterval(heartbeat);
    emit({ type: "lock-lost", reason });
  };
  const heartbeat = lock.extend
    ? setInterval(() => {
        const at = Date.now();
        lock.extend?.(ttlMs).then(
          (kept) => {
            if (!kept) lose("refused");
            else if (expiresAt) expiresAt = at + ttlMs;
          },
          () => {
            // Unreachable: try again at the next beat, until the lock has expired.
            if (Date.now() >= expiresAt) lose("expired");
          },
        );
      }, ttlMs / 3)
    : undefined;
  unref(heartbeat);
  const timeLeft = () => Math.max(0, expiresAt - Date.now());

  /**
   * Releases; on failure, tries again after `retryInMs` (doubling up to 2 s) until it lands, for up to 15 minutes. Also
   * once the lock has expired: a store that tells a taken-over lock (`tookOver`) would otherwise make the next holder
   * wait for tokens that were saved long ago. (A release is owner-checked, so a late one never frees another's lock.)
   */
  const givesUpAt = Date.now() + 15 * 60_000;
  const release = async (retryInMs: number): Promise<void> => {
    try {
      await lock.release();
    } catch {
      if (Date.now() >= givesUpAt) return;
      const timer = setTimeout(() => void release(Math.min(retryInMs * 2, 2_000)), retryInMs);
      unref(timer);
    }
  };
  return {
    exists: true,
    extendable: heartbeat !== undefined,
    tookOver: lock.tookOver,
    timeLeft,
    release() {
      clearInterval(heartbeat);
      return release(250);
    },
  };
}
