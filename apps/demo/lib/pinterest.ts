import { createPinterestAuth } from "@pintoken/next";
import { RedisTokenStore } from "@pintoken/redis";
import { createClient } from "redis";

const connectTimeoutMs = 10_000;

/**
 * Store mode on Redis when `REDIS_URL` is set (`redis://127.0.0.1:6379`): the tokens live in Redis (encrypted with
 * `PINTOKEN_STORE_SECRET` when set; on the mock the launcher sets a fresh one) and the cookie holds only an opaque
 * session id. Next.js loads this module once per bundle (proxy, pages, route handlers): each copy opens its own
 * connection, and they all meet in Redis. `next build` loads it without connecting.
 */
async function redisStore(url: string | undefined): Promise<RedisTokenStore | undefined> {
  if (!url || process.env.NEXT_PHASE === "phase-production-build") return undefined;
  // node-redis reconnects by itself after a lost connection; each failure is logged (never with a token).
  const client = createClient({ url }).on("error", (error: Error) => console.error(`Redis: ${error.message}`));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("no connection")), connectTimeoutMs);
      }),
    ]);
  } catch {
    client.destroy();
    throw new Error(
      `REDIS_URL is set, but Redis did not accept a connection within ${connectTimeoutMs / 1000} s. Start Redis ` +
        "there (redis-server), or unset REDIS_URL to keep the sessions in cookies.",
    );
  } finally {
    clearTimeout(timer);
  }
  return new RedisTokenStore({ client, secret: process.env.PINTOKEN_STORE_SECRET || undefined });
}

/**
 * The app's Pinterest sign-in. In cookie mode (the default) the token set lives in an encrypted, HttpOnly cookie, and
 * `proxy.ts` refreshes it before a page renders, so a Server Component never has to; with `REDIS_URL`, in store mode
 * on Redis (see above), as several instances of the app would run.
 *
 * Everything else comes from the environment, which `pnpm demo` sets: `PINTEREST_CLIENT_ID`,
 * `PINTEREST_CLIENT_SECRET`, `PINTOKEN_SECRET`, and on the mock `PINTEREST_API_BASE_URL` and
 * `PINTEREST_AUTHORIZATION_URL`. The connect form asks for the scopes the person picks.
 */
export const pinterest = createPinterestAuth({
  scopes: ["user_accounts:read"],
  store: await redisStore(process.env.REDIS_URL),
});
