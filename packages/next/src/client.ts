"use client";
/**
 * The Next.js bridge for the browser: `<PinterestRouterRefresh />` makes Server Components follow sign-in and
 * sign-out without a reload. It listens to the session changes that `@pintoken/react` (or any code following the
 * HTTP contract) announces on the `BroadcastChannel` named `pintoken:` + `basePath`, in this tab and the others, and
 * calls `router.refresh()` when the session's status or scopes changed: the server renders the page again with the
 * new cookie. `@pintoken/react` itself stays free of Next.js.
 *
 * @example
 * ```tsx
 * // app/layout.tsx
 * import { PinterestRouterRefresh } from "@pintoken/next/client";
 * import { PinterestAuthProvider } from "@pintoken/react";
 *
 * <PinterestAuthProvider>
 *   <PinterestRouterRefresh />
 *   {children}
 * </PinterestAuthProvider>
 * ```
 *
 * @module
 */
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { SessionJson, SessionMessage } from "./contract.ts";

/**
 * Props of {@link PinterestRouterRefresh}.
 *
 * @example
 * ```tsx
 * const props: PinterestRouterRefreshProps = { basePath: "/api/pinterest" };
 * ```
 */
export interface PinterestRouterRefreshProps {
  /** Where the route handler is mounted (the provider's `basePath`). Default `"/api/pinterest"`. */
  basePath?: string | undefined;
}

/** What Server Components render differently for: signed in or not, and with which scopes. */
function renderedAs(session: SessionJson): string {
  return session.status === "authenticated" ? `in:${[...session.scopes].sort().join(",")}` : "out";
}

/**
 * Calls `router.refresh()` when the session changes from signed out to signed in, back, or to other scopes (a
 * refreshed access token alone changes nothing the server renders). Renders nothing; put it once in the root
 * layout, inside or beside `<PinterestAuthProvider>`.
 *
 * @example
 * ```tsx
 * <PinterestAuthProvider>
 *   <PinterestRouterRefresh />
 *   {children}
 * </PinterestAuthProvider>
 * ```
 */
export function PinterestRouterRefresh({ basePath = "/api/pinterest" }: PinterestRouterRefreshProps): null {
  const router = useRouter();
  useEffect(() => {
    if (typeof BroadcastChannel !== "function") return;
    const channel = new BroadcastChannel(`pintoken:${basePath.replace(/\/+$/, "")}`);
    channel.onmessage = ({ data }: MessageEvent<Partial<SessionMessage> | null>) => {
      const { session, previous } = data ?? {};
      if (data?.type !== "session" || !session?.status || !previous?.status) return;
      if (renderedAs(session) !== renderedAs(previous)) router.refresh();
    };
    return () => channel.close();
  }, [basePath, router]);
  return null;
}
