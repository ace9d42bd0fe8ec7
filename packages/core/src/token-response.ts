import { InvalidResponseError, isInvalidGrant, PinterestApiError, type PinterestErrorDetails } from "./errors.ts";
import type { components } from "./generated/openapi.gen.ts";
import { tokenResponseSchemas } from "./generated/schemas.gen.ts";
import { parseRetryAfter } from "./retry.ts";
import { type TokenResponseBody, type TokenResponseType, type TokenSet, toTokenSet } from "./token-set.ts";
import { formatIssues, validate } from "./validate.ts";

/** What to do about a failed call, by operation and answer. */
function hintFor(operation: string, details: PinterestErrorDetails): string {
  if (isInvalidGrant(details))
    return operation === "the code exchange"
      ? "The code is invalid, expired or already used, or redirect_uri differs from the one sent to the authorize URL. Start the authorization again."
      : "The refresh token is invalid, expired, revoked or already rotated away. The user must authorize again.";
  const { status, retryAfterMs } = details;
  if (status === 401) return "Check clientId and clientSecret (they go in HTTP Basic auth).";
  if (status === 403) return "The app is not allowed to do this: check its access level and the scopes it asks for.";
  if (status === 429)
    return `Rate limited${retryAfterMs === undefined ? "" : ` (Retry-After: ${Math.ceil(retryAfterMs / 1000)} s)`}: retry later.`;
  return status >= 500 ? "Pinterest had a problem: retry later." : "Check the request parameters.";
}

/** The error for a non-2xx answer: Pinterest's `{ code, message }` when the body has that shape. */
export function apiError(operation: string, response: Response, text: string, now: number): PinterestApiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  const parsed =
    validate(tokenResponseSchemas, "Error", body).length === 0 ? (body as components["schemas"]["Error"]) : undefined;
  const details: PinterestErrorDetails = {
    status: response.status,
    pinterestCode: parsed?.code,
    pinterestMessage: parsed?.message,
    requestId: response.headers.get("x-pinterest-rid") ?? undefined,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), now),
  };
  return new PinterestApiError(operation, details, hintFor(operation, details));
}

/**
 * Reads a 2xx token answer: JSON, valid against the spec's `OauthAccessTokenResponse`, with lifetimes that have not
 * already run out (a zero or negative `expires_in` would hand out an expired token). Nothing is trusted otherwise.
 */
export function readTokenResponse(
  operation: string,
  response: Response,
  text: string,
  grant: TokenResponseType,
  now: number,
  previous?: Pick<TokenSet, "refreshToken" | "refreshTokenExpiresAt">,
): TokenSet {
  let body: TokenResponseBody & { refresh_token_expires_in?: number };
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidResponseError(operation, response.status, [
      `the body is not JSON (content-type ${response.headers.get("content-type") ?? "none"})`,
    ]);
  }
  const issues = formatIssues(validate(tokenResponseSchemas, "OauthAccessTokenResponse", body));
  if (issues) throw new InvalidResponseError(operation, response.status, issues.split("; "));
  for (const name of ["expires_in", "refresh_token_expires_in"] as const) {
    const seconds = body[name];
    if (seconds !== undefined && !(seconds > 0))
      throw new InvalidResponseError(operation, response.status, [
        `/${name}: expected a positive number of seconds, got ${seconds}`,
      ]);
  }
  return toTokenSet(body, grant, now, previous);
}
