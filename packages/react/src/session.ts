/**
 * The JSON the route handler (`@pintoken/next`) sends to the browser, and the session object the hook hands out.
 * Only metadata crosses the wire: never a token or a secret.
 *
 * @module
 */

/**
 * What `GET {basePath}/session` and `POST {basePath}/refresh` answer, and what `getSession()` of the route handler
 * returns on the server (pass it as `initialSession`). Times are epoch milliseconds.
 *
 * @example
 * ```ts
 * const signedIn: SessionJson = { status: "authenticated", scopes: ["pins:read"], expiresAt: 1767225600000, refreshTokenExpiresAt: null };
 * const signedOut: SessionJson = { status: "unauthenticated" };
 * ```
 */
export type SessionJson =
  | {
      status: "authenticated";
      /** The scopes the user granted. */
      scopes: string[];
      /** When the access token expires (epoch ms). */
      expiresAt: number;
      /** When the refresh token expires (epoch ms), `null` when the server does not know. */
      refreshTokenExpiresAt: number | null;
    }
  | { status: "unauthenticated" };

/**
 * The body of every error answer of the route handler. `code` is stable; `message` says what happened and what to do.
 *
 * @example
 * ```ts
 * const body: ErrorJson = { error: { code: "pinterest_unavailable", message: "Pinterest did not answer. Try again in a minute." } };
 * ```
 */
export interface ErrorJson {
  error: { code: string; message: string };
}

/**
 * What `POST {basePath}/logout` answers: always signed out; `revoked: false` (with `error`) when Pinterest did not
 * confirm the revocation.
 *
 * @example
 * ```ts
 * const body: LogoutJson = { status: "unauthenticated", revoked: true };
 * ```
 */
export type LogoutJson = { status: "unauthenticated"; revoked: boolean } & Partial<ErrorJson>;

/**
 * A signed-in user's session as the hook exposes it: the session JSON plus `expiresIn()`.
 *
 * @example
 * ```ts
 * if (session.scopes.includes("boards:write")) showCreateBoard();
 * const minutesLeft = Math.floor(session.expiresIn() / 60_000); // read in an effect or handler, not in render
 * ```
 */
export interface PinterestSession {
  /** The scopes the user granted. */
  readonly scopes: readonly string[];
  /** When the access token expires (epoch ms). The provider refreshes it before then. */
  readonly expiresAt: number;
  /** When the refresh token expires (epoch ms), `null` when unknown; after it the user must sign in again. */
  readonly refreshTokenExpiresAt: number | null;
  /**
   * Milliseconds until the access token expires, computed when called (0 once expired). It changes with time, so
   * do not render it during server rendering or hydration: use `useExpiresIn()` for text on the page.
   */
  expiresIn(): number;
}

/**
 * Reads session JSON from an untrusted value: the known fields or `undefined`. Anything else in the body (a token a
 * misconfigured server might add) is dropped here and never reaches state, subscribers or other tabs.
 */
export function parseSession(value: unknown): SessionJson | undefined {
  const { status, scopes, expiresAt, refreshTokenExpiresAt } = (value ?? {}) as Record<string, unknown>;
  if (status === "unauthenticated") return { status };
  if (
    status === "authenticated" &&
    Array.isArray(scopes) &&
    typeof expiresAt === "number" &&
    (refreshTokenExpiresAt === null || typeof refreshTokenExpiresAt === "number")
  ) {
    return { status, scopes, expiresAt, refreshTokenExpiresAt };
  }
  return undefined;
}

/** The hook's session object for session JSON, or `null` when signed out or unknown. */
export function toSession(json: SessionJson | undefined): PinterestSession | null {
  if (json?.status !== "authenticated") return null;
  const { status, ...session } = json;
  return { ...session, expiresIn: () => Math.max(0, session.expiresAt - Date.now()) };
}
