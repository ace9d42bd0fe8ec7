import type { OperationId } from "../operations.ts";
import type { Endpoint } from "./endpoint.ts";
import { oauthToken } from "./oauth-token.ts";
import { specExample } from "./spec-example.ts";
import { tokenRevoke } from "./token-revoke.ts";
import { userAccount } from "./user-account.ts";

const endpoints: { readonly [K in OperationId]?: Endpoint } = {
  "oauth/token": oauthToken,
  "token/revoke": tokenRevoke,
  "user_account/get": userAccount,
};

/** The behaviour of an operation: its own logic, or the spec's example answer. */
export function endpointFor(operationId: OperationId): Endpoint {
  return endpoints[operationId] ?? specExample;
}
