import { delay, type HttpHandler, http } from "msw";
import { authenticate } from "./authenticate.ts";
import { endpointFor } from "./endpoints/registry.ts";
import { type IncomingRequest, readIncomingRequest } from "./incoming-request.ts";
import type { MockRuntime } from "./mock-runtime.ts";
import { mockOperations, type OperationDescription, type OperationId } from "./operations.ts";
import { invalidGrant, rateLimited, serverError } from "./pinterest-errors.ts";
import { recordedCall } from "./recorder.ts";
import { type Reply, toResponse } from "./reply.ts";
import { exactRoute } from "./routes.ts";
import type { Fault } from "./scenario-fault.ts";
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

/**
 * Answers one call as Pinterest would: security first; a scenario is played only for a request that passes it (so a
 * stray unauthenticated request never takes a failure meant for the code under test), then the request's content
 * type, body and parameters, then the operation's logic.
 */
async function answer(op: OperationDescription, request: IncomingRequest, params: PathParams, runtime: MockRuntime) {
  const { config, store } = runtime;
  const auth = authenticate(op, request.credentials, config.clients, store);
  if (!auth.ok) return { reply: auth.reply };
  const fault = runtime.scenarios.take(op.operationId as OperationId, request.form?.get("grant_type") ?? undefined);
  if (fault?.kind === "slow") await delay(fault.delayMs);
  const faulted = fault && faultReply(fault);
  if (faulted) return { reply: faulted };
  const scenario = fault?.kind === "slow" ? `Scenario: slow response (${fault.delayMs} ms)` : undefined;
  const checked = validateRequest(op, request, params);
  if (!checked.ok) return { reply: checked.reply, scenario };
  const context = { op, input: checked.input, caller: auth.caller, config, store };
  return { reply: endpointFor(op.operationId as OperationId)(context), scenario };
}

/** One msw handler per operation (by default every operation of the spec), under `apiBaseUrl`, each call recorded. */
export function apiHandlers(
  runtime: MockRuntime,
  operations: readonly OperationDescription[] = mockOperations,
): HttpHandler[] {
  return operations.map((op) => {
    const method = methods[op.method as keyof typeof methods];
    if (!method)
      throw new Error(`The mock cannot serve ${op.method} ${op.path} (${op.operationId}): unsupported method.`);
    const route = exactRoute(runtime.config.apiBaseUrl, op.path, { [op.method]: op.operationId as OperationId });
    return method(route.mswPath, async ({ request, params }) => {
      // msw matches paths loosely (any case, decoded); Pinterest's paths are exact. Anything else is not this route.
      if (!route.matches(new URL(request.url))) return undefined;
      const at = runtime.config.now();
      const incoming = await readIncomingRequest(request);
      const { reply, scenario } = await answer(op, incoming, params, runtime);
      const { clients } = runtime.config;
      const call = recordedCall(op.operationId as OperationId, incoming, reply, {
        at,
        clients,
        ...(scenario ? { scenario } : {}),
      });
      runtime.record(call);
      return toResponse(reply);
    });
  });
}
