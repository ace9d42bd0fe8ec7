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
  | "store_error"
  | "outcome_unknown";

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

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

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
      `Could not reach Pinterest for ${operation} (${messageOf(cause)}): check the network and baseUrl.`,
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
 * Why the user must authorize again (`ReauthorizationRequiredError.reason`):
 * - `signed-out`: nothing is stored under the key (signed out, or never signed in).
 * - `signed-out-during-refresh`: the key was deleted (a sign-out elsewhere) while its refresh ran; the tokens that
 *   refresh produced were revoked at Pinterest.
 * - `no-refresh-token`: the stored set has no refresh token to renew it with.
 * - `refresh-token-expired`: the refresh token's lifetime ran out (60 days without a refresh, for continuous refresh).
 * - `invalid-grant`: Pinterest rejected the refresh token (revoked, expired, or rotated away), and the store holds
 *   nothing newer.
 *
 * @example
 * ```ts
 * if (error instanceof ReauthorizationRequiredError && error.reason === "invalid-grant") metrics.count("lost-grant");
 * ```
 */
export type ReauthorizationReason =
  | "signed-out"
  | "signed-out-during-refresh"
  | "no-refresh-token"
  | "refresh-token-expired"
  | "invalid-grant";

/**
 * There is no usable grant: nothing stored under the key, no refresh token, an expired refresh token, or Pinterest
 * said the grant is invalid (`reason` tells which). The user has to go through the authorization flow again.
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
  declare readonly reason: ReauthorizationReason;

  /** `detail` says what happened in words; `options.reason` (default `"signed-out"`) says it for code. */
  constructor(key: string, detail: string, options: { cause?: unknown; reason?: ReauthorizationReason } = {}) {
    super(
      "reauthorization_required",
      `No usable Pinterest grant for "${key}": ${detail}. Send the user through the authorization flow again.`,
      options,
    );
    this.key = key;
    this.reason = options.reason ?? "signed-out";
  }
}

/**
 * Why a store operation failed, as the store tells it (`TokenStoreError.reason`):
 * - `unavailable`: the store could not be reached (down, refused, the connection lost and not back in time, or its
 *   client closed).
 * - `timeout`: the store was reached but did not answer in time (frozen, overloaded).
 * - `rejected`: the store answered with an error (e.g. a wrong data type under the key, a missing table).
 * - `unreadable`: what is stored under the key is not a token set this store can read (left as it is).
 * - `lock_timeout`: another holder kept the lock longer than the store waits.
 * - `unknown`: the store threw something that says nothing more (see `cause`).
 *
 * @example
 * ```ts
 * if (error instanceof TokenStoreError && error.reason === "unavailable") return new Response(null, { status: 503 });
 * ```
 */
export type TokenStoreErrorReason = "unavailable" | "timeout" | "rejected" | "unreadable" | "lock_timeout" | "unknown";

/**
 * What a store's own error (a subclass of {@link TokenStoreError}) says of a failure.
 *
 * @example
 * ```ts
 * class MyStoreError extends TokenStoreError {
 *   constructor({ key, operation, reason, detail, cause }: StoreFailure) {
 *     super(key, operation, cause, { reason });
 *     this.message = `My store failed to ${operation} for "${key}": ${detail}`;
 *   }
 * }
 * ```
 */
export interface StoreFailure<Reason extends TokenStoreErrorReason = TokenStoreErrorReason> {
  readonly key: string;
  /** What the store was doing, e.g. `"read the token set"`. */
  readonly operation: string;
  readonly reason: Reason;
  /** What happened and what to do about it. */
  readonly detail: string;
  /** What the store's driver threw, if anything. */
  readonly cause?: unknown;
}

/**
 * A token store operation failed; `reason` says why (see {@link TokenStoreErrorReason}), `operation` what the store
 * was doing. After a refresh, Pinterest has already retired the old refresh token, so the new set is on `tokenSet`
 * (not enumerable: it stays out of logs and `JSON.stringify`); the token manager keeps such tokens and saves them
 * when the store is back. A store that knows why it failed (the Redis, Deno KV and PostgreSQL stores) throws its own
 * subclass with `reason` set; the token manager passes it on as it is, with `tokenSet` added where it applies.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof TokenStoreError) console.warn(`store ${error.reason} while trying to ${error.operation}`);
 * }
 * ```
 */
export class TokenStoreError extends PintokenError {
  override name = "TokenStoreError";
  declare readonly key: string;
  /** What the store was doing, e.g. `"save the refreshed tokens"`. */
  declare readonly operation: string;
  declare readonly reason: TokenStoreErrorReason;
  declare readonly tokenSet: TokenSet | undefined;

  constructor(
    key: string,
    operation: string,
    cause: unknown,
    options: { tokenSet?: TokenSet | undefined; reason?: TokenStoreErrorReason | undefined } = {},
  ) {
    const { tokenSet } = options;
    const reason = options.reason ?? (cause instanceof TokenStoreError ? cause.reason : "unknown");
    // A store's own error (it knows what failed and what to do) is passed on as it is, with the note on kept tokens.
    const what =
      cause instanceof TokenStoreError
        ? cause.message
        : `The token store failed to ${operation} for "${key}" (${reason}: ${messageOf(cause)}).`;
    super(
      "store_error",
      `${what}${tokenSet ? " The new tokens are on error.tokenSet; after a refresh, the token manager also keeps them and saves them when the store is back." : ""}`,
      { cause },
    );
    Object.assign(this, { key, operation, reason });
    keepTokens(this, tokenSet);
  }
}

/**
 * Puts tokens the store could not take on its error, out of `JSON.stringify` and logs (not enumerable). The token
 * manager passes a store's own error on this way, class and message intact.
 */
export function keepTokens(error: TokenStoreError, tokenSet: TokenSet | undefined): TokenStoreError {
  Object.defineProperty(error, "tokenSet", { value: tokenSet, enumerable: false, configurable: true });
  return error;
}

/**
 * A code exchange or refresh was sent, but whether Pinterest acted on it is unknown: the connection dropped after the
 * request went out, or no answer came within `answerTimeoutMs`. With continuous refresh this matters: if Pinterest did
 * refresh, it retired the refresh token that was sent and the new one is lost with the answer. Nothing is changed
 * locally (the session is kept, and a still-valid access token keeps working); the next refresh either succeeds (the
 * request had not been used) or fails with an invalid grant (it had: the user must authorize again). Never retried
 * automatically, since a retry with the same refresh token while the first might still be answered is what loses it.
 *
 * @example
 * ```ts
 * if (error instanceof OutcomeUnknownError) console.warn(`${error.operation}: no answer, session kept`, error.cause);
 * ```
 */
export class OutcomeUnknownError extends PintokenError {
  override name = "OutcomeUnknownError";
  declare readonly operation: string;

  constructor(operation: string, what: string, cause?: unknown) {
    super(
      "outcome_unknown",
      `Pinterest may or may not have carried out ${operation}: ${what}. Nothing was changed; a refresh tried later tells whether the refresh token still works.`,
      { cause },
    );
    this.operation = operation;
  }
}
