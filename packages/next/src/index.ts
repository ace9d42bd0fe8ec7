/**
 * Pinterest OAuth for Next.js App Router, in two files: login, callback, session, refresh and logout route
 * handlers over an encrypted session cookie (or a server-side token store), and server helpers that keep the access
 * token valid: concurrent callers share one refresh, and a rotated refresh token is never lost, not even when a
 * Server Component (which cannot write cookies) needs a token. The handler is a plain `(Request) => Response`, so it
 * serves any fetch-based server too.
 *
 * @example
 * ```ts
 * // lib/pinterest.ts
 * import { createPinterestAuth } from "@pintoken/next";
 * export const pinterest = createPinterestAuth({ scopes: ["user_accounts:read", "pins:read"] });
 *
 * // app/api/pinterest/[...pintoken]/route.ts
 * import { pinterest } from "@/lib/pinterest";
 * export const { GET, POST } = pinterest.handlers;
 *
 * // a Server Component (inside <Suspense>), a Server Action or a Route Handler
 * const session = await pinterest.getSession();
 * const { data: account } = await pinterest.api().GET("/user_account");
 * ```
 *
 * @module
 */
// What users of this package need from @pintoken/core, so that the app does not have to depend on it directly.
export {
  ConfigurationError,
  isTransient,
  MemoryTokenStore,
  type PinterestScope,
  ReauthorizationRequiredError,
  type TokenSet,
  type TokenStore,
} from "@pintoken/core";
export type {
  CallbackErrorCode,
  ErrorCode,
  ErrorJson,
  LogoutJson,
  SessionJson,
  SessionMessage,
} from "./contract.ts";
export {
  type AccessTokenOptions,
  createPinterestAuth,
  type PinterestApi,
  type PinterestAuth,
  type PinterestRequestAuth,
  type RouteHandler,
} from "./create-pinterest-auth.ts";
export type { PinterestAuthLogger, PinterestAuthOptions } from "./options.ts";
