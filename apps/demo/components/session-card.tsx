"use client";
import { useExpiresIn, usePinterestAuth } from "@pintoken/react";
import { useState } from "react";
import { formatDuration } from "@/lib/format";

/**
 * The session as the browser knows it (metadata only): granted scopes, a live countdown to the access token's expiry,
 * the refresh token's expiry, and "Refresh now" / "Disconnect". Times show once mounted: the server's clock and time
 * zone are not the browser's.
 */
export function SessionCard() {
  const { session, refresh, logout } = usePinterestAuth();
  const expiresIn = useExpiresIn(1000); // null until mounted
  const [busy, setBusy] = useState<"refresh" | "logout" | null>(null);
  if (!session) return null;
  const run = async (action: "refresh" | "logout") => {
    setBusy(action);
    await (action === "refresh" ? refresh() : logout());
    setBusy(null);
  };
  const mounted = expiresIn !== null;

  return (
    <section className="card" data-testid="session" data-expires-at={session.expiresAt}>
      <h2>Session</h2>
      <dl>
        <dt>Access token</dt>
        <dd data-testid="access-expiry">
          expires in <strong className="countdown">{mounted ? formatDuration(expiresIn) : "…"}</strong>
          {mounted && <span className="muted"> at {new Date(session.expiresAt).toLocaleTimeString()}</span>}
        </dd>
        <dt>Refresh token</dt>
        <dd data-testid="refresh-expiry">
          {session.refreshTokenExpiresAt === null
            ? "expiry not known"
            : mounted && `expires ${new Date(session.refreshTokenExpiresAt).toLocaleString()}`}
        </dd>
        <dt>Granted scopes</dt>
        <dd>
          <ul className="scopes" data-testid="scopes">
            {session.scopes.map((scope) => (
              <li key={scope}>
                <code>{scope}</code>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <div className="actions">
        <button type="button" className="primary" disabled={busy !== null} onClick={() => run("refresh")}>
          {busy === "refresh" ? "Refreshing…" : "Refresh now"}
        </button>
        <button type="button" disabled={busy !== null} onClick={() => run("logout")}>
          {busy === "logout" ? "Disconnecting…" : "Disconnect"}
        </button>
      </div>
      <p className="muted small">
        The access token is refreshed on its own a minute before it expires (in whichever tab is visible), and before a
        page renders when it is close to expiry. Each refresh rotates the refresh token.
      </p>
    </section>
  );
}
