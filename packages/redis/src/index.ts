/**
 * A Redis `TokenStore` for `@pintoken/core`, for apps that run as many instances (serverless functions, several
 * pods): token sets live in Redis, a refresh happens once across the fleet (a lock with expiry and an owner token),
 * and a rotated refresh token is never overwritten by an older one (compare-and-set by version). Optional
 * AES-256-GCM encryption at rest.
 *
 * @example
 * ```ts
 * import { createPinterestOAuth, createTokenManager } from "@pintoken/core";
 * import { RedisTokenStore } from "@pintoken/redis";
 * import { createClient } from "redis";
 *
 * const client = await createClient({ url: process.env.REDIS_URL! }).on("error", console.error).connect();
 * const store = new RedisTokenStore({ client, secret: process.env.TOKEN_SECRET });
 * const manager = createTokenManager({ oauth: createPinterestOAuth({ clientId, clientSecret }), store, key: userId });
 * const accessToken = await manager.getAccessToken(); // one refresh across every instance
 * ```
 *
 * @module
 */
export type { RedisCommandClient } from "./commands.ts";
export { RedisStoreError, type RedisStoreErrorReason } from "./errors.ts";
export { type RedisTokenLock, RedisTokenStore, type RedisTokenStoreOptions } from "./redis-token-store.ts";
