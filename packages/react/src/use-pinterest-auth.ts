import { useContext, useEffect, useState, useSyncExternalStore } from "react";
import { AuthStoreContext } from "./provider.tsx";
import type { AuthStore, PinterestAuth } from "./store.ts";

function useStore(): AuthStore {
  const store = useContext(AuthStoreContext);
  if (!store) {
    throw new Error(
      "usePinterestAuth must be used inside PinterestAuthProvider: wrap your app in <PinterestAuthProvider>.",
    );
  }
  return store;
}

/**
 * The Pinterest auth state and its actions, discriminated on `status` (`session` is non-null exactly when
 * `status === "authenticated"`). Re-renders when the state changes, in this tab or another.
 *
 * @example
 * ```tsx
 * const { status, session, login, logout } = usePinterestAuth();
 * if (status !== "authenticated") return <button onClick={() => login()}>Sign in with Pinterest</button>;
 * return <button onClick={() => logout()}>Sign out ({session.scopes.length} scopes)</button>;
 * ```
 */
export function usePinterestAuth(): PinterestAuth {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getState, store.getServerState);
}

/**
 * Milliseconds until the access token expires, updated every `intervalMs` (default 1000). `null` while signed out,
 * on the server and during hydration, so time never makes the server's HTML differ from the first client render.
 *
 * @example
 * ```tsx
 * const expiresIn = useExpiresIn(60_000);
 * return expiresIn === null ? null : <small>access renews in {Math.round(expiresIn / 60_000)} min</small>;
 * ```
 */
export function useExpiresIn(intervalMs = 1000): number | null {
  const { session } = usePinterestAuth();
  // `now` re-renders on every tick; undefined until mounted: no clock on the server or during hydration
  const [now, setNow] = useState<number>();
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const id = setInterval(tick, intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return session && now ? session.expiresIn() : null;
}
