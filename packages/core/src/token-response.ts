import { InvalidResponseError, PinterestApiError } from "./errors.ts";
import { errorShape, tokenResponseShape } from "./generated/token-checks.gen.ts";
import { quoted } from "./quoted.ts";
import { parseRetryAfter } from "./retry.ts";
import { check, describeValue } from "./token-check.ts";
import { type TokenResponseType, type TokenSet, toTokenSet } from "./token-set.ts";

/**
 * Longest lifetime believed: far beyond any real one, and short enough that every expiry is a valid date (a value like
 * 1e305 would make `expiresAt` Infinity, which JSON stores as null: the saved set could not be read back).
 */
const maxLifetimeSeconds = 100 * 365 * 86_400;

/** What {@link readAnswer} reads: one answer of the token endpoint and what it answers. */
export interface TokenAnswer {
  /** What the call did, for messages, e.g. `"the token refresh"`. */
  operation: string;
  /** The response (its status and headers). */
  response: Response;
  /** Its whole body, already read. */
  text: string;
  /** When it arrived (epoch ms): lifetimes count from then. */
  receivedAt: number;
  /** The grant asked for; none for a revocation. */
  grant?: TokenResponseType | undefined;
  /** The set being refreshed: its refresh token is kept when the answer carries none. */
  previous?: Pick<TokenSet, "refreshToken" | "refreshTokenExpiresAt"> | undefined;
}

/**
 * Reads Pinterest's whole answer to a token call. A non-2xx throws the `PinterestApiError` it means (Pinterest's
 * `{ code, message }` when the body has that shape). A 2xx answer to a grant must be JSON, valid against the spec's
 * `OauthAccessTokenResponse`, with lifetimes that have not already run out (a zero or negative `expires_in` would
 * hand out an expired token): nothing is trusted otherwise. It gives the `TokenSet`; a revocation (no grant) gives
 * nothing.
 */
export function readAnswer({
  operation,
  response,
  text,
  receivedAt: now,
  grant,
  previous,
}: TokenAnswer): TokenSet | undefined {
  const { status, headers } = response;
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text);
  } catch {}
  if (!response.ok) {
    const ok = !check(errorShape, body).length;
    throw new PinterestApiError(operation, {
      status,
      pinterestCode: ok ? (body?.code as number) : undefined,
      pinterestMessage: ok ? quoted(body?.message as string, 300) : undefined,
      requestId: quoted(headers.get("x-pinterest-rid") ?? "", 100) || undefined,
      retryAfterMs: parseRetryAfter(headers.get("retry-after"), now),
    });
  }
  if (!grant) return;
  const issues =
    body === undefined
      ? [`the body is not JSON (content-type ${headers.get("content-type")})`]
      : check(tokenResponseShape, body);
  // Lifetimes, once the shape is right. refresh_token_expires_at is read only without refresh_token_expires_in.
  const names = issues.length ? [] : ["expires_in", "refresh_token_expires_in"];
  if (names[0] && body?.refresh_token_expires_in === undefined) names.push("refresh_token_expires_at");
  for (const name of names) {
    const value = body?.[name];
    const time = name === "refresh_token_expires_at";
    const positive = typeof value === "number" && value > 0;
    if (value !== undefined && !(positive && value <= (time ? 8.64e15 : maxLifetimeSeconds)))
      issues.push(
        `/${name}: expected a positive ${time ? "epoch time" : "number of seconds"}${positive && !time ? " (up to 100 years)" : ""}, got ${describeValue(value)}`,
      );
  }
  if (issues.length) throw new InvalidResponseError(operation, status, issues);
  return toTokenSet(body as never, grant, now, previous);
}
