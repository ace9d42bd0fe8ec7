/**
 * The one error type of `@pintoken/react`: what the hook's `error` holds.
 *
 * @module
 */

/**
 * The stable `code` of a {@link PinterestAuthError}. Route handler codes come from its error JSON; the callback codes
 * from the `pintoken_error` query parameter it redirects back with; `network_error` and `invalid_response` are the
 * browser's own. Other strings are codes of a newer route handler.
 *
 * @example
 * ```ts
 * const signedOutByServer = (code: PinterestAuthErrorCode) => code === "reauthorization_required";
 * ```
 */
export type PinterestAuthErrorCode =
  // answered by the route handler
  | "not_found"
  | "method_not_allowed"
  | "forbidden_origin"
  | "invalid_scopes"
  | "reauthorization_required"
  | "not_signed_in"
  | "pinterest_unavailable"
  | "revoke_failed"
  | "internal_error"
  // the sign-in callback failed (?pintoken_error=…)
  | "access_denied"
  | "state_mismatch"
  | "missing_code"
  | "exchange_failed"
  // found in the browser
  | "network_error"
  | "invalid_response"
  | (string & {});

/**
 * A sign-in, session check, refresh or sign-out that did not work. `code` is stable (see
 * {@link PinterestAuthErrorCode}); `message` says what happened and what to do, fit to show to a person; `status` is
 * the HTTP status when there was a response.
 *
 * @example
 * ```tsx
 * const { error } = usePinterestAuth();
 * if (error?.code === "reauthorization_required") return <p>{error.message}</p>;
 * ```
 */
export class PinterestAuthError extends Error {
  override name = "PinterestAuthError";
  readonly code: PinterestAuthErrorCode;
  readonly status: number | undefined;

  constructor(code: PinterestAuthErrorCode, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = options?.status;
  }
}

/** The error for a failed sign-in callback (`?pintoken_error=<code>` on the page it returned to). */
export function callbackError(code: string): PinterestAuthError {
  return new PinterestAuthError(code, `Pinterest sign-in failed (${code}). Please try again.`);
}
