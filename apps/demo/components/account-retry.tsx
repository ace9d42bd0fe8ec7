"use client";
import { usePinterestAuth } from "@pintoken/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

/**
 * The way on when the server could not read the account: refresh the session first (which tells whether Pinterest
 * still accepts the grant, and signs out if not), then render the page again.
 */
export function AccountRetry({ refreshFirst }: { refreshFirst: boolean }) {
  const { refresh } = usePinterestAuth();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="primary"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        const after = refreshFirst ? await refresh() : undefined;
        if (after?.status !== "unauthenticated") router.refresh();
        setBusy(false);
      }}
    >
      {busy ? "Working…" : refreshFirst ? "Refresh now" : "Try again"}
    </button>
  );
}
