import type { Caller } from "../authenticate.ts";
import type { OperationDescription } from "../operations.ts";
import type { MockConfig } from "../options.ts";
import type { Reply } from "../reply.ts";
import type { TokenStore } from "../token-store.ts";
import type { RequestInput } from "../validate-request.ts";

/** What an endpoint gets: a request that already passed the spec's security and schema checks. */
export interface EndpointContext {
  readonly op: OperationDescription;
  readonly input: RequestInput;
  readonly caller: Caller;
  readonly config: MockConfig;
  readonly store: TokenStore;
}

/** The behaviour of one operation. */
export type Endpoint = (context: EndpointContext) => Reply;

/** The app that authenticated with HTTP Basic; endpoints whose operation requires Basic always have one. */
export function requireClient(context: EndpointContext) {
  const client = context.caller.client;
  if (!client) throw new Error(`${context.op.operationId} ran without a client: its security must require HTTP Basic.`);
  return client;
}
