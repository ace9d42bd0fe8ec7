import { InvalidResponseError, PinterestApiError, type PinterestErrorDetails } from "./errors.ts";
import type { components } from "./generated/openapi.gen.ts";
import { errorShape, tokenResponseShape } from "./generated/token-checks.gen.ts";
import { parseRetryAfter } from "./retry.ts";
import { type TokenResponseType, type TokenSet, toTokenSet } from "./token-set.ts";
import { check } from "./token-check.ts";

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The error for a non-2xx answer: Pinterest's `{ code, message }` when the body has that shape. */
export function apiError(operation: string, response: Response, text: string, now: number): PinterestApiError {
  const body = parse(text) as components["schemas"]["Error"];
  const ok = !check(errorShape, body).length;
  const details: PinterestErrorDetails = {
    status: response.status,
    pinterestCode: ok ? body.code : undefined,
    pinterestMessage: ok ? body.message : undefined,
    requestId: response.headers.get("x-pinterest-rid") ?? undefined,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), now),
  };
  return new PinterestApiError(operation, details);
}

/** Lifetimes in a token answer that must be positive: one of 0 or less would hand out an expired token. */
const lifetimes = ["expires_in", "refresh_token_expires_in"] as const;

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
  const body = parse(text) as Record<string, number> | undefined;
  const fail = (issues: string[]) => new InvalidResponseError(operation, response.status, issues);
  if (body === undefined) throw fail([`the body is not JSON (content-type ${response.headers.get("content-type")})`]);
  const issues = check(tokenResponseShape, body);
  if (issues.length) throw fail(issues);
  for (const name of lifetimes)
    if ((body[name] ?? 1) <= 0) throw fail([`/${name}: expected a positive number of seconds, got ${body[name]}`]);
  return toTokenSet(body as never, grant, now, previous);
}
