import type { AccountFailure } from "@/lib/account";
import { readAccount } from "@/lib/account";
import { formatUtc } from "@/lib/format";
import { explain } from "@/lib/messages";
import { AccountRetry, type AccountRetryMode } from "./account-retry";

/** The way on for each failure: the session ended on the server, the token was refused, or Pinterest failed. */
function retryMode(failure: AccountFailure): AccountRetryMode {
  if (failure === "reauthorization_required" || failure === "not_signed_in") return "ended";
  return failure === "token_rejected" ? "refresh" : "retry";
}

const numbers = [
  ["board_count", "boards"],
  ["pin_count", "Pins"],
  ["follower_count", "followers"],
  ["following_count", "following"],
  ["monthly_views", "monthly views"],
] as const;

/**
 * A Server Component: reads the account with `GET /user_account` on the server (`readAccount()`), through
 * `pinterest.api()`, the client bound to the session. Only the account reaches the browser.
 */
export async function AccountCard() {
  const outcome = await readAccount();
  if (!outcome.ok) {
    const { title, detail } = explain(outcome.failure, "");
    return (
      <section className="card notice" role="alert" data-testid="account-error" data-code={outcome.failure}>
        <strong>{title}</strong>
        <p>
          {detail}
          {outcome.status ? ` (HTTP ${outcome.status})` : ""}
        </p>
        {outcome.failure !== "missing_scope" && <AccountRetry mode={retryMode(outcome.failure)} />}
      </section>
    );
  }
  const { account, calledAt } = outcome;
  return (
    <section className="card account" data-testid="account">
      <div className="who">
        {account.profile_image && <img src={account.profile_image} alt="" width={64} height={64} />}
        <div>
          <h1>{account.business_name || account.username}</h1>
          <p className="muted">
            <span data-testid="username">@{account.username}</span>
            {account.account_type && <span className="tag">{account.account_type.toLowerCase()}</span>}
          </p>
        </div>
      </div>
      {account.about && <p>{account.about}</p>}
      <ul className="stats">
        {numbers.map(([field, label]) =>
          typeof account[field] === "number" ? (
            <li key={field}>
              <strong>{account[field].toLocaleString("en")}</strong> {label}
            </li>
          ) : null,
        )}
      </ul>
      <p className="muted small">
        <code>GET /user_account</code>, called on the server at {formatUtc(calledAt)} with <code>pinterest.api()</code>.
      </p>
    </section>
  );
}
