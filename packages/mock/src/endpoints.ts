import type { Caller } from "./authenticate.ts";
import type { IssuedTokens } from "./issued-tokens.ts";
import { type OperationDescription, successStatus } from "./operations.ts";
import type { MockConfig } from "./options.ts";
import { forbidden } from "./pinterest-errors.ts";
import type { Reply } from "./reply.ts";
import type { RequestInput } from "./validate-request.ts";

/** What an endpoint gets: a request that already passed the spec's security and schema checks. */
export interface EndpointContext {
  readonly op: OperationDescription;
  readonly input: RequestInput;
  readonly caller: Caller;
  readonly config: MockConfig;
  readonly tokens: IssuedTokens;
}

/** The behaviour of one operation. */
export type Endpoint = (context: EndpointContext) => Reply;

/** The app that authenticated with HTTP Basic; endpoints whose operation requires Basic always have one. */
export function requireClient(context: EndpointContext) {
  const client = context.caller.client;
  if (!client) throw new Error(`${context.op.operationId} ran without a client: its security must require HTTP Basic.`);
  return client;
}

/**
 * `POST /oauth/token/revoke` (`token/revoke`). `token_type_hint` is only a hint: both kinds are looked up.
 * ASSUMED, as RFC 7009 §2.2 has it: a token the mock does not know (or one already dead) answers 200 too;
 * a token of another app answers 403 (the spec's example body).
 */
export const tokenRevoke: Endpoint = (context) => {
  const client = requireClient(context);
  const record = context.tokens.find(String(context.input.body?.token));
  if (record && record.kind !== "authorization_code") {
    if (record.clientId !== client.clientId) {
      return forbidden(context.op, `The token belongs to client_id ${record.clientId}, not ${client.clientId}`);
    }
    if (context.tokens.status(record) === "active") context.tokens.revoke(record);
  }
  return { kind: "empty", status: successStatus(context.op) };
};

/** `GET /user_account` (`user_account/get`): the mock's account, for user and client-credentials tokens alike. */
export const userAccount: Endpoint = (context) => ({
  kind: "json",
  status: successStatus(context.op),
  body: context.config.account,
});
