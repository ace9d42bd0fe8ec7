"use client";
import { type PinterestAuthError, usePinterestAuth } from "@pintoken/react";
import { useState } from "react";
import { explain } from "@/lib/messages";

/**
 * The last failure the hook knows of (a sign-in that came back with an error, a refresh that failed, a session
 * that ended), explained, with a way on: "Try again" where retrying helps, the connect form below otherwise.
 */
export function AuthNotice() {
  const { status, error, refresh } = usePinterestAuth();
  const [dismissed, setDismissed] = useState<PinterestAuthError | null>(null);
  const [busy, setBusy] = useState(false);
  if (!error || error === dismissed) return null;
  const { title, detail } =
    error.code === "pinterest_unavailable" && status === "unauthenticated"
      ? explain("pinterest_unavailable_sign_in", error.message)
      : explain(error.code, error.message);
  // A failed refresh leaves the person connected: retrying is the way on. Signed out, the connect form is.
  const retry = status === "authenticated" || status === "error";
  return (
    <div className="notice" role="alert" data-testid="auth-error" data-code={error.code}>
      <strong>{title}</strong>
      <p>{detail}</p>
      <div className="actions">
        {retry && (
          <button
            type="button"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              await (status === "error" ? window.location.reload() : refresh());
              setBusy(false);
            }}
          >
            {busy ? "Trying…" : "Try again"}
          </button>
        )}
        <button type="button" className="quiet" onClick={() => setDismissed(error)}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
