/**
 * Facts taken from the security schemes and servers of the Pinterest description.
 *
 * Generated from spec/openapi.yaml by spec/scripts/codegen.ts: do not edit.
 * Change packages/codegen/overlay.yaml or run `pnpm spec:update <file-or-url>`, then `pnpm generate`.
 */

/**
 * Version of the Pinterest description these files were generated from.
 *
 * @example
 * ```ts
 * console.log(`Built against Pinterest API description ${specVersion}`);
 * ```
 */
export const specVersion = "5.23.0";

/**
 * Pinterest API base URL (servers[0]).
 *
 * @example
 * ```ts
 * const me = await fetch(`${apiBaseUrl}/user_account`, { headers: { authorization: `Bearer ${accessToken}` } });
 * ```
 */
export const apiBaseUrl = "https://api.pinterest.com/v5";

/**
 * Where the browser is sent to approve access (the authorizationCode flow's authorizationUrl).
 *
 * @example
 * ```ts
 * const isPinterestConsent = new URL(location).origin === new URL(authorizationEndpoint).origin;
 * ```
 */
export const authorizationEndpoint = "https://www.pinterest.com/oauth/";

/**
 * Every OAuth scope Pinterest declares, sorted.
 *
 * @example
 * ```ts
 * const readOnly = pinterestScopes.filter((scope) => scope.endsWith(":read"));
 * ```
 */
export const pinterestScopes = [
  "ads:read",
  "ads:write",
  "billing:read",
  "billing:write",
  "biz_access:read",
  "biz_access:write",
  "boards:read",
  "boards:read_secret",
  "boards:write",
  "boards:write_secret",
  "catalogs:read",
  "catalogs:write",
  "msot:write",
  "pins:read",
  "pins:read_secret",
  "pins:write",
  "pins:write_secret",
  "user_accounts:read",
  "user_accounts:write"
] as const;

/**
 * One OAuth scope Pinterest declares, e.g. `"pins:read"`.
 *
 * @example
 * ```ts
 * const scopes: PinterestScope[] = ["user_accounts:read", "pins:read"];
 * ```
 */
export type PinterestScope = (typeof pinterestScopes)[number];

/**
 * What each scope lets an app do, in Pinterest's words.
 *
 * @example
 * ```ts
 * for (const scope of requestedScopes) console.log(`${scope}: ${scopeDescriptions[scope]}`);
 * ```
 */
export const scopeDescriptions: Readonly<Record<PinterestScope, string>> = {
  "ads:read": "See all of your advertising data, including ads, ad groups, campaigns etc.",
  "ads:write": "Create, update, or delete ads, ad groups, campaigns etc.",
  "billing:read": "See all of your billing data, billing profile, etc.",
  "billing:write": "Create, update, or delete billing data, billing profiles, etc.",
  "biz_access:read": "See business access data",
  "biz_access:write": "Create, update, or delete business access data",
  "boards:read": "See your public boards, including group boards you join",
  "boards:read_secret": "See your secret boards",
  "boards:write": "Create, update, or delete your public boards",
  "boards:write_secret": "Create, update, or delete your secret boards",
  "catalogs:read": "See all of your catalogs data",
  "catalogs:write": "Create, update, or delete your catalogs data",
  "msot:write": "Create measurement source of truth events",
  "pins:read": "See your public Pins",
  "pins:read_secret": "See your secret Pins",
  "pins:write": "Create, update, or delete your public Pins",
  "pins:write_secret": "Create, update, or delete your secret Pins",
  "user_accounts:read": "See your user accounts and followers",
  "user_accounts:write": "Update your user accounts and followers"
};
