/**
 * The rotated-token outbox: tokens from a refresh that the store has not taken yet. Pinterest retired the refresh
 * token they replace, so they exist nowhere else. The outbox writes them with compare-and-set; if the store fails, it
 * keeps them in memory (every manager of the store object uses them), tries again with backoff, and holds the
 * refresh lock until they land, so that no other process refreshes with the retired token meanwhile. If the store is
 * down so long that the lock expires, the next holder sees it was taken over and waits for these tokens before it
 * believes an invalid grant (see the token manager). Kept tokens are let go only when saved, when a newer grant was
 * stored, or when the key was signed out (then they are revoked at Pinterest, not dropped).
 */
import { ReauthorizationRequiredError, TokenStoreError } from "./errors.ts";
import type { KeyQueue } from "./key-queue.ts";
import type { Emit } from "./manager-events.ts";
import { storeCall } from "./store-call.ts";
import type { HeldLock } from "./store-lock.ts";
import type { TokenSet } from "./token-set.ts";
import type { StoredTokenSet, TokenStore } from "./token-store.ts";
import { unref } from "./wait.ts";

/** Rotated tokens and what they replace. */
export interface RotatedTokens {
  readonly tokenSet: TokenSet;
  /** The version of the stored set they replace. */
  readonly replaces: string;
  /** The refresh tokens they replaced (retired at Pinterest): a stored set holding one of them is older than these. */
  readonly retired: readonly string[];
}

/** What the token manager works from: the stored set, or kept rotated tokens that are newer than it. */
export interface Current extends StoredTokenSet {
  /** Refresh tokens the set replaced, when it is kept rotated tokens (none for a stored set). */
  readonly retired: readonly string[];
}

/** What the manager that saves rotated tokens lends the outbox, to report on them and to revoke orphans. */
export interface OutboxReporter {
  emit: Emit;
  /** Called with each failed save (the manager's `onStoreError`, or its default). */
  report: (error: TokenStoreError) => void;
  /** Revokes tokens Pinterest issued to a session that no longer exists. */
  revoke: (tokenSet: TokenSet) => Promise<void>;
}

/** How a save ended: written, kept in memory (the store failed), or a newer grant was stored meanwhile (`tokenSet`). */
export type SaveOutcome = { readonly kind: "saved" | "kept" | "superseded"; readonly tokenSet: TokenSet };

interface Kept extends RotatedTokens {
  readonly reporter: OutboxReporter;
  /** The refresh lock, held until the tokens land (or handed to the key's next refresh). */
  lock: HeldLock | undefined;
  /** Failed saves so far. */
  attempt: number;
  timer?: ReturnType<typeof setTimeout>;
}

const saveOperation = "save the refreshed tokens";

/** The longest wait between two saves of kept tokens. */
export const maxSaveRetryMs = 2_000;

/** The wait before the next save of kept tokens: 200 ms, doubling up to {@link maxSaveRetryMs}. */
const retryDelayMs = (attempt: number) => Math.min(200 * 2 ** (attempt - 1), maxSaveRetryMs);

/** Whether a token set holds one of the `retired` refresh tokens (so it is older than the set that retired it). */
export const holdsRetired = (set: TokenSet | undefined, retired: readonly string[]): boolean =>
  set?.refreshToken !== undefined && retired.includes(set.refreshToken);

/** The outbox of one store object (shared by every manager on it), by key. */
export class TokenOutbox {
  readonly #kept = new Map<string, Kept>();
  readonly #store: TokenStore;
  readonly #queue: KeyQueue;

  constructor(store: TokenStore, queue: KeyQueue) {
    this.#store = store;
    this.#queue = queue;
  }

  /**
   * What is current for `key`, given what the store holds (`null`: the store could not be read). Kept tokens are newer
   * while the store holds the set they replace, or one holding a refresh token they retired, or cannot be read. A
   * store holding anything else has the kept tokens (saved) or a newer sign-in: they are let go. An empty store means
   * the key was signed out elsewhere: they are let go and revoked.
   */
  current(key: string, stored: StoredTokenSet | undefined | null): Current | undefined | null {
    const kept = this.#kept.get(key);
    if (!kept) return stored ? { ...stored, retired: [] } : stored;
    if (stored === null || stored?.version === kept.replaces || holdsRetired(stored?.tokenSet, kept.retired))
      return { tokenSet: kept.tokenSet, version: stored?.version ?? kept.replaces, retired: kept.retired };
    this.#drop(key);
    if (stored) return { ...stored, retired: [] };
    void kept.reporter.revoke(kept.tokenSet).catch(() => undefined);
    return undefined;
  }

  /** Whether rotated tokens of `key` wait for the store. */
  has(key: string): boolean {
    return this.#kept.has(key);
  }

  /** Lets go of kept tokens (a sign-out revokes them), returning them; releases the lock they held. */
  forget(key: string): RotatedTokens | undefined {
    const kept = this.#kept.get(key);
    this.#drop(key);
    return kept;
  }

  /** Hands the lock kept tokens hold to the key's next refresh (which will save newer tokens in their place). */
  takeLock(key: string): HeldLock | undefined {
    const kept = this.#kept.get(key);
    const lock = kept?.lock;
    if (kept) kept.lock = undefined;
    return lock?.timeLeft() ? lock : undefined;
  }

  /**
   * Saves rotated tokens over the version they replace. The lock is released once they land (or a newer grant is
   * found); if the store fails, they are kept with the lock, reported, and saved later. A key signed out meanwhile
   * gets its new tokens revoked and throws `ReauthorizationRequiredError`.
   */
  async save(key: string, rotated: RotatedTokens, lock: HeldLock, reporter: OutboxReporter): Promise<SaveOutcome> {
    try {
      const outcome = await this.#write(key, rotated, reporter);
      this.#drop(key); // older kept tokens, which these replace
      await lock.release();
      return outcome;
    } catch (error) {
      if (!(error instanceof TokenStoreError)) {
        await lock.release();
        throw error;
      }
      this.#drop(key);
      const kept: Kept = { ...rotated, reporter, lock, attempt: 1 };
      this.#kept.set(key, kept);
      this.#retryLater(key, kept, error);
      return { kind: "kept", tokenSet: rotated.tokenSet };
    }
  }

  /**
   * One compare-and-set save. If someone else wrote meanwhile: a set holding a retired refresh token is stale (ours
   * replaces it, up to five times); any other set is a newer grant (a new sign-in), which wins; nothing stored means
   * a sign-out: ours are revoked.
   */
  async #write(key: string, { tokenSet, replaces, retired }: RotatedTokens, reporter: OutboxReporter) {
    const call = (operation: string) => ({ key, operation, tokenSet });
    for (let attempt = 0, version = replaces; ; attempt++) {
      if (attempt > 4)
        throw new TokenStoreError(key, saveOperation, new Error("the stored version kept changing"), { tokenSet });
      const result = await storeCall(call(saveOperation), () => this.#store.set(key, tokenSet, { ifVersion: version }));
      if (result.ok) return { kind: "saved", tokenSet } as const;
      const now = await storeCall(call("read the token set"), () => this.#store.get(key));
      if (!now) {
        await reporter.revoke(tokenSet).catch(() => undefined);
        reporter.emit({ type: "reauthorization-required", reason: "signed-out-during-refresh" });
        throw new ReauthorizationRequiredError(
          key,
          "it was signed out while its refresh ran (the new tokens were revoked at Pinterest)",
          { reason: "signed-out-during-refresh" },
        );
      }
      if (!holdsRetired(now.tokenSet, retired)) return { kind: "superseded", tokenSet: now.tokenSet } as const;
      version = now.version;
    }
  }

  #retryLater(key: string, kept: Kept, error: TokenStoreError): void {
    const retryInMs = retryDelayMs(kept.attempt);
    kept.reporter.emit({ type: "store-error", error, retryInMs, attempt: kept.attempt });
    kept.reporter.report(error);
    kept.timer = setTimeout(() => {
      void this.#queue
        .run(key, async () => {
          if (this.#kept.get(key) !== kept) return; // let go meanwhile
          try {
            const { kind } = await this.#write(key, kept, kept.reporter);
            this.#drop(key);
            if (kind === "saved") kept.reporter.emit({ type: "saved" });
          } catch (failed) {
            if (this.#kept.get(key) !== kept) return;
            if (!(failed instanceof TokenStoreError)) return this.#drop(key); // signed out: revoked by #write
            kept.attempt++;
            this.#retryLater(key, kept, failed);
          }
        })
        .catch(() => undefined);
    }, retryInMs);
    unref(kept.timer);
  }

  #drop(key: string): void {
    const kept = this.#kept.get(key);
    if (!kept) return;
    clearTimeout(kept.timer);
    this.#kept.delete(key);
    void kept.lock?.release();
  }
}
