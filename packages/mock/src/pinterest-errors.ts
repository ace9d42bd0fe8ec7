import type { OperationDescription } from "./operations.ts";
import type { Reply } from "./reply.ts";

/** The spec's `Error` body: `{ code, message }` (Pinterest's errors are not RFC 6749 `error`/`error_description`). */
interface PinterestError {
  readonly code: number;
  readonly message: string;
}

function error(status: number, body: PinterestError, reason?: string, headers?: Record<string, string>): Reply {
  return {
    kind: "json",
    status,
    body,
    ...(reason === undefined ? {} : { reason }),
    ...(headers === undefined ? {} : { headers }),
  };
}

/**
 * 401 `{code: 2, message: "Authentication failed."}`: the spec's example for `/oauth/token/revoke`, also reported for
 * bad bearer tokens. ASSUMED for `/oauth/token` and for every other operation. `reason` says what exactly was wrong
 * (it goes to the recorder and the `x-pintoken-mock-reason` header, not to Pinterest's message).
 */
export function authenticationFailed(reason: string): Reply {
  return error(401, { code: 2, message: "Authentication failed." }, reason);
}

/**
 * 401 `{code: 283, message: "The authorization grant is invalid"}`, as Pinterest answers a bad refresh token.
 * ASSUMED: the same for a bad authorization code (unknown, reused, expired, wrong redirect_uri, other app).
 */
export function invalidGrant(reason: string): Reply {
  return error(401, { code: 283, message: "The authorization grant is invalid" }, reason);
}

/** 400 with a message that says what was wrong. ASSUMED: code 1 (Pinterest's "Invalid parameters" code). */
export function invalidParameters(message: string): Reply {
  return error(400, { code: 1, message }, message);
}

/** 415 for a body in a content type the operation does not declare. ASSUMED: status 415 and code 1. */
export function unsupportedMediaType(message: string): Reply {
  return error(415, { code: 1, message }, message);
}

/**
 * 403 for a token without the scope an operation needs, or a token of another app: the operation's own 403 example
 * when the spec has one, else the spec's generic `{code: 29, ...}` example from `/oauth/token/revoke`.
 */
export function forbidden(op: OperationDescription, reason: string): Reply {
  const declared = op.responses["403"]?.example as PinterestError | undefined;
  return error(403, declared ?? { code: 29, message: "You are not permitted to access that resource." }, reason);
}

/** 429 with `Retry-After` in seconds. ASSUMED: body code 8, Pinterest's rate-limit error code. */
export function rateLimited(retryAfterSeconds: number): Reply {
  return error(
    429,
    { code: 8, message: "You have exceeded your rate limit. Try again later." },
    `Scenario: rate limit (Retry-After ${retryAfterSeconds}s)`,
    { "retry-after": String(retryAfterSeconds) },
  );
}

/** A 5xx. ASSUMED: the body's code equals the HTTP status (the spec's user_account 403 example does the same). */
export function serverError(status: number): Reply {
  return error(
    status,
    { code: status, message: "Internal server error. Try again later." },
    `Scenario: server error ${status}`,
  );
}
