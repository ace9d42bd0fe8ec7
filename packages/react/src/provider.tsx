import { createContext, type ReactNode, useEffect, useState } from "react";
import { type AuthStore, type AuthStoreOptions, createAuthStore } from "./store.ts";

/** The store of the nearest provider (`undefined` outside one); internal to the package. */
export const AuthStoreContext = createContext<AuthStore | undefined>(undefined);

/**
 * Props of {@link PinterestAuthProvider}: the store's options (read once, on first render) and the children.
 *
 * @example
 * ```tsx
 * const props: PinterestAuthProviderProps = { basePath: "/api/pinterest", initialSession: null };
 * ```
 */
export interface PinterestAuthProviderProps extends AuthStoreOptions {
  children?: ReactNode;
}

/**
 * Holds the Pinterest auth state for everything inside it and keeps it current while mounted: it asks for the
 * session (unless `initialSession` is given), refetches on focus and when back online, syncs with other tabs and
 * refreshes the access token before it expires. On the server it renders `initialSession` and makes no request.
 *
 * @example
 * ```tsx
 * // app/layout.tsx (a Server Component)
 * const session = await pinterest.getSession();
 * return <PinterestAuthProvider initialSession={session}>{children}</PinterestAuthProvider>;
 * ```
 */
export function PinterestAuthProvider({ children, ...options }: PinterestAuthProviderProps): ReactNode {
  const [store] = useState(() => createAuthStore(options));
  useEffect(() => store.mount(), [store]);
  return <AuthStoreContext.Provider value={store}>{children}</AuthStoreContext.Provider>;
}
