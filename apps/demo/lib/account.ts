import type { components } from "@pintoken/core/api";
import { isTransient, ReauthorizationRequiredError } from "@pintoken/next";
import { pinterest } from "./pinterest";

/** The account as Pinterest's `GET /user_account` describes it. */
export type Account = components["schemas"]["Account"];

/** Why the account could not be read, for a message the person can act on. */
export type AccountFailure =
  /** No session (ended in another tab?): connect again. */
  | "not_signed_in"
  /** Pinterest no longer accepts the grant (the session was ended): connect again. */
  | "reauthorization_required"
  /** Pinterest refused the access token (revoked at Pinterest?): a refresh tells whether the grant still works. */
  | "token_rejected"
  /** The grant lacks the `user_accounts:read` scope (a login link that left it out): connect again with it. */
  | "missing_scope"
  /** Pinterest could not be reached, was too slow, or answered 429/5xx: try again later. */
  | "pinterest_unavailable"
  /** Any other answer from Pinterest. */
  | "api_error";

/** The outcome of {@link readAccount}: the account, or why not. Plain data, safe to hand to the browser. */
export type AccountResult =
  | { ok: true; account: Account; calledAt: number }
  | { ok: false; failure: AccountFailure; status?: number; calledAt: number };

/**
 * Calls `GET /user_account` on the server for the session's user, with `pinterest.api()`: the typed client gets the
 * access token (refreshed first when it is about to expire) and, on a 401, refreshes once and replays the request. The
 * token never leaves the server, only the account does.
 */
export async function readAccount(): Promise<AccountResult> {
  const calledAt = Date.now();
  if ((await pinterest.getSession()).status !== "authenticated")
    return { ok: false, failure: "not_signed_in", calledAt };
  try {
    const { data, response } = await pinterest.api().GET("/user_account", { signal: AbortSignal.timeout(10_000) });
    if (data) return { ok: true, account: data, calledAt };
    const { status } = response;
    const failure =
      status === 401
        ? "token_rejected" // refused even after a refresh: revoked at Pinterest?
        : status === 403
          ? "missing_scope"
          : status === 429 || status >= 500
            ? "pinterest_unavailable"
            : "api_error";
    return { ok: false, failure, status, calledAt };
  } catch (error) {
    if (error instanceof ReauthorizationRequiredError)
      return { ok: false, failure: "reauthorization_required", calledAt };
    // Pinterest unreachable, too slow or failing while a refresh was due; or the request itself got no answer.
    if (isTransient(error) || (error instanceof Error && error.name === "TimeoutError"))
      return { ok: false, failure: "pinterest_unavailable", calledAt };
    throw error;
  }
}
