"use client";
import { usePinterestAuth } from "@pintoken/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

/** What the way on does: refresh the session first, render the page again, or take note that it ended. */
export type AccountRetryMode = "refresh" | "retry" | "ended";

const labels: Record<AccountRetryMode, string> = {
  refresh: "Refresh now",
  retry: "Try again",
  ended: "Connect again",
};

/**
 * The way on when the server could not read the account: refresh the session first (which tells whether Pinterest
 * still accepts the grant, and signs out if not) then render the page again; just render it again; or, when the server
 * already ended the session (Pinterest no longer accepts the grant), have this tab learn it: the connect form follows.
 */
export function AccountRetry({ mode }: { mode: AccountRetryMode }) {
  const { refresh, reload } = usePinterestAuth();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="primary"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        if (mode === "ended") await reload();
        else if ((mode === "refresh" ? await refresh() : undefined)?.status !== "unauthenticated") router.refresh();
        setBusy(false);
      }}
    >
      {busy ? "Working…" : labels[mode]}
    </button>
  );
}
