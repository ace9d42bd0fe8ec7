import { ActionPanel } from "@/components/action-panel";
import { AuthGate } from "@/components/auth-gate";
import { Connect } from "@/components/connect";
import { readAccount } from "@/lib/account";
import { formatUtc } from "@/lib/format";
import { explain } from "@/lib/messages";
import { pinterest } from "@/lib/pinterest";

/** A Server Component and a Server Action using the token, and what two tabs of one browser share. */
export default async function ServerPage() {
  const session = await pinterest.getSession();
  const account = session.status === "authenticated" ? await readAccount() : undefined;
  return (
    <AuthGate serverStatus={session.status} signedOut={<Connect returnTo="/server" />}>
      {account && (
        <div className="stack">
          <section className="card" data-testid="server-component">
            <h2>A Server Component</h2>
            <p>
              This section was rendered on the server at <strong>{formatUtc(account.calledAt)}</strong>. It called{" "}
              <code>getSession()</code>, then <code>GET /user_account</code> with <code>pinterest.api()</code>:{" "}
              {account.ok ? (
                <strong data-testid="server-username">@{account.account.username}</strong>
              ) : (
                <strong>{explain(account.failure, "").title}</strong>
              )}
              .
            </p>
            <p className="muted small">
              A Server Component cannot write cookies, so it must not be the one to refresh a token (the rotated refresh
              token could not be saved). <code>proxy.ts</code> refreshes a token that is close to expiry before the page
              renders; here <code>api()</code> then finds it fresh.
            </p>
          </section>
          <section className="card">
            <h2>A Server Action</h2>
            <p>
              Each click runs <code>callPinterest()</code> on the server: <code>pinterest.api()</code> (refreshing first
              when due; a Server Action can write the rotated cookie) and <code>GET /user_account</code>. It returns
              what happened, never the token.
            </p>
            <ActionPanel />
          </section>
          <section className="card">
            <h2>Two tabs</h2>
            <p>
              <a href="/server" target="_blank" rel="noopener">
                Open this page in another tab
              </a>
              . Both tabs share one session: one cookie, sent with every request.
            </p>
            <ul className="facts">
              <li>
                <strong>Refresh now</strong> in one tab: the other tab&apos;s countdown follows at once (the tabs tell
                each other on a <code>BroadcastChannel</code>).
              </li>
              <li>
                <strong>Disconnect</strong> in one tab: the other shows the connect form at once, and its server parts
                render again, signed out.
              </li>
              <li>
                A Server Action from a tab that missed the news finds no session on the server, says so, and that tab
                signs out too.
              </li>
              <li>Two tabs that find the token due at the same moment share one refresh on the server.</li>
            </ul>
          </section>
        </div>
      )}
    </AuthGate>
  );
}
