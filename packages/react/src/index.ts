"use client";
/**
 * Pinterest sign-in state for React: `<PinterestAuthProvider>` and `usePinterestAuth()`, over the JSON routes of
 * `@pintoken/next`'s route handler. Works with React 18.3 and 19, renders on the server without a request, and
 * keeps itself current (focus, reconnect, other tabs, refresh before expiry). It never sees a token.
 *
 * @example
 * ```tsx
 * import { PinterestAuthProvider, usePinterestAuth } from "@pintoken/react";
 *
 * function Account() {
 *   const { status, session, login, logout } = usePinterestAuth();
 *   if (status === "loading") return null;
 *   if (status !== "authenticated") return <button onClick={() => login()}>Sign in with Pinterest</button>;
 *   return <button onClick={() => logout()}>Sign out ({session.scopes.join(", ")})</button>;
 * }
 *
 * export const App = () => (
 *   <PinterestAuthProvider basePath="/api/pinterest">
 *     <Account />
 *   </PinterestAuthProvider>
 * );
 * ```
 *
 * @module
 */
export type { PinterestScope } from "@pintoken/core";
export { PinterestAuthError, type PinterestAuthErrorCode } from "./errors.ts";
export { PinterestAuthProvider, type PinterestAuthProviderProps } from "./provider.tsx";
export type { ErrorJson, LogoutJson, PinterestSession, SessionJson } from "./session.ts";
export {
  type AuthStore,
  type AuthStoreOptions,
  createAuthStore,
  type LoginOptions,
  type PinterestAuth,
  type PinterestAuthActions,
  type PinterestAuthState,
} from "./store.ts";
export { useExpiresIn, usePinterestAuth } from "./use-pinterest-auth.ts";
