/**
 * The one error type of `@pintoken/react`: what the hook's `error` holds.
 *
 * @module
 */
import type { CallbackErrorCode, ErrorCode } from "@pintoken/next/contract";

/**
 * The stable `code` of a {@link PinterestAuthError}. Route handler codes (`ErrorCode`) come from its error JSON; the
 * callback codes (`CallbackErrorCode`) from the `pintoken_error` query parameter it redirects back with (both declared
 * in `@pintoken/next/contract`); `network_error` and `invalid_response` are the browser's own. Other strings are
 * codes of a newer route handler.
 *
 * @example
 * ```ts
 * const signedOutByServer = (code: PinterestAuthErrorCode) => code === "reauthorization_required";
 * ```
 */
export type PinterestAuthErrorCode =
  | ErrorCode
  | CallbackErrorCode
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

/** The `?pintoken_error=` codes the route handler sends (all of `CallbackErrorCode`: `errors.test-d.ts` checks). */
export const callbackCodes = [
  "access_denied",
  "state_mismatch",
  "missing_code",
  "exchange_failed",
  "pinterest_unavailable",
  "internal_error",
] as const satisfies readonly CallbackErrorCode[];

/**
 * The error for a failed sign-in callback (`?pintoken_error=<code>` on the page it returned to), or `undefined` for a
 * code the route handler never sends: anyone can write a page's address, so only known codes are shown.
 */
export function callbackError(code: string): PinterestAuthError | undefined {
  return (callbackCodes as readonly string[]).includes(code)
    ? new PinterestAuthError(code, `Pinterest sign-in failed (${code}). Please try again.`)
    : undefined;
}
