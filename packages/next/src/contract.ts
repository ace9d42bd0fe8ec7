/**
 * The HTTP contract of the routes under `basePath`, declared once: the JSON bodies, the error codes, the callback's
 * `pintoken_error` codes and the tabs' `BroadcastChannel` message. `@pintoken/react` (or any browser code) takes
 * these as types only (`import type … from "@pintoken/next/contract"`): nothing here runs. Tokens and secrets never
 * appear in any of them.
 *
 * @example
 * ```ts
 * import type { SessionJson } from "@pintoken/next/contract";
 * const session = (await (await fetch("/api/pinterest/session")).json()) as SessionJson;
 * ```
 *
 * @module
 */

/**
 * What `GET /session` (and `POST /refresh`) answers, and what `pinterest.getSession()` returns.
 *
 * @example
 * ```ts
 * const session: SessionJson = await pinterest.getSession();
 * if (session.status === "authenticated") console.log(session.scopes, new Date(session.expiresAt));
 * ```
 */
export type SessionJson =
  | {
      status: "authenticated";
      /** Granted scopes. */
      scopes: string[];
      /** When the access token expires (epoch ms); `POST /refresh` renews it. */
      expiresAt: number;
      /** When the refresh token expires (epoch ms), `null` when Pinterest did not say. */
      refreshTokenExpiresAt: number | null;
    }
  | { status: "unauthenticated" };

/**
 * The stable `code` of an {@link ErrorJson}.
 *
 * @example
 * ```ts
 * const code: ErrorCode = "pinterest_unavailable";
 * ```
 */
export type ErrorCode =
  | "not_found"
  | "method_not_allowed"
  | "forbidden_origin"
  | "invalid_scopes"
  | "not_signed_in"
  | "reauthorization_required"
  | "pinterest_unavailable"
  | "revoke_failed"
  | "internal_error";

/**
 * Every error answer: a stable `code` and a message that says what happened and what to do.
 *
 * @example
 * ```ts
 * const body = (await response.json()) as ErrorJson;
 * if (body.error.code === "reauthorization_required") location.assign("/api/pinterest/login");
 * ```
 */
export interface ErrorJson {
  error: { code: ErrorCode; message: string };
}

/**
 * What `POST /logout` answers: the session is gone either way; `revoked` says whether Pinterest confirmed the
 * revocation, and `error` says why not.
 *
 * @example
 * ```ts
 * const result: LogoutJson = await (await fetch("/api/pinterest/logout", { method: "POST" })).json();
 * if (!result.revoked) console.warn(result.error?.message);
 * ```
 */
export interface LogoutJson {
  status: "unauthenticated";
  revoked: boolean;
  error?: { code: ErrorCode; message: string };
}

/**
 * The `pintoken_error` query parameter added to `returnTo` when the callback fails.
 *
 * @example
 * ```ts
 * const error = new URL(location.href).searchParams.get("pintoken_error") as CallbackErrorCode | null;
 * ```
 */
export type CallbackErrorCode =
  | "access_denied"
  | "state_mismatch"
  | "missing_code"
  | "exchange_failed"
  | "pinterest_unavailable"
  | "internal_error";

/**
 * What tabs tell each other about a session change, on the `BroadcastChannel` named `pintoken:` + `basePath`.
 * `previous` is the session the sending tab knew before (absent when it knew none yet): a change from one to the
 * other is what Server Components must render again for (`PinterestRouterRefresh` of `@pintoken/next/client`).
 *
 * @example
 * ```ts
 * const message: SessionMessage = { type: "session", session: { status: "unauthenticated" }, previous: signedIn };
 * new BroadcastChannel("pintoken:/api/pinterest").postMessage(message);
 * ```
 */
export interface SessionMessage {
  type: "session";
  session: SessionJson;
  previous?: SessionJson | undefined;
}
