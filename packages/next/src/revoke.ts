import type { TokenManager, TokenStore } from "@pintoken/core";

/**
 * Signs a session out at Pinterest through its token manager, after any refresh of the same key has finished: the
 * store's lock (held by every refresh) is taken and released first, so the refresh token revoked is the newest one
 * and a rotation under way cannot write the session back.
 *
 * This belongs in `@pintoken/core`'s `TokenManager.revoke()` (every adapter needs it); it lives here until core
 * takes the lock itself. Taking and releasing first (rather than holding the lock across `revoke()`) stays correct
 * once it does, without deadlocking.
 */
export async function revokeAfterRefreshes(
  manager: TokenManager,
  store: TokenStore,
  lockTtlMs: number,
  signal?: AbortSignal,
): Promise<void> {
  if (store.lock) {
    const lock = await store.lock(manager.key, lockTtlMs);
    await lock.release();
  }
  await manager.revoke({ signal });
}
