/**
 * What every token manager of one process shares per store object and key: the operation running for the key (a
 * refresh that callers may join, or a sign-out or save that they wait for), and rotated tokens the store has not
 * taken yet.
 */
import { race } from "./retry.ts";
import type { TokenSet } from "./token-set.ts";
import type { StoredTokenSet, TokenStore } from "./token-store.ts";

/** What the manager works from: the stored set, or rotated tokens the store has not taken yet ({@link Kept}). */
export interface Current extends StoredTokenSet {
  /** Refresh tokens this set replaced (retired at Pinterest): a stored set holding one is stale. None when stored. */
  readonly rotatedAway?: readonly (string | undefined)[];
}

/**
 * Rotated tokens that the store could not take: kept in memory, used by every manager, saved when the store is back.
 * `version` is that of the stored set they replace.
 */
export type Kept = Required<Current>;

export interface KeyState {
  /** The refresh, sign-out or save running for this key. */
  busy?: Promise<unknown> | undefined;
  /** Whether `busy` is a refresh, which callers join. */
  refreshing?: boolean | undefined;
  kept?: Kept | undefined;
  /** The next attempt to save `kept`. */
  timer?: ReturnType<typeof setTimeout> | undefined;
}

const states = new WeakMap<TokenStore, Map<string, KeyState>>();

/**
 * The key states of one store object (gone with it). A key has one only while an operation runs or tokens are kept:
 * reading 5,000 users' tokens leaves no 5,000 entries behind.
 */
export function statesOf(store: TokenStore): Map<string, KeyState> {
  let byKey = states.get(store);
  if (!byKey) {
    byKey = new Map();
    states.set(store, byKey);
  }
  return byKey;
}

/** The key's state, if it has one. */
export const existingState = (store: TokenStore, key: string) => states.get(store)?.get(key);

/** Lets the process exit while a timer is pending (Node, Deno, Bun); browsers have no such notion. */
export function unref(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}

/** Resolves like `promise`, or rejects with the signal's reason as soon as it aborts. */
export const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> =>
  signal ? race(signal, Number.POSITIVE_INFINITY, undefined, () => promise) : promise;

/** Whether `kept` is newer than `stored`: the store still holds the set they replaced, or one they retired. */
export const stillNewer = (kept: Kept, stored: StoredTokenSet | undefined) =>
  stored?.version === kept.version || kept.rotatedAway.includes(stored?.tokenSet.refreshToken);

/** The refresh tokens a set made from `current` replaces (for the conflict rule, see {@link Kept}). */
export const retiredBy = (current: Current): TokenSet["refreshToken"][] => [
  current.tokenSet.refreshToken,
  ...(current.rotatedAway ?? []),
];
