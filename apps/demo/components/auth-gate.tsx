"use client";
import { usePinterestAuth } from "@pintoken/react";
import type { ReactNode } from "react";
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
 * switches at once, and `<PinterestRouterRefresh />` (in the layout) has the server render the page again, so that
 * Server Components follow.
 */
export function AuthGate({ serverStatus, children, signedOut }: AuthGateProps) {
  const auth = usePinterestAuth();
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
  // Connected in this tab, but the server rendered the page signed out: its new rendering is on its way.
  if (serverStatus !== "authenticated") return <p className="muted">Loading your account…</p>;
  return (
    <>
      <AuthNotice />
      {children}
    </>
  );
}
