import { createPinterestAuth } from "@pintoken/next";

/**
 * The app's Pinterest sign-in, in cookie mode: the token set lives in an encrypted, HttpOnly cookie, and `proxy.ts`
 * refreshes it before a page renders, so a Server Component never has to.
 *
 * Everything else comes from the environment, which `pnpm demo` sets: `PINTEREST_CLIENT_ID`,
 * `PINTEREST_CLIENT_SECRET`, `PINTOKEN_SECRET`, and on the mock `PINTEREST_API_BASE_URL` and
 * `PINTEREST_AUTHORIZATION_URL`. The connect form asks for the scopes the person picks.
 */
export const pinterest = createPinterestAuth({ scopes: ["user_accounts:read"] });
