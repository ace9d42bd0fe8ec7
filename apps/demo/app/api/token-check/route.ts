// A Route Handler that needs the session's access token on the server: `getAccessToken()` refreshes it first when it
// is about to expire (one refresh for every concurrent request), and the answer says only whether that worked and
// until when the token is valid, never the token. The load benchmark (bench/load.ts) drives it with 100 connections.
import { isTransient, ReauthorizationRequiredError } from "@pintoken/next";
import { pinterest } from "@/lib/pinterest";

const answer = (status: number, body: object) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

export async function GET(): Promise<Response> {
  try {
    await pinterest.getAccessToken();
  } catch (error) {
    // No session, or Pinterest no longer accepts the grant (the session was then ended): sign in again.
    if (error instanceof ReauthorizationRequiredError)
      return answer(401, { ok: false, error: "reauthorization_required" });
    // Pinterest unreachable, too slow or answering 429/5xx while the token had to be refreshed: the session is kept.
    if (isTransient(error)) return answer(503, { ok: false, error: "pinterest_unavailable" });
    // Anything else (Pinterest refused the refresh for another reason): never rethrown, since Next.js would log the
    // error's message, and with it the text Pinterest sent. Its class and code say enough.
    const { name, code } = error as { name?: unknown; code?: unknown };
    console.error(`token-check: the access token could not be had (${String(name)}, ${String(code)})`);
    return answer(502, { ok: false, error: "pinterest_error" });
  }
  const session = await pinterest.getSession();
  // Signed out by another request in the meantime.
  if (session.status !== "authenticated") return answer(401, { ok: false, error: "reauthorization_required" });
  return answer(200, { ok: true, expiresAt: session.expiresAt });
}
