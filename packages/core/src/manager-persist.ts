/**
 * How the token manager saves rotated tokens: compare-and-set over the version it read, replacing only a stale set;
 * and when the store fails, keeping them in memory (see `manager-state.ts`), reporting it, and saving them later.
 */
import { ReauthorizationRequiredError, TokenStoreError } from "./errors.ts";
import { dropUnsaved, exclusive, stateOf, type Unsaved, unref, withStoreRetries } from "./manager-state.ts";
import type { TokenManagerEvent } from "./token-manager.ts";
import type { TokenSet } from "./token-set.ts";
import type { StoredTokenSet, TokenStore } from "./token-store.ts";

/** What the manager works from: the stored set, or rotated tokens the store has not taken yet. */
export interface Current {
  readonly tokenSet: TokenSet;
  /** The store version to compare-and-set over. */
  readonly version: string;
  /** Refresh tokens this set replaced (a stored set holding one is stale). */
  readonly rotatedAway: readonly string[];
}

/** Whether `stored` is still what `unsaved` replaced (so the unsaved tokens are newer than the store). */
export const stillNewer = (unsaved: Unsaved, stored: StoredTokenSet | undefined) =>
  stored !== undefined &&
  (stored.version === unsaved.version || unsaved.rotatedAway.includes(stored.tokenSet.refreshToken ?? ""));

export function createPersistence({
  store,
  key,
  load,
  emit,
}: {
  store: TokenStore;
  key: string;
  /** Reads the stored set (retrying the store); `unsaved` goes on the error if it stays down. */
  load: (unsaved?: TokenSet) => Promise<StoredTokenSet | undefined>;
  emit: (event: TokenManagerEvent) => void;
}) {
  /**
   * Writes `next` with compare-and-set over `version`. If someone else wrote meanwhile: a set holding a refresh token
   * in `rotatedAway` is stale (Pinterest retired it), so ours replaces it; any other set is a newer grant (a new
   * sign-in) and is kept.
   */
  async function save(version: string, rotatedAway: readonly string[], next: TokenSet): Promise<void> {
    let expected = version;
    for (let attempt = 0; attempt < 5; attempt++) {
      const write = () => store.set(key, next, { ifVersion: expected });
      if ((await withStoreRetries(key, "save the refreshed tokens", write, next)).ok) return;
      const now = await load(next);
      if (!now) throw new ReauthorizationRequiredError(key, "the session was signed out while it was being refreshed");
      if (!rotatedAway.includes(now.tokenSet.refreshToken ?? "")) return;
      expected = now.version;
    }
    throw new TokenStoreError(
      key,
      "save the refreshed tokens (the stored version kept changing)",
      new Error("compare-and-set conflict"),
      next,
    );
  }

  /** Saves rotated tokens; if the store fails, keeps them in memory, reports it, and tries again later. */
  async function persist(current: Current, next: TokenSet): Promise<void> {
    const state = stateOf(store, key);
    const rotatedAway = [current.tokenSet.refreshToken ?? "", ...current.rotatedAway].filter(Boolean);
    try {
      await save(current.version, rotatedAway, next);
      dropUnsaved(store, key, state);
    } catch (error) {
      if (!(error instanceof TokenStoreError)) throw error;
      state.unsaved = { tokenSet: next, version: current.version, rotatedAway };
      scheduleSave(state.unsaved, error, 200);
    }
  }

  /** Tries again to save `unsaved` after `delayMs` (doubling up to 30 s), reporting each failure. */
  function scheduleSave(unsaved: Unsaved, error: TokenStoreError, delayMs: number): void {
    const state = stateOf(store, key);
    emit({ type: "store-error", key, error, retryInMs: delayMs });
    clearTimeout(state.saveTimer);
    state.saveTimer = setTimeout(() => {
      exclusive(store, key, async () => {
        if (state.unsaved !== unsaved) return;
        try {
          const stored = await load(unsaved.tokenSet);
          if (!stillNewer(unsaved, stored)) return dropUnsaved(store, key, state);
          await save((stored as StoredTokenSet).version, unsaved.rotatedAway, unsaved.tokenSet);
          dropUnsaved(store, key, state);
          emit({ type: "saved", key, tokenSet: unsaved.tokenSet });
        } catch (failure) {
          if (!(failure instanceof TokenStoreError)) return dropUnsaved(store, key, state);
          if (state.unsaved === unsaved) scheduleSave(unsaved, failure, Math.min(delayMs * 2, 30_000));
        }
      }).catch(() => undefined);
    }, delayMs);
    unref(state.saveTimer);
  }

  return { persist };
}
