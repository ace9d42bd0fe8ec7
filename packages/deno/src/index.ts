/**
 * Pinterest API v5 OAuth for Deno (and every runtime with web-standard `fetch`): the whole `@pintoken/core` client
 * (authorize URL, code exchange, refresh with rotating refresh tokens, client credentials, revoke, token manager,
 * authorized `fetch`, typed errors), plus `DenoKvTokenStore`, which keeps token sets in Deno KV so that every isolate
 * or process sharing one KV refreshes a token once and never loses a rotated refresh token.
 *
 * @example
 * ```ts
 * import { createAuthorizedFetch, createPinterestOAuth, createTokenManager, DenoKvTokenStore } from "@pintoken/deno";
 *
 * const oauth = createPinterestOAuth({
 *   clientId: Deno.env.get("PINTEREST_CLIENT_ID")!,
 *   clientSecret: Deno.env.get("PINTEREST_CLIENT_SECRET")!,
 * });
 * const store = await DenoKvTokenStore.open(); // run with --unstable-kv
 * const manager = createTokenManager({ oauth, store, key: "app" });
 * if (!(await manager.peek())) await manager.save(await oauth.clientCredentials({ scopes: ["user_accounts:read"] }));
 * const pinterest = createAuthorizedFetch(manager); // bearer token, refreshed when due, replayed once after a 401
 * const account = await (await pinterest("https://api.pinterest.com/v5/user_account")).json();
 * ```
 *
 * @module
 */
export * from "@pintoken/core";
export { DenoKvStoreError, type DenoKvStoreErrorReason } from "./errors.ts";
export type { KvAtomic, KvEntryMaybe, KvKey, KvKeyPart, TokenKv } from "./kv.ts";
export { type DenoKvTokenLock, DenoKvTokenStore, type DenoKvTokenStoreOptions } from "./kv-token-store.ts";
