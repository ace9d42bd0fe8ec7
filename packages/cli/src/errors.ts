import { type StoreFailure, TokenStoreError } from "@pintoken/core";

/**
 * A failure of the {@link FileTokenStore}: a `TokenStoreError` of `@pintoken/core` whose message names the file and
 * says what to do (`chmod 600 '…'`, set `PINTOKEN_PASSPHRASE`, move a damaged file aside). `reason` is `unreadable`
 * for a file that is not safe or not possible to read (others may read it, it is damaged, it is encrypted with another
 * passphrase), `rejected` when the file system refused a write, `lock_timeout` when another process held the key too
 * long. It never holds a token.
 *
 * @example
 * ```ts
 * import { FileTokenStoreError } from "@pintoken/cli";
 *
 * try {
 *   await store.get("default");
 * } catch (error) {
 *   if (error instanceof FileTokenStoreError) console.error(error.message, error.path);
 * }
 * ```
 */
export class FileTokenStoreError extends TokenStoreError {
  override name = "FileTokenStoreError";
  /** The file (or directory) concerned. */
  declare readonly path: string;

  constructor(failure: StoreFailure & { path: string }) {
    super(failure.key, failure.operation, failure.cause, { reason: failure.reason });
    this.path = failure.path;
    this.message = `Could not ${failure.operation} of profile "${failure.key}": ${failure.detail}`;
  }
}
