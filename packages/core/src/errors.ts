/**
 * Everything the high-level API throws is a `PintokenError`: check `instanceof` or the stable `code`.
 * Messages say what went wrong and what to do; they never contain the client secret or a token.
 *
 * @module
 */
import type { TokenSet } from "./token-set.ts";

/**
 * The stable `code` of every error class.
 *
 * @example
 * ```ts
 * try {
 *   await manager.getAccessToken();
 * } catch (error) {
 *   if (error instanceof PintokenError && error.code === "reauthorization_required") redirectToLogin();
 * }
 * ```
 */
export type PintokenErrorCode =
  | "pinterest_api_error"
  | "network_error"
  | "timeout"
  | "invalid_response"
  | "configuration_error"
  | "reauthorization_required"
  | "store_error";

/**
 * Base class of every error pintoken throws.
 *
 * @example
 * ```ts
 * try { await oauth.refresh({ refreshToken }); }
 * catch (error) { if (error instanceof PintokenError) console.error(error.code, error.message); }
 * ```
 */
export class PintokenError extends Error {
  override name = "PintokenError";
  declare readonly code: PintokenErrorCode;

  constructor(code: PintokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * What a Pinterest error response carries (`{ code, message }` in the body, request id in a header).
 *
 * @example
 * ```ts
 * if (error instanceof PinterestApiError) {
 *   const { status, pinterestCode, requestId, retryAfterMs } = error;
 *   console.error(`Pinterest answered ${status} (code ${pinterestCode}); request id ${requestId}`, retryAfterMs);
 * }
 * ```
 */
export interface PinterestErrorDetails {
  /** HTTP status of the response. */
  status: number;
  /** Pinterest's numeric error code from the body (e.g. 283 for an invalid grant), when the body had one. */
  pinterestCode?: number | undefined;
  /** Pinterest's message from the body, when the body had one. */
  pinterestMessage?: string | undefined;
  /** The `x-pinterest-rid` response header: quote it when asking Pinterest for help. */
  requestId?: string | undefined;
  /** Milliseconds to wait, from a `Retry-After` header (429, 503). */
  retryAfterMs?: number | undefined;
}

const reason = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/**
 * Whether an error answer means the code or refresh token is dead (Pinterest code 283, or its message says so).
 *
 * @example
 * ```ts
 * isInvalidGrant({ pinterestCode: 283 }); // true
 * ```
 */
export function isInvalidGrant(details: Pick<PinterestErrorDetails, "pinterestCode" | "pinterestMessage">): boolean {
  return (
    details.pinterestCode === 283 ||
    /authorization grant is invalid|invalid[_ ]grant/i.test(details.pinterestMessage ?? "")
  );
}

/**
 * Pinterest answered with an error status. `isInvalidGrant` tells a dead code or refresh token (the user must
 * authorize again) from a problem worth retrying (`status` 429 or 5xx).
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof PinterestApiError && error.isInvalidGrant) redirect(oauth.authorizationUrl({ scopes, state }));
 * }
 * ```
 */
export class PinterestApiError extends PintokenError {
  override name = "PinterestApiError";
  declare readonly status: number;
  declare readonly pinterestCode: number | undefined;
  declare readonly pinterestMessage: string | undefined;
  declare readonly requestId: string | undefined;
  declare readonly retryAfterMs: number | undefined;
  /** The operation that failed, e.g. `"the token refresh"`. */
  declare readonly operation: string;

  /** `details` says what Pinterest answered; the message adds what to do about it. */
  constructor(operation: string, details: PinterestErrorDetails, options?: { cause?: unknown }) {
    const { status, pinterestCode: code, pinterestMessage: said, requestId: rid, retryAfterMs: wait } = details;
    super(
      "pinterest_api_error",
      `Pinterest rejected ${operation} (HTTP ${status}${code === undefined ? "" : `, code ${code}`}${said ? `: ${said}` : ""})${rid ? ` (x-pinterest-rid ${rid})` : ""}. ${
        isInvalidGrant(details)
          ? operation === "the code exchange"
            ? "The code is invalid, expired or used, or redirect_uri differs from the authorize URL's: authorize again."
            : "The refresh token is invalid, expired, revoked or rotated away: the user must authorize again."
          : status === 401
            ? "Check clientId and clientSecret."
            : status === 403
              ? "The app lacks the access level or scopes for this."
              : status === 429
                ? `Rate limited${wait === undefined ? "" : ` (Retry-After: ${Math.ceil(wait / 1000)} s)`}: retry later.`
                : status >= 500
                  ? "Pinterest had a problem: retry later."
                  : "Check the request parameters."
      }`,
      options,
    );
    Object.assign(this, details, { operation });
  }

  /** True when the authorization code or refresh token is invalid, used, expired or revoked (Pinterest code 283). */
  get isInvalidGrant(): boolean {
    return isInvalidGrant(this);
  }

  /** True for statuses worth retrying later: 408, 429 and 5xx. */
  get isRetryable(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/**
 * The request never got an HTTP response (DNS, refused or dropped connection, TLS). The `cause` is the error
 * `fetch` threw. Refresh, client credentials and revoke were already retried before this is thrown.
 *
 * @example
 * ```ts
 * if (error instanceof PinterestNetworkError) console.warn("Pinterest unreachable:", error.cause);
 * ```
 */
export class PinterestNetworkError extends PintokenError {
  override name = "PinterestNetworkError";
  declare readonly operation: string;

  constructor(operation: string, cause: unknown) {
    super(
      "network_error",
      `Could not reach Pinterest for ${operation} (${reason(cause)}): check the network and baseUrl.`,
      { cause },
    );
    this.operation = operation;
  }
}

/**
 * An attempt took longer than `timeoutMs`.
 *
 * @example
 * ```ts
 * if (error instanceof PinterestTimeoutError) console.warn(`no answer within ${error.timeoutMs} ms`);
 * ```
 */
export class PinterestTimeoutError extends PintokenError {
  override name = "PinterestTimeoutError";
  declare readonly operation: string;
  declare readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number) {
    super("timeout", `Pinterest did not answer ${operation} within ${timeoutMs} ms (timeoutMs): retry later.`);
    Object.assign(this, { operation, timeoutMs });
  }
}

/**
 * Pinterest answered 2xx, but the body is not what the spec says (so no token was trusted or stored).
 *
 * @example
 * ```ts
 * if (error instanceof InvalidResponseError) console.error(error.issues); // ["/expires_in: is required but missing"]
 * ```
 */
export class InvalidResponseError extends PintokenError {
  override name = "InvalidResponseError";
  declare readonly operation: string;
  declare readonly status: number;
  /** Where the body differs from the spec, e.g. `/expires_in: expected integer, got string "30"`. */
  declare readonly issues: readonly string[];

  constructor(operation: string, status: number, issues: readonly string[]) {
    super(
      "invalid_response",
      `Pinterest's answer to ${operation} (HTTP ${status}) does not match its API description: ${issues.join("; ")}. Nothing was stored; please report it.`,
    );
    Object.assign(this, { operation, status, issues });
  }
}

/**
 * The toolkit was set up or called wrongly; the message names the option and how to fix it.
 *
 * @example
 * ```ts
 * createPinterestOAuth({ clientId: "", clientSecret }); // throws ConfigurationError: clientId must be a non-empty string…
 * ```
 */
export class ConfigurationError extends PintokenError {
  override name = "ConfigurationError";

  constructor(message: string) {
    super("configuration_error", message);
  }
}

/**
 * There is no usable grant: nothing stored under the key, no refresh token, an expired refresh token, or Pinterest
 * said the grant is invalid. The user has to go through the authorization flow again.
 *
 * @example
 * ```ts
 * try { await manager.getAccessToken(); }
 * catch (error) { if (error instanceof ReauthorizationRequiredError) return redirectToLogin(); throw error; }
 * ```
 */
export class ReauthorizationRequiredError extends PintokenError {
  override name = "ReauthorizationRequiredError";
  declare readonly key: string;

  constructor(key: string, reason: string, options?: { cause?: unknown }) {
    super(
      "reauthorization_required",
      `No usable Pinterest grant for "${key}": ${reason}. Send the user through the authorization flow again.`,
      options,
    );
    this.key = key;
  }
}

/**
 * The token store failed while saving freshly rotated tokens. Pinterest may already have retired the old refresh
 * token, so the new set is kept on `tokenSet` (not enumerable: it stays out of logs and `JSON.stringify`): save it
 * once the store is back, or the user will have to authorize again.
 *
 * @example
 * ```ts
 * catch (error) { if (error instanceof TokenStoreError && error.tokenSet) await saveLater(error.key, error.tokenSet); }
 * ```
 */
export class TokenStoreError extends PintokenError {
  override name = "TokenStoreError";
  declare readonly key: string;
  declare readonly tokenSet: TokenSet | undefined;

  constructor(key: string, what: string, cause: unknown, tokenSet?: TokenSet) {
    super(
      "store_error",
      `The token store failed to ${what} for "${key}" (${reason(cause)}).${tokenSet ? " The new tokens are on error.tokenSet; after a refresh, the token manager also keeps them and saves them when the store is back." : ""}`,
      { cause },
    );
    this.key = key;
    Object.defineProperty(this, "tokenSet", { value: tokenSet, enumerable: false });
  }
}
