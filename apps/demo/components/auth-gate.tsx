"use client";
import { usePinterestAuth } from "@pintoken/react";
import { useRouter } from "next/navigation";
import { type ReactNode, useEffect, useState, useTransition } from "react";
import { AuthNotice } from "./auth-notice";

interface AuthGateProps {
  /** The session status the server rendered this page with. */
  serverStatus: "authenticated" | "unauthenticated";
  /** What a connected person sees (rendered by the server only when it found a session). */
  children?: ReactNode;
  /** What everyone else sees. */
  signedOut: ReactNode;
}

/**
 * Shows the page for the session as this tab knows it now. The hook learns of changes made elsewhere (a disconnect
 * in another tab, a grant Pinterest no longer accepts) before the server has rendered anything for them: the gate
 * switches at once, and asks the server to render the page again (`router.refresh()`) so that Server Components
 * follow.
 */
export function AuthGate({ serverStatus, children, signedOut }: AuthGateProps) {
  const auth = usePinterestAuth();
  const router = useRouter();
  const [rendering, startTransition] = useTransition();
  const [asked, setAsked] = useState(false);
  const settled = auth.status === "authenticated" || auth.status === "unauthenticated";
  const stale = settled && auth.status !== serverStatus;
  useEffect(() => {
    if (!stale) return setAsked(false);
    startTransition(() => {
      setAsked(true);
      router.refresh();
    });
  }, [stale, router]);

  if (auth.status === "loading") return <p className="muted">Checking your Pinterest connection…</p>;
  if (auth.status === "error") return <AuthNotice />;
  if (auth.status === "unauthenticated") {
    return (
      <>
        <AuthNotice />
        {signedOut}
      </>
    );
  }
  if (!stale) {
    return (
      <>
        <AuthNotice />
        {children}
      </>
    );
  }
  if (!asked || rendering) return <p className="muted">Loading your account…</p>;
  // The server rendered the page again and still found no session, while this tab holds one: let a reload settle it.
  return (
    <div className="notice" role="alert">
      <strong>This tab is out of step with the server</strong>
      <p>The server found no session for this browser. Reload the page to see where things stand.</p>
      <button type="button" className="primary" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}
