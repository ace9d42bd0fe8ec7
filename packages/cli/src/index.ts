/**
 * `@pintoken/cli`: the `pintoken` command (`npx @pintoken/cli login`, `token`, `status`, `logout`, `profiles`, `api`),
 * and, for Node programs that share its profiles, the file token store it keeps them in: one file per profile in the
 * user's configuration directory, readable by its owner only, written atomically, optionally encrypted, with a lock
 * across processes so that `pintoken token` and your program refresh a token once between them.
 *
 * @example
 * ```ts
 * import { createPinterestOAuth, createTokenManager } from "@pintoken/core";
 * import { FileTokenStore } from "@pintoken/cli";
 *
 * const store = new FileTokenStore(); // the profiles of `pintoken login`
 * const app = (await store.readProfile("default"))?.data.app;
 * if (!app) throw new Error("Sign in first: npx @pintoken/cli login");
 * const oauth = createPinterestOAuth({ clientId: app.clientId, clientSecret: app.clientSecret });
 * const manager = createTokenManager({ oauth, store, key: "default" });
 * console.log(await manager.getAccessToken());
 * ```
 *
 * @module
 */
export { defaultConfigDir } from "./config-dir.ts";
export { FileTokenStoreError } from "./errors.ts";
export { exitCodes } from "./exit-codes.ts";
export {
  FileTokenStore,
  type FileTokenStoreOptions,
  type ProfileAccount,
  type ProfileApp,
  type ProfileData,
  type StoredProfile,
} from "./file-token-store.ts";
