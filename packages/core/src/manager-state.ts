/**
 * What every token manager of one process shares per store object and key: the operation running for the key (a
 * refresh that callers may join, or a sign-out or save that they wait for), and rotated tokens the store has not
 * taken yet. Plus the store helpers they all use: retried store calls and a lock kept alive while it is held.
 */
import { TokenStoreError } from "./errors.ts";
import { race, sleep } from "./retry.ts";
import type { TokenSet } from "./token-set.ts";
import type { TokenLock, TokenStore } from "./token-store.ts";

/** Rotated tokens that the store could not take: kept here, used by every manager, saved when the store is back. */
export interface Unsaved {
  readonly tokenSet: TokenSet;
  /** The store version of the set they replace. */
  readonly version: string;
  /** Refresh tokens they replace (retired at Pinterest): a stored set holding one of these is stale. */
  readonly rotatedAway: readonly string[];
}

export interface KeyState {
  /** The refresh, sign-out or save running for this key. */
  busy?: Promise<unknown> | undefined;
  /** `busy`, when it is a refresh: callers join it. */
  refreshing?: Promise<TokenSet> | undefined;
  unsaved?: Unsaved | undefined;
  /** The next attempt to save `unsaved`. */
  saveTimer?: ReturnType<typeof setTimeout> | undefined;
}

const states = new WeakMap<TokenStore, Map<string, KeyState>>();

/** The key's state if it has one (reads must not create entries: one per user ever seen would never go). */
export function existingState(store: TokenStore, key: string): KeyState | undefined {
  return states.get(store)?.get(key);
}

export function stateOf(store: TokenStore, key: string): KeyState {
  let byKey = states.get(store);
  if (!byKey) {
    byKey = new Map();
    states.set(store, byKey);
  }
  let state = byKey.get(key);
  if (!state) {
    state = {};
    byKey.set(key, state);
  }
  return state;
}

/** Forgets the key's state once nothing runs and nothing waits to be saved (5,000 users make no 5,000 entries). */
function tidy(store: TokenStore, key: string, state: KeyState): void {
  if (!state.busy && !state.unsaved && states.get(store)?.get(key) === state) states.get(store)?.delete(key);
}

/** Starts `task` as the key's running operation. Call only when `state.busy` is unset. */
export function run<T>(store: TokenStore, key: string, state: KeyState, task: () => Promise<T>, refresh: boolean) {
  const started: Promise<T> = task().finally(() => {
    if (state.busy !== started) return;
    state.busy = state.refreshing = undefined;
    tidy(store, key, state);
  });
  state.busy = started;
  if (refresh) state.refreshing = started as unknown as Promise<TokenSet>;
  return started;
}

/** Runs `task` once nothing else runs for the key (the operations of one key never overlap in one process). */
export async function exclusive<T>(store: TokenStore, key: string, task: () => Promise<T>): Promise<T> {
  const state = stateOf(store, key);
  while (state.busy) await state.busy.catch(() => undefined);
  return run(store, key, state, task, false);
}

/** Drops rotated tokens kept in memory (saved at last, superseded, or signed out). */
export function dropUnsaved(store: TokenStore, key: string, state: KeyState): void {
  clearTimeout(state.saveTimer);
  state.unsaved = state.saveTimer = undefined;
  tidy(store, key, state);
}

/** Lets the process exit while a timer is pending (Node, Deno, Bun); browsers have no such notion. */
export function unref(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}

/** Runs a store call, retrying two quick times (50 ms, 100 ms); then throws `TokenStoreError` with `tokenSet` on it. */
export async function withStoreRetries<T>(
  key: string,
  what: string,
  call: () => Promise<T>,
  tokenSet?: TokenSet,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 2) throw new TokenStoreError(key, what, error, tokenSet);
      await sleep(50 * 2 ** attempt);
    }
  }
}

/** A lock the manager holds: extended while held when the store can, and known to be lost otherwise. */
export interface HeldLock {
  /** Whether the store extends it (so it lasts as long as the refresh). */
  readonly extended: boolean;
  /** Time left before it expires, in ms (0 once lost). */
  remainingMs(): number;
  release(): Promise<void>;
}

/**
 * Takes the store's lock on `key` for `ttlMs`, if the store has locks. With `extend`, it is pushed back every third of
 * its TTL while held; `onLost` runs when the store says it was lost.
 */
export async function takeLock(
  store: TokenStore,
  key: string,
  ttlMs: number,
  onLost: () => void,
): Promise<HeldLock | undefined> {
  const lockFn = store.lock?.bind(store);
  if (!lockFn) return undefined;
  const lock: TokenLock = await withStoreRetries(key, "take the refresh lock", () => lockFn(key, ttlMs));
  let expiresAt = Date.now() + ttlMs;
  let lost = false;
  const extend = lock.extend?.bind(lock);
  const heartbeat = extend
    ? setInterval(() => {
        const at = Date.now();
        extend(ttlMs).then(
          (kept) => {
            if (kept) expiresAt = at + ttlMs;
            else if (!lost) {
              lost = true;
              clearInterval(heartbeat);
              onLost();
            }
          },
          () => undefined, // the store is unreachable: try again at the next beat, until the lock expires
        );
      }, ttlMs / 3)
    : undefined;
  unref(heartbeat);
  return {
    extended: extend !== undefined,
    remainingMs: () => (lost ? 0 : Math.max(0, expiresAt - Date.now())),
    async release() {
      clearInterval(heartbeat);
      await lock.release().catch(() => undefined);
    },
  };
}

/** Resolves like `promise`, or rejects with the signal's reason as soon as it aborts. */
export const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> =>
  signal ? race(signal, Number.POSITIVE_INFINITY, undefined, () => promise) : promise;
