/**
 * One refresh against Pinterest's real token endpoint, and what it tells about the mock's assumptions: the answer's
 * fields, whether the refresh token rotated, how long the new one lives, and what happens to the old one when it is
 * used again. Every refresh token Pinterest hands out is passed to `tell` the moment it arrives, so the caller can
 * show it to the user before anything else can fail: after a rotation the token the user gave may be dead.
 */
import { createPinterestOAuth, PinterestApiError, type TokenSet } from "@pintoken/core";

/** What the check needs: the app's credentials and a refresh token of one of its users. */
export interface LiveCheckInput {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Default Pinterest's (`https://api.pinterest.com/v5`); the suite points it at the mock. */
  baseUrl?: string | undefined;
  /** Receives what the user must see at once (each new refresh token), one message at a time. */
  tell(message: string): void;
}

/** What happened when the old refresh token was used a second time. */
export type OldTokenFate =
  | { readonly kind: "invalid_grant"; readonly status: number }
  | { readonly kind: "accepted" }
  | { readonly kind: "other-error"; readonly message: string };

/** What the check found. */
export interface LiveCheckResult {
  /** The fields of the refresh answer (names only, never values). */
  readonly answerFields: readonly string[];
  readonly responseType: unknown;
  readonly tokenSet: TokenSet;
  /** The refresh token the user must use from now on. */
  readonly currentRefreshToken: string;
  readonly rotated: boolean;
  /** Days from now until the access token and the new refresh token expire. */
  readonly accessTokenDays: number;
  readonly refreshTokenDays: number | undefined;
  readonly oldTokenFate: OldTokenFate;
  /** `GET /user_account` with the new access token (when the grant has `user_accounts:read`), else undefined. */
  readonly accountStatus: number | undefined;
}

const days = (at: number) => Math.round(((at - Date.now()) / 86_400_000) * 10) / 10;

function announce(tell: (message: string) => void, refreshToken: string, why: string): void {
  tell(
    [
      "",
      "==================== pintoken live check: YOUR REFRESH TOKEN CHANGED ====================",
      why,
      "Use this refresh token from now on (the one you passed may no longer work):",
      "",
      `  PINTEREST_REFRESH_TOKEN=${refreshToken}`,
      "",
      "Store it where your app keeps this user's tokens, or run the next check with it.",
      "==========================================================================================",
      "",
    ].join("\n"),
  );
}

/**
 * Refreshes once with `refreshToken` (no retries: a retried refresh could use the token twice), announces the new
 * refresh token, checks the new access token on `GET /user_account` when it has the scope, then refreshes with the
 * old token again and records what Pinterest answers.
 *
 * @example
 * ```ts
 * const result = await liveCheck({ clientId, clientSecret, refreshToken, tell: (m) => console.error(m) });
 * console.error(result.oldTokenFate);
 * ```
 */
export async function liveCheck(input: LiveCheckInput): Promise<LiveCheckResult> {
  const { clientId, clientSecret, refreshToken, baseUrl, tell } = input;
  let lastAnswer: Record<string, unknown> | undefined;
  const recordingFetch: typeof fetch = async (url, init) => {
    const response = await fetch(url, init);
    if (String(url).endsWith("/oauth/token") && response.ok) {
      lastAnswer = (await response.clone().json()) as Record<string, unknown>;
    }
    return response;
  };
  const oauth = createPinterestOAuth({
    clientId,
    clientSecret,
    ...(baseUrl ? { baseUrl } : {}),
    retry: false,
    fetch: recordingFetch,
  });

  let tokenSet: TokenSet;
  try {
    tokenSet = await oauth.refresh({ refreshToken });
  } catch (error) {
    if (error instanceof PinterestApiError && error.isInvalidGrant) {
      throw new Error(
        "Pinterest refused the refresh token you gave (invalid_grant): it is expired, revoked or was rotated away. Sign in again to get a new one; nothing changed.",
        { cause: error },
      );
    }
    if (error instanceof PinterestApiError) throw error; // an HTTP error answer: Pinterest did not use the token
    tell(
      "The refresh got no answer: Pinterest may or may not have rotated your refresh token. Try the same token once more; if it is refused, sign in again.",
    );
    throw error;
  }
  const answer = lastAnswer ?? {};
  const current = tokenSet.refreshToken ?? refreshToken;
  const rotated = current !== refreshToken;
  if (rotated) announce(tell, current, "Pinterest rotated the refresh token on this refresh.");
  else tell("Pinterest answered the refresh without a new refresh token: keep using the one you have.");

  let accountStatus: number | undefined;
  if (tokenSet.scopes.includes("user_accounts:read")) {
    const response = await fetch(`${oauth.baseUrl}/user_account`, {
      headers: { authorization: `Bearer ${tokenSet.accessToken}` },
    });
    accountStatus = response.status;
    await response.body?.cancel();
  }

  let oldTokenFate: OldTokenFate;
  let latest = current;
  try {
    const again = await oauth.refresh({ refreshToken });
    oldTokenFate = { kind: "accepted" };
    if (again.refreshToken && again.refreshToken !== current) {
      latest = again.refreshToken;
      announce(
        tell,
        latest,
        "Pinterest accepted the OLD refresh token a second time and rotated again: this newest one is the safest to keep.",
      );
    }
  } catch (error) {
    oldTokenFate =
      error instanceof PinterestApiError && error.isInvalidGrant
        ? { kind: "invalid_grant", status: error.status }
        : { kind: "other-error", message: error instanceof Error ? error.message : String(error) };
  }

  return {
    answerFields: Object.keys(answer).sort(),
    responseType: answer.response_type,
    tokenSet,
    currentRefreshToken: latest,
    rotated,
    accessTokenDays: days(tokenSet.expiresAt),
    refreshTokenDays: tokenSet.refreshTokenExpiresAt === undefined ? undefined : days(tokenSet.refreshTokenExpiresAt),
    oldTokenFate,
    accountStatus,
  };
}
