import { pinterest } from "@/lib/pinterest";

// Refreshes a session whose access token is about to expire before the page renders, and writes the rotated cookie:
// Server Components cannot write cookies, so they should never be the ones to refresh.
export const proxy = pinterest.proxy;

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/pinterest).*)"],
};
