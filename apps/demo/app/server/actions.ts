"use server";
import { readAccount } from "@/lib/account";
import { pinterest } from "@/lib/pinterest";

/** One run of {@link callPinterest}, as the browser gets it: what happened, never a token. */
export interface ActionRun {
  at: number;
  username?: string | undefined;
  failure?: string | undefined;
  /** The access token's expiry after the call (a Server Action can write cookies, so a refresh here is kept). */
  expiresAt?: number | undefined;
}

/**
 * A Server Action: `getAccessToken()` (refreshing first when due) and `GET /user_account`, on the server. Keeps the
 * last five runs. From a tab whose session ended elsewhere, it says `not_signed_in`.
 */
export async function callPinterest(previous: ActionRun[]): Promise<ActionRun[]> {
  const result = await readAccount();
  const session = await pinterest.getSession();
  const run: ActionRun = {
    at: result.calledAt,
    username: result.ok ? result.account.username : undefined,
    failure: result.ok ? undefined : result.failure,
    expiresAt: session.status === "authenticated" ? session.expiresAt : undefined,
  };
  return [run, ...previous].slice(0, 5);
}
