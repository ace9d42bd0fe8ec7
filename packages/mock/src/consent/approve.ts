import type { MockRuntime } from "../mock-runtime.ts";
import { redirectUrl, type ValidAuthorizationRequest } from "./authorization-request.ts";

/**
 * The result of an approved authorization: the code and the URL the browser is sent back to.
 *
 * @example
 * ```ts
 * const { code, redirectUrl } = mock.authorize({ scopes: ["user_accounts:read"], state: "xyz" });
 * // redirectUrl: "http://localhost:3000/api/pinterest/callback?code=…&state=xyz"
 * ```
 */
export interface Authorization {
  readonly code: string;
  readonly state: string | undefined;
  readonly redirectUrl: string;
}

/** Issues a code bound to the client, redirect URI and scopes, and builds the redirect back to the app. */
export function approve(runtime: MockRuntime, request: ValidAuthorizationRequest): Authorization {
  const code = runtime.store.createCode(request.client.clientId, request.redirectUri, request.scopes);
  return {
    code: code.value,
    state: request.state,
    redirectUrl: redirectUrl(request.redirectUri, { code: code.value, state: request.state }),
  };
}
