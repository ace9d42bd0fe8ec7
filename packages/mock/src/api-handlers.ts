import { delay, type HttpHandler, http } from "msw";
import { authenticate } from "./authenticate.ts";
import { endpointFor } from "./endpoints/registry.ts";
import { type IncomingRequest, readIncomingRequest } from "./incoming-request.ts";
import type { MockRuntime } from "./mock-runtime.ts";
import { mockOperations, mswPath, type OperationDescription, type OperationId } from "./operations.ts";
import { invalidGrant, rateLimited, serverError } from "./pinterest-errors.ts";
import { recordedCall } from "./recorder.ts";
import { type Reply, toResponse } from "./reply.ts";
import type { Fault } from "./scenarios.ts";
import { validateRequest } from "./validate-request.ts";

const methods = {
  GET: http.get,
  POST: http.post,
  PUT: http.put,
  PATCH: http.patch,
  DELETE: http.delete,
  HEAD: http.head,
  OPTIONS: http.options,
} as const;

type PathParams = Readonly<Record<string, string | readonly string[] | undefined>>;

function faultReply(fault: Fault): Reply | undefined {
  switch (fault.kind) {
    case "rateLimit":
      return rateLimited(fault.retryAfter);
    case "serverError":
      return serverError(fault.status);
    case "invalidGrant":
      return invalidGrant("Scenario: invalid grant");
    case "dropConnection":
      return { kind: "network-error", reason: "Scenario: dropped connection" };
    case "slow":
      return undefined;
  }
}

/** Answers one call as Pinterest would: security, then the request's content type, body and parameters, then the logic. */
function answer(op: OperationDescription, request: IncomingRequest, params: PathParams, runtime: MockRuntime): Reply {
  const { config, store } = runtime;
  const auth = authenticate(op, request.credentials, config.clients, store);
  if (!auth.ok) return auth.reply;
  const checked = validateRequest(op, request, params);
  if (!checked.ok) return checked.reply;
  return endpointFor(op.operationId as OperationId)({ op, input: checked.input, caller: auth.caller, config, store });
}

/**
 * One msw handler per operation (by default every operation of the spec), under `apiBaseUrl`: scenarios first, then
 * {@link answer}, all recorded.
 */
export function apiHandlers(
  runtime: MockRuntime,
  operations: readonly OperationDescription[] = mockOperations,
): HttpHandler[] {
  return operations.map((op) => {
    const method = methods[op.method as keyof typeof methods];
    if (!method)
      throw new Error(`The mock cannot serve ${op.method} ${op.path} (${op.operationId}): unsupported method.`);
    return method(mswPath(runtime.config.apiBaseUrl, op.path), async ({ request, params }) => {
      const at = runtime.config.now();
      const incoming = await readIncomingRequest(request);
      const fault = runtime.scenarios.take(op.operationId as OperationId);
      if (fault?.kind === "slow") await delay(fault.delayMs);
      const reply = (fault && faultReply(fault)) ?? answer(op, incoming, params, runtime);
      const scenario = fault?.kind === "slow" ? `Scenario: slow response (${fault.delayMs} ms)` : undefined;
      runtime.record(recordedCall(op.operationId as OperationId, incoming, reply, at, scenario));
      return toResponse(reply);
    });
  });
}
