"use client";
import { usePinterestAuth } from "@pintoken/react";
import { useActionState, useEffect } from "react";
import { type ActionRun, callPinterest } from "@/app/server/actions";
import { explain } from "@/lib/messages";

/** Runs the Server Action `callPinterest` and lists what it returned. */
export function ActionPanel() {
  const [runs, run, pending] = useActionState(callPinterest, [] as ActionRun[]);
  const { refresh } = usePinterestAuth();
  const latest = runs[0];
  useEffect(() => {
    // The server found no usable session (ended in another tab without this one hearing of it): asking the route
    // handler signs this tab, and every other, out with the reason.
    if (latest?.failure === "not_signed_in" || latest?.failure === "reauthorization_required") void refresh();
  }, [latest, refresh]);

  return (
    <div data-testid="action-panel">
      <form action={run}>
        <button type="submit" className="primary" disabled={pending}>
          {pending ? "Calling Pinterest…" : "Call Pinterest from a Server Action"}
        </button>
      </form>
      {runs.length > 0 && (
        <ol className="runs" data-testid="action-runs">
          {runs.map((entry) => (
            <li key={entry.at} data-testid="action-run" data-ok={entry.username ? "true" : "false"}>
              <span className="muted">{new Date(entry.at).toLocaleTimeString()}</span>{" "}
              {entry.username ? (
                <>
                  <code>GET /user_account</code> → <strong>@{entry.username}</strong>
                </>
              ) : (
                <strong>{explain(entry.failure ?? "", "The call failed.").title}</strong>
              )}
              {entry.expiresAt !== undefined && (
                <span className="muted"> · token valid until {new Date(entry.expiresAt).toLocaleTimeString()}</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
