import { InvalidResponseError, PinterestApiError, type PinterestErrorDetails } from "./errors.ts";
import type { components } from "./generated/openapi.gen.ts";
import { errorShape, tokenResponseShape } from "./generated/token-checks.gen.ts";
import { quoted } from "./quoted.ts";
import { parseRetryAfter } from "./retry.ts";
import { check, show } from "./token-check.ts";
import { type TokenResponseType, type TokenSet, toTokenSet } from "./token-set.ts";

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
    pinterestMessage: ok ? quoted(body.message, 300) : undefined,
    requestId: ((rid) => (rid === null ? undefined : quoted(rid, 100)))(response.headers.get("x-pinterest-rid")),
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), now),
  };
  return new PinterestApiError(operation, details);
}

/** Lifetimes in a token answer that must be positive: one of 0 or less would hand out an expired token. */
const lifetimes = ["expires_in", "refresh_token_expires_in"] as const;
/**
 * Longest lifetime believed: far beyond any real one, and short enough that every expiry is a valid date (a value like
 * 1e305 would make `expiresAt` Infinity, which JSON stores as null: the saved set could not be read back).
 */
const maxLifetimeSeconds = 100 * 365 * 86_400;
/** A lifetime from the answer, as an error shows it: a number as it is, anything else as `check` describes it. */
const shown = (value: unknown) => (typeof value === "number" ? `${value}` : show(value));

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
  for (const name of lifetimes) {
    const seconds = body[name] ?? 1;
    if (!(typeof seconds === "number" && seconds > 0 && seconds <= maxLifetimeSeconds))
      throw fail([
        `/${name}: expected a positive number of seconds${typeof seconds === "number" && seconds > 0 ? " (up to 100 years)" : ""}, got ${shown(seconds)}`,
      ]);
  }
  // Read only without refresh_token_expires_in (see toTokenSet).
  const at = body.refresh_token_expires_in === undefined ? body.refresh_token_expires_at : undefined;
  if (at !== undefined && !(typeof at === "number" && at > 0 && at < 8.64e15))
    throw fail([`/refresh_token_expires_at: expected a positive epoch time, got ${shown(at)}`]);
  return toTokenSet(body as never, grant, now, previous);
}
