import { successStatus } from "../operations.ts";
import { forbidden } from "../pinterest-errors.ts";
import { type Endpoint, requireClient } from "./endpoint.ts";

/**
 * `POST /oauth/token/revoke` (`token/revoke`). `token_type_hint` is only a hint: both kinds are looked up.
 * ASSUMED, as RFC 7009 §2.2 has it: a token the mock does not know (or one already dead) answers 200 too;
 * a token of another app answers 403 (the spec's example body).
 */
export const tokenRevoke: Endpoint = (context) => {
  const client = requireClient(context);
  const record = context.store.find(String(context.input.body?.token));
  if (record && record.kind !== "authorization_code") {
    if (record.clientId !== client.clientId) {
      return forbidden(context.op, `The token belongs to client_id ${record.clientId}, not ${client.clientId}`);
    }
    if (context.store.status(record) === "active") context.store.revoke(record);
  }
  return { kind: "empty", status: successStatus(context.op) };
};
