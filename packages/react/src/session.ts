/**
 * The session object the hook hands out, read from the JSON of the route handler (`@pintoken/next`), whose HTTP
 * contract is declared once, in `@pintoken/next/contract`, and taken from there as types only (nothing of
 * `@pintoken/next` is bundled: the published types carry a copy). Only metadata crosses the wire: never a token or a
 * secret.
 *
 * @module
 */
import type { SessionJson } from "@pintoken/next/contract";

export type { ErrorJson, LogoutJson, SessionJson } from "@pintoken/next/contract";

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
