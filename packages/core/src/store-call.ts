import { keepTokens, TokenStoreError } from "./errors.ts";
import type { TokenSet } from "./token-set.ts";
import { sleep } from "./wait.ts";

/** What a store call is, for its error. */
export interface StoreCall {
  key: string;
  /** What the manager asked of the store, e.g. `"read the token set"`. */
  operation: string;
  /** Tokens the store was given that exist nowhere else yet (rotated ones): they go on the error. */
  tokenSet?: TokenSet | undefined;
}

/**
 * Runs one call to a `TokenStore` for the token manager. A `TokenStoreError` from the store (a store that knows what
 * failed and has retried what it could: Redis, Deno KV, PostgreSQL) is passed on at once, so a dead store fails a
 * caller within one of its own timeouts; anything else a store throws is tried twice more, quickly (50 ms, then
 * 100 ms), then reported. What is thrown is always a `TokenStoreError` (the store's own, class and message intact,
 * when it threw one), with `tokenSet` on it when given.
 */
export async function storeCall<T>({ key, operation, tokenSet }: StoreCall, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (error instanceof TokenStoreError) throw tokenSet ? keepTokens(error, tokenSet) : error;
      if (attempt === 2) throw new TokenStoreError(key, operation, error, { tokenSet });
      await sleep(50 << attempt);
    }
  }
}
