import type { components } from "@pintoken/core";
import { schemas } from "@pintoken/core/schema";

/**
 * A `grant_type` of `POST /oauth/token`, from the spec: `"authorization_code"`, `"refresh_token"` or
 * `"client_credentials"`.
 *
 * @example
 * ```ts
 * const grantType: GrantType = "refresh_token";
 * mock.scenario({ grantType }).serverError({ status: 503 });
 * ```
 */
export type GrantType = components["schemas"]["OauthAccessTokenRequest"]["grant_type"];

/** Every grant type of the token endpoint, from the spec's discriminator. */
export const grantTypes = Object.keys(schemas.OauthAccessTokenRequest.discriminator.mapping) as readonly GrantType[];

/** Returns `value` as a grant type, or throws a message that lists the spec's grant types. */
export function checkGrantType(name: string, value: unknown): GrantType {
  if (!grantTypes.includes(value as GrantType)) {
    throw new RangeError(`${name} must be one of ${grantTypes.join(", ")}, got ${JSON.stringify(value)}.`);
  }
  return value as GrantType;
}
