import { readAccount } from "@/lib/account";
import { formatUtc } from "@/lib/format";
import { explain } from "@/lib/messages";
import { AccountRetry } from "./account-retry";

const numbers = [
  ["board_count", "boards"],
  ["pin_count", "Pins"],
  ["follower_count", "followers"],
  ["following_count", "following"],
  ["monthly_views", "monthly views"],
] as const;

/**
 * A Server Component: reads the account with `GET /user_account` on the server (`readAccount()`), with the access
 * token from `getAccessToken()`. Only the account reaches the browser.
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
        {outcome.failure !== "missing_scope" && (
          <AccountRetry refreshFirst={outcome.failure !== "pinterest_unavailable" && outcome.failure !== "api_error"} />
        )}
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
        <code>GET /user_account</code>, called on the server at {formatUtc(calledAt)} with the token from{" "}
        <code>getAccessToken()</code>.
      </p>
    </section>
  );
}
