/**
 * Memory: what pintoken keeps per request must go with the request. `createAuthMiddleware` holds a copy of each
 * request (to replay it after a 401) until its response; when a later middleware answers instead, its `onResponse`
 * never runs, and the copy must still be collectable. Runs N requests answered by a caching middleware, forces a
 * garbage collection, and counts the copies still alive (expected: none). Exits with status 1 if any are.
 *
 * Run: pnpm --filter @pintoken/bench run bench:memory
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createAuthMiddleware, createPinterestOAuth, createTokenManager, MemoryTokenStore } from "@pintoken/core";
import type { paths } from "@pintoken/core/api";
import createClient, { type Middleware } from "openapi-fetch";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const requests = 2_000;
const store = new MemoryTokenStore();
const now = Date.now();
await store.set("default", {
  accessToken: "pina_memory",
  tokenType: "bearer",
  scopes: ["user_accounts:read"],
  expiresAt: now + 86_400_000,
  refreshToken: "pinr_memory",
  refreshTokenExpiresAt: now + 60 * 86_400_000,
  responseType: "authorization_code",
});
const oauth = createPinterestOAuth({
  clientId: "1",
  clientSecret: "s",
  fetch: () => Promise.reject(new Error("no calls")),
});
const manager = createTokenManager({ oauth, store });

const kept: WeakRef<Request>[] = [];
const clone = Request.prototype.clone;
Request.prototype.clone = function (this: Request) {
  const copy = clone.call(this);
  kept.push(new WeakRef(copy));
  return copy;
};
const cache: Middleware = {
  onRequest: () => new Response("{}", { headers: { "content-type": "application/json" } }),
};
const client = createClient<paths>({
  baseUrl: "https://api.pinterest.com/v5",
  fetch: () => Promise.reject(new Error("no calls")),
});
client.use(createAuthMiddleware(manager), cache);
for (let i = 0; i < requests; i++) await client.GET("/user_account");
Request.prototype.clone = clone;

await new Promise((resolve) => setTimeout(resolve, 0));
gc();
const alive = kept.filter((ref) => ref.deref() !== undefined).length;
console.log(
  `createAuthMiddleware, ${requests} requests answered by a later middleware: ${kept.length} request copies made, ${alive} still alive after gc`,
);
if (alive > 0) process.exitCode = 1;
