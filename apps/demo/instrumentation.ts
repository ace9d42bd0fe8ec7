// Loads the Pinterest configuration when the server starts, so that a missing or invalid setting stops `next start`
// with a message saying what to set, instead of failing the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/pinterest");
}
